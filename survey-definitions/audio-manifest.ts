import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { AUDIO_LANGS, choiceClip, clipOwner, kioskClip, pageClip, questionClip, recordingName } from './audio-keys.js'
import type { AudioLang, AudioManifest } from './audio-keys.js'
import type { Problem } from './problem.js'
import type { JsonObject, JsonValue, SurveyDefinition } from './index.js'
import { PRIVACY_CHECK_TEXT } from './privacy-check-text.js'

/**
 * Audio beside a definition (ACASI): `<slug>/audio/v<N>/` holds manifest.json and the clips it names, made by
 * `npm run audio:generate` and committed; `<slug>/recordings/v<N>/<lang>/<key>.{wav,flac,opus}` holds a
 * researcher's recordings, which take the place of generated speech. An instrument without an `audio/` folder
 * has no audio; one with it must have audio for every version.
 */
export const audioFolder = (def: Pick<SurveyDefinition, 'files' | 'version'>): string => join(dirname(def.files.survey), 'audio', `v${def.version}`)
export const recordingsFolder = (def: Pick<SurveyDefinition, 'files' | 'version'>): string => join(dirname(def.files.survey), 'recordings', `v${def.version}`)
export const hasAudio = (def: Pick<SurveyDefinition, 'files'>): boolean => existsSync(join(dirname(def.files.survey), 'audio'))

export const RECORDING_EXTENSIONS = ['wav', 'flac', 'opus'] as const

export interface SpeechText {
  key: string
  lang: AudioLang
  text: string
}

/** The kiosk screens whose words are read aloud, with the texts they read (privacy-check-text.ts, which the kiosk shows). */
export function kioskSpeechTexts (): SpeechText[] {
  return AUDIO_LANGS.map((lang) => {
    const t = PRIVACY_CHECK_TEXT[lang]
    return { key: kioskClip('privacy_check'), lang, text: speakable(`${t.title} ${t.lead} ${t.continue}. ${t.stop}.`) }
  })
}

/** Every text of the instrument that has a clip, in both languages, plus the kiosk's own (see audio-keys.ts). */
export function speechTexts (survey: JsonObject): SpeechText[] {
  const texts: SpeechText[] = []
  const add = (key: string, ...parts: Array<JsonValue | undefined>): void => {
    for (const lang of AUDIO_LANGS) {
      const text = speakable(parts.map((part) => localised(part, lang)).filter((part) => part !== '').join(BREAK))
      if (text !== '') texts.push({ key, lang, text })
    }
  }
  const visit = (elements: JsonValue | undefined): void => {
    if (!Array.isArray(elements)) return
    for (const element of elements) {
      if (!isObject(element)) continue
      if (element.type === 'panel') { add(questionClip(String(element.name)), element.title, element.description); visit(element.elements); continue }
      const name = String(element.name)
      add(questionClip(name), element.type === 'html' ? element.html : element.title, element.description)
      if (Array.isArray(element.choices)) {
        for (const choice of element.choices) if (isObject(choice)) add(choiceClip(name, choice.value), choice.text)
      }
      if (element.type === 'boolean') {
        // The kiosk draws a boolean as two choices valued true and false, whatever valueTrue/valueFalse say.
        add(choiceClip(name, true), element.labelTrue)
        add(choiceClip(name, false), element.labelFalse)
      }
    }
  }
  for (const page of Array.isArray(survey.pages) ? survey.pages : []) {
    if (!isObject(page)) continue
    add(pageClip(String(page.name)), page.title, page.description)
    visit(page.elements)
  }
  return [...texts, ...kioskSpeechTexts()]
}

/** Marks the end of a block (a private-use character, never in an instrument's text). */
const BREAK = '\uE000'

/**
 * Text as it is read: html tags dropped, a block's end a pause (a full stop unless it ends in punctuation
 * already), entities decoded, white space collapsed. Its hash decides whether a clip is still current.
 */
export function speakable (text: string): string {
  return text
    .replace(/<\/(p|li|h[1-6]|ul|ol)>|<br\s*\/?>/gi, BREAK)
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s*(?:\uE000\s*)+/g, (_match, offset: number, whole: string) => /[.!?:;]$/.test(whole.slice(0, offset).trimEnd()) ? ' ' : '. ')
    .replace(/\s+/g, ' ')
    .replace(/^[. ]+/, '')
    .replace(PHONE_NUMBER, (number) => number.replace(/ /g, '').split('').join(' '))
    .trim()
}

/**
 * Norwegian helpline numbers (112, 116 006, 22 40 00 40), read digit by digit as people dial them, not as
 * "one hundred and sixteen"; other numbers (ages, months) stay numbers.
 */
const PHONE_NUMBER = /\b(?:11[0-9](?: [0-9]{3})?|[0-9]{2} [0-9]{2} [0-9]{2} [0-9]{2})\b/g

const sha16 = (...parts: Array<string | Buffer>): string => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\u0000')
  return hash.digest('hex').slice(0, 16)
}

/** What a clip must read: the language and the exact text. */
export const textHash = (lang: AudioLang, text: string): string => sha16(lang, text)

/** A generated clip's file: the same language, text and voice always give the same file, so repeats share one. */
export const speechFileName = (lang: AudioLang, text: string, voice: AudioManifest['voice']): string =>
  `${sha16(lang, text, JSON.stringify(voice))}.opus`

