/**
 * Results tables: from counts per cell and cluster (site), as the aggregation query or a flat file
 * gives them, to the rows a results release publishes, with disclosure control applied across every
 * table built together.
 * @see ARCHITECTURE.md, anonymity rule 6, and the README's "Results releases"
 */
import { clopperPearsonInterval } from './clopper-pearson-interval.js'
import { designBasedProportion } from './design-based-proportion.js'
import { kornGraubardProportion } from './korn-graubard-proportion.js'
import { weightedDesignProportion } from './weighted-design-proportion.js'
import type { WeightedDesignResult } from './weighted-design-proportion.js'
import type { ClusterCount, ClustersPerStratum } from './design-based-proportion.js'
import { resolveThreshold } from './disclosure-control/primary-rule.js'
import { suppressRelease } from './disclosure-control/suppress-release.js'
import type { CellGroup, ReleaseTable } from './disclosure-control/types.js'
import { AnalysisInputError } from './errors.js'
import type { DesignProportionResult, KornGraubardResult, ProportionMethod } from './estimate.js'
import { resolveLevel } from './internal/validate.js'
import { publishedRow, suppressedRow } from './result-row.js'
import type { ResultRow } from './result-row.js'
import { wilsonInterval } from './wilson-interval.js'

export type { ResultRow } from './result-row.js'

/**
 * Interval methods a results table is requested with; `cluster` is the design-based logit interval,
 * `korn-graubard` the design-based Korn–Graubard interval (both with sites as clusters).
 */
export const RESULTS_METHODS = ['wilson', 'clopper-pearson', 'cluster', 'korn-graubard'] as const
export type ResultsMethod = typeof RESULTS_METHODS[number]

/** The estimator each requested method runs (and reports in `method`, unless it falls back). */
export const ESTIMATOR_OF: Readonly<Record<ResultsMethod, ProportionMethod>> = {
  wilson: 'wilson',
  'clopper-pearson': 'clopper-pearson',
  cluster: 'design-logit',
  'korn-graubard': 'korn-graubard',
}

/** Whether a method is design-based (sites as clusters, strata allowed). */
export const isDesignMethod = (method: ResultsMethod): boolean => method === 'cluster' || method === 'korn-graubard'

/**
 * The category of respondents whose value of a breakdown dimension is missing (gender "prefer not
 * to say" or skipped): a cell of its own, so every table of an indicator counts the same people.
 * A dimension whose real values include "unknown" would merge the two.
 */
export const MISSING_CATEGORY = 'unknown'

export interface IndicatorCounts {
  /** Respondents with a known value of the indicator. */
  readonly n: number
  /** Respondents with the value yes. */
  readonly yes: number
  /** Weighted requests only: Σ w over the n respondents, and Σ w·y (the yes among them). */
  readonly weight?: number
  readonly weightedYes?: number
}

/** Counts of the respondents of one finest cell in one cluster (site). */
export interface ClusterCellCounts {
  /** Values of the breakdown dimensions; null where the respondents' value is missing. */
  readonly group: Readonly<Record<string, string | null>>
  /** The cluster (site) these respondents were surveyed in. */
  readonly cluster: string
  /** n and yes per indicator, in the order of `ResultsTableRequest.indicators`. */
  readonly counts: readonly IndicatorCounts[]
}

export interface ResultsTableRequest {
  /** Indicator names, in the order of each row's `counts`. */
  readonly indicators: readonly string[]
  /** One table per indicator and breakdown; `[]` is the overall figure. Dimensions come from the rows' groups. */
  readonly breakdowns: ReadonlyArray<readonly string[]>
  /**
   * Counts per finest cell and cluster. Every cluster that appears is a cluster of the design, even
   * where all its counts are 0, so list the rows of every respondent of the waves analysed.
   */
  readonly rows: readonly ClusterCellCounts[]
  /** Default 'wilson'. */
  readonly method?: ResultsMethod
  /** Confidence level, default 0.95. */
  readonly level?: number
  /** Design-based methods only: the stratum (county) of every cluster; omitted for an unstratified design. */
  readonly strata?: Readonly<Record<string, string>>
  /** Threshold of disclosure control, default 5, never below 3. */
  readonly k?: number
  /** false only for a researcher's own microdata (the analyze CLI's --no-suppress); default true. */
  readonly suppress?: boolean
  /**
   * Design-based methods only: estimate with the rows' weights (`weight`, `weightedYes` on every count),
   * as `svydesign(ids = ~site, weights = ~w)`; counts n and yes stay unweighted (disclosure control
   * works on them). Default false.
   */
  readonly weighted?: boolean
}

