/**
 * The tables of a results release, computed once: counts in the database, estimates and disclosure
 * control in analysis/, with suppression across every table of the release, the wave's earlier
 * releases and the "who answered" counts together (ARCHITECTURE.md, anonymity rule 6).
 */
import { performance } from 'node:perf_hooks'
import type { Kysely } from 'kysely'
import { MISSING_CATEGORY, buildResultsTable } from '../../analysis/results-table.js'
import type { ResultRow, ResultsMethod } from '../../analysis/results-table.js'
import { ESTIMATOR_OF } from '../../analysis/results-table.js'
import { suppressedRow } from '../../analysis/result-row.js'
import type { EarlierTable, FamilyInput, LinkedReleaseInput, ReleaseSite } from '../../analysis/disclosure-control/atom-model.js'
import { highsSolver } from '../../analysis/disclosure-control/highs-solver.js'
import { protectLinkedRelease } from '../../analysis/disclosure-control/protect-linked-release.js'
import type { LinkedCell, LinkedRelease } from '../../analysis/disclosure-control/protect-linked-release.js'
import type { CellGroup } from '../../analysis/disclosure-control/types.js'
import type { Database } from '../db/database.js'
import { countRespondents } from '../db/queries/releases.js'
import type { RespondentCount } from '../db/queries/releases.js'
import { countCellsBySite, findIndicators } from '../db/queries/results.js'
import type { IndicatorRef, ResultDimension, SiteCellCounts } from '../db/queries/results.js'
import type { DisclosureAudit, ReleaseTableSpec, RepeatPolicy, RespondentRow, UnreliablePolicy, Weighting } from '../schemas/releases.js'
import { clusterCellRows } from './attendance-weights.js'
import type { ResultRowReply } from '../schemas/results.js'

/** "Who answered": respondents overall and by each of these. */
export const RESPONDENT_BREAKDOWNS: ReadonlyArray<readonly ResultDimension[]> = [[], ['gender'], ['age_group'], ['site_kind'], ['county']]

/** The name "who answered" goes by in disclosure control: not a valid indicator name, so it cannot clash. */
const RESPONDENTS = '(respondents)'
/** The dimensions a respondent has (the others are the site's). */
const RESPONSE_DIMENSIONS = ['wave', 'gender', 'age_group'] as const

export interface ReleaseSettings {
  k: number
  method: ResultsMethod
  strata: 'county' | null
  level: number
  unreliable: UnreliablePolicy
  weights: Weighting
  repeats: RepeatPolicy
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
  /** The audit of the suppression pattern: refused when not safe. */
  audit: DisclosureAudit
}

const tableKey = (indicator: string, by: readonly string[]): string => `${indicator}|${[...by].sort().join(',')}`
const groupKey = (group: CellGroup): string => JSON.stringify(Object.keys(group).sort().map((d) => [d, group[d]]))

/**
 * Computes every table of a release (`specs`, ordered per indicator) and protects them together with
 * the "who answered" tables and the earlier releases, on the atom model (per site and response-level
 * cell, as the grouped query counts them): Gaussian-elimination suppression and the audit by
 * HiGHS (analysis/disclosure-control/protect-linked-release.ts).
 * @throws {Error} only on a bug: the names were checked by the caller
 */
