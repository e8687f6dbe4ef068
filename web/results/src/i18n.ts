import regions from '../../../survey-definitions/regions.json' with { type: 'json' }

import { compareText } from '../../shared/i18n.js'
import { percentLevel } from './format.js'
import type { Lang } from '../../shared/i18n.js'

export type { Lang }

/** The app's own words in bokmål and English; indicator labels come from the release. */
export const TEXT = {
  nb: {
    appTitle: 'Prevalens – resultater',
    otherLanguage: 'English',
    otherLanguageLabel: 'Switch to English',
    overview: 'Oversikt',
    explore: 'Utforsk',
    print: 'Skriv ut rapporten',
    logOut: 'Logg ut',
    loading: 'Henter resultater …',
    login: 'Logg inn',
    loginIntro: 'Resultatene er for oppdragsgivere og forskere. Har du fått en offentlig lenke, åpner du den direkte.',
    email: 'E-post',
    password: 'Passord',
    totp: 'Engangskode (bare forskere og administratorer)',
    loginWrong: 'E-postadressen, passordet eller engangskoden stemmer ikke.',
    failed: 'Noe gikk galt da siden skulle vises. Last inn siden på nytt.',
    refused: 'Ingen tilgang til disse resultatene',
    noReleases: 'Ingen resultater er frigitt ennå.',
    chooseRelease: 'Frigitte resultater',
    releasedOn: (date: string) => `Frigitt ${date}`,
    superseded: 'Denne frigivingen er erstattet av en nyere.',
    whoAnswered: 'Hvem svarte',
    respondents: 'Svar',
    headline: 'Hovedindikatorer',
    group: 'Gruppe',
    period: 'Periode',
    last12m: 'Siste 12 måneder',
    ever: 'Noen gang',
    all: 'Alle',
    n: 'n (kjent svar)',
    count: 'Antall ja',
    estimate: 'Andel',
    interval: (level: number) => `${percentLevel(level, 'nb')} konfidensintervall`,
    suppressed: 'skjult',
    suppressedNote: 'Skjulte celler',
    noSuppressed: 'Ingen celler er skjult.',
    withheld: 'ikke vist',
    withheldMark: 'Ikke vist: for usikkert',
    flaggedMark: 'Les med forsiktighet',
    markedMark: 'For usikkert, vist likevel',
    reliabilityNote: (withheld: number, flagged: number) =>
      `Pålitelighet (NCHS-standarden for andeler): ${withheld === 0 ? 'ingen tall er holdt tilbake' : `${withheld} tall er ikke vist fordi de er for usikre`}` +
      `${flagged === 0 ? '' : `, ${flagged} er merket for forsiktig tolkning`}. Pek på eller trykk på merket for å se hvorfor.`,
    figure: (n: number) => `Figur ${n}`,
    table: (n: number) => `Tabell ${n}`,
    method: 'Metode',
    note: 'Merknad',
    chart12m: '12 mnd.',
    chartEver: 'Noen gang',
    to: 'til',
    source: 'Kilde',
    differences: 'Forskjeller',
    difference: 'Forskjell (prosentpoeng)',
    womenMinusMen: 'Kvinner minus menn',
    waveMinusPrevious: 'Denne runden minus forrige',
    notGiven: 'ikke oppgitt',
    contextTitle: 'Andre studier (annet utvalg, annen metode)',
    contextIntro: 'Tall fra tidligere undersøkelser, til sammenligning. De er ikke fra Prevalens og kan ikke sammenlignes direkte.',
    citedIn: 'Gjengitt i',
    downloadCsv: 'Last ned tabellen (CSV)',
    downloadSvg: 'Last ned figuren (SVG)',
    downloadPng: 'Last ned figuren (PNG)',
    pngFailed: 'Figuren kunne ikke lagres som bilde i denne nettleseren. Prøv SVG.',
    indicator: 'Indikator',
    breakdown: 'Fordeling',
    compare: 'Sammenlign runder over tid',
    compareOnlyOne: 'Bare én runde er frigitt med denne tabellen.',
    notPublished: 'Den tabellen er ikke frigitt. Bare tabellene forskerne frigav kan vises; her er den første for indikatoren.',
    compareNeedsLogin: 'Sammenligning over tid krever innlogging.',
    wave: 'Runde',
    overall: 'Samlet',
    unknown: 'Ukjent',
    tableNote: 'Tallene er de samme som i nedlastingen. Skjulte celler viser ingen tall.',
    by: (name: string) => `etter ${name}`,
    methodText: {
      wilson: 'Wilson-intervaller, som regner svarene som uavhengige av hverandre',
      'clopper-pearson': 'eksakte Clopper–Pearson-intervaller, som regner svarene som uavhengige av hverandre',
      'design-logit': 'intervaller som tar hensyn til at svar fra samme sted ligner hverandre',
      cluster: 'intervaller som tar hensyn til at svar fra samme sted ligner hverandre',
      'korn-graubard': 'Korn–Graubard-intervaller, som tar hensyn til at svar fra samme sted ligner hverandre',
    },
    byCounty: ', regnet fylke for fylke',
    diffMethod: { 'newcombe-hybrid': 'Feilmarginen regner gruppene som uavhengige utvalg', 'design-linearised': 'Feilmarginen tar hensyn til at svar fra samme sted ligner hverandre' },
    deff: 'designeffekt',
    deffNote: 'Designeffekt: hvor mye større usikkerheten er fordi svar fra samme sted ligner hverandre (1 betyr ingen forskjell).',
    suppressionRule: {
      n_below_k: (k: number) => `færre enn ${k} svarte`,
      yes_below_k: (k: number) => `færre enn ${k} svarte ja`,
      no_below_k: (k: number) => `færre enn ${k} svarte nei`,
      change_below_k: (k: number) => `endret med færre enn ${k} svar siden en tidligere frigiving`,
      complementary: () => 'skjult for at en annen skjult celle ikke skal kunne regnes ut',
    },
    methodNote: (method: string, level: string, n: string, k: number) =>
      `Andel med ${level} konfidensintervall (${method}). n = ${n} med kjent svar. Celler med færre enn ${k} svar, ja eller nei er skjult, sammen med celler som ellers ville avsløre dem.`,
    sourceLine: (facts: SourceFacts) =>
      `Kilde: Prevalens, ${facts.wave} (${facts.from} til ${facts.to}), ${facts.n} svar${facts.sites === undefined ? '' : ` fra ${facts.sites} ${facts.sitesCount === 1 ? 'sted' : 'steder'}`}. ` +
      `${facts.method}, ${facts.level} konfidensnivå. Tall som er for usikre etter NCHS-standarden for andeler, er ${facts.withhold ? 'ikke vist' : 'vist med merke'}. ` +
      `Personvern: celler med færre enn ${facts.k} svar, ja eller nei er skjult, og nok andre celler til at de ikke kan regnes ut.`,
    respondentsWithheld: 'et antall som er holdt tilbake av personvernhensyn,',
    intervalMeaning: (level: string) => `Streken viser ${level} konfidensintervall: området der den sanne andelen trolig ligger.`,
    suppressionLegend: (k: number) => `«skjult»: færre enn ${k} svar, ja eller nei i gruppen, eller skjult for at en annen skjult celle ikke skal kunne regnes ut. «ikke vist»: for usikkert til å vises.`,
    waves: 'Runder',
    leadSentence: (label: string, parts: string, level: string) => `${label}, med ${level} konfidensintervall i parentes: ${parts}.`,
    leadAnd: 'og',
    leadShare: (share: string, group: string, range: string) => `${share} av ${group} (${range})`,
    leadSuppressed: (group: string, k: number) => `tallet for ${group} er skjult fordi færre enn ${k} svarte`,
    leadHidden: (group: string) => `tallet for ${group} er skjult for å verne personvernet`,
    leadWithheld: (group: string) => `tallet for ${group} er for usikkert til å vises`,
    leadCaution: 'les med forsiktighet',
    leadGroups: { woman: 'kvinnene', man: 'mennene' } as Record<string, string>,
    fewerThan: (k: number) => `færre enn ${k}`,
    dimensions: {
      wave: 'runde', gender: 'kjønn', age_group: 'aldersgruppe', site_kind: 'type sted', county: 'fylke', municipality: 'kommune', centrality: 'sentralitet',
    } as Record<string, string>,
    values: {
      gender: { woman: 'Kvinner', man: 'Menn', other: 'Annet', prefer_not: 'Vil ikke svare' },
      age_group: { '18_24': '18–24 år', '25_34': '25–34 år', '35_44': '35–44 år', '45_54': '45–54 år', '55_plus': '55 år eller eldre', prefer_not: 'Vil ikke svare' },
      site_kind: {
        municipal_low_threshold: 'Kommunalt lavterskeltilbud',
        specialist_treatment: 'Spesialisert rusbehandling',
        housing: 'Bolig',
        street_outreach: 'Oppsøkende arbeid',
        other: 'Annet',
      },
      centrality: { 1: '1 (mest sentral)', 6: '6 (minst sentral)' },
    } as Record<string, Record<string, string>>,
    refusals: {
      link: 'Denne resultatlenken finnes ikke eller er trukket tilbake. Be den som sendte den om en ny.',
      wave: 'Denne runden har ingen frigitte resultater. Bare frigitte resultater vises her.',
      release: 'Denne frigivingen finnes ikke.',
      role: 'Kontoen din har ikke tilgang til resultatene. Resultatene er for oppdragsgivere, forskere og administratorer.',
      network: 'Fikk ikke kontakt med tjeneren. Prøv igjen om litt.',
    },
  },
  en: {
    appTitle: 'Prevalens – results',
    otherLanguage: 'Norsk (bokmål)',
    otherLanguageLabel: 'Bytt til norsk',
    overview: 'Overview',
    explore: 'Explore',
    print: 'Print the report',
    logOut: 'Log out',
    loading: 'Loading results …',
    login: 'Log in',
    loginIntro: 'The results are for funders and researchers. If you were given a public link, open it directly.',
    email: 'E-mail',
    password: 'Password',
    totp: 'One-time code (researchers and admins only)',
    loginWrong: 'The e-mail address, password or one-time code is wrong.',
    failed: 'Something went wrong showing this page. Reload the page.',
    refused: 'No access to these results',
    noReleases: 'No results have been released yet.',
    chooseRelease: 'Released results',
    releasedOn: (date: string) => `Released ${date}`,
    superseded: 'This release has been superseded by a newer one.',
    whoAnswered: 'Who answered',
    respondents: 'Respondents',
    headline: 'Headline indicators',
    group: 'Group',
    period: 'Period',
    last12m: 'Last 12 months',
    ever: 'Ever',
    all: 'All',
    n: 'n (known answer)',
    count: 'Yes',
    estimate: 'Share',
    interval: (level: number) => `${percentLevel(level, 'en')} confidence interval`,
    suppressed: 'suppressed',
    suppressedNote: 'Suppressed cells',
    noSuppressed: 'No cell is suppressed.',
    withheld: 'withheld',
    withheldMark: 'Withheld: too uncertain',
    flaggedMark: 'Read with caution',
    markedMark: 'Too uncertain, shown anyway',
    reliabilityNote: (withheld: number, flagged: number) =>
      `Reliability (the NCHS standard for proportions): ${withheld === 0 ? 'no figure is withheld' : `${withheld} figure${withheld === 1 ? ' is' : 's are'} withheld as too uncertain`}` +
      `${flagged === 0 ? '' : `, ${flagged} ${flagged === 1 ? 'is' : 'are'} marked to be read with caution`}. Point at or tap a mark to see why.`,
    figure: (n: number) => `Figure ${n}`,
    table: (n: number) => `Table ${n}`,
    method: 'Method',
    note: 'Note',
    chart12m: '12 months',
    chartEver: 'Ever',
    to: 'to',
    source: 'Source',
    differences: 'Differences',
    difference: 'Difference (percentage points)',
    womenMinusMen: 'Women minus men',
    waveMinusPrevious: 'This wave minus the previous',
    notGiven: 'not given',
    contextTitle: 'Other studies (other samples, other methods)',
    contextIntro: 'Figures earlier studies published, for comparison. They are not from Prevalens and are not directly comparable.',
    citedIn: 'Cited in',
    downloadCsv: 'Download the table (CSV)',
    downloadSvg: 'Download the chart (SVG)',
    downloadPng: 'Download the chart (PNG)',
    pngFailed: 'This browser could not save the chart as an image. Try SVG.',
    indicator: 'Indicator',
    breakdown: 'Breakdown',
    compare: 'Compare waves over time',
    compareOnlyOne: 'Only one wave has been released with this table.',
    notPublished: 'That table was not released. Only the tables the researchers released can be shown; here is the first one for the indicator.',
    compareNeedsLogin: 'Comparing over time needs a login.',
    wave: 'Wave',
    overall: 'Overall',
    unknown: 'Unknown',
    tableNote: 'The figures are those of the download. Suppressed cells show no numbers.',
    by: (name: string) => `by ${name}`,
    methodText: {
      wilson: 'Wilson intervals, which treat the answers as independent of each other',
      'clopper-pearson': 'exact Clopper–Pearson intervals, which treat the answers as independent of each other',
      'design-logit': 'intervals that allow for answers from the same place being alike',
      cluster: 'intervals that allow for answers from the same place being alike',
      'korn-graubard': 'Korn–Graubard intervals, which allow for answers from the same place being alike',
    },
    byCounty: ', calculated county by county',
    diffMethod: { 'newcombe-hybrid': 'The margin of error treats the groups as independent samples', 'design-linearised': 'The margin of error allows for answers from the same place being alike' },
    deff: 'design effect',
    deffNote: 'Design effect: how much larger the uncertainty is because answers from the same place are alike (1 means no difference).',
    suppressionRule: {
      n_below_k: (k: number) => `fewer than ${k} respondents`,
      yes_below_k: (k: number) => `fewer than ${k} answered yes`,
      no_below_k: (k: number) => `fewer than ${k} answered no`,
      change_below_k: (k: number) => `changed by fewer than ${k} respondents since an earlier release`,
      complementary: () => 'hidden so that another suppressed cell cannot be worked out',
    },
    methodNote: (method: string, level: string, n: string, k: number) =>
      `Share with a ${level} confidence interval (${method}). n = ${n} with a known answer. Cells with fewer than ${k} respondents, yes or no answers are suppressed, with the cells that would reveal them.`,
    sourceLine: (facts: SourceFacts) =>
      `Source: Prevalens, ${facts.wave} (${facts.from} to ${facts.to}), ${facts.n} respondents${facts.sites === undefined ? '' : ` at ${facts.sites} ${facts.sitesCount === 1 ? 'place' : 'places'}`}. ` +
      `${facts.method}, ${facts.level} confidence level. Figures too uncertain by the NCHS standard for proportions are ${facts.withhold ? 'not shown' : 'shown marked'}. ` +
      `Privacy: cells with fewer than ${facts.k} respondents, yes or no answers are suppressed, and enough other cells that they cannot be worked out.`,
    respondentsWithheld: 'a number withheld to protect privacy,',
    intervalMeaning: (level: string) => `The line shows the ${level} confidence interval: the range in which the true share probably lies.`,
    suppressionLegend: (k: number) => `"suppressed": fewer than ${k} respondents, yes or no answers in the group, or hidden so that another suppressed cell cannot be worked out. "withheld": too uncertain to show.`,
    waves: 'Waves',
    leadSentence: (label: string, parts: string, level: string) => `${label}, with the ${level} confidence interval in brackets: ${parts}.`,
    leadAnd: 'and',
    leadShare: (share: string, group: string, range: string) => `${share} of ${group} (${range})`,
    leadSuppressed: (group: string, k: number) => `the figure for ${group} is suppressed because fewer than ${k} answered`,
    leadHidden: (group: string) => `the figure for ${group} is hidden to protect privacy`,
    leadWithheld: (group: string) => `the figure for ${group} is too uncertain to show`,
    leadCaution: 'read with caution',
    leadGroups: { woman: 'women', man: 'men' } as Record<string, string>,
    fewerThan: (k: number) => `fewer than ${k}`,
    dimensions: {
      wave: 'wave', gender: 'gender', age_group: 'age group', site_kind: 'kind of site', county: 'county', municipality: 'municipality', centrality: 'centrality',
    } as Record<string, string>,
    values: {
      gender: { woman: 'Women', man: 'Men', other: 'Other', prefer_not: 'Prefer not to say' },
      age_group: { '18_24': '18–24', '25_34': '25–34', '35_44': '35–44', '45_54': '45–54', '55_plus': '55 or older', prefer_not: 'Prefer not to say' },
      site_kind: {
        municipal_low_threshold: 'Municipal low-threshold service',
        specialist_treatment: 'Specialist treatment',
        housing: 'Housing',
        street_outreach: 'Street outreach',
        other: 'Other',
      },
      centrality: { 1: '1 (most central)', 6: '6 (least central)' },
    } as Record<string, Record<string, string>>,
    refusals: {
      link: 'This results link does not exist or was revoked. Ask whoever sent it for a new one.',
      wave: 'This wave has no released results. Only released results are shown here.',
      release: 'This release does not exist.',
      role: 'Your account has no access to the results. They are for funders, researchers and admins.',
      network: 'The server could not be reached. Try again shortly.',
    },
  },
} as const