interface Cell {
  readonly group: CellGroup
  readonly values: readonly string[]
  /** Per cluster, summed counts per indicator. */
  readonly clusters: Map<string, IndicatorCounts[]>
}

interface Design {
  readonly strata?: Readonly<Record<string, string>>
  readonly clustersPerStratum: ClustersPerStratum
}

const fail = (message: string): never => { throw new AnalysisInputError('invalid_parameter', message) }
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Builds the rows of one or more results tables (indicators × breakdowns) from counts per finest
 * cell and cluster:
 *
 * 1. each table's cells are the groups of the rows projected on its breakdown (a missing value is
 *    the category `MISSING_CATEGORY`), with n and yes summed over the rows and kept per cluster;
 * 2. disclosure control (`suppressRelease`, primary and secondary suppression, threshold k) runs
 *    over every table at once, so no suppressed cell follows from another table's figures;
 * 3. every published cell gets its estimate: Wilson, Clopper–Pearson, or the design-based logit or
 *    Korn–Graubard interval with the clusters as PSUs (optionally stratified), where the design is
 *    every cluster in the rows, so a subgroup keeps the design's cluster counts as R's `subset()`
 *    does, and the NCHS presentation standard's flags (`nchsReliability`).
 *
 * Rows come out per indicator (in request order), then per breakdown (in request order), then per
 * cell sorted by its values (compared by code unit), so the same counts always give the same rows.
 *
 * @throws {AnalysisInputError} `invalid_parameter` for an unknown method, an empty or repeated
 *   indicator, a breakdown naming a dimension the rows lack, a row whose counts do not match the
 *   indicators, a cluster without a stratum; `invalid_level` for a bad level; `invalid_parameter`
 *   for k below 3; `invalid_count` for bad counts
 * @example
 * buildResultsTable({
 *   indicators: ['strangled_12m'],
 *   breakdowns: [[]],
 *   rows: [{ group: {}, cluster: 'a', counts: [{ n: 263, yes: 81 }] }],
 * })
 * // [{ indicator: 'strangled_12m', group: {}, n: 263, count: 81, estimate: 0.30798…,
 * //    ci_low: 0.25529…, ci_high: 0.36621…, method: 'wilson', suppressed: false }]
 */
export function buildResultsTable (request: ResultsTableRequest): ResultRow[] {
  const method = request.method ?? 'wilson'
  if (!(RESULTS_METHODS as readonly string[]).includes(method)) {
    fail(`unknown method "${String(method)}": use ${RESULTS_METHODS.join(', ')}`)
  }
  const level = resolveLevel(request.level)
  const suppress = request.suppress ?? true
  const k = suppress ? resolveThreshold(request.k) : undefined
  const { indicators, breakdowns, rows } = request
  const weighted = request.weighted ?? false
  checkShape(indicators, breakdowns, rows)
  if (weighted) checkWeights(method, rows)
  const design = isDesignMethod(method) ? designOf(rows, request.strata) : undefined

  const tables = breakdowns.map((breakdown) => cellsOf(rows, breakdown, indicators.length))
  const releaseTables: ReleaseTable[] = []
  indicators.forEach((indicator, i) => {
    breakdowns.forEach((breakdown, t) => {
      releaseTables.push({ indicator, breakdown, cells: (tables[t] ?? []).map((cell) => ({ group: cell.group, ...totalOf(cell, i) })) })
    })
  })
  const controlled = k === undefined ? undefined : suppressRelease(releaseTables, { k })

  const out: ResultRow[] = []
  indicators.forEach((indicator, i) => {
    breakdowns.forEach((_, t) => {
      const position = i * breakdowns.length + t
      const cells = tables[t] ?? []
      cells.forEach((cell, c) => {
        const control = controlled?.[position]?.cells[c]
        out.push(control?.suppressed === true
          ? suppressedRow(indicator, cell.group, ESTIMATOR_OF[method], control.rule, k ?? 0)
          : estimatedRow(indicator, cell, i, method, level, design, weighted))
      })
    })
  })
  return out
}

