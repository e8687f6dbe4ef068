/**
 * The tables of a results release, computed once: counts in the database, estimates and disclosure
 * control in analysis/, with suppression across every table of the release, the wave's earlier
 * releases and the "who answered" counts together (DESIGN.md, anonymity rule 6).
 */
import type { Kysely } from 'kysely'
import { MISSING_CATEGORY, buildResultsTable } from '../../analysis/results-table.js'
import type { ResultRow, ResultsMethod } from '../../analysis/results-table.js'
import { ESTIMATOR_OF } from '../../analysis/results-table.js'
import { suppressedRow } from '../../analysis/result-row.js'
import { suppressRelease } from '../../analysis/disclosure-control/suppress-release.js'
import type {
  CellGroup, ControlledCell, ControlledTable, ImpliedDimension, ReleaseCell, ReleaseTable,
} from '../../analysis/disclosure-control/types.js'
import type { Database } from '../db/database.js'
import { countRespondents } from '../db/queries/releases.js'
import type { RespondentCount } from '../db/queries/releases.js'
import { countCellsBySite, findIndicators } from '../db/queries/results.js'
import type { IndicatorRef, ResultDimension, SiteCellCounts } from '../db/queries/results.js'
import type { ReleaseTableSpec, RespondentRow } from '../schemas/releases.js'
import type { ResultRowReply } from '../schemas/results.js'

/** The overview's headline indicators (issue 6), last 12 months and ever, in the order the results page shows them. */
export const HEADLINE_INDICATORS = [
  'any_violence_12m', 'any_violence_ever', 'any_physical_12m', 'any_physical_ever', 'any_sexual_12m', 'any_sexual_ever',
  'strangled_12m', 'strangled_ever', 'raped_12m', 'raped_ever', 'psychological_12m', 'psychological_ever',
  'turned_away_crisis_centre',
] as const
/** Every headline indicator is released overall and by gender. */
export const HEADLINE_BREAKDOWNS: ReadonlyArray<readonly ResultDimension[]> = [[], ['gender']]
/** "Who answered": respondents overall and by each of these. */
export const RESPONDENT_BREAKDOWNS: ReadonlyArray<readonly ResultDimension[]> = [[], ['gender'], ['age_group'], ['site_kind'], ['county']]

/** The name "who answered" goes by in disclosure control: not a valid indicator name, so it cannot clash. */
const RESPONDENTS = '(respondents)'

export interface ReleaseSettings {
  k: number
  method: ResultsMethod
  strata: 'county' | null
  level: number
}

/** An earlier release of the wave, as published. */
export interface PublishedRelease {
  tableSpecs: readonly ReleaseTableSpec[]
  respondentRows: readonly RespondentRow[]
  resultRows: readonly ResultRowReply[]
}

export interface ComputedTables {
  resultRows: ResultRowReply[]
  respondentRows: RespondentRow[]
  /** Published total of respondents; null when it is suppressed. */
  respondents: number | null
  sites: number
  /** Per-site counts (rows of the grouped query, gender among their dimensions) and the indicators' order in them. */
  siteCounts: SiteCellCounts[]
  indicatorOrder: readonly string[]
  /** Site → stratum, for a stratified design. */
  strata: Readonly<Record<string, string>> | undefined
}

const tableKey = (indicator: string, by: readonly string[]): string => `${indicator}|${[...by].sort().join(',')}`
const groupKey = (group: CellGroup): string => JSON.stringify(Object.keys(group).sort().map((d) => [d, group[d]]))

/**
 * Computes every table of a release (`specs`, ordered per indicator), suppressing across all of them,
 * the "who answered" tables and the earlier releases.
 * @throws {Error} only on a bug: the names were checked by the caller
 */
