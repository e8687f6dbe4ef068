import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { AudioGenerateError, generateAudio } from '../../api/cli/audio-generate.js'
import { audioFolder, checkAudio, speakable, speechTexts, versionSpeech } from '../../survey-definitions/audio-manifest.js'
import { checkDefinitionsDir } from '../../survey-definitions/check.js'
import { BASE_LANGUAGES } from '../../survey-definitions/languages.js'
import { listQuestions } from '../../survey-definitions/questions.js'
import { definitionsDir, findDefinitions, readDefinition } from '../../survey-definitions/index.js'
import type { JsonObject, SurveyDefinition } from '../../survey-definitions/index.js'
import { canSpeak, manifestOf, temporaryFolders, toneWav } from '../helpers/audio-fixtures.js'

const run = promisify(execFile)
const temporaryFolder = temporaryFolders('prevalens-audio-')
const shipped = readDefinition(findDefinitions().find((location) => location.slug === 'hverdag' && location.version === 1)!)

/** A copy of survey-definitions/hverdag (definition, indicator map and audio), edited by `change` before loading. */
function copyInstrument (change: (survey: JsonObject) => void = () => {}): { dir: string, def: SurveyDefinition } {
  const dir = temporaryFolder()
  cpSync(join(definitionsDir, 'hverdag'), join(dir, 'hverdag'), { recursive: true })
  const file = join(dir, 'hverdag', 'v1.survey.json')
  const survey = JSON.parse(readFileSync(file, 'utf8')) as JsonObject
  change(survey)
  writeFileSync(file, JSON.stringify(survey, null, 2))
  return { dir, def: readDefinition(findDefinitions(dir)[0]!) }
}

function question (survey: JsonObject, name: string): JsonObject {
  const found = listQuestions(survey).find((item) => item.name === name)
  if (found === undefined) throw new Error(`no question ${name}`)
  return found.json
}

describe('the committed audio of hverdag v1', () => {
  it('reads every question, choice and html block in both languages, and the check finds nothing to regenerate', () => {
    expect(checkAudio(shipped)).toEqual([])
    const manifest = manifestOf(shipped)
    for (const item of listQuestions(shipped.survey)) {
      for (const lang of BASE_LANGUAGES) {
        expect(manifest.clips[`question:${item.name}`]?.[lang], `${item.name} ${lang}`).toBeDefined()
        for (const value of item.values) expect(manifest.clips[`choice:${item.name}:${value}`]?.[lang], `${item.name}=${value} ${lang}`).toBeDefined()
      }
    }
    expect(manifest.clips['kiosk:privacy_check']?.nb).toBeDefined()
  })

  it('shares one file between identical texts and keeps every file small, mono Ogg Opus', () => {
    const manifest = manifestOf(shipped)
    const used = Object.values(manifest.clips).flatMap((byLang) => Object.values(byLang).flatMap((clip) => clip === undefined ? [] : [clip.file]))
    expect(manifest.files).toEqual([...new Set(used)].sort())
    // "Vil ikke svare" is one file however many questions offer it.
    const preferNot = new Set(Object.entries(manifest.clips).filter(([key]) => key.endsWith(':prefer_not')).map(([, byLang]) => byLang.nb?.file))
    expect(preferNot.size).toBe(1)
    let bytes = 0
    for (const file of manifest.files) {
      const content = readFileSync(join(audioFolder(shipped), file))
      bytes += content.length
      expect(content.subarray(0, 4).toString('latin1'), file).toBe('OggS')
      const head = content.indexOf('OpusHead')
      expect(head, file).toBeGreaterThan(0)
      expect(content[head + 9], `${file} channels`).toBe(1)
    }
    expect(manifest.bytes).toBe(bytes)
    // About 12 kbit/s: the whole instrument in both languages stays under 2.5 MB.
    expect(bytes).toBeLessThan(2.5 * 1024 * 1024)
  })
})

describe('the committed audio of hverdag v2', () => {
  it('reads every text in nb, en and each translation of the version, each with its own espeak-ng voice', () => {
    const v2 = readDefinition(findDefinitions().find((location) => location.slug === 'hverdag' && location.version === 2)!)
    expect(checkAudio(v2)).toEqual([])
    const manifest = manifestOf(v2)
    const { languages, texts } = versionSpeech(v2)
    expect(manifest.voice.voices).toEqual(Object.fromEntries(languages.map(({ code, voice }) => [code, voice])))
    for (const { key, lang } of texts) expect(manifest.clips[key]?.[lang], `${key} ${lang}`).toBeDefined()
    // A translation's clip reads its own words, never the file of another language's.
    const gender = manifest.clips['question:gender']!
    expect(new Set(Object.values(gender).map((clip) => clip?.file)).size).toBe(Object.keys(gender).length)
  })
})

