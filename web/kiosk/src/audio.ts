import type { AudioClip, AudioManifest } from '../../../survey-definitions/audio-keys.js'
import { h } from '../../shared/dom.js'
import { words } from './i18n.js'
import type { Lang } from './i18n.js'

/**
 * Read-aloud (ACASI): a play button by each question and each choice, playing clips made beside the instrument
 * (survey-definitions/<slug>/audio/v<N>/, served at /kiosk/audio/…). A question's button reads the question and
 * then its choices, as audio self-interviewing does; a choice's button reads that choice again. One clip plays at
 * a time, in the language on screen; any redraw (page change, answer, language switch, quick exit, idle timeout)
 * stops it, so nothing goes on speaking about a page that is gone. Without a manifest there are no buttons.
 */
const audio: {
  base?: string
  manifest?: AudioManifest
  element?: HTMLAudioElement
  button?: HTMLButtonElement
  queue: string[]
} = { queue: [] }

/**
 * Fetches the version's manifest once (the service worker keeps it offline). Never rejects: no manifest, or no
 * connection, means a survey without audio, not a survey that cannot start.
 */
export async function loadAudio (slug: string, version: number): Promise<void> {
  const base = `${location.pathname.replace(/[^/]*$/, '')}audio/${encodeURIComponent(slug)}/v${version}/`
  if (audio.base === base && audio.manifest !== undefined) return
  audio.base = base
  audio.manifest = undefined
  try {
    const response = await fetch(`${base}manifest.json`, { credentials: 'omit', referrerPolicy: 'no-referrer' })
    if (response.ok && audio.base === base) audio.manifest = await response.json() as AudioManifest
  } catch {
    // Offline and not cached yet: no read-aloud this time.
  }
}

/**
 * A button that plays the clips of `keys` in `lang`, in order, skipping any the manifest lacks; null when it has
 * none of them. `name` null: the button shows "Lytt"/"Listen" (the question's). A name: an icon-only button
 * whose accessible name says what it reads (a choice's).
 */
export function playButton (keys: readonly string[], lang: Lang, name: string | null = null): HTMLButtonElement | null {
  const files = keys.flatMap((key) => {
    const file = clipIn(key, lang)?.file
    return file === undefined ? [] : [file]
  })
  if (files.length === 0) return null
  const t = words(lang)
  const button = h('button', {
    type: 'button',
    class: name === null ? 'play play-question' : 'play play-choice',
    'aria-pressed': 'false',
    'data-testid': name === null ? 'play-question' : 'play-choice',
    ...(name === null ? {} : { 'aria-label': `${t.listen}: ${name}` }),
    onClick: () => { if (audio.button === button) stopAudio(); else play(button, files) },
  }, h('span', { class: 'play-icon' }, '▶'), name === null ? ` ${t.listen}` : null)
  button.querySelector('.play-icon')?.setAttribute('aria-hidden', 'true')
  return button
}

/** The manifest's clip of `key` in a language, by its code (`clips[key][code]`). */
const clipIn = (key: string, lang: Lang): AudioClip | undefined =>
  (audio.manifest?.clips[key] as Readonly<Record<string, AudioClip | undefined>> | undefined)?.[lang]

/** Whether the version has any clip in the language: without one, read-aloud has nothing to offer. */
export const hasAudio = (lang: Lang): boolean =>
  audio.manifest !== undefined && Object.values(audio.manifest.clips).some((clips) => (clips as Readonly<Record<string, AudioClip | undefined>>)[lang] !== undefined)

/**
 * Read-aloud turned on (the bar's toggle): reads the first question on the screen at once, as the screens do
 * after drawing each new page (readFirstQuestion); turned off, stops.
 */
export function readAloudNow (on: boolean): void {
  if (on) readFirstQuestion()
  else stopAudio()
}

/** Plays the first question's clips on the screen (its title, then its choices), if it has any. */
export function readFirstQuestion (): void {
  const button = document.querySelector<HTMLButtonElement>('#main [data-testid="play-question"]')
  if (button !== null && audio.button !== button) button.click()
}

/** Stops whatever is playing and forgets the queue. */
export function stopAudio (): void {
  audio.queue = []
  audio.button?.setAttribute('aria-pressed', 'false')
  audio.button = undefined
  const element = audio.element
  if (element !== undefined && element.getAttribute('src') !== null) {
    element.pause()
    element.removeAttribute('src')
    element.load()
  }
}

function play (button: HTMLButtonElement, files: string[]): void {
  stopAudio()
  audio.button = button
  audio.queue = [...files]
  button.setAttribute('aria-pressed', 'true')
  playNext()
}

function playNext (): void {
  const file = audio.queue.shift()
  if (file === undefined || audio.base === undefined) { stopAudio(); return }
  const element = player()
  const src = `${audio.base}${file}`
  element.src = src
  // A clip cut short by the next one (a new page read out at once) rejects late: only its own failure stops.
  element.play().catch(() => { if (element.getAttribute('src') === src) stopAudio() })
}

/** One audio element for the whole kiosk, outside the redrawn screen; it holds a clip's address, never an answer. */
function player (): HTMLAudioElement {
  if (audio.element !== undefined) return audio.element
  const element = h('audio', { 'data-testid': 'kiosk-audio' })
  element.preload = 'auto'
  element.addEventListener('ended', playNext)
  element.addEventListener('error', () => { if (element.getAttribute('src') !== null) stopAudio() })
  document.body.append(element)
  audio.element = element
  return element
}
