/**
 * The kiosk's own words as data, in bokmål and English: what a translation (languages.ts) must also give,
 * under `kiosk.<name>`. `{name}` is a placeholder the kiosk fills in; a plural is one text per plural category
 * (Intl.PluralRules), so a language with more forms than these two (Polish, Ukrainian, Arabic) gives its own.
 * Neutral on purpose (ARCHITECTURE.md, anonymity rule 7). Plain data: the kiosk bundles this file.
 */
import { PRIVACY_CHECK_TEXT } from './privacy-check-text.js'

export type PluralForms = { readonly other: string } & Readonly<Record<string, string>>
export type KioskWord = string | PluralForms

export const isPluralForms = (word: KioskWord | undefined): word is PluralForms => typeof word === 'object' && word !== null

export const KIOSK_TEXT = {
  nb: {
    quickExit: 'Avslutt raskt',
    studyName: 'Hverdag og helse',
    start: 'Start',
    chooseLanguage: 'Velg språk',
    language: 'Språk',
    smaller: 'Mindre tekst',
    larger: 'Større tekst',
    help: 'Hjelp',
    closeHelp: 'Lukk',
    next: 'Neste',
    back: 'Tilbake',
    send: 'Send svarene',
    sending: 'Sender …',
    progress: '{percent} % ferdig',
    thanks: 'Takk!',
    thanksText: 'Svarene dine er sendt.',
    done: 'Ferdig – gi nettbrettet tilbake',
    sendFailed: 'Svarene kunne ikke sendes nå. Prøv igjen om litt, eller avslutt.',
    tryAgain: 'Prøv igjen',
    stillThere: 'Er du fortsatt der?',
    idleWarning: 'Hvis ingen trykker «Fortsett», blir svarene slettet og undersøkelsen starter på nytt.',
    deletedIn: { one: 'Svarene slettes om {seconds} sekund.', other: 'Svarene slettes om {seconds} sekunder.' },
    helpTitle: 'Hvor du kan få hjelp',
    crisisCentres: 'Krisesentre',
    noCentreChecked: 'Ingen krisesentre her er sjekket ennå.',
    policyYes: 'tar imot',
    policyCaseByCase: 'vurderer hver gang',
    policyNo: 'tar ikke imot',
    policyNotChecked: 'ikke sjekket',
    women: 'Kvinner som bruker rusmidler nå',
    men: 'Menn som bruker rusmidler nå',
    checked: 'sjekket {date}',
    fallbackHelp: 'Politi 112. Ambulanse 113. Legevakt 116 117. Vold- og overgrepslinjen 116 006.',
    privacyTitle: PRIVACY_CHECK_TEXT.nb.title,
    privacyLead: PRIVACY_CHECK_TEXT.nb.lead,
    privacyContinue: PRIVACY_CHECK_TEXT.nb.continue,
    privacyStop: PRIVACY_CHECK_TEXT.nb.stop,
    continue: 'Fortsett',
    listen: 'Lytt',
    readAloud: 'Les opp',
    notAccepted: 'Svarene kunne ikke tas imot (undersøkelsen her kan være avsluttet). De er slettet fra nettbrettet.',
    savedForLater: 'Svarene dine er lagret kryptert på nettbrettet og blir sendt så snart det har forbindelse. Ingen kan lese dem her.',
  },
  en: {
    quickExit: 'Quick exit',
    studyName: 'Everyday life and health',
    start: 'Start',
    chooseLanguage: 'Choose language',
    language: 'Language',
    smaller: 'Smaller text',
    larger: 'Larger text',
    help: 'Help',
    closeHelp: 'Close',
    next: 'Next',
    back: 'Back',
    send: 'Send answers',
    sending: 'Sending …',
    progress: '{percent}% done',
    thanks: 'Thank you!',
    thanksText: 'Your answers have been sent.',
    done: 'Done – hand the tablet back',
    sendFailed: 'Your answers could not be sent just now. Try again in a moment, or exit.',
    tryAgain: 'Try again',
    stillThere: 'Are you still there?',
    idleWarning: 'If nobody taps “Continue”, the answers will be deleted and the survey starts again.',
    deletedIn: { one: 'The answers will be deleted in {seconds} second.', other: 'The answers will be deleted in {seconds} seconds.' },
    helpTitle: 'Where to get help',
    crisisCentres: 'Crisis centres',
    noCentreChecked: 'No crisis centre here has been checked yet.',
    policyYes: 'takes them in',
    policyCaseByCase: 'decides case by case',
    policyNo: 'does not take them in',
    policyNotChecked: 'not checked',
    women: 'Women using drugs or alcohol now',
    men: 'Men using drugs or alcohol now',
    checked: 'checked {date}',
    fallbackHelp: 'Police 112. Ambulance 113. Emergency clinic 116 117. Vold- og overgrepslinjen (violence and abuse helpline) 116 006.',
    privacyTitle: PRIVACY_CHECK_TEXT.en.title,
    privacyLead: PRIVACY_CHECK_TEXT.en.lead,
    privacyContinue: PRIVACY_CHECK_TEXT.en.continue,
    privacyStop: PRIVACY_CHECK_TEXT.en.stop,
    continue: 'Continue',
    listen: 'Listen',
    readAloud: 'Read aloud',
    notAccepted: 'Your answers could not be accepted (the survey here may have ended). They have been deleted from the tablet.',
    savedForLater: 'Your answers are saved on the tablet, encrypted, and will be sent as soon as it has a connection. Nobody can read them here.',
  },
} as const satisfies Record<'nb' | 'en', Record<string, KioskWord>>

export type KioskTextName = keyof typeof KIOSK_TEXT.nb

/** Each of the kiosk's words: its name, its bokmål and its English, in the table's order. */
export function kioskTextEntries (): Array<[KioskTextName, KioskWord, KioskWord]> {
  return (Object.keys(KIOSK_TEXT.nb) as KioskTextName[]).map((name) => [name, KIOSK_TEXT.nb[name], KIOSK_TEXT.en[name]])
}
