/**
 * The console's language and clock: which language the UI speaks (the account's choice, or before login the
 * browser's or a remembered one), times in the study's time zone (STUDY_TIME_ZONE, given by the session reply),
 * and the words for every code the API sends (roles, statuses, warnings, audit actions, error codes), so that no
 * code reaches the screen (README, "Console").
 */
import { formatDate as sharedFormatDate, formatNumber as sharedFormatNumber, locale, otherLang, pickLang } from '../../shared/i18n.js'
import type { ApiErrorCode } from '../../shared/api-client.js'
import type { Lang } from '../../shared/i18n.js'

// The languages, their locales and the number and date writing are web/shared's (one mechanism for the three apps).
export type { Lang }
export { locale, otherLang }

let current: Lang = 'en'
let studyZone = 'Europe/Oslo'

export const currentLang = (): Lang => current
export function useLanguage (lang: Lang): void {
  current = lang
  document.documentElement.lang = lang
}
export function useTimeZone (zone: string): void { studyZone = zone }
export const timeZone = (): string => studyZone

// The choice on the login screen, before any account is known; an account's own choice is kept by the API.
const REMEMBERED = 'prevalens-console-lang'

/** Before login: a language chosen earlier in this browser, else the browser's own (nb, nn or no → bokmål), else English. */
export function loginLanguage (): Lang {
  const remembered = localStorage.getItem(REMEMBERED)
  if (remembered !== null) return pickLang(remembered, 'en')
  const preferred = navigator.languages.length > 0 ? navigator.languages : [navigator.language]
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0]
    if (base === 'nb' || base === 'nn' || base === 'no') return 'nb'
    if (base === 'en') return 'en'
  }
  return 'en'
}
export function rememberLanguage (lang: Lang): void { localStorage.setItem(REMEMBERED, lang) }

/** An instant (ISO time) as a date and time of day in the study's time zone, written as the language writes it, with the zone's name. */
export function formatDateTime (iso: string, lang: Lang = current): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: studyZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  }).format(date)
}

/** A calendar day (YYYY-MM-DD: wave dates, check dates, an upload's day) as the language writes it, with no zone shift. */
export function formatDate (isoDate: string, lang: Lang = current): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(isoDate)) return isoDate
  return sharedFormatDate(lang, isoDate, { day: 'numeric', month: 'short', year: 'numeric' })
}

/** The value of a datetime-local field (a wall-clock time in the study zone) as an instant. */
export function studyWallTimeToIso (value: string): string {
  // The zone's offset at that moment, found by formatting a first guess in the zone and correcting by the difference.
  const guess = new Date(`${value}:00Z`)
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: studyZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(guess).map((part) => [part.type, part.value]))
  const shown = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  return new Date(guess.getTime() - (shown - guess.getTime())).toISOString()
}

export function formatNumber (value: number, lang: Lang = current): string {
  return sharedFormatNumber(lang, value)
}

type Words = Readonly<Record<string, { readonly nb: string, readonly en: string }>>

/** A code's words in the language, or — for a code this console does not know yet — a readable form of it. */
export function label (words: Words, code: string, lang: Lang = current): string {
  return words[code]?.[lang] ?? code.replace(/[_.]+/g, ' ')
}

export const ROLES: Words = {
  admin: { nb: 'administrator', en: 'admin' },
  researcher: { nb: 'forsker', en: 'researcher' },
  site_staff: { nb: 'ansatt på sted', en: 'site staff' },
  funder: { nb: 'finansiør', en: 'funder' },
  auditor: { nb: 'revisor', en: 'auditor' },
}

export const WAVE_STATUS: Words = {
  planned: { nb: 'planlagt', en: 'planned' },
  open: { nb: 'åpen', en: 'open' },
  closed: { nb: 'lukket', en: 'closed' },
}

export const TABLET_WARNINGS: Words = {
  many_today: { nb: 'langt flere opplastinger i dag enn et sted tar imot på en dag', en: 'far more uploads today than a site takes in a day' },
  prefer_not_only: { nb: 'mange svar er «vil ikke svare» på hvert spørsmål', en: 'many responses answer every question with "prefer not to say"' },
  repeated: { nb: 'mange svar gjentar det forrige nøyaktig', en: 'many responses repeat the one before exactly' },
}

