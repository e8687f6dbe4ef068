import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateAudio } from '../../api/cli/audio-generate.js'
import { clipOwner } from '../../survey-definitions/audio-keys.js'
import { audioFolder, audioNotes, checkAudio, recordingsFolder, speechTexts, versionSpeech } from '../../survey-definitions/audio-manifest.js'
import { ESPEAK_VOICES } from '../../survey-definitions/audio-voices.js'
import { checkDefinitionsDir } from '../../survey-definitions/check.js'
import { findDefinitions, readDefinition } from '../../survey-definitions/index.js'
import type { SurveyDefinition } from '../../survey-definitions/index.js'
import { sourceTexts, translationFileName } from '../../survey-definitions/languages.js'
import type { TranslationFile } from '../../survey-definitions/languages.js'
import { canSpeak, hasTool, manifestOf, temporaryFolders, toneWav } from '../helpers/audio-fixtures.js'

const temporaryFolder = temporaryFolders('prevalens-audio-lang-')
const fixture = join(import.meta.dirname, '..', 'fixtures', 'definitions-second')

/** A copy of the small second instrument (nabolag v1) with an audio/ folder, so it gets read-aloud. */
function copyFixture (): { dir: string, load: () => SurveyDefinition } {
  const dir = temporaryFolder()
  cpSync(fixture, dir, { recursive: true })
  mkdirSync(join(dir, 'nabolag', 'audio'))
  return { dir, load: () => readDefinition(findDefinitions(dir)[0]!) }
}

/**
 * A made-up translation with every key: each survey text "Tekst numer N", the kiosk's words the English ones
 * marked (placeholders kept), the privacy check's four words in their own (made-up) sentences.
 */
function madeUpTranslation (def: SurveyDefinition, code: string, name: string): TranslationFile {
  const strings = Object.fromEntries(sourceTexts(def.survey, code).map((source, i) =>
    [source.key, source.kind === 'kiosk' ? `${source.en} (${code})` : `Tekst numer ${i + 1}`]))
  Object.assign(strings, {
    'q.gender.title': 'Jaka jest twoja płeć?',
    'kiosk.privacyTitle': 'Czy możesz teraz odpowiadać spokojnie?',
    'kiosk.privacyLead': 'Następne pytania są osobiste.',
    'kiosk.privacyContinue': 'Tak, dalej',
    'kiosk.privacyStop': 'Nie, zakończ teraz',
  })
  return { code, name, direction: 'ltr', status: 'draft', source: 'en', strings }
}

function writeTranslation (dir: string, translation: TranslationFile): string {
  const file = join(dir, 'nabolag', translationFileName(1, translation.code))
  writeFileSync(file, `${JSON.stringify(translation, null, 2)}\n`)
  return file
}

describe('the texts read aloud in a translation', () => {
  it("reads each translated text and the translation's privacy-check words, and nothing the translation lacks", () => {
    const { load } = copyFixture()
    const def = load()
    const translation = madeUpTranslation(def, 'pl', 'Polski')
    delete translation.strings['q.sleep_poor.choice.no']
    const texts = speechTexts(def.survey, [translation])
    const pl = new Map(texts.filter(({ lang }) => lang === 'pl').map(({ key, text }) => [key, text]))
    expect(pl.get('question:gender')).toBe('Jaka jest twoja płeć?')
    expect(pl.get('kiosk:privacy_check')).toBe('Czy możesz teraz odpowiadać spokojnie? Następne pytania są osobiste. Tak, dalej. Nie, zakończ teraz.')
    expect(pl.has('choice:sleep_poor:no')).toBe(false)
    // Every other clip of bokmål has its Polish one.
    const nbKeys = texts.filter(({ lang }) => lang === 'nb').map(({ key }) => key)
    expect([...pl.keys()].sort()).toEqual(nbKeys.filter((key) => key !== 'choice:sleep_poor:no').sort())
  })

  it('takes the languages of a version from its translation files, each with its espeak-ng voice or none', () => {
    const { dir, load } = copyFixture()
    writeTranslation(dir, madeUpTranslation(load(), 'pl', 'Polski'))
    writeTranslation(dir, madeUpTranslation(load(), 'so', 'Soomaali'))
    expect(versionSpeech(load()).languages.map(({ code, voice }) => ({ code, voice }))).toEqual([
      { code: 'nb', voice: 'nb' }, { code: 'en', voice: 'en-gb' }, { code: 'pl', voice: 'pl' }, { code: 'so', voice: undefined },
    ])
  })
})

