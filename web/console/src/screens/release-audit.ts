/**
 * What disclosure control did to a release, in plain words (bokmål and English): the verdict of the audit,
 * how many cells are hidden and why, the tables with every hidden cell marked, and per hidden cell the
 * least and greatest value an attacker with a solver can prove. Shown before a release (the preview) and
 * for a release already made (its stored audit).
 */
import type { AuditedCellReply, DisclosureAudit, ReleaseTableSpec, RespondentRow } from '../../../../api/schemas/releases.js'
import type { ResultRowReply } from '../../../../api/schemas/results.js'
import { h, nodes } from '../../../shared/dom.js'
import { table } from '../ui.js'
import type { Child } from '../../../shared/dom.js'

export type Lang = 'nb' | 'en'
export type Labels = ReadonlyMap<string, { nb: string, en: string }>

/** What the view shows: a preview or a stored release (whose tables may be absent). */
export interface AuditSubject {
  audit: DisclosureAudit
  tables?: readonly ReleaseTableSpec[]
  rows?: readonly ResultRowReply[]
  respondents?: readonly RespondentRow[]
}

/** The narrowest intervals are listed first; the rest behind "show all". */
const SHOWN_FIRST = 12
const RESPONDENTS = '(respondents)'

const TEXT = {
  nb: {
    toggle: 'Show in English',
    safe: 'Trygg: ingen skjult celle kan regnes ut, og ingen liten gruppe kan bevises å være liten eller tom.',
    refused: (n: number) => `Avvist: ${n} skjult${n === 1 ? '' : 'e'} celle${n === 1 ? '' : 'r'} kan snevres inn av en angriper med en LP-/IP-løser. Frigi færre eller grovere tabeller, eller vent på flere svar.`,
    counts: (a: DisclosureAudit) => `${a.cells} celler i alt: ${a.primary} skjult fordi de selv er for små (primær), ${a.secondary} skjult for å beskytte dem (sekundær).`,
    width: (w: number | null) => w === null ? 'Ingen celle er skjult.' : `Det smaleste intervallet en angriper kan bevise for et skjult tall er ${w} bred${w === 1 ? '' : 'e'}.`,
    solver: (a: DisclosureAudit) => `Revidert med ${a.solver}: ${a.linearPrograms} lineære program, ${a.rounds} runde${a.rounds === 1 ? '' : 'r'}, ${a.seconds} s.`,
    what: 'Angriperen kjenner alle tabeller i alle frigivelser av bølgen, hvilke steder som deltok og deres fylke, kommune, type og sentralitet, og logiske sammenhenger mellom indikatorene. For hvert skjult tall viser tabellen det minste og største tallet angriperen kan bevise.',
    problems: 'Celler som ikke er beskyttet',
    intervals: 'Hva en angriper kan bevise om de skjulte cellene (smaleste først)',
    showAll: (n: number) => `Vis alle ${n} skjulte celler`,
    tables: 'Tabellene slik de frigis',
    cols: ['Tabell', 'Celle', 'Hvorfor skjult', 'n', 'ja', 'nei'],
    tableCols: ['Celle', 'n', 'ja', 'Andel', 'Status'],
    published: 'publisert',
    primary: 'skjult (primær)',
    secondary: 'skjult (sekundær)',
    total: 'i alt',
    respondents: 'Hvem som svarte',
    by: 'etter',
    hidden: (p: number, s: number) => `${p} primær, ${s} sekundær`,
    rule: { n_below_k: 'færre enn k svarte', yes_below_k: 'færre enn k svarte ja', no_below_k: 'færre enn k svarte nei', change_below_k: 'endret med færre enn k siden forrige frigivelse', complementary: 'sekundær: beskytter en primær celle' } as Record<string, string>,
    problem: 'problem',
    open: 'ingen øvre grense',
    nPublished: 'publisert som antall som svarte',
  },
  en: {
    toggle: 'Vis på bokmål',
    safe: 'Safe: no hidden cell can be worked out, and no small group can be proven small or empty.',
    refused: (n: number) => `Refused: ${n} hidden cell${n === 1 ? '' : 's'} can be narrowed by an attacker with an LP/IP solver. Release fewer or coarser tables, or wait for more responses.`,
    counts: (a: DisclosureAudit) => `${a.cells} cells in all: ${a.primary} hidden because they are too small themselves (primary), ${a.secondary} hidden to protect them (secondary).`,
    width: (w: number | null) => w === null ? 'No cell is hidden.' : `The narrowest interval an attacker can prove for a hidden count is ${w} wide.`,
    solver: (a: DisclosureAudit) => `Audited with ${a.solver}: ${a.linearPrograms} linear programs, ${a.rounds} round${a.rounds === 1 ? '' : 's'}, ${a.seconds} s.`,
    what: 'The attacker knows every table of every release of the wave, which sites took part with their county, municipality, kind and centrality, and the logical relations between indicators. For each hidden count the table shows the least and greatest value the attacker can prove.',
    problems: 'Cells that are not protected',
    intervals: 'What an attacker can prove about the hidden cells (narrowest first)',
    showAll: (n: number) => `Show all ${n} hidden cells`,
    tables: 'The tables as they would be released',
    cols: ['Table', 'Cell', 'Why hidden', 'n', 'yes', 'no'],
    tableCols: ['Cell', 'n', 'yes', 'Share', 'Status'],
    published: 'published',
    primary: 'hidden (primary)',
    secondary: 'hidden (secondary)',
    total: 'total',
    respondents: 'Who answered',
    by: 'by',
    hidden: (p: number, s: number) => `${p} primary, ${s} secondary`,
    rule: { n_below_k: 'fewer than k answered', yes_below_k: 'fewer than k answered yes', no_below_k: 'fewer than k answered no', change_below_k: 'changed by fewer than k since an earlier release', complementary: 'secondary: protects a primary cell' } as Record<string, string>,
    problem: 'problem',
    open: 'no upper bound',
    nPublished: 'published as who answered',
  },
} as const

