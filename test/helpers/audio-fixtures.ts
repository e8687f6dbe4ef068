import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { AudioManifest } from '../../survey-definitions/audio-keys.js'
import { readAudioManifest } from '../../survey-definitions/audio-manifest.js'
import type { SurveyDefinition } from '../../survey-definitions/index.js'

/** Whether the command is on this machine's PATH. */
export function hasTool (tool: string): boolean {
  try { execFileSync('which', [tool], { stdio: 'ignore' }); return true } catch { return false }
}

/** Whether this machine can generate read-aloud (espeak-ng speaks, opusenc encodes); CI installs both. */
export const canSpeak = hasTool('espeak-ng') && hasTool('opusenc')

/** The version's audio manifest; a test fails at once, with the reason, when there is none. */
export function manifestOf (def: SurveyDefinition): AudioManifest {
  const manifest = readAudioManifest(def)
  if (!('clips' in manifest)) throw new Error(manifest.problem)
  return manifest
}

/** A temporary folder removed after the test that made it (the calling file registers the clean-up). */
export function temporaryFolders (prefix: string): () => string {
  const made: string[] = []
  afterEach(() => { for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true }) })
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    made.push(dir)
    return dir
  }
}

/** 0.3 s of a tone as 16-bit mono PCM WAV: a stand-in for a researcher's recording. */
export function toneWav (hz = 440): Buffer {
  const rate = 16000
  const samples = Buffer.alloc(rate * 0.3 * 2)
  for (let i = 0; i < samples.length / 2; i += 1) samples.writeInt16LE(Math.round(8000 * Math.sin(2 * Math.PI * hz * i / rate)), i * 2)
  const header = Buffer.alloc(44)
  header.write('RIFF', 0); header.writeUInt32LE(36 + samples.length, 4); header.write('WAVE', 8)
  header.write('fmt ', 12); header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22)
  header.writeUInt32LE(rate, 24); header.writeUInt32LE(rate * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34)
  header.write('data', 36); header.writeUInt32LE(samples.length, 40)
  return Buffer.concat([header, samples])
}
