import type { Difference } from '../../../api/schemas/releases.js'
import type { ReleaseNote, ResultRowReply } from '../../../api/schemas/results.js'
import { count } from './format.js'
import { TEXT } from './i18n.js'
import type { Lang } from './i18n.js'

/**
 * A release's notes (codes with their numbers: api/services/release-notes.ts) in the reader's language
 * and in plain words. `first` and `second` name a difference's two sides ("kvinner", a wave's name).
 */
type Words = (note: ReleaseNote, side: string, lang: Lang) => string

const n = (lang: Lang, note: ReleaseNote): string => note.n === undefined ? '' : `${count(lang, note.n)} `

const NOTES: Readonly<Record<Lang, Readonly<Record<ReleaseNote['code'], Words>>>> = {
  nb: {
    no_data: () => 'Ingen i gruppen har svart på dette, så det finnes ikke noe tall.',
    one_site: (note, _side, lang) => `Alle de ${n(lang, note)}svarene kommer fra ett sted. Feilmarginen er da regnet som om svarene var uavhengige av hverandre, og kan være for smal.`,
    one_site_per_stratum: (note, _side, lang) => `I hvert av de ${count(lang, note.strata ?? 0)} fylkene kommer svarene fra ett sted. Feilmarginen er da regnet som om svarene var uavhengige av hverandre, og kan være for smal.`,
    lonely_stratum: () => 'Et fylke har svar fra bare ett sted, så ingen feilmargin kunne beregnes.',
    one_site_no_interval: () => 'Svarene kommer fra ett sted (eller ett sted per fylke), så ingen feilmargin kunne beregnes.',
    no_interval_at_0_or_100: () => 'Ved 0 % eller 100 % gir denne metoden ingen feilmargin.',
    no_design_variance: () => 'Svarene varierer ikke mellom stedene, så ingen feilmargin kunne beregnes.',
    group_empty: (_note, side) => `Ingen i ${side} har svart på dette, så det er ingen forskjell å regne ut.`,
    side_missing: (_note, side) => `Ikke oppgitt: det finnes ikke noe frigitt tall for ${side} å sammenligne med.`,
    side_suppressed: (_note, side) => `Ikke oppgitt: tallet for ${side} er skjult for å verne personvernet.`,
    side_withheld: (_note, side) => `Ikke oppgitt: tallet for ${side} er for usikkert til å vises.`,
    group_at_0_or_100: (_note, side) => `Tallet for ${side} er 0 % eller 100 %, så feilmarginen kan være for smal.`,
    independent_waves: () => 'Rundene er sammenlignet som to uavhengige utvalg, uten å ta hensyn til at svar fra samme sted ligner hverandre.',
    weighted_no_difference: () => 'Ikke oppgitt: tallene er vektet etter hvor ofte folk kommer, og forskjeller oppgis bare for uvektede tall.',
    unexplained: () => 'Forskerne kan forklare hvordan dette tallet er beregnet.',
  },
  en: {
    no_data: () => 'Nobody in this group answered this, so there is no figure.',
    one_site: (note, _side, lang) => `All ${n(lang, note)}answers come from one place. The margin of error is then calculated as if the answers were independent of each other, and may be too narrow.`,
    one_site_per_stratum: (note, _side, lang) => `In each of the ${count(lang, note.strata ?? 0)} counties the answers come from one place. The margin of error is then calculated as if the answers were independent of each other, and may be too narrow.`,
    lonely_stratum: () => 'One county has answers from only one place, so no margin of error could be calculated.',
    one_site_no_interval: () => 'The answers come from one place (or one place per county), so no margin of error could be calculated.',
    no_interval_at_0_or_100: () => 'At 0 % or 100 % this method gives no margin of error.',
    no_design_variance: () => 'The answers do not vary between places, so no margin of error could be calculated.',
    group_empty: (_note, side) => `Nobody among ${side} answered this, so there is no difference to calculate.`,
    side_missing: (_note, side) => `Not given: there is no released figure for ${side} to compare with.`,
    side_suppressed: (_note, side) => `Not given: the figure for ${side} is hidden to protect privacy.`,
    side_withheld: (_note, side) => `Not given: the figure for ${side} is too uncertain to show.`,
    group_at_0_or_100: (_note, side) => `The figure for ${side} is 0 % or 100 %, so the margin of error may be too narrow.`,
    independent_waves: () => 'The waves are compared as two independent samples, without allowing for answers from the same place being alike.',
    weighted_no_difference: () => 'Not given: the figures are weighted by how often people come, and differences are given for unweighted figures only.',
    unexplained: () => 'The researchers can explain how this figure was calculated.',
  },
}

/** A note in words; `sides` names a difference's first and second cell. */
export function noteText (lang: Lang, note: ReleaseNote, sides: { first: string, second: string } = { first: '', second: '' }): string {
  const both = lang === 'nb' ? `${sides.first} og ${sides.second}` : `${sides.first} and ${sides.second}`
  const side = note.side === 'first' ? sides.first : note.side === 'second' ? sides.second : both
  return NOTES[lang][note.code](note, side, lang)
}

/**
 * A published row's notes in words. A row with a reason but no notes (a server older than notes)
 * says only that the researchers can explain it: its sentence is English and may name a site.
 */
export function rowNoteText (lang: Lang, row: ResultRowReply): string {
  const notes = row.notes ?? (row.reason === undefined ? [] : [{ code: 'unexplained' as const }])
  return notes.map((note) => noteText(lang, note)).join(' ')
}

/** The two sides of a difference as a reader names them: women and men, or the waves' names. */
export function differenceSides (lang: Lang, difference: Difference): { first: string, second: string } {
  if (difference.kind === 'women_minus_men') {
    const gender = TEXT[lang].values.gender ?? {}
    return { first: (gender.woman ?? 'women').toLowerCase(), second: (gender.man ?? 'men').toLowerCase() }
  }
  return { first: difference.first.label, second: difference.second.label }
}

/** A difference's notes in words (why it is not given, how to read its interval). */
export function differenceNoteText (lang: Lang, difference: Difference): string {
  const notes = difference.notes ?? (difference.reason === undefined && difference.note === undefined ? [] : [{ code: 'unexplained' as const }])
  const sides = differenceSides(lang, difference)
  return notes.map((note) => noteText(lang, note, sides)).join(' ')
}
