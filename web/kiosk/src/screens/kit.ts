import { h } from '../../../shared/dom.js'
import type { Child } from '../../../shared/dom.js'
import { otherLang } from '../../../shared/i18n.js'
import { TEXT } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { state } from '../state.js'

/** What every kiosk screen shares: the moves between screens and the controls on every bar. */

const unwired = (): never => { throw new Error('the kiosk screens are not wired yet (main.ts)') }

/**
 * The moves several screens make, set once by main.ts: a screen calls nav.quickExit() rather than importing the
 * screen that does it, so no two screens import each other.
 */
export const nav: { quickExit: () => void, showHelp: () => void, showPage: (focusId?: string) => void } =
  { quickExit: unwired, showHelp: unwired, showPage: unwired }

export const quickExitButton = (label: string): HTMLButtonElement =>
  h('button', { type: 'button', class: 'quick-exit', 'data-testid': 'quick-exit', onClick: () => { nav.quickExit() } }, label)

export const helpButton = (label: string): HTMLButtonElement => h('button', { type: 'button', 'data-testid': 'open-help', onClick: () => { nav.showHelp() } }, label)

export function setLang (lang: Lang): void {
  state.lang = lang
  document.documentElement.lang = lang
  document.title = TEXT[lang].studyName
  state.session?.setLang(lang)
}

/** Quick exit first in focus order; then language, text size and help, on every screen once a language is chosen. */
export function surveyBar (): Child[] {
  const t = TEXT[state.lang]
  const other = otherLang(state.lang)
  const size = (step: number) => () => {
    state.textSize = Math.min(3, Math.max(0, state.textSize + step))
    document.documentElement.dataset.textSize = String(state.textSize)
  }
  return [
    quickExitButton(t.quickExit),
    h('span', { class: 'study' }, t.studyName),
    h('button', { type: 'button', lang: other, 'aria-label': t.otherLanguageLabel, onClick: () => { setLang(other); state.redraw() } }, t.otherLanguage),
    // The visible "A−" stays part of the accessible name (WCAG 2.5.3); the words are for screen readers.
    h('button', { type: 'button', onClick: size(-1) }, 'A−', h('span', { class: 'sr-only' }, ` ${t.smaller}`)),
    h('button', { type: 'button', onClick: size(1) }, 'A+', h('span', { class: 'sr-only' }, ` ${t.larger}`)),
    helpButton(t.help),
  ]
}
