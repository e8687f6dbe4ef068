import { h } from '../../../shared/dom.js'
import type { Child } from '../../../shared/dom.js'
import { hasAudio, readAloudNow } from '../audio.js'
import { words } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { languageInfo, state } from '../state.js'

/** What every kiosk screen shares: the moves between screens and the controls on every bar. */

const unwired = (): never => { throw new Error('the kiosk screens are not wired yet (main.ts)') }

/**
 * The moves several screens make, set once by main.ts: a screen calls nav.quickExit() rather than importing the
 * screen that does it, so no two screens import each other.
 */
export const nav: { quickExit: () => void, showHelp: () => void, showPage: (focusId?: string) => void, showLanguage: () => void } =
  { quickExit: unwired, showHelp: unwired, showPage: unwired, showLanguage: unwired }

export const quickExitButton = (label: string): HTMLButtonElement =>
  h('button', { type: 'button', class: 'quick-exit', 'data-testid': 'quick-exit', onClick: () => { nav.quickExit() } }, label)

export const helpButton = (label: string): HTMLButtonElement => h('button', { type: 'button', 'data-testid': 'open-help', onClick: () => { nav.showHelp() } }, label)

/**
 * The respondent's language: its words, `lang` and `dir` on the whole page (the direction as the wave states it,
 * so the layout mirrors for a right-to-left language), and the survey's texts.
 */
export function setLang (lang: Lang): void {
  state.lang = lang
  document.documentElement.lang = lang
  document.documentElement.dir = languageInfo(lang).direction
  document.title = words(lang).studyName
  state.session?.setLang(lang)
}

/**
 * Quick exit first in focus order (at the top on the side the script starts from); then language, read-aloud,
 * text size and help, on every screen once a language is chosen.
 */
export function surveyBar (): Child[] {
  const t = words(state.lang)
  const size = (step: number) => () => {
    state.textSize = Math.min(3, Math.max(0, state.textSize + step))
    document.documentElement.dataset.textSize = String(state.textSize)
  }
  const readAloud = h('button', {
    type: 'button',
    class: 'read-aloud',
    'aria-pressed': String(state.readAloud),
    'data-testid': 'read-aloud',
    onClick: () => {
      state.readAloud = !state.readAloud
      readAloud.setAttribute('aria-pressed', String(state.readAloud))
      readAloudNow(state.readAloud)
    },
  }, h('span', { class: 'play-icon' }, '♪'), ` ${t.readAloud}`)
  readAloud.querySelector('.play-icon')?.setAttribute('aria-hidden', 'true')
  return [
    quickExitButton(t.quickExit),
    h('span', { class: 'study' }, t.studyName),
    h('button', { type: 'button', class: 'language', 'data-testid': 'language', onClick: () => { nav.showLanguage() } }, t.language),
    // Only where the version has clips in this language: a toggle that reads nothing would mislead.
    hasAudio(state.lang) && readAloud,
    // The visible "A−" stays part of the accessible name (WCAG 2.5.3); the words are for screen readers.
    h('button', { type: 'button', onClick: size(-1) }, 'A−', h('span', { class: 'sr-only' }, ` ${t.smaller}`)),
    h('button', { type: 'button', onClick: size(1) }, 'A+', h('span', { class: 'sr-only' }, ` ${t.larger}`)),
    helpButton(t.help),
  ]
}
