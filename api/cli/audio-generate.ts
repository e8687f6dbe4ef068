// npm run audio:generate [-- --dir DIR] [--slug SLUG]
// Makes the audio of every definition whose folder has an audio/ folder (see survey-definitions/audio-manifest.ts),
// in nb, en and each translation file of the version: a researcher's recording where there is one, otherwise
// speech from espeak-ng in the language's voice (survey-definitions/audio-voices.ts), as mono Ogg Opus at
// 12 kbit/s. A language espeak-ng cannot speak gets only its recordings.
// Clips already there are reused (a file is named by a hash of language, text and voice), unused ones removed,
// so only changed texts need the speech engine and a fresh install needs none.
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { recordingName } from '../../survey-definitions/audio-keys.js'
import type { AudioClip, AudioLang, AudioManifest } from '../../survey-definitions/audio-keys.js'
import {
  audioFolder, findRecordings, hasAudio, readAudioManifest, recordingFileName, recordingHash, speechFileName, textHash, versionSpeech,
} from '../../survey-definitions/audio-manifest.js'
import type { AudioLanguage, Recording } from '../../survey-definitions/audio-manifest.js'
import { SPEECH } from '../../survey-definitions/audio-voices.js'
import { definitionsDir, findDefinitions, readDefinition } from '../../survey-definitions/index.js'
import type { SurveyDefinition } from '../../survey-definitions/index.js'

const run = promisify(execFile)

/** The speech settings of a version: SPEECH, and the voice of each of its languages espeak-ng can speak. */
export function voiceOf (languages: readonly AudioLanguage[]): AudioManifest['voice'] {
  const voices: Record<AudioLang, string> = {}
  for (const { code, voice } of languages) if (voice !== undefined) voices[code] = voice
  return { engine: SPEECH.engine, voices, wordsPerMinute: SPEECH.wordsPerMinute, encoding: SPEECH.encoding }
}
// 12 kbit/s rather than 16: at 16 libopus leaves speech-only SILK for hybrid mode and the files grow by half
// (measured on the consent text: 57 KB against 37 KB) with no gain a synthetic voice can use.
const OPUS_ARGS = ['--quiet', '--speech', '--bitrate', '12', '--framesize', '40', '--downmix-mono', '--serial', '1']

export interface GenerateSummary { slug: string, version: number, clips: number, files: number, made: number, removed: number, bytes: number }

/** Thrown for what the researcher must fix (a recording of an older text); the message says what. */
export class AudioGenerateError extends Error {}

export async function generateAudio (def: SurveyDefinition, log: (line: string) => void = () => {}): Promise<GenerateSummary> {
  const folder = audioFolder(def)
  mkdirSync(folder, { recursive: true })
  const previous = readAudioManifest(def)
  const before = 'clips' in previous ? previous : undefined
  const recordings = new Map(findRecordings(def).map((recording) => [`${recording.lang}\u0000${recording.key}`, recording]))
  const { languages, texts } = versionSpeech(def)
  const voice = voiceOf(languages)
  const clips: AudioManifest['clips'] = {}
  const pending = new Map<string, () => Promise<void>>()
  for (const { key, lang, text } of texts) {
    const hash = textHash(lang, text)
    const recording = recordings.get(`${lang}\u0000${recordingName(key)}`)
    const spoken = voice.voices[lang]
    let clip: AudioClip
    let make: (target: string) => Promise<void>
    if (recording !== undefined) {
      clip = recordedClip(recording, hash, before?.clips[key]?.[lang], key)
      make = async (target) => { await encodeRecording(recording.path, target) }
    } else if (spoken !== undefined) {
      clip = { file: speechFileName(lang, text, voice), textHash: hash, source: 'speech' }
      make = async (target) => { await speak(lang, spoken, text, target) }
    } else {
      continue // no voice and no recording: no clip (audioNotes and checkAudio say what that means)
    }
    ;(clips[key] ??= {})[lang] = clip
    const target = join(folder, clip.file)
    if (existsSync(target) || pending.has(clip.file)) continue
    pending.set(clip.file, async () => { await make(target) })
  }
  let made = 0
  await inParallel([...pending.values()], 2, async (task) => { await task(); made += 1; if (made % 25 === 0) log(`  ${made}/${pending.size} clips made`) })
  const files = [...new Set(Object.values(clips).flatMap((byLang) => Object.values(byLang).flatMap((clip) => clip === undefined ? [] : [clip.file])))].sort()
  let removed = 0
  for (const file of readdirSync(folder)) {
    if (file !== 'manifest.json' && !files.includes(file)) { rmSync(join(folder, file)); removed += 1 }
  }
  const bytes = files.reduce((sum, file) => sum + statSync(join(folder, file)).size, 0)
  const order = languages.map(({ code }) => code)
  const manifest: AudioManifest = { format: 1, slug: def.slug, version: def.version, voice, clips: sortedClips(clips, order), files, bytes }
  writeFileSync(join(folder, 'manifest.json'), manifestText(manifest))
  return { slug: def.slug, version: def.version, clips: Object.keys(clips).length, files: files.length, made, removed, bytes }
}

