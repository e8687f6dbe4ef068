import type { KioskHelpReply, KioskWaveReply } from '../../../api/schemas/kiosk.js'
import { BASE_LANGUAGE_INFO } from '../../../survey-definitions/languages.js'
import type { LanguageInfo } from '../../../survey-definitions/languages.js'
import type { Lang } from './i18n.js'
import type { IntakeKey } from './seal.js'
import type { SurveySession } from './survey-session.js'

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
  /** The instrument's help page in each language it has (bokmål, English, the chosen translation). */
  help?: Record<Lang, string>
  /** The languages the wave offers (GET /api/kiosk/wave), bokmål and English first; until it answers, those two. */
  languages: readonly LanguageInfo[]
  /** The respondent turned read-aloud on: each new page's first question is read out at once. */
  readAloud: boolean
  /** Where to get help, from the API (the site's county first); not about the respondent, fetched with the cover. */
  helpData?: KioskHelpReply
  /** The respondent said they can answer undisturbed (asked once, before the first violence page). */
  privacyChecked: boolean
  /** Whether the respondent has chosen a language; until then the kiosk speaks bokmål and English side by side. */
  langChosen: boolean
  /** The server's public key to seal a completed response with; undefined when it could not be had. */
  intakeKey?: Promise<IntakeKey | undefined>
  /** A test tablet (the API says so with its wave): every screen says its answers are not counted. */
  testMode: boolean
  redraw: () => void
} = { lang: 'nb', textSize: 0, languages: BASE_LANGUAGE_INFO, readAloud: false, privacyChecked: false, langChosen: false, testMode: false, redraw: () => {} }

/** What the wave says of a language (its direction is stated there, never guessed); one it does not list shows left to right. */
export const languageInfo = (code: Lang): LanguageInfo =>
  state.languages.find((language) => language.code === code) ?? BASE_LANGUAGE_INFO.find((language) => language.code === code) ?? { code, name: code, direction: 'ltr', status: 'draft' }