type Text = (typeof TEXT)[Lang]

const DIMENSIONS: Record<string, { nb: string, en: string }> = {
  gender: { nb: 'kjønn', en: 'gender' },
  age_group: { nb: 'aldersgruppe', en: 'age group' },
  site_kind: { nb: 'type sted', en: 'kind of site' },
  county: { nb: 'fylke', en: 'county' },
  municipality: { nb: 'kommune', en: 'municipality' },
  centrality: { nb: 'sentralitet', en: 'centrality' },
  wave: { nb: 'bølge', en: 'wave' },
}

/** Values named in words; codes (counties, municipalities, age bands) are shown as they are. */
const VALUES: Record<string, { nb: string, en: string }> = {
  woman: { nb: 'kvinne', en: 'woman' },
  man: { nb: 'mann', en: 'man' },
  other: { nb: 'annet', en: 'other' },
  unknown: { nb: 'ukjent', en: 'unknown' },
  // Site kinds, as GET /api/reference/regions names them (api/services/site-reference.ts).
  municipal_low_threshold: { nb: 'kommunalt lavterskeltilbud', en: 'municipal low-threshold service' },
  specialist_treatment: { nb: 'spesialisert behandling (TSB)', en: 'specialist treatment' },
  housing: { nb: 'bolig', en: 'housing' },
  street_outreach: { nb: 'oppsøkende tjeneste', en: 'street outreach' },
}

const dimension = (d: string, lang: Lang): string => DIMENSIONS[d]?.[lang] ?? d
const groupText = (group: Readonly<Record<string, string>>, lang: Lang, t: Text): string =>
  Object.keys(group).length === 0 ? t.total : Object.entries(group).map(([d, v]) => `${dimension(d, lang)} ${VALUES[v]?.[lang] ?? v}`).join(', ')
const tableName = (indicator: string, by: readonly string[], labels: Labels, lang: Lang, t: Text): string =>
  `${indicator === RESPONDENTS ? t.respondents : labels.get(indicator)?.[lang] ?? indicator}${by.length === 0 ? '' : ` ${t.by} ${by.map((d) => dimension(d, lang)).join(' × ')}`}`
const interval = (i: ReadonlyArray<number | null> | undefined, t: Text): string =>
  i === undefined ? '–' : i[1] === null ? `${i[0] ?? 0}–∞ (${t.open})` : i[0] === i[1] ? `${i[0] ?? 0}` : `${i[0] ?? 0}–${i[1]}`
const width = (cell: AuditedCellReply): number =>
  Math.min(...[cell.n, cell.yes, cell.no].flatMap((i) => i === undefined ? [] : [(i[1] ?? Infinity) - (i[0] ?? 0)]))
const isPrimary = (rule: string | undefined): boolean => rule !== undefined && rule !== 'complementary'

/** The whole view, in the console's language first, with a toggle to the other language. */
export function auditView (subject: AuditSubject, labels: Labels, actions: Child[] = [], initial: Lang = 'nb'): HTMLElement {
  let lang: Lang = initial
  const body = h('div', {})
  const toggle = h('button', { type: 'button', lang: initial === 'nb' ? 'en' : 'nb', class: 'small', 'data-testid': 'audit-language' }, TEXT[initial].toggle)
  const draw = (): void => {
    const t = TEXT[lang]
    toggle.textContent = t.toggle
    toggle.lang = lang === 'nb' ? 'en' : 'nb'
    body.lang = lang
    body.replaceChildren(...nodes(verdict(subject.audit, labels, lang, t), intervalList(subject.audit, labels, lang, t), tablesView(subject, labels, lang, t)))
  }
  toggle.addEventListener('click', () => { lang = lang === 'nb' ? 'en' : 'nb'; draw() })
  draw()
  return h('div', { class: 'audit', 'data-testid': 'audit' }, h('div', { class: 'actions' }, toggle), body, h('div', { class: 'actions' }, ...actions))
}