export const AUDIT_ACTIONS: Words = {
  'account.create': { nb: 'Konto opprettet', en: 'Account created' },
  'account.disable': { nb: 'Konto deaktivert', en: 'Account disabled' },
  'account.enable': { nb: 'Konto aktivert', en: 'Account enabled' },
  'account.language': { nb: 'Språk valgt', en: 'Language chosen' },
  'account.password_change': { nb: 'Passord endret', en: 'Password changed' },
  'account.password_change_failed': { nb: 'Passordendring avvist', en: 'Password change refused' },
  'account.password_reset': { nb: 'Passord tilbakestilt', en: 'Password reset' },
  'account.role_change': { nb: 'Rolle endret', en: 'Role changed' },
  'crisis_centre.create': { nb: 'Krisesenter lagt til', en: 'Crisis centre added' },
  'crisis_centre.delete': { nb: 'Krisesenter slettet', en: 'Crisis centre deleted' },
  'crisis_centre.update': { nb: 'Krisesenter endret', en: 'Crisis centre changed' },
  'export.codebook': { nb: 'Kodebok lastet ned', en: 'Codebook downloaded' },
  'export.csv': { nb: 'Mikrodata lastet ned (CSV)', en: 'Microdata downloaded (CSV)' },
  'export.jsonl': { nb: 'Mikrodata lastet ned (JSON-linjer)', en: 'Microdata downloaded (JSON lines)' },
  'export.sav': { nb: 'Mikrodata lastet ned (SPSS)', en: 'Microdata downloaded (SPSS)' },
  'export.dta': { nb: 'Mikrodata lastet ned (Stata)', en: 'Microdata downloaded (Stata)' },
  'export.r_script': { nb: 'R-skript lastet ned', en: 'R script downloaded' },
  'export.sps': { nb: 'SPSS-syntaks lastet ned', en: 'SPSS syntax downloaded' },
  'export.do': { nb: 'Stata do-fil lastet ned', en: 'Stata do-file downloaded' },
  'help_line.create': { nb: 'Hjelpelinje lagt til', en: 'Helpline added' },
  'help_line.delete': { nb: 'Hjelpelinje slettet', en: 'Helpline deleted' },
  'help_line.update': { nb: 'Hjelpelinje endret', en: 'Helpline changed' },
  'help_note.update': { nb: 'Merknad om hjelp endret', en: 'Help note changed' },
  'release.create': { nb: 'Resultater frigitt', en: 'Results released' },
  'release.public_link.create': { nb: 'Offentlig lenke laget', en: 'Public link made' },
  'release.public_link.revoke': { nb: 'Offentlig lenke fjernet', en: 'Public link removed' },
  'session.login': { nb: 'Innlogging', en: 'Logged in' },
  'session.login_failed': { nb: 'Innlogging avvist', en: 'Login refused' },
  'session.logout': { nb: 'Utlogging', en: 'Logged out' },
  'site.create': { nb: 'Sted opprettet', en: 'Site created' },
  'site.update': { nb: 'Sted endret', en: 'Site changed' },
  'survey_version.publish': { nb: 'Skjemaversjon publisert', en: 'Survey version published' },
  'survey_version.language_add': { nb: 'Språk lagt til skjemaversjon', en: 'Language added to a survey version' },
  'survey_version.language_replace': { nb: 'Språkutkast erstattet', en: 'Language draft replaced' },
  'survey_version.language_review': { nb: 'Språk gjennomgått', en: 'Language reviewed' },
  'tablet.enrol': { nb: 'Nettbrett registrert', en: 'Tablet enrolled' },
  'tablet.enrolment_code': { nb: 'Registreringskode laget', en: 'Enrolment code made' },
  'tablet.revoke': { nb: 'Nettbrett tilbakekalt', en: 'Tablet revoked' },
  'test_responses.delete': { nb: 'Testsvar slettet', en: 'Test responses deleted' },
  'wave.close': { nb: 'Bølge lukket', en: 'Wave closed' },
  'wave.create': { nb: 'Bølge planlagt', en: 'Wave planned' },
  'wave.open': { nb: 'Bølge åpnet', en: 'Wave opened' },
  'wave.update': { nb: 'Bølgeplan endret', en: 'Wave plan changed' },
}