function checkShape (indicators: readonly string[], breakdowns: ReadonlyArray<readonly string[]>, rows: readonly ClusterCellCounts[]): void {
  if (!Array.isArray(indicators) || indicators.length === 0) fail('at least one indicator is needed')
  const seen = new Set<string>()
  for (const name of indicators) {
    if (typeof name !== 'string' || name === '') fail('every indicator needs a non-empty name')
    if (seen.has(name)) fail(`indicator "${name}" is requested twice`)
    seen.add(name)
  }
  if (!Array.isArray(breakdowns) || breakdowns.length === 0) fail('at least one breakdown is needed ([] for the overall figure)')
  const tables = new Set<string>()
  for (const breakdown of breakdowns) {
    if (!Array.isArray(breakdown) || new Set(breakdown).size !== breakdown.length || breakdown.some((d) => typeof d !== 'string' || d === '')) {
      fail(`a breakdown must list distinct dimension names, got ${JSON.stringify(breakdown)}`)
    }
    const key = [...breakdown].sort().join(',')
    if (tables.has(key)) fail(`the breakdown by [${key}] is requested twice`)
    tables.add(key)
  }
  const dimensions = [...new Set(breakdowns.flat())]
  for (const [r, row] of rows.entries()) {
    if (typeof row.cluster !== 'string' || row.cluster === '') fail(`row ${r} needs a non-empty cluster`)
    if (!Array.isArray(row.counts) || row.counts.length !== indicators.length) {
      fail(`row ${r} has ${Array.isArray(row.counts) ? row.counts.length : 'no'} count pairs for ${indicators.length} indicators`)
    }
    for (const d of dimensions) {
      const value = row.group[d]
      if (value !== null && (typeof value !== 'string' || value === '')) fail(`row ${r} has no value for dimension "${d}" (null marks a missing value)`)
    }
  }
}

function checkWeights (method: ResultsMethod, rows: readonly ClusterCellCounts[]): void {
  if (!isDesignMethod(method)) fail(`weights apply to the design-based methods (cluster, korn-graubard) only, not ${method}`)
  for (const [r, row] of rows.entries()) {
    for (const counts of row.counts) {
      if (typeof counts.weight !== 'number' || typeof counts.weightedYes !== 'number') fail(`row ${r} lacks weight and weightedYes on its counts, which a weighted table needs`)
    }
  }
}

/** The design: every cluster in the rows, counted per stratum when stratified. */
function designOf (rows: readonly ClusterCellCounts[], strata: Readonly<Record<string, string>> | undefined): Design {
  const clusters = new Set(rows.map((row) => row.cluster))
  if (strata === undefined) return { clustersPerStratum: clusters.size }
  const perStratum: Record<string, number> = {}
  for (const cluster of clusters) {
    const stratum = Object.hasOwn(strata, cluster) ? strata[cluster] : undefined
    if (typeof stratum !== 'string' || stratum === '') fail(`cluster "${cluster}" has no stratum`)
    perStratum[stratum as string] = (perStratum[stratum as string] ?? 0) + 1
  }
  return { strata, clustersPerStratum: perStratum }
}

