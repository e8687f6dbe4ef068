import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { choiceClip, clipOwner, kioskClip, pageClip, questionClip, recordingName } from './audio-keys.js'
import type { AudioLang, AudioManifest } from './audio-keys.js'
import { espeakVoice } from './audio-voices.js'
import type { Problem } from './problem.js'
import type { JsonObject, JsonValue, SurveyDefinition } from './index.js'
import { BASE_LANGUAGES, LANGUAGE_CODE, withTranslation } from './languages.js'
import type { TranslationFile } from './languages.js'
import { PRIVACY_CHECK_TEXT } from './privacy-check-text.js'
import { findTranslationFiles, readTranslationFile } from './translation-files.js'

/**
 * Audio beside a definition (ACASI): `<slug>/audio/v<N>/` holds manifest.json and the clips it names, made by
 * `npm run audio:generate` and committed; `<slug>/recordings/v<N>/<lang>/<key>.{wav,flac,opus}` holds a
 * researcher's recordings, which take the place of generated speech. An instrument without an `audio/` folder
 * has no audio; one with it must have audio for every version.
 *
 * A version's audio languages are nb, en and each of its translation files (`<slug>/v<N>.lang.<code>.json`).
 * One espeak-ng can speak (audio-voices.ts) must have every clip, as nb and en must. One it cannot speak has
 * the clips recorded for it: once `recordings/v<N>/<code>/` exists, every clip it still lacks is a problem;
 * without that folder the language simply has no read-aloud, which audioNotes() says without failing the check.
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

/** A translation as read aloud: its code and its texts (TranslationFile.strings). */
export type SpokenTranslation = Pick<TranslationFile, 'code' | 'strings'>

/** One language of a version's read-aloud: its code, its espeak-ng voice (none: recordings only), a translation's texts. */
export interface AudioLanguage {
  code: AudioLang
  voice: string | undefined
  translation?: SpokenTranslation
}

/**
 * The languages a version's audio is made in: nb and en, then each translation file beside the version that
 * reads (one that does not is reported by checkTranslations, and has no audio until it does).
 */
export function audioLanguages (def: Pick<SurveyDefinition, 'files' | 'version'>): AudioLanguage[] {
  const translations = findTranslationFiles(def.files.survey, def.version).flatMap(({ code, file }): AudioLanguage[] => {
    const { translation } = readTranslationFile(file)
    return translation?.code === code ? [{ code, voice: espeakVoice(code), translation: { code, strings: translation.strings } }] : []
  })
  return [...BASE_LANGUAGES.map((code) => ({ code, voice: espeakVoice(code) })), ...translations]
}

const PRIVACY_WORDS = ['privacyTitle', 'privacyLead', 'privacyContinue', 'privacyStop'] as const

/**
 * The kiosk screens whose words are read aloud, with the texts they read: privacy-check-text.ts for nb and en
 * (the kiosk shows those), a translation's `kiosk.privacy…` words for its language (none while one is missing).
 */
export function kioskSpeechTexts (translations: readonly SpokenTranslation[] = []): SpeechText[] {
  const words = (lang: AudioLang, [title, lead, yes, no]: readonly string[]): SpeechText =>
    ({ key: kioskClip('privacy_check'), lang, text: speakable(`${title ?? ''} ${lead ?? ''} ${yes ?? ''}. ${no ?? ''}.`) })
  return [
    ...BASE_LANGUAGES.map((lang) => {
      const t = PRIVACY_CHECK_TEXT[lang]
      return words(lang, [t.title, t.lead, t.continue, t.stop])
    }),
    ...translations.flatMap(({ code, strings }) => {
      const texts = PRIVACY_WORDS.map((name) => strings[`kiosk.${name}`] ?? '')
      return texts.some((text) => text.trim() === '') ? [] : [words(code, texts)]
    }),
  ]
}

/**
 * Every text of the instrument that has a clip, in nb and en and in each translation given, plus the kiosk's
 * own (see audio-keys.ts). A translation's texts are read from the survey as the kiosk shows it in that
 * language (withTranslation); a text the translation lacks has no clip in it (checkTranslations reports it).
 */
