import { KIOSK_TEXT } from '../../../survey-definitions/kiosk-text.js'
import { kioskStrings } from '../../../survey-definitions/languages.js'
import { interpolate } from '../../shared/i18n.js'

/**
 * A language code (`nb`, `en`, `pl`, `ar`, …): bokmål and English are in the survey JSON and in
 * survey-definitions/kiosk-text.ts; any other comes with the wave (GET /api/kiosk/languages/:code).
 */
export type Lang = string

type Policy = 'yes' | 'case_by_case' | 'no' | 'not_checked'

/** The kiosk's own words in one language, as the screens use them; the instrument's texts come from the survey. */
export interface KioskWords {
  quickExit: string
  studyName: string
  start: string
  chooseLanguage: string
  language: string
  smaller: string
  larger: string
  help: string
  closeHelp: string
  next: string
  back: string
  send: string
  sending: string
  progress: (percent: number) => string
  thanks: string
  thanksText: string
  done: string
  sendFailed: string
  tryAgain: string
  stillThere: string
  idleWarning: string
  deletedIn: (seconds: number) => string
  helpTitle: string
  crisisCentres: string
  noCentreChecked: string
  policy: Record<Policy, string>
  women: string
  men: string
  checked: (date: string) => string
  fallbackHelp: string
  privacyTitle: string
  privacyLead: string
  privacyContinue: string
  privacyStop: string
  continue: string
  listen: string
  readAloud: string
  notAccepted: string
  savedForLater: string
}

type Table = Readonly<Record<string, string | Readonly<Record<string, string>>>>

/**
 * A date (YYYY-MM-DD) as the language writes it. Bokmål and English keep what the kiosk has always shown
 * (04.12.2026, 2026-12-04); another language gets Intl's long date, its month named in its own words.
 */
function dateFormatter (code: Lang): (date: string) => string {
  if (code === 'en') return (date) => date
  const format = code === 'nb'
    ? new Intl.DateTimeFormat('nb-NO', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })
    : new Intl.DateTimeFormat(code, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
  return (date) => {
    const [year, month, day] = date.split('-').map(Number)
    return year === undefined || month === undefined || day === undefined || [year, month, day].some(Number.isNaN)
      ? date
      : format.format(new Date(Date.UTC(year, month - 1, day)))
  }
}

/** A table of words as data (templates, plural forms) made into what the screens call. */
export function wordsFrom (code: Lang, table: Table): KioskWords {
  const text = (name: string): string => {
    const value = table[name]
    return typeof value === 'string' ? value : value?.other ?? ''
  }
  const rules = new Intl.PluralRules(code)
  const plural = (name: string, count: number): string => {
    const value = table[name]
    if (typeof value === 'string' || value === undefined) return value ?? ''
    return value[rules.select(count)] ?? value.other ?? ''
  }
  const date = dateFormatter(code)
  const names = ['quickExit', 'studyName', 'start', 'chooseLanguage', 'language', 'smaller', 'larger', 'help', 'closeHelp', 'next', 'back',
    'send', 'sending', 'thanks', 'thanksText', 'done', 'sendFailed', 'tryAgain', 'stillThere', 'idleWarning', 'helpTitle', 'crisisCentres',
    'noCentreChecked', 'women', 'men', 'fallbackHelp', 'privacyTitle', 'privacyLead', 'privacyContinue', 'privacyStop', 'continue', 'listen',
    'readAloud', 'notAccepted', 'savedForLater'] as const
  const plain = Object.fromEntries(names.map((name) => [name, text(name)])) as Record<typeof names[number], string>
  return {
    ...plain,
    progress: (percent) => interpolate(text('progress'), { percent }),
    deletedIn: (seconds) => interpolate(plural('deletedIn', seconds), { seconds }),
    checked: (isoDate) => interpolate(text('checked'), { date: date(isoDate) }),
    policy: { yes: text('policyYes'), case_by_case: text('policyCaseByCase'), no: text('policyNo'), not_checked: text('policyNotChecked') },
  }
}

const tables = new Map<Lang, KioskWords>([['nb', wordsFrom('nb', KIOSK_TEXT.nb)], ['en', wordsFrom('en', KIOSK_TEXT.en)]])