/**
 * A recording stands for the text it was made for. When the manifest last took this very recording for another
 * text, the text changed after the recording was made: refuse rather than read out the old words.
 */
function recordedClip (recording: Recording, hash: string, before: AudioClip | undefined, key: string): AudioClip {
  const content = readFileSync(recording.path)
  const recorded = recordingHash(content)
  if (before?.source === 'recording' && before.recordingHash === recorded && before.textHash !== hash) {
    throw new AudioGenerateError(`${recording.path}: the ${recording.lang} text of ${key} changed after this recording was made: record it again, or delete the file to use speech`)
  }
  return { file: recordingFileName(content), textHash: hash, source: 'recording', recordingHash: recorded }
}

async function speak (lang: AudioLang, voice: string, text: string, target: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'prevalens-audio-'))
  try {
    const wav = join(work, 'speech.wav')
    await run('espeak-ng', ['-v', voice, '-s', String(SPEECH.wordsPerMinute), '-w', wav, '--', text]).catch((error: unknown) => {
      throw new AudioGenerateError(`espeak-ng could not speak a ${lang} text (is it installed? apt-get install espeak-ng): ${error instanceof Error ? error.message : String(error)}`)
    })
    await encode(wav, target)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

async function encodeRecording (source: string, target: string): Promise<void> {
  // An Ogg Opus recording is used as it is; opusenc reads WAV and FLAC.
  if (source.endsWith('.opus')) copyFileSync(source, target)
  else await encode(source, target)
}

async function encode (source: string, target: string): Promise<void> {
  const partial = `${target}.partial`
  await run('opusenc', [...OPUS_ARGS, source, partial]).catch((error: unknown) => {
    rmSync(partial, { force: true })
    throw new AudioGenerateError(`opusenc could not encode ${source} (is opus-tools installed?): ${error instanceof Error ? error.message : String(error)}`)
  })
  // Renamed only when whole, so an interrupted run never leaves a clip that looks finished.
  renameSync(partial, target)
}

/** Compact, one clip per line: small to precache, and a changed text is one line in a diff. */
function manifestText (manifest: AudioManifest): string {
  const { clips, files, ...head } = manifest
  const lines = Object.entries(clips).map(([key, byLang]) => `  ${JSON.stringify(key)}: ${JSON.stringify(byLang)}`)
  return `${JSON.stringify(head).slice(0, -1)},\n "clips": {\n${lines.join(',\n')}\n },\n "files": ${JSON.stringify(files)}\n}\n`
}

async function inParallel<T> (items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!)
  }))
}

/** Keys sorted, each key's languages in the version's order (nb, en, then the translations by code). */
function sortedClips (clips: AudioManifest['clips'], languages: readonly AudioLang[]): AudioManifest['clips'] {
  return Object.fromEntries(Object.keys(clips).sort().map((key) => [key, Object.fromEntries(languages.flatMap((lang) => {
    const clip = clips[key]?.[lang]
    return clip === undefined ? [] : [[lang, clip]]
  }))]))
}

async function main (): Promise<number> {
  let dir: string
  let slug: string | undefined
  try {
    const { values } = parseArgs({ options: { dir: { type: 'string' }, slug: { type: 'string' } }, strict: true })
    dir = resolve(values.dir ?? definitionsDir)
    slug = values.slug
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nusage: audio-generate [--dir DIR] [--slug SLUG]`)
    return 2
  }
  const definitions = findDefinitions(dir).filter((location) => slug === undefined || location.slug === slug).map(readDefinition)
  // An instrument gets audio once its folder has audio/ (or when named with --slug).
  const chosen = definitions.filter((def) => slug !== undefined || hasAudio(def))
  if (chosen.length === 0) {
    console.error(`no definition to make audio for under ${dir}${slug === undefined ? ' (create <slug>/audio/ to start, or name one with --slug)' : ` named ${slug}`}`)
    return 1
  }
  try {
    for (const def of chosen) {
      const summary = await generateAudio(def, (line) => { console.log(line) })
      console.log(`${summary.slug} v${summary.version}: ${summary.clips} clips in ${summary.files} files (${summary.made} made, ${summary.removed} removed), ` +
        `${(summary.bytes / 1024).toFixed(0)} KiB in ${relative(process.cwd(), audioFolder(def)) || '.'}`)
    }
  } catch (error) {
    if (!(error instanceof AudioGenerateError)) throw error
    console.error(error.message)
    return 1
  }
  return 0
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) process.exitCode = await main()