describe('the audio check', () => {
  it('names the question whose text changed after its audio was made, in that language only', () => {
    const { def } = copyInstrument((survey) => {
      (question(survey, 'gender').title as JsonObject).nb = 'Hvilket kjønn er du?'
      const housing = question(survey, 'housing').choices as JsonObject[]
      ;(housing[0]!.text as JsonObject).en = 'A flat of my own'
    })
    const problems = checkAudio(def)
    expect(problems.map(({ question, problem }) => ({ question, problem }))).toEqual([
      { question: 'gender', problem: 'the nb text of question:gender changed since its audio was made: run npm run audio:generate' },
      { question: 'housing', problem: `the en text of choice:housing:${String((question(def.survey, 'housing').choices as JsonObject[])[0]!.value)} changed since its audio was made: run npm run audio:generate` },
    ])
  })

  it('names the question whose file is missing, and a new question without audio', () => {
    const { def } = copyInstrument((survey) => {
      const pages = survey.pages as JsonObject[]
      pages.splice(1, 0, { name: 'page_new', elements: [{ type: 'html', name: 'new_note', html: { en: '<p>New</p>', nb: '<p>Ny</p>' } }] })
    })
    const manifest = manifestOf(def)
    const file = manifest.clips['question:injecting']!.en!.file
    rmSync(join(audioFolder(def), file))
    const problems = checkAudio(def)
    expect(problems).toContainEqual(expect.objectContaining({ question: 'injecting', problem: `the en audio file ${file} of question:injecting is missing: run npm run audio:generate` }))
    expect(problems).toContainEqual(expect.objectContaining({ question: 'new_note', problem: 'no nb audio for question:new_note: run npm run audio:generate' }))
  })

  it('is part of definitions:check, which exits non-zero naming the question', async () => {
    const { dir } = copyInstrument((survey) => { (question(survey, 'injecting').title as JsonObject).en = 'Have you ever injected?' })
    expect(checkDefinitionsDir(dir).problems).toContainEqual(expect.objectContaining({ question: 'injecting' }))
    const failed = await run('npx', ['tsx', 'api/cli/definitions-check.ts', '--dir', dir]).then(() => null, (error: { code: number, stderr: string }) => error)
    expect(failed?.code).toBe(1)
    expect(failed?.stderr).toMatch(/question injecting: the en text of question:injecting changed since its audio was made/)
  }, 30_000)

  it('asks nothing of an instrument without an audio folder, and everything of one with it', () => {
    const { def } = copyInstrument()
    rmSync(join(audioFolder(def), 'manifest.json'))
    expect(checkAudio(def)).toEqual([expect.objectContaining({ problem: 'version 1 has no audio: run npm run audio:generate' })])
    rmSync(join(audioFolder(def), '..'), { recursive: true })
    expect(checkAudio(def)).toEqual([])
  })
})

describe('speakable text', () => {
  it('reads html blocks as sentences, keeps existing punctuation and reads helpline numbers digit by digit', () => {
    expect(speakable('<h3>Where to get help</h3><ul><li><strong>112</strong> – Police</li><li>Call 116 006.</li></ul><p>You are 18 &amp; over</p>'))
      .toBe('Where to get help. 1 1 2 – Police. Call 1 1 6 0 0 6. You are 18 & over.')
    expect(speakable('Kirkens SOS 22 40 00 40, in the last 12 months')).toBe('Kirkens SOS 2 2 4 0 0 0 4 0, in the last 12 months')
  })

  it('gives a question its title and description, each language its own text', () => {
    const texts = speechTexts(shipped.survey).filter((text) => text.key === 'question:lives_in_municipality')
    expect(texts.map((text) => text.lang)).toEqual(['nb', 'en'])
    expect(texts[1]!.text).toMatch(/^Do you live in this municipality\? If you have no fixed address/)
  })
})

describe.skipIf(!canSpeak)('npm run audio:generate', () => {
  it('makes only the clip whose text changed, removes the one it replaces, and the check passes again', async () => {
    const { def } = copyInstrument((survey) => { (question(survey, 'gender').title as JsonObject).nb = 'Hvilket kjønn er du?' })
    const before = manifestOf(def)
    const summary = await generateAudio(def)
    expect({ made: summary.made, removed: summary.removed }).toEqual({ made: 1, removed: 1 })
    const after = manifestOf(def)
    expect(after.clips['question:gender']!.nb!.file).not.toBe(before.clips['question:gender']!.nb!.file)
    expect(after.clips['question:gender']!.en).toEqual(before.clips['question:gender']!.en)
    expect(checkAudio(def)).toEqual([])
  })

  it("uses a researcher's recording instead of speech, and refuses it once the text it reads has changed", async () => {
    const { dir, def } = copyInstrument()
    const recordings = join(dir, 'hverdag', 'recordings', 'v1', 'nb')
    mkdirSync(recordings, { recursive: true })
    writeFileSync(join(recordings, 'question.gender.wav'), toneWav())
    expect(checkAudio(def)).toEqual([expect.objectContaining({ question: 'gender', problem: 'the nb recording of question:gender is new or changed: run npm run audio:generate' })])
    await generateAudio(def)
    const clip = manifestOf(def).clips['question:gender']!.nb!
    expect(clip).toMatchObject({ source: 'recording', file: expect.stringMatching(/^rec-[0-9a-f]{16}\.opus$/) })
    expect(readFileSync(join(audioFolder(def), clip.file)).subarray(0, 4).toString('latin1')).toBe('OggS')
    expect(checkAudio(def)).toEqual([])

    const file = join(dir, 'hverdag', 'v1.survey.json')
    const survey = JSON.parse(readFileSync(file, 'utf8')) as JsonObject
    ;(question(survey, 'gender').title as JsonObject).nb = 'Hvilket kjønn er du?'
    writeFileSync(file, JSON.stringify(survey))
    const changed = readDefinition(findDefinitions(dir)[0]!)
    await expect(generateAudio(changed)).rejects.toThrow(AudioGenerateError)
    await expect(generateAudio(changed)).rejects.toThrow(/question\.gender\.wav: the nb text of question:gender changed after this recording was made/)
  })
})