export type Texts = typeof TEXT[Lang]

/** What a source line states, each fact already written in the reader's language. */
export interface SourceFacts {
  wave: string
  from: string
  to: string
  n: string
  sites: string | undefined
  sitesCount: number | undefined
  method: string
  level: string
  withhold: boolean
  k: number
}

/** Kept here for the views that read it with the texts; the number itself is format.ts's. */
export { percentLevel }

const places = new Map<string, string>(regions.counties.flatMap((county) =>
  [[`county:${county.number}`, county.name], ...county.municipalities.map((m): [string, string] => [`municipality:${m.number}`, m.name])]))

/** A dimension value as readers say it: "Women", "Oslo", "25–34"; the code itself where we know no name. */
export function valueLabel (lang: Lang, dimension: string, value: string): string {
  if (value === 'unknown') return TEXT[lang].unknown
  const known = TEXT[lang].values[dimension]?.[value] ?? places.get(`${dimension}:${value}`)
  return known ?? value
}

/**
 * Orders cells as readers expect: the overall cell first, then each dimension's values in the
 * instrument's order (women, men, other; age groups ascending), places by name, "unknown" last.
 */
export function compareGroups (lang: Lang, a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): number {
  const size = Object.keys(a).length - Object.keys(b).length
  if (size !== 0) return size
  for (const dimension of Object.keys(a)) {
    const x = a[dimension] ?? ''
    const y = b[dimension] ?? ''
    if (x === y) continue
    if (x === 'unknown' || y === 'unknown') return x === 'unknown' ? 1 : -1
    const order = Object.keys(TEXT[lang].values[dimension] ?? {})
    const byOrder = order.indexOf(x) - order.indexOf(y)
    if (order.includes(x) && order.includes(y) && byOrder !== 0) return byOrder
    return compareText(lang, valueLabel(lang, dimension, x), valueLabel(lang, dimension, y))
  }
  return 0
}

/** A cell's group as one label ("Women · 25–34"), or "All" for the overall cell. */
export function groupLabel (lang: Lang, group: Readonly<Record<string, string>>, order: readonly string[] = Object.keys(group)): string {
  const dimensions = order.filter((d) => group[d] !== undefined)
  return dimensions.length === 0 ? TEXT[lang].all : dimensions.map((d) => valueLabel(lang, d, group[d] as string)).join(' · ')
}