export function speechTexts (survey: JsonObject, translations: readonly SpokenTranslation[] = []): SpeechText[] {
  const langs: AudioLang[] = [...BASE_LANGUAGES, ...translations.map(({ code }) => code)]
  const base = new Set<AudioLang>(BASE_LANGUAGES)
  const shown = translations.reduce((json, { code, strings }) => withTranslation(json, code, strings), survey)
  const texts: SpeechText[] = []
  const add = (key: string, ...parts: Array<JsonValue | undefined>): void => {
    for (const lang of langs) {
      const text = speakable(parts.map((part) => localised(part, lang, !base.has(lang))).filter((part) => part !== '').join(BREAK))
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
  for (const page of Array.isArray(shown.pages) ? shown.pages : []) {
    if (!isObject(page)) continue
    add(pageClip(String(page.name)), page.title, page.description)
    visit(page.elements)
  }
  return [...texts, ...kioskSpeechTexts(translations)]
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
    .replace(/\s*(?:\uE000\s*)+/g, (_match, offset: number, whole: string) => /[.!?:;؟؛۔]$/.test(whole.slice(0, offset).trimEnd()) ? ' ' : '. ')
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
  `${sha16(lang, text, JSON.stringify(voiceIdentity(voice, lang)))}.opus`

/**
 * The settings a clip's file name hashes: engine, speed, encoding and the voices of nb and en (all a manifest
 * had before translations came, so their clips keep their names), plus the clip's own language's voice. Adding
 * a language thus renames no clip of another; changing a voice renames the clips it speaks.
 */
function voiceIdentity (voice: AudioManifest['voice'], lang: AudioLang): AudioManifest['voice'] {
  const voices: Record<AudioLang, string> = {}
  for (const code of new Set<AudioLang>([...BASE_LANGUAGES, lang])) {
    const name = voice.voices[code]
    if (name !== undefined) voices[code] = name
  }
  return { engine: voice.engine, voices, wordsPerMinute: voice.wordsPerMinute, encoding: voice.encoding }
}

/** A recording's identity: the researcher's file's content, so a new recording is noticed. */
export const recordingHash = (content: Buffer): string => sha16(content)
export const recordingFileName = (content: Buffer): string => `rec-${recordingHash(content)}.opus`

export interface Recording { key: string, lang: AudioLang, path: string }

/** The languages with a folder of recordings for this version (`recordings/v<N>/<code>/`, empty or not), by code. */
export function recordingLanguages (def: Pick<SurveyDefinition, 'files' | 'version'>): AudioLang[] {
  const folder = recordingsFolder(def)
  if (!existsSync(folder)) return []
  return readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory() && LANGUAGE_CODE.test(entry.name)).map((entry) => entry.name).sort()
}

/** The researcher's recordings of one version; a file whose name matches no clip is reported by checkAudio. */
export function findRecordings (def: Pick<SurveyDefinition, 'files' | 'version'>): Recording[] {
  const found: Recording[] = []
  for (const lang of recordingLanguages(def)) {
    const folder = join(recordingsFolder(def), lang)
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

const LangSchema = Type.String({ pattern: LANGUAGE_CODE.source })

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

/** The texts of a version's audio in every one of its languages, with the languages. */
export function versionSpeech (def: Pick<SurveyDefinition, 'files' | 'version' | 'survey'>): { languages: AudioLanguage[], texts: SpeechText[] } {
  const languages = audioLanguages(def)
  const translations = languages.flatMap(({ translation }) => translation === undefined ? [] : [translation])
  return { languages, texts: speechTexts(def.survey, translations) }
}

/**
 * Whether the committed audio still reads the instrument: every text has a clip in nb, en and each translation
 * espeak-ng can speak, made from that very text, its file is there, and every recording is the one the
 * manifest was made from. A language without a voice must have every clip only once it has a recordings
 * folder. Each problem names the question and the language and says what to run.
 */
export function checkAudio (def: SurveyDefinition): Problem[] {
  if (!hasAudio(def)) return []
  const manifest = readAudioManifest(def)
  if (!('clips' in manifest)) return [manifest]
  const folder = audioFolder(def)
  const manifestFile = join(folder, 'manifest.json')
  const problems: Problem[] = []
  const report = (key: string, problem: string, file = manifestFile): void => { problems.push({ file, question: clipOwner(key), problem }) }
  const { languages, texts: expected } = versionSpeech(def)
  const voiced = new Set(languages.filter(({ voice }) => voice !== undefined).map(({ code }) => code))
  const known = new Set(languages.map(({ code }) => code))
  const recordings = findRecordings(def)
  const recorded = new Set(recordings.map(({ key, lang }) => `${lang}\u0000${key}`))
  const withFolder = new Set(recordingLanguages(def))
  const keys = new Set(expected.map(({ key }) => key))
  const expectedClips = new Set(expected.map(({ key, lang }) => `${lang}\u0000${key}`))
  for (const { key, lang, text } of expected) {
    const clip = manifest.clips[key]?.[lang]
    if (clip === undefined) {
      if (voiced.has(lang)) report(key, `no ${lang} audio for ${key}: run npm run audio:generate`)
      // A recording not yet made into a clip is reported below, as new.
      else if (withFolder.has(lang) && !recorded.has(`${lang}\u0000${recordingName(key)}`)) {
        report(key, `no ${lang} audio for ${key}: espeak-ng has no ${lang} voice, so record ${join(recordingsFolder(def), lang, recordingName(key))}.wav and run npm run audio:generate`)
      }
    } else if (clip.textHash !== textHash(lang, text)) report(key, `the ${lang} text of ${key} changed since its audio was made: run npm run audio:generate`)
    else if (!existsSync(join(folder, clip.file))) report(key, `the ${lang} audio file ${clip.file} of ${key} is missing: run npm run audio:generate`)
  }
  const strangers = new Set<AudioLang>()
  for (const [key, byLang] of Object.entries(manifest.clips)) {
    if (!keys.has(key)) { report(key, `the manifest has audio for ${key}, which the instrument no longer has: run npm run audio:generate`); continue }
    for (const lang of Object.keys(byLang)) {
      if (!known.has(lang)) strangers.add(lang)
      else if (!expectedClips.has(`${lang}\u0000${key}`)) report(key, `the manifest has ${lang} audio for ${key}, which has no ${lang} text: run npm run audio:generate`)
    }
  }
  for (const lang of strangers) {
    problems.push({ file: manifestFile, problem: `the manifest has ${lang} audio, but version ${def.version} has no ${lang} translation: run npm run audio:generate` })
  }
  for (const lang of [...withFolder].filter((code) => !known.has(code))) {
    problems.push({ file: join(recordingsFolder(def), lang), problem: `holds ${lang} recordings, but version ${def.version} has no ${lang} translation (v${def.version}.lang.${lang}.json)` })
  }
  for (const recording of recordings.filter(({ lang }) => known.has(lang))) {
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

/**
 * What definitions:check says without failing: each translation that will have no read-aloud, because
 * espeak-ng has no voice for it and nobody has started recording it (no `recordings/v<N>/<code>/` folder).
 * The kiosk then offers the language without play buttons, as it does a version without audio.
 */
export function audioNotes (def: Pick<SurveyDefinition, 'files' | 'version'>): Problem[] {
  if (!hasAudio(def)) return []
  const withFolder = new Set(recordingLanguages(def))
  return audioLanguages(def)
    .filter(({ code, voice }) => voice === undefined && !withFolder.has(code))
    .map(({ code }) => ({
      file: join(recordingsFolder(def), code),
      problem: `${code} has no read-aloud: espeak-ng has no ${code} voice (survey-definitions/audio-voices.ts) and nothing is recorded; ` +
        'create this folder and record its clips to give it one',
    }))
}

function localised (value: JsonValue | undefined, lang: AudioLang, strict: boolean): string {
  if (typeof value === 'string') return value
  if (isObject(value)) {
    // A translation's own text or nothing: never the default language read in another language's voice.
    const text = value[lang] ?? (strict ? undefined : value.default)
    return typeof text === 'string' ? text : ''
  }
  return ''
}

function isObject (value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
