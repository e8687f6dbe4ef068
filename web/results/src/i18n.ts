import regions from '../../../survey-definitions/regions.json' with { type: 'json' }

import { compareText, formatNumber } from '../../shared/i18n.js'
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
      wilson: 'Wilson-intervaller',
      'clopper-pearson': 'eksakte Clopper–Pearson-intervaller',
      'design-logit': 'designbaserte intervaller med steder som klynger (logit)',
      cluster: 'designbaserte intervaller med steder som klynger (logit)',
      'korn-graubard': 'Korn–Graubard-intervaller med steder som klynger',
    },
    diffMethod: { 'newcombe-hybrid': 'Newcombes hybridmetode', 'design-linearised': 'designbasert (linearisert)' },
    suppressionRule: {
      n_below_k: (k: number) => `færre enn ${k} svarte`,
      yes_below_k: (k: number) => `færre enn ${k} svarte ja`,
      no_below_k: (k: number) => `færre enn ${k} svarte nei`,
      change_below_k: (k: number) => `endret med færre enn ${k} svar siden en tidligere frigiving`,
      complementary: () => 'skjult for at en annen skjult celle ikke skal kunne regnes ut',
    },
    methodNote: (method: string, level: string, n: string, k: number) =>
      `Andel med ${level} konfidensintervall (${method}). n = ${n} med kjent svar. Celler med færre enn ${k} svar, ja eller nei er skjult, sammen med celler som ellers ville avsløre dem.`,
    sourceLine: (wave: string, from: string, to: string, n: string, method: string, level: string, k: number) =>
      `Kilde: Prevalens, ${wave} (${from} til ${to}), ${n} svar. ${method}, ${level} nivå. Personvern: celler med færre enn ${k} svar, ja eller nei er skjult, og nok andre celler til at de ikke kan regnes ut.`,
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
      wilson: 'Wilson score intervals',
      'clopper-pearson': 'Clopper–Pearson exact intervals',
      'design-logit': 'design-based intervals with sites as clusters (logit)',
      cluster: 'design-based intervals with sites as clusters (logit)',
      'korn-graubard': 'Korn–Graubard intervals with sites as clusters',
    },
    diffMethod: { 'newcombe-hybrid': 'Newcombe\'s hybrid score method', 'design-linearised': 'design-based (linearised)' },
    suppressionRule: {
      n_below_k: (k: number) => `fewer than ${k} respondents`,
      yes_below_k: (k: number) => `fewer than ${k} answered yes`,
      no_below_k: (k: number) => `fewer than ${k} answered no`,
      change_below_k: (k: number) => `changed by fewer than ${k} respondents since an earlier release`,
      complementary: () => 'hidden so that another suppressed cell cannot be worked out',
    },
    methodNote: (method: string, level: string, n: string, k: number) =>
      `Share with a ${level} confidence interval (${method}). n = ${n} with a known answer. Cells with fewer than ${k} respondents, yes or no answers are suppressed, with the cells that would reveal them.`,
    sourceLine: (wave: string, from: string, to: string, n: string, method: string, level: string, k: number) =>
      `Source: Prevalens, ${wave} (${from} to ${to}), ${n} respondents. ${method}, ${level} level. Disclosure control: cells with fewer than ${k} respondents, yes or no answers are suppressed, and enough other cells that they cannot be worked out.`,
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

export function percentLevel (level: number, lang: Lang): string {
  return `${formatNumber(lang, level * 100, { maximumFractionDigits: 1 })} %`
}

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