/** A recording's identity: the researcher's file's content, so a new recording is noticed. */
export const recordingHash = (content: Buffer): string => sha16(content)
export const recordingFileName = (content: Buffer): string => `rec-${recordingHash(content)}.opus`

export interface Recording { key: string, lang: AudioLang, path: string }

/** The researcher's recordings of one version; a file whose name matches no clip is reported by checkAudio. */
export function findRecordings (def: Pick<SurveyDefinition, 'files' | 'version'>): Recording[] {
  const found: Recording[] = []
  for (const lang of AUDIO_LANGS) {
    const folder = join(recordingsFolder(def), lang)
    if (!existsSync(folder)) continue
    for (const file of readdirSync(folder).sort()) {
      const match = /^(.+)\.(wav|flac|opus)$/.exec(file)
      if (match === null || file.startsWith('.')) continue
      found.push({ key: match[1]!, lang, path: join(folder, file) })
    }
  }
  return found
}

const ClipSchema = Type.Object({
  file: Type.String({ pattern: '^(rec-)?[0-9a-f]{16}\\.opus$' }),
  textHash: Type.String({ pattern: '^[0-9a-f]{16}$' }),
  source: Type.Union([Type.Literal('speech'), Type.Literal('recording')]),
  recordingHash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{16}$' })),
}, { additionalProperties: false })

const LangSchema = Type.Union(AUDIO_LANGS.map((lang) => Type.Literal(lang)))

export const AudioManifestSchema = Type.Object({
  format: Type.Literal(1),
  slug: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  voice: Type.Object({
    engine: Type.String(),
    voices: Type.Record(LangSchema, Type.String()),
    wordsPerMinute: Type.Integer(),
    encoding: Type.String(),
  }, { additionalProperties: false }),
  clips: Type.Record(Type.String(), Type.Record(LangSchema, ClipSchema)),
  files: Type.Array(Type.String()),
  bytes: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false })

/** The manifest of one version, or a problem saying why there is none usable. */
export function readAudioManifest (def: Pick<SurveyDefinition, 'files' | 'version'>): AudioManifest | Problem {
  const file = join(audioFolder(def), 'manifest.json')
  if (!existsSync(file)) return { file, problem: `version ${def.version} has no audio: run npm run audio:generate` }
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    return { file, problem: `is not valid JSON (${error instanceof Error ? error.message : String(error)}): run npm run audio:generate` }
  }
  const error = Value.Errors(AudioManifestSchema, parsed).First()
  if (error !== undefined) return { file, problem: `does not match the audio manifest schema at ${error.path || '/'}: ${error.message}` }
  return parsed as AudioManifest
}

/**
 * Whether the committed audio still reads the instrument: every text has a clip in both languages, made from
 * that very text, its file is there, and every recording is the one the manifest was made from. Each problem
 * names the question and says what to run.
 */
export function checkAudio (def: SurveyDefinition): Problem[] {
  if (!hasAudio(def)) return []
  const manifest = readAudioManifest(def)
  if (!('clips' in manifest)) return [manifest]
  const folder = audioFolder(def)
  const manifestFile = join(folder, 'manifest.json')
  const problems: Problem[] = []
  const report = (key: string, problem: string, file = manifestFile): void => { problems.push({ file, question: clipOwner(key), problem }) }
  const expected = speechTexts(def.survey)
  const keys = new Set(expected.map(({ key }) => key))
  for (const { key, lang, text } of expected) {
    const clip = manifest.clips[key]?.[lang]
    if (clip === undefined) report(key, `no ${lang} audio for ${key}: run npm run audio:generate`)
    else if (clip.textHash !== textHash(lang, text)) report(key, `the ${lang} text of ${key} changed since its audio was made: run npm run audio:generate`)
    else if (!existsSync(join(folder, clip.file))) report(key, `the ${lang} audio file ${clip.file} of ${key} is missing: run npm run audio:generate`)
  }
  for (const key of Object.keys(manifest.clips)) {
    if (!keys.has(key)) report(key, `the manifest has audio for ${key}, which the instrument no longer has: run npm run audio:generate`)
  }
  for (const recording of findRecordings(def)) {
    const key = [...keys].find((candidate) => recordingName(candidate) === recording.key)
    if (key === undefined) {
      problems.push({ file: recording.path, problem: `the recording's name matches no text of version ${def.version} (name it <key>.wav, e.g. question.gender.wav or choice.gender.woman.wav)` })
      continue
    }
    const clip = manifest.clips[key]?.[recording.lang]
    if (clip?.source !== 'recording' || clip.recordingHash !== recordingHash(readFileSync(recording.path))) {
      report(key, `the ${recording.lang} recording of ${key} is new or changed: run npm run audio:generate`, recording.path)
    }
  }
  const listed = new Set(manifest.files)
  for (const file of existsSync(folder) ? readdirSync(folder) : []) {
    if (file !== 'manifest.json' && !listed.has(file)) problems.push({ file: join(folder, file), problem: 'is not in the manifest: run npm run audio:generate (it removes unused files)' })
  }
  return problems
}

function localised (value: JsonValue | undefined, lang: AudioLang): string {
  if (typeof value === 'string') return value
  if (isObject(value)) {
    const text = value[lang] ?? value.default
    return typeof text === 'string' ? text : ''
  }
  return ''
}

function isObject (value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
