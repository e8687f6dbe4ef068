import type { KioskHelpReply, KioskWaveReply } from '../../../api/schemas/kiosk.js'
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
  help?: Record<Lang, string>
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
} = { lang: 'nb', textSize: 0, privacyChecked: false, langChosen: false, testMode: false, redraw: () => {} }
