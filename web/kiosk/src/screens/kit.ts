import type { KioskHelpReply, KioskWaveReply } from '../../../../api/schemas/kiosk.js'
import { h } from '../../../shared/dom.js'
import type { Child } from '../../../shared/dom.js'
import { otherLang } from '../../../shared/i18n.js'
import { TEXT } from '../i18n.js'
import type { Lang } from '../i18n.js'
import type { IntakeKey } from '../seal.js'
import type { SurveySession } from '../survey-session.js'

/** What every kiosk screen shares: the respondent's state, the tablet's token, and the controls on every bar. */

/** The device token is the tablet's, not the respondent's: the only thing the kiosk keeps in storage. */
export const TOKEN_KEY = 'kiosk.device'
export const HOME = location.pathname.replace(/[^/]*$/, '')
export const app = document.getElementById('app') ?? document.body

export interface Prepared { wave: KioskWaveReply, definition: Record<string, unknown> }

/** Everything about the current respondent lives in this object, in memory, and dies with the page. */
export const state: {
  lang: Lang
  textSize: number
  prepared?: Promise<Prepared>
  session?: SurveySession
  help?: Record<Lang, string>
  /** Where to get help, from the API (the site's county first); not about the respondent, fetched with the cover. */
  helpData?: KioskHelpReply
  /** The respondent said they can answer undisturbed (asked once, before the first violence page). */
  privacyChecked: boolean
  /** Whether the respondent has chosen a language; until then the kiosk speaks bokmål and English side by side. */
  langChosen: boolean
  /** The server's public key to seal a completed response with; undefined when it could not be had. */
  intakeKey?: Promise<IntakeKey | undefined>
  redraw: () => void
} = { lang: 'nb', textSize: 0, privacyChecked: false, langChosen: false, redraw: () => {} }

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