export async function computeReleaseTables (
  db: Kysely<Database>,
  waveId: string,
  specs: readonly ReleaseTableSpec[],
  settings: ReleaseSettings,
  earlier: readonly PublishedRelease[],
  implications: ReadonlyArray<{ from: string, to: string }> = [],
  headline: readonly string[] = []
): Promise<ComputedTables> {
  const started = performance.now()
  const names = [...new Set(specs.map((spec) => spec.indicator))]
  const found = await findIndicators(db, names)
  const refs = names.map((name) => found.get(name) as IndicatorRef)
  const dimensions = [...new Set([...specs.flatMap((spec) => spec.by), ...RESPONDENT_BREAKDOWNS.flat()])] as ResultDimension[]
  // One after the other: inside a transaction both would queue on its one connection anyway.
  // Split by weight class for the weighted estimates; disclosure control and the differences read the
  // counts merged again (one row per site and cell), since weights change no count.
  const split = await countCellsBySite(db, {
    waveIds: [waveId],
    indicators: refs,
    dimensions,
    byVisits: settings.weights === 'attendance',
    answeredBefore: settings.repeats,
    ...(settings.strata === null ? {} : { stratum: settings.strata }),
  })
  const counts = mergeWeightClasses(split)
  const respondentCounts = await countRespondents(db, waveId, settings.repeats)
  const strata = settings.strata === null ? undefined : Object.fromEntries(counts.map((row) => [row.site, row.stratum ?? '']))

  const estimated = estimateTables(split, names, specs, settings, strata)
  const input = linkedInput(waveId, specs, names, counts, respondentCounts, settings.k, earlier, implications, headline)
  const protectedRelease = protectLinkedRelease(input, await highsSolver())
  const seconds = (performance.now() - started) / 1000
  const statusOf = new Map(protectedRelease.tables.map((t) => [tableKey(t.family, t.breakdown), new Map(t.cells.map((c) => [groupKey(c.group), c]))]))

  const resultRows = specs.flatMap((spec) => (estimated.get(tableKey(spec.indicator, spec.by)) ?? []).map((row) => {
    const cell = statusOf.get(tableKey(spec.indicator, spec.by))?.get(groupKey(row.group))
    // A row the model does not know is withheld rather than published unaudited.
    const rule = cell === undefined ? 'complementary' : cell.rule
    return replyRow(rule !== null ? suppressedRow(row.indicator, row.group, ESTIMATOR_OF[settings.method], rule, settings.k) : row)
  }))
  const respondentRows = RESPONDENT_BREAKDOWNS.flatMap((by) =>
    [...(statusOf.get(tableKey(RESPONDENTS, by))?.values() ?? [])].map((cell) => respondentRow(cell, settings.k)))
  const overall = respondentRows.find((row) => Object.keys(row.group).length === 0)
  return {
    resultRows,
    respondentRows,
    respondents: overall?.suppressed === false ? overall.n ?? null : null,
    sites: new Set(respondentCounts.map((row) => row.site)).size,
    siteCounts: counts,
    indicatorOrder: names,
    strata,
    audit: auditReply(protectedRelease, seconds),
  }
}

/** The release as the atom model reads it: sites with their attributes, counts per site and response-level cell. */
function linkedInput (
  waveId: string,
  specs: readonly ReleaseTableSpec[],
  names: readonly string[],
  counts: readonly SiteCellCounts[],
  respondentCounts: readonly RespondentCount[],
  k: number,
  earlier: readonly PublishedRelease[],
  implications: ReadonlyArray<{ from: string, to: string }>,
  headlineIndicators: readonly string[]
): LinkedReleaseInput {
  const sites = new Map<string, ReleaseSite>()
  for (const row of respondentCounts) {
    sites.set(row.site, { id: row.site, attributes: { site_kind: row.siteKind, county: row.county, municipality: row.municipality, centrality: row.centrality } })
  }
  const responseGroup = (group: Readonly<Record<string, string | null>>): Record<string, string> =>
    Object.fromEntries(RESPONSE_DIMENSIONS.map((d) => [d, group[d] ?? MISSING_CATEGORY]))
  // A headline figure weighs more: disclosure control would rather suppress a detail than one of them.
  const headline = new Set<string>(headlineIndicators)
  const families: FamilyInput[] = names.map((name, i) => ({
    name,
    kind: 'proportion',
    weight: headline.has(name) ? 4 : 1,
    tables: specs.filter((spec) => spec.indicator === name).map((spec) => spec.by),
    atoms: counts.map((row) => ({ site: row.site, group: responseGroup({ ...row.group, wave: waveId }), n: row.counts[i]?.n ?? 0, yes: row.counts[i]?.yes ?? 0 })),
  }))
  families.push({
    name: RESPONDENTS,
    kind: 'count',
    weight: 16,
    tables: RESPONDENT_BREAKDOWNS,
    atoms: respondentCounts.map((row) => ({ site: row.site, group: responseGroup({ gender: row.gender, age_group: row.ageGroup, wave: waveId }), n: row.responses, yes: 0 })),
  })
  return { k, sites: [...sites.values()], families, implications, respondents: RESPONDENTS, earlier: earlier.map(earlierTablesOf) }
}