export async function computeReleaseTables (
  db: Kysely<Database>,
  waveId: string,
  specs: readonly ReleaseTableSpec[],
  settings: ReleaseSettings,
  earlier: readonly PublishedRelease[]
): Promise<ComputedTables> {
  const names = [...new Set(specs.map((spec) => spec.indicator))]
  const found = await findIndicators(db, names)
  const refs = names.map((name) => found.get(name) as IndicatorRef)
  const dimensions = [...new Set([...specs.flatMap((spec) => spec.by), ...RESPONDENT_BREAKDOWNS.flat()])] as ResultDimension[]
  // One after the other: inside a transaction both would queue on its one connection anyway.
  const counts = await countCellsBySite(db, { waveIds: [waveId], indicators: refs, dimensions, ...(settings.strata === null ? {} : { stratum: settings.strata }) })
  const respondentCounts = await countRespondents(db, waveId)
  const strata = settings.strata === null ? undefined : Object.fromEntries(counts.map((row) => [row.site, row.stratum ?? '']))
  const total = respondentCounts.reduce((sum, row) => sum + row.responses, 0)

  // An indicator every respondent answered has the respondents' counts as its n, so the "who answered"
  // tables would tell an attacker its n per cell: its tables by those breakdowns join disclosure control.
  // Fewer than k unanswered counts as all: the bounds are nearly as tight, and an upload arriving between
  // the two counting statements above (read committed) cannot hide an indicator from this rule.
  const complete = names.filter((_, i) => total > 0 && total - counts.reduce((sum, row) => sum + (row.counts[i]?.n ?? 0), 0) < settings.k)
  const hidden = complete.flatMap((indicator) => RESPONDENT_BREAKDOWNS
    .filter((by) => !specs.some((spec) => tableKey(spec.indicator, spec.by) === tableKey(indicator, by)))
    .map((by): ReleaseTableSpec => ({ indicator, by: [...by], overview: false })))

  const estimated = estimateTables(counts, names, [...specs, ...hidden], settings, strata)
  const respondentTables = RESPONDENT_BREAKDOWNS.map((by) => respondentTable(respondentCounts, by))
  const tables: ReleaseTable[] = [
    ...[...specs, ...hidden].map((spec) => releaseTableOf(spec, estimated.get(tableKey(spec.indicator, spec.by)) ?? [])),
    ...respondentTables,
  ]
  const controlled = suppressRelease(tables, {
    k: settings.k,
    previouslyPublished: earlier.map(controlledTablesOf),
    impliedDimensions: impliedDimensions(respondentCounts, dimensions),
  })

  const resultRows = specs.flatMap((spec, t) => (estimated.get(tableKey(spec.indicator, spec.by)) ?? []).map((row, c) => {
    const cell = controlled[t]?.cells[c]
    return replyRow(cell?.suppressed === true ? suppressedRow(row.indicator, row.group, ESTIMATOR_OF[settings.method], cell.rule, settings.k) : row)
  }))
  const respondentControlled = controlled.slice(tables.length - respondentTables.length)
  const completeControlled = controlled.filter((table, i) => i < specs.length + hidden.length && complete.includes(table.indicator))
  const respondentRows = respondentControlled.flatMap((table) =>
    table.cells.map((cell) => respondentRow(cell, settings.k, completeControlled.filter((t) => sameBreakdown(t.breakdown, table.breakdown)))))
  const overall = respondentRows.find((row) => Object.keys(row.group).length === 0)
  return {
    resultRows,
    respondentRows,
    respondents: overall?.suppressed === false ? overall.n ?? null : null,
    sites: new Set(respondentCounts.map((row) => row.site)).size,
    siteCounts: counts,
    indicatorOrder: names,
    strata,
  }
}

/** Every table's rows, estimated without suppression (the caller suppresses across all of them at once). */
function estimateTables (
  counts: readonly SiteCellCounts[],
  names: readonly string[],
  specs: readonly ReleaseTableSpec[],
  settings: ReleaseSettings,
  strata: Readonly<Record<string, string>> | undefined
): Map<string, ResultRow[]> {
  const byBreakdown = new Map<string, ReleaseTableSpec[]>()
  for (const spec of specs) {
    const key = [...spec.by].sort().join(',')
    byBreakdown.set(key, [...(byBreakdown.get(key) ?? []), spec])
  }
  const out = new Map<string, ResultRow[]>()
  for (const group of byBreakdown.values()) {
    const indicators = group.map((spec) => spec.indicator)
    const positions = indicators.map((name) => names.indexOf(name))
    const rows = buildResultsTable({
      indicators,
      breakdowns: [(group[0] as ReleaseTableSpec).by],
      rows: counts.map((row) => ({ group: row.group, cluster: row.site, counts: positions.map((p) => row.counts[p] ?? { n: 0, yes: 0 }) })),
      method: settings.method,
      level: settings.level,
      suppress: false,
      ...(strata === undefined ? {} : { strata }),
    })
    for (const spec of group) out.set(tableKey(spec.indicator, spec.by), rows.filter((row) => row.indicator === spec.indicator))
  }
  return out
}

function releaseTableOf (spec: ReleaseTableSpec, rows: readonly ResultRow[]): ReleaseTable {
  return {
    indicator: spec.indicator,
    breakdown: spec.by,
    cells: rows.map((row): ReleaseCell => {
      if (row.n === undefined || row.count === undefined) throw new Error(`an unsuppressed row of ${spec.indicator} lacks its counts`)
      return { group: row.group, n: row.n, yes: row.count }
    }),
  }
}

/**
 * "Who answered" as a table disclosure control can take: a count c is entered as n = 2c, yes = c,
 * so that min(n, yes, no) < k exactly when c < k, and every margin and change scales the same way:
 * the proportion rules become the frequency-table rule without a second implementation.
 */
function respondentTable (counts: readonly RespondentCount[], by: readonly ResultDimension[]): ReleaseTable {
  const cells = new Map<string, { group: CellGroup, c: number }>()
  if (by.length === 0) cells.set(groupKey({}), { group: {}, c: 0 })
  for (const row of counts) {
    const group = Object.fromEntries(by.map((d) => [d, respondentValue(row, d) ?? MISSING_CATEGORY]))
    const key = groupKey(group)
    const cell = cells.get(key) ?? { group, c: 0 }
    cells.set(key, { group, c: cell.c + row.responses })
  }
  const sorted = [...cells.values()].sort((a, b) => (groupKey(a.group) < groupKey(b.group) ? -1 : 1))
  return { indicator: RESPONDENTS, breakdown: by, cells: sorted.map(({ group, c }) => ({ group, n: 2 * c, yes: c })) }
}