describe.skipIf(!hasTool('espeak-ng'))('the voice table', () => {
  it('names only voices the installed espeak-ng has', () => {
    const installed = new Set(execFileSync('espeak-ng', ['--voices'], { encoding: 'utf8' }).split('\n').slice(1).map((line) => line.trim().split(/\s+/)[1]))
    for (const [code, voice] of Object.entries(ESPEAK_VOICES)) expect(installed.has(voice), `${code} → ${voice}`).toBe(true)
    // The languages this study asked for that espeak-ng 1.51 cannot speak: recordings only.
    for (const code of ['so', 'ti']) expect(installed.has(code), code).toBe(false)
  })
})

describe.skipIf(!canSpeak)('read-aloud in a translation', () => {
  it('makes a clip for every text of a new language with its espeak-ng voice, and the check then reports exactly the clip whose translated text changed', async () => {
    const { dir, load } = copyFixture()
    const translation = madeUpTranslation(load(), 'pl', 'Polski')
    const file = writeTranslation(dir, translation)
    const def = load()
    await generateAudio(def)
    const manifest = manifestOf(def)
    expect(manifest.voice.voices).toEqual({ nb: 'nb', en: 'en-gb', pl: 'pl' })
    const plTexts = versionSpeech(def).texts.filter(({ lang }) => lang === 'pl')
    expect(plTexts.length).toBeGreaterThan(10)
    for (const { key } of plTexts) {
      const clip = manifest.clips[key]?.pl
      expect(clip, key).toMatchObject({ source: 'speech' })
      expect(readFileSync(join(audioFolder(def), clip!.file)).subarray(0, 4).toString('latin1'), key).toBe('OggS')
    }
    expect(manifest.clips['question:gender']!.pl!.file).not.toBe(manifest.clips['question:gender']!.nb!.file)
    expect(checkDefinitionsDir(dir).problems).toEqual([])

    writeTranslation(dir, { ...translation, strings: { ...translation.strings, 'q.gender.title': 'Jakiej jesteś płci?' } })
    expect(checkDefinitionsDir(dir).problems).toEqual([{
      file: join(audioFolder(def), 'manifest.json'),
      question: 'gender',
      problem: 'the pl text of question:gender changed since its audio was made: run npm run audio:generate',
    }])
    const summary = await generateAudio(load())
    expect({ made: summary.made, removed: summary.removed }).toEqual({ made: 1, removed: 1 })
    expect(checkAudio(load())).toEqual([])
    expect(readFileSync(file, 'utf8')).toContain('Jakiej jesteś płci?')
  }, 60_000)

  it('gives a language without a voice no speech: a note until its recordings folder exists, then each clip it lacks', async () => {
    const { dir, load } = copyFixture()
    writeTranslation(dir, madeUpTranslation(load(), 'so', 'Soomaali'))
    await generateAudio(load())
    const def = load()
    const manifest = manifestOf(def)
    expect(manifest.voice.voices).toEqual({ nb: 'nb', en: 'en-gb' })
    expect(Object.values(manifest.clips).some((byLang) => byLang.so !== undefined)).toBe(false)
    expect(checkAudio(def)).toEqual([])
    expect(audioNotes(def)).toEqual([expect.objectContaining({ file: join(recordingsFolder(def), 'so'), problem: expect.stringMatching(/^so has no read-aloud: espeak-ng has no so voice/) })])
    expect(checkDefinitionsDir(dir).reports[0]!.notes).toHaveLength(1)

    const soKeys = versionSpeech(def).texts.filter(({ lang }) => lang === 'so').map(({ key }) => key)
    mkdirSync(join(recordingsFolder(def), 'so'), { recursive: true })
    writeFileSync(join(recordingsFolder(def), 'so', 'question.gender.wav'), toneWav())
    expect(audioNotes(def)).toEqual([])
    await generateAudio(def)
    const after = manifestOf(def)
    expect(after.clips['question:gender']!.so).toMatchObject({ source: 'recording' })
    const problems = checkAudio(def)
    expect(problems.map(({ question }) => question).sort()).toEqual(soKeys.filter((key) => key !== 'question:gender').map(clipOwner).sort())
    expect(problems).toContainEqual(expect.objectContaining({
      question: 'age_group',
      problem: `no so audio for question:age_group: espeak-ng has no so voice, so record ${join(recordingsFolder(def), 'so', 'question.age_group')}.wav and run npm run audio:generate`,
    }))
  }, 60_000)
})