export const OBJECT_TYPES: Words = {
  account: { nb: 'konto', en: 'account' },
  crisis_centre: { nb: 'krisesenter', en: 'crisis centre' },
  device: { nb: 'nettbrett', en: 'tablet' },
  tablet: { nb: 'nettbrett', en: 'tablet' },
  help_line: { nb: 'hjelpelinje', en: 'helpline' },
  help_note: { nb: 'merknad om hjelp', en: 'help note' },
  release: { nb: 'frigivelse', en: 'release' },
  site: { nb: 'sted', en: 'site' },
  survey_version: { nb: 'skjemaversjon', en: 'survey version' },
  wave: { nb: 'bølge', en: 'wave' },
}

export const RELEASE_METHODS: Words = {
  'korn-graubard': { nb: 'Korn–Graubard, steder som klynger (designbasert)', en: 'Korn–Graubard, sites as clusters (design-based)' },
  cluster: { nb: 'Designbasert logit, steder som klynger', en: 'Design-based logit, sites as clusters' },
  wilson: { nb: 'Wilson score (enkelt tilfeldig utvalg)', en: 'Wilson score (simple random sample)' },
  'clopper-pearson': { nb: 'Clopper–Pearson eksakt', en: 'Clopper–Pearson exact' },
}

export const RELEASE_STATUS: Words = {
  current: { nb: 'gjeldende', en: 'current' },
  superseded: { nb: 'erstattet', en: 'superseded' },
}

/**
 * What an API refusal means, by its stable code (every one: a code added to api/errors.ts fails the typecheck
 * here until it has words), in the UI's language; the API's own (English) message follows as
 * the detail, since it names the particular site, wave or field.
 */