function respondentValue (row: RespondentCount, dimension: ResultDimension): string | null {
  switch (dimension) {
    case 'gender': return row.gender
    case 'age_group': return row.ageGroup
    case 'site_kind': return row.siteKind
    case 'county': return row.county
    case 'municipality': return row.municipality
    case 'centrality': return row.centrality
    case 'wave': return null
  }
}

const sameBreakdown = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join(',') === [...b].sort().join(',')

/**
 * A "who answered" cell as published: suppressed where its own table suppresses it, and also where a
 * table of an indicator every respondent answered suppresses the same cell (that table's n is this count).
 */
function respondentRow (cell: ControlledCell, k: number, sameCounts: readonly ControlledTable[]): RespondentRow {
  if (cell.suppressed) {
    const rule = cell.reason === 'secondary' ? 'complementary' : cell.rule === 'change_below_k' ? 'change_below_k' : 'n_below_k'
    return { group: cell.group, suppressed: true, rule, reason: respondentReason(rule, k) }
  }
  const key = groupKey(cell.group)
  if (sameCounts.some((table) => table.cells.some((other) => other.suppressed && groupKey(other.group) === key))) {
    return { group: cell.group, suppressed: true, rule: 'complementary', reason: respondentReason('complementary', k) }
  }
  return { group: cell.group, n: cell.yes, suppressed: false }
}

function respondentReason (rule: string, k: number): string {
  if (rule === 'n_below_k') return `suppressed (primary): fewer than ${k} respondents`
  if (rule === 'change_below_k') return `suppressed (primary): changed since an earlier release by fewer than ${k} respondents`
  return 'suppressed (secondary): publishing it would let a suppressed cell be recovered from the published figures'
}

/** The earlier release's tables as disclosure control reads them ("who answered" in its n = 2c encoding). */
export function controlledTablesOf (release: PublishedRelease): ControlledTable[] {
  const rowsByTable = new Map<string, ResultRowReply[]>()
  for (const row of release.resultRows) {
    const key = tableKey(row.indicator, Object.keys(row.group))
    rowsByTable.set(key, [...(rowsByTable.get(key) ?? []), row])
  }
  const tables = release.tableSpecs.map((spec): ControlledTable => ({
    indicator: spec.indicator,
    breakdown: spec.by,
    cells: (rowsByTable.get(tableKey(spec.indicator, spec.by)) ?? []).map((row) => controlledCell(row.group, row.suppressed, row.rule, row.n, row.count)),
  }))
  const respondents = RESPONDENT_BREAKDOWNS.map((by): ControlledTable => ({
    indicator: RESPONDENTS,
    breakdown: by,
    cells: release.respondentRows
      .filter((row) => sameBreakdown(Object.keys(row.group), by))
      .map((row) => controlledCell(row.group, row.suppressed, row.rule, row.n === undefined ? undefined : 2 * row.n, row.n)),
  }))
  return [...tables, ...respondents]
}

function controlledCell (group: CellGroup, suppressed: boolean, rule: string | undefined, n: number | undefined, yes: number | undefined): ControlledCell {
  if (!suppressed) {
    if (n === undefined || yes === undefined) throw new Error('a published cell of an earlier release lacks its counts')
    return { group, suppressed: false, n, yes, no: n - yes }
  }
  if (rule === 'complementary') return { group, suppressed: true, reason: 'secondary', rule: 'complementary' }
  const primary = rule === 'yes_below_k' || rule === 'no_below_k' || rule === 'change_below_k' ? rule : 'n_below_k'
  return { group, suppressed: true, reason: 'primary', rule: primary }
}

/**
 * Municipality → county and municipality → centrality, from the sites of the wave's responses, so that
 * disclosure control sees that municipalities add up to counties (a centrality that differs between two
 * sites of one municipality is no implication and is left out).
 */
function impliedDimensions (counts: readonly RespondentCount[], dimensions: readonly ResultDimension[]): ImpliedDimension[] {
  if (!dimensions.includes('municipality')) return []
  const implied: ImpliedDimension[] = []
  for (const to of ['county', 'centrality'] as const) {
    const values: Record<string, string> = {}
    let consistent = true
    for (const row of counts) {
      const value = to === 'county' ? row.county : row.centrality
      if (Object.hasOwn(values, row.municipality) && values[row.municipality] !== value) consistent = false
      values[row.municipality] = value
    }
    if (consistent && dimensions.includes(to)) implied.push({ from: 'municipality', to, values })
  }
  return implied
}

function replyRow (row: ResultRow): ResultRowReply {
  return { ...row, group: { ...row.group } }
}
