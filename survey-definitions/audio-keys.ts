/**
 * Names of the audio clips of an instrument, shared by the generator, the check and the kiosk (so this file
 * imports nothing: it is bundled into the kiosk). A clip is read in one language; the manifest maps
 * key → language code → file. A version's languages are nb, en and each of its translation files
 * (survey-definitions/languages.ts); a language espeak-ng cannot speak (audio-voices.ts) has only the clips a
 * researcher recorded, if any.
 *
 * - `question:<name>`: a question's title, then its description; for an html element its text
 * - `choice:<question>:<value>`: one choice (a boolean's labels under `true` and `false`)
 * - `page:<name>`: a page's title and description, where it has them
 * - `kiosk:<name>`: the kiosk's own words that need reading aloud (the privacy check)
 */
/** A language code (`nb`, `en`, `pl`, …) as the survey and its translation files name it. */
export type AudioLang = string

export const questionClip = (name: string): string => `question:${name}`
export const choiceClip = (question: string, value: unknown): string => `choice:${question}:${String(value)}`
export const pageClip = (name: string): string => `page:${name}`
export const kioskClip = (name: string): string => `kiosk:${name}`

/** The clip key as a file name for a researcher's recording: colons become dots (`choice.gender.woman.wav`). */
export const recordingName = (key: string): string => key.replaceAll(':', '.')

/** The question (or page, or kiosk screen) a clip belongs to, for messages that must name it. */
export function clipOwner (key: string): string {
  const [kind, name = ''] = key.split(':')
  return kind === 'kiosk' ? `${name} (kiosk screen)` : name
}

/** One entry of a manifest: where the clip is and which text it reads. */
export interface AudioClip {
  /** File name inside the version's audio folder. */
  file: string
  /** textHash() of the text the clip reads, as the generator saw it. */
  textHash: string
  source: 'speech' | 'recording'
  /** For a recording: sha256 (16 hex) of the researcher's file it was made from. */
  recordingHash?: string
}

export interface AudioManifest {
  format: 1
  slug: string
  version: number
  /** How speech was made: engine, the espeak-ng voice of each language spoken (none for a recordings-only one), speed, encoding. */
  voice: { engine: string, voices: Record<AudioLang, string>, wordsPerMinute: number, encoding: string }
  clips: Record<string, Partial<Record<AudioLang, AudioClip>>>
  /** Every file the clips use, once: what the kiosk's service worker precaches. */
  files: string[]
  /** Their total size in bytes. */
  bytes: number
}