function auditReply (release: LinkedRelease, seconds: number): DisclosureAudit {
  const { audit, counts } = release
  const bound = (x: number): number | null => (Number.isFinite(x) ? x : null)
  const interval = (i: readonly [number, number]): [number, number | null] => [i[0], bound(i[1])]
  return {
    safe: audit.safe,
    solver: audit.solver,
    cells: counts.cells,
    primary: counts.primary,
    secondary: counts.secondary,
    minWidth: audit.minWidth === null ? null : bound(audit.minWidth),
    rounds: release.rounds,
    linearPrograms: audit.linearPrograms,
    seconds: Math.round(seconds * 1000) / 1000,
    suppressed: audit.cells.map((c) => ({
      indicator: c.family,
      by: [...c.breakdown],
      group: { ...c.group },
      rule: c.rule,
      n: interval(c.n),
      ...(c.yes === undefined ? {} : { yes: interval(c.yes) }),
      ...(c.no === undefined ? {} : { no: interval(c.no) }),
      ...(c.problem === undefined ? {} : { problem: c.problem }),
    })),
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
      rows: clusterCellRows(counts, settings.weights, positions),
      method: settings.method,
      weighted: settings.weights === 'attendance',
      level: settings.level,
      suppress: false,
      ...(strata === undefined ? {} : { strata }),
    })
    for (const spec of group) out.set(tableKey(spec.indicator, spec.by), rows.filter((row) => row.indicator === spec.indicator))
  }
  return out
}

/** The rows of the grouped query with their weight classes added together: one per site and cell. */
function mergeWeightClasses (rows: readonly SiteCellCounts[]): SiteCellCounts[] {
  const merged = new Map<string, SiteCellCounts>()
  for (const row of rows) {
    const key = JSON.stringify([row.site, Object.entries(row.group)])
    const seen = merged.get(key)
    if (seen === undefined) {
      merged.set(key, { ...row, visits: null, counts: row.counts.map((c) => ({ ...c })) })
      continue
    }
    seen.counts = seen.counts.map((c, i) => ({ n: c.n + (row.counts[i]?.n ?? 0), yes: c.yes + (row.counts[i]?.yes ?? 0) }))
  }
  return [...merged.values()]
}

const sameBreakdown = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join(',') === [...b].sort().join(',')

/** A "who answered" cell as published. */
function respondentRow (cell: LinkedCell, k: number): RespondentRow {
  if (cell.rule === null) return { group: { ...cell.group }, n: cell.n, suppressed: false }
  const rule = cell.rule === 'complementary' || cell.rule === 'change_below_k' ? cell.rule : 'n_below_k'
  return { group: { ...cell.group }, suppressed: true, rule, reason: respondentReason(rule, k) }
}

function respondentReason (rule: string, k: number): string {
  if (rule === 'n_below_k') return `suppressed (primary): fewer than ${k} respondents`
  if (rule === 'change_below_k') return `suppressed (primary): changed since an earlier release by fewer than ${k} respondents`
  return 'suppressed (secondary): publishing it would let a suppressed cell be recovered from the published figures'
}

/** An earlier release's tables as the atom model reads them: what it published, cell by cell. */
export function earlierTablesOf (release: PublishedRelease): EarlierTable[] {
  const rowsByTable = new Map<string, ResultRowReply[]>()
  for (const row of release.resultRows) {
    const key = tableKey(row.indicator, Object.keys(row.group))
    rowsByTable.set(key, [...(rowsByTable.get(key) ?? []), row])
  }
  const tables = release.tableSpecs.map((spec): EarlierTable => ({
    family: spec.indicator,
    breakdown: spec.by,
    cells: (rowsByTable.get(tableKey(spec.indicator, spec.by)) ?? []).map((row) => ({
      group: row.group, suppressed: row.suppressed, ...(row.n === undefined ? {} : { n: row.n }), ...(row.count === undefined ? {} : { yes: row.count }),
    })),
  }))
  const respondents = RESPONDENT_BREAKDOWNS.map((by): EarlierTable => ({
    family: RESPONDENTS,
    breakdown: by,
    cells: release.respondentRows.filter((row) => sameBreakdown(Object.keys(row.group), by))
      .map((row) => ({ group: row.group, suppressed: row.suppressed, ...(row.n === undefined ? {} : { n: row.n }) })),
  }))
  return [...tables, ...respondents]
}

function replyRow (row: ResultRow): ResultRowReply {
  return { ...row, group: { ...row.group } }
}