/** Keeps a translation's words (its `kiosk.` keys; English where it lacks one) for `words(code)`. */
export function addLanguageWords (code: Lang, strings: Readonly<Record<string, string>>): void {
  tables.set(code, wordsFrom(code, kioskStrings(code, strings)))
}

/** The kiosk's words in a language: bokmål, English, or a translation loaded with its pack; else English. */
export const words = (code: Lang): KioskWords => tables.get(code) ?? tables.get('en')!

/**
 * The way to the other base language in the help dialog, said in that language: whoever needs it reads it. The
 * helplines and crisis centres are in bokmål and English only, so from a translation the way is to English.
 */
export const SWITCH_TO = {
  nb: { name: 'Norsk', label: 'Bytt til norsk' },
  en: { name: 'English', label: 'Switch to English' },
} as const

/** Screens before a language is chosen say everything in both, bokmål first. */
export const BOTH = {
  quickExit: 'Avslutt raskt / Quick exit',
  help: 'Hjelp / Help',
  coverLead: 'En undersøkelse om hverdagen. / A survey about everyday life.',
  start: 'Start',
  enrolTitle: 'Registrer nettbrettet / Enrol this tablet',
  enrolLead: 'For ansatte: skriv inn engangskoden du har fått. / For staff: type the one-time code you were given.',
  code: 'Kode / Code',
  label: 'Navn på nettbrettet (valgfritt) / Tablet name (optional)',
  enrol: 'Registrer / Enrol',
  enrolled: (site: string) => `Registrert ved ${site}. / Enrolled at ${site}.`,
  revoked: 'Dette nettbrettet er ikke lenger med i undersøkelsen. Be de ansatte registrere det på nytt med en ny kode. / This tablet is no longer part of the survey. Ask the staff to enrol it again with a new code.',
  unknownDevice: 'Dette nettbrettet er ikke registrert. Be de ansatte registrere det med en ny kode. / This tablet is not enrolled. Ask the staff to enrol it with a new code.',
  noWave: 'Det er ingen åpen undersøkelse her i dag. / There is no open survey here today.',
  offline: 'Ingen forbindelse til serveren. Prøv igjen om litt. / No connection to the server. Try again in a moment.',
  enrolAgain: 'Registrer på nytt / Enrol again',
  /** Why an enrolment was refused, by the API's error code: the API's own message is English and never shown. */
  enrolRefused: {
    enrolment_code_unknown: 'Koden er ukjent. Sjekk den og skriv den inn på nytt, eller be om en ny kode. / This code is not known. Check it and type it again, or ask for a new code.',
    enrolment_code_expired: 'Koden er utløpt (en kode varer i 24 timer). Be om en ny kode. / This code has expired (a code lasts 24 hours). Ask for a new code.',
    enrolment_code_used: 'Koden er allerede brukt; hver kode registrerer ett nettbrett. Be om en ny kode. / This code has already been used; each code enrols one tablet. Ask for a new code.',
    rate_limited: 'For mange feil koder er prøvd. Vent noen minutter og prøv igjen. / Too many wrong codes were tried. Wait a few minutes and try again.',
    bad_request: 'Skriv inn koden slik du fikk den (høyst 32 tegn), og et navn uten spesialtegn. / Type the code as you were given it (at most 32 characters), and a name without special characters.',
    network: 'Ingen forbindelse til serveren. Prøv igjen om litt. / No connection to the server. Try again in a moment.',
  } as Record<string, string | undefined>,
  enrolFailed: 'Nettbrettet kunne ikke registreres nå. Prøv igjen, eller be om en ny kode. / The tablet could not be enrolled just now. Try again, or ask for a new code.',
  tryAgain: 'Prøv igjen / Try again',
  close: 'Lukk / Close',
  /** The staff's status (behind the cover's "Staff" control and a confirmation): a count, never a time or content. */
  staff: 'Ansatte / Staff',
  staffTitle: 'For ansatte / For staff',
  staffConfirm: 'Dette er bare for ansatte: hvor mange svar som venter på å bli sendt. Vis det? / This is for staff only: how many responses are waiting to be sent. Show it?',
  staffShow: 'Vis / Show',
  staffStatus: (waiting: number) => `Venter på sending: ${waiting}. / Waiting to be sent: ${waiting}.`,
  staffNoQueue: 'Dette nettbrettet lagrer ingen svar; de sendes med en gang. / This tablet stores no responses; they are sent at once.',
} as const