export const ERRORS: { readonly [C in ApiErrorCode]: { readonly nb: string, readonly en: string } } = {
  bad_request: { nb: 'Noe i skjemaet er ikke gyldig.', en: 'Something in the form is not valid.' },
  unauthorized: { nb: 'Du må logge inn på nytt.', en: 'You need to log in again.' },
  session_expired: { nb: 'Økten er utløpt; logg inn på nytt.', en: 'Your session has expired; log in again.' },
  forbidden: { nb: 'Kontoen din har ikke lov til dette.', en: 'Your account may not do this.' },
  csrf_failed: { nb: 'Endringen manglet øktens nøkkel; last siden på nytt.', en: 'The change lacked the session key; reload the page.' },
  login_failed: { nb: 'E-postadressen, passordet eller koden er feil.', en: 'The e-mail address, the password or the code is wrong.' },
  totp_required: { nb: 'Denne kontoen trenger den 6-sifrede koden fra autentiseringsappen.', en: 'This account needs the 6-digit code from its authenticator app.' },
  password_rejected: { nb: 'Det nye passordet er ikke sterkt nok.', en: 'The new password is not strong enough.' },
  password_change_refused: { nb: 'Passordet ble ikke endret.', en: 'The password was not changed.' },
  password_change_required: { nb: 'Velg et nytt passord først.', en: 'Choose a new password first.' },
  account_exists: { nb: 'Det finnes allerede en konto med denne e-postadressen.', en: 'An account with this e-mail address exists already.' },
  not_found: { nb: 'Fant det ikke (kanskje slettet).', en: 'Not found (perhaps deleted).' },
  wave_not_found: { nb: 'Fant ikke bølgen.', en: 'The wave was not found.' },
  unknown_indicator: { nb: 'En indikator er ukjent i denne skjemaversjonen.', en: 'An indicator is unknown in this survey version.' },
  unknown_dimension: { nb: 'En inndeling er ukjent.', en: 'A breakdown is unknown.' },
  unknown_method: { nb: 'Intervallmetoden er ukjent.', en: 'The interval method is unknown.' },
  rate_limited: { nb: 'For mange forsøk; vent litt og prøv igjen.', en: 'Too many attempts; wait a little and try again.' },
  too_few_answers: { nb: 'For få svar til dette.', en: 'Too few responses for this.' },
  invalid_definition: { nb: 'Skjemadefinisjonen har feil (se listen).', en: 'The survey definition has problems (see the list).' },
  unknown_municipality: { nb: 'Kommunenummeret er ukjent.', en: 'The municipality number is unknown.' },
  unknown_county: { nb: 'Fylkesnummeret er ukjent.', en: 'The county number is unknown.' },
  unknown_site: { nb: 'Stedet er ukjent.', en: 'The site is unknown.' },
  unknown_survey_version: { nb: 'Skjemaversjonen er ukjent.', en: 'The survey version is unknown.' },
  wave_not_planned: { nb: 'Bølgen er ikke lenger planlagt; planen kan ikke endres.', en: 'The wave is no longer planned; its plan cannot change.' },
  wave_transition: { nb: 'Bølgen kan ikke gå dit fra sin nåværende status.', en: 'The wave cannot go there from its present status.' },
  wave_dates: { nb: 'Datoene for bølgen går ikke.', en: 'The wave\'s dates do not work.' },
  site_has_open_wave: { nb: 'Et av stedene har allerede en åpen bølge; et nettbrett viser bare én.', en: 'One of the sites already has an open wave; a tablet shows only one.' },
  help_data_stale: { nb: 'Hjelpetilbudene er sjekket for lenge siden; sjekk dem før bølgen åpnes.', en: 'The help resources were checked too long ago; check them before opening the wave.' },
  already_exists: { nb: 'Det finnes allerede.', en: 'It exists already.' },
  device_unknown: { nb: 'Nettbrettet er ukjent.', en: 'The tablet is unknown.' },
  device_revoked: { nb: 'Nettbrettet er tilbakekalt.', en: 'The tablet is revoked.' },
  wave_not_at_site: { nb: 'Bølgen gjelder ikke dette stedet.', en: 'The wave does not include this site.' },
  wave_not_open: { nb: 'Bølgen er ikke åpen.', en: 'The wave is not open.' },
  invalid_answers: { nb: 'Svarene passer ikke til skjemaet.', en: 'The answers do not fit the survey.' },
  response_conflict: { nb: 'Et svar med samme id finnes allerede med annet innhold.', en: 'A response with the same id exists with other answers.' },
  survey_version_changed: { nb: 'Versjonsnummeret er allerede brukt for annet innhold.', en: 'The version number is already used for other content.' },
  daily_limit: { nb: 'Grensen for i dag er nådd.', en: 'Today\'s limit is reached.' },
  enrolment_code_unknown: { nb: 'Registreringskoden er ukjent.', en: 'The enrolment code is unknown.' },
  enrolment_code_expired: { nb: 'Registreringskoden er utløpt.', en: 'The enrolment code has expired.' },
  enrolment_code_used: { nb: 'Registreringskoden er allerede brukt.', en: 'The enrolment code was already used.' },
  no_open_wave: { nb: 'Ingen åpen bølge på stedet.', en: 'No open wave at the site.' },
  already_revoked: { nb: 'Nettbrettet er allerede tilbakekalt.', en: 'The tablet is already revoked.' },
  test_tablet: { nb: 'Dette er et testnettbrett.', en: 'This is a test tablet.' },
  live_tablet: { nb: 'Dette er ikke et testnettbrett.', en: 'This is not a test tablet.' },
  language_unknown: { nb: 'Skjemaversjonen har ikke dette språket.', en: 'The survey version does not have this language.' },
  language_not_reviewed: { nb: 'Språket er et utkast som ikke er gjennomgått.', en: 'The language is a draft that has not been reviewed.' },
  language_already_reviewed: { nb: 'Språket er allerede gjennomgått.', en: 'The language has already been reviewed.' },
  translation_outdated: { nb: 'Oversettelsen er byttet ut siden listen ble lest. Les den nye gjennom før den godkjennes.', en: 'The translation has been replaced since the list was read. Check the new one before marking it reviewed.' },
  translation_changed: { nb: 'Språket er lagret med andre ord; nye ord blir en ny skjemaversjon.', en: 'The language is stored with other words; new words make a new survey version.' },
  invalid_translation: { nb: 'Oversettelsen har feil (se listen).', en: 'The translation has problems (see the list).' },
  database_unavailable: { nb: 'Databasen svarer ikke akkurat nå; prøv igjen om litt.', en: 'The database is not answering just now; try again shortly.' },
  network: { nb: 'Fikk ikke kontakt med serveren; sjekk nettverket og prøv igjen.', en: 'The server could not be reached; check the connection and try again.' },
  internal: { nb: 'Noe gikk galt på serveren.', en: 'Something went wrong on the server.' },
}

/** The sentence for a refusal's code; an unknown code gets the general one (the API's message follows as the detail). */
export const errorSentence = (code: string, lang: Lang = current): string =>
  (ERRORS as Words)[code]?.[lang] ?? (lang === 'nb' ? 'Serveren avviste dette.' : 'The server refused this.')

/** Today's date (YYYY-MM-DD) in the study's time zone: the default of a date field. */
export const studyToday = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: studyZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