function verdict (audit: DisclosureAudit, labels: Labels, lang: Lang, t: Text): HTMLElement {
  const failing = audit.suppressed.filter((cell) => cell.problem !== undefined)
  return h('div', { class: `verdict ${audit.safe ? 'safe' : 'refused'}`, 'data-testid': 'audit-verdict' },
    h('p', {}, h('strong', {}, audit.safe ? t.safe : t.refused(failing.length))),
    failing.length > 0 && h('div', {}, h('p', {}, t.problems), h('ul', { 'data-testid': 'audit-problems' }, ...failing.map((cell) =>
      h('li', {}, `${tableName(cell.indicator, cell.by, labels, lang, t)}, ${groupText(cell.group, lang, t)}: `, h('span', { lang: 'en' }, cell.problem ?? ''))))),
    h('p', { 'data-testid': 'audit-counts' }, t.counts(audit)),
    h('p', { 'data-testid': 'audit-width' }, t.width(audit.minWidth)),
    h('p', { class: 'hint' }, t.what),
    h('p', { class: 'hint' }, t.solver(audit)))
}

function intervalList (audit: DisclosureAudit, labels: Labels, lang: Lang, t: Text): HTMLElement {
  const cells = [...audit.suppressed].sort((a, b) => width(a) - width(b))
  const rows = (list: AuditedCellReply[]): Child[][] => list.map((cell) => [
    tableName(cell.indicator, cell.by, labels, lang, t),
    groupText(cell.group, lang, t),
    t.rule[cell.rule] ?? cell.rule,
    // A pinned n passes the audit only where "who answered" publishes the same count.
    cell.indicator !== RESPONDENTS && cell.n[0] === cell.n[1] ? `${interval(cell.n, t)} (${t.nPublished})` : interval(cell.n, t),
    interval(cell.yes, t), interval(cell.no, t),
  ])
  const first = table(t.intervals, [...t.cols], rows(cells.slice(0, SHOWN_FIRST)), { 'data-testid': 'audit-intervals' })
  return h('div', { class: 'scroll' }, first,
    cells.length > SHOWN_FIRST && h('details', {}, h('summary', {}, t.showAll(cells.length)), table(t.intervals, [...t.cols], rows(cells))))
}

function tablesView (subject: AuditSubject, labels: Labels, lang: Lang, t: Text): HTMLElement | false {
  if (subject.tables === undefined || subject.rows === undefined) return false
  const status = (suppressed: boolean, rule: string | undefined): HTMLElement => suppressed
    ? h('span', { class: isPrimary(rule) ? 'cell-primary' : 'cell-secondary' }, isPrimary(rule) ? t.primary : t.secondary, ': ', t.rule[rule ?? ''] ?? rule ?? '')
    : h('span', {}, t.published)
  const section = (name: string, rows: Array<{ group: Record<string, string>, n?: number, count?: number, estimate?: number, suppressed: boolean, rule?: string }>, withYes: boolean): HTMLElement => {
    const primary = rows.filter((row) => row.suppressed && isPrimary(row.rule)).length
    const secondary = rows.filter((row) => row.suppressed && !isPrimary(row.rule)).length
    return h('details', { class: 'release-table' },
      h('summary', {}, `${name} (${primary + secondary > 0 ? t.hidden(primary, secondary) : t.published})`),
      h('div', { class: 'scroll' }, table(name, withYes ? [...t.tableCols] : [t.tableCols[0], t.tableCols[1], t.tableCols[4]], rows.map((row) => withYes
        ? [groupText(row.group, lang, t), row.n ?? '–', row.count ?? '–', row.estimate === undefined ? '–' : `${(100 * row.estimate).toFixed(1)} %`, status(row.suppressed, row.rule)]
        : [groupText(row.group, lang, t), row.n ?? '–', status(row.suppressed, row.rule)]))))
  }
  const rows = subject.rows
  return h('div', { 'data-testid': 'audit-tables' }, h('h3', {}, t.tables),
    subject.respondents !== undefined && section(t.respondents, [...subject.respondents], false),
    ...subject.tables.map((spec) => section(tableName(spec.indicator, spec.by, labels, lang, t),
      rows.filter((row) => row.indicator === spec.indicator && Object.keys(row.group).length === spec.by.length && spec.by.every((d) => Object.hasOwn(row.group, d))), true)))
}