/** The cells of one breakdown, with counts per cluster, sorted by their values. */
function cellsOf (rows: readonly ClusterCellCounts[], breakdown: readonly string[], indicatorCount: number): Cell[] {
  const cells = new Map<string, Cell>()
  for (const row of rows) {
    const values = breakdown.map((d) => row.group[d] ?? MISSING_CATEGORY)
    const key = JSON.stringify(values)
    let cell = cells.get(key)
    if (cell === undefined) {
      cell = { group: Object.fromEntries(breakdown.map((d, j) => [d, values[j] as string])), values, clusters: new Map() }
      cells.set(key, cell)
    }
    let sums = cell.clusters.get(row.cluster)
    if (sums === undefined) {
      sums = Array.from({ length: indicatorCount }, () => ({ n: 0, yes: 0 }))
      cell.clusters.set(row.cluster, sums)
    }
    row.counts.forEach((counts, i) => {
      const sum = sums[i] as IndicatorCounts
      sums[i] = counts.weight === undefined
        ? { n: sum.n + counts.n, yes: sum.yes + counts.yes }
        : { n: sum.n + counts.n, yes: sum.yes + counts.yes, weight: (sum.weight ?? 0) + counts.weight, weightedYes: (sum.weightedYes ?? 0) + (counts.weightedYes ?? 0) }
    })
  }
  // The overall figure always has its one cell, an empty one when nobody answered.
  if (breakdown.length === 0 && cells.size === 0) cells.set('[]', { group: {}, values: [], clusters: new Map() })
  return [...cells.values()].sort((a, b) => {
    for (let j = 0; j < a.values.length; j++) {
      const order = byCodeUnit(a.values[j] as string, b.values[j] as string)
      if (order !== 0) return order
    }
    return 0
  })
}

function totalOf (cell: Cell, indicator: number): IndicatorCounts {
  let n = 0
  let yes = 0
  for (const sums of cell.clusters.values()) {
    n += sums[indicator]?.n ?? 0
    yes += sums[indicator]?.yes ?? 0
  }
  return { n, yes }
}

function estimatedRow (indicator: string, cell: Cell, i: number, method: ResultsMethod, level: number, design: Design | undefined, weighted: boolean): ResultRow {
  const designOptions = { level, clustersPerStratum: design?.clustersPerStratum }
  if (weighted) {
    const interval = method === 'cluster' ? 'logit' : 'korn-graubard'
    const rows = clusterRows(cell, i, design?.strata).map((row) => {
      const sums = cell.clusters.get(row.cluster)?.[i]
      return { ...row, weight: sums?.weight ?? 0, weightedYes: sums?.weightedYes ?? 0 }
    })
    return { ...publishedRow(indicator, cell.group, asDesignResult(weightedDesignProportion(rows, { ...designOptions, interval }))), weighted: true }
  }
  const result = method === 'cluster'
    ? designBasedProportion(clusterRows(cell, i, design?.strata), designOptions)
    : method === 'korn-graubard'
      ? kornGraubardProportion(clusterRows(cell, i, design?.strata), designOptions)
      : (method === 'wilson' ? wilsonInterval : clopperPearsonInterval)(totalOf(cell, i), { level })
  return publishedRow(indicator, cell.group, result)
}

function clusterRows (cell: Cell, i: number, strata: Readonly<Record<string, string>> | undefined): ClusterCount[] {
  return [...cell.clusters].map(([cluster, sums]) => ({
    cluster,
    ...(strata === undefined ? {} : { stratum: strata[cluster] as string }),
    n: sums[i]?.n ?? 0,
    yes: sums[i]?.yes ?? 0,
  }))
}

/** A weighted estimator's result in the shape of the unweighted design-based ones, for publishedRow. */
function asDesignResult (result: WeightedDesignResult): DesignProportionResult | KornGraubardResult {
  const method = result.interval === 'logit' ? 'design-logit' : 'korn-graubard'
  const { n, count, level, reason } = { reason: '', ...result }
  switch (result.status) {
    case 'no_data':
      return { status: 'no_data', method, n: 0, count: 0, level, reason }
    case 'not_estimable':
      return { status: 'not_estimable', method, n, count, p: result.p, level, reason, se: result.se, deff: null }
    case 'estimated': {
      const { p, lower, upper, se, df, clusters, strata } = result
      if (method === 'design-logit') {
        return { status: 'estimated', method, n, count, p, lower, upper, level, deff: result.deff ?? 0, se, df, clusters, strata }
      }
      return {
        status: 'estimated',
        method,
        n,
        count,
        p,
        lower,
        upper,
        level,
        ...(result.deff === undefined ? {} : { deff: result.deff }),
        se,
        df,
        clusters,
        strata,
        effectiveN: result.effectiveN ?? n,
        effectiveNDf: result.effectiveNDf ?? n,
      }
    }
  }
}
