/**
 * From a parsed flat file to the counts a results table is built from: the same shape the
 * aggregation query returns (counts per finest cell and cluster), so a figure recomputed from the
 * microdata goes through the very code that published it.
 */
import { AnalysisInputError } from './errors.js'
import { FLAT_DESIGN_COLUMNS, FLAT_DIMENSION_COLUMNS } from './flat-file.js'
import type { FlatTable } from './flat-file.js'
import type { ClusterCellCounts, IndicatorCounts } from './results-table.js'

/** The cluster of every row when no cluster column is named (Wilson or Clopper–Pearson). */
export const SINGLE_CLUSTER = 'all'

export interface FlatAnalysisOptions {
  /** Indicator columns; default every column whose values are all 1, 0 or empty (see `defaultIndicators`). */
  readonly indicators?: readonly string[]
  /** Breakdown columns; an empty value is a missing value. */
  readonly by?: readonly string[]
  /** The column naming each row's cluster (site), for design-based estimates. */
  readonly cluster?: string
  /** The column naming each cluster's stratum (county); needs `cluster`. */
  readonly strata?: string
  /** A column of positive weights (the export's `w`): the counts then carry Σ w and Σ w·y per indicator. */
  readonly weight?: string
  /** A 1/0 column whose rows with 1 are left out (the export's `answered_before`). */
  readonly exclude?: string
}

export interface FlatCounts {
  readonly indicators: readonly string[]
  readonly rows: readonly ClusterCellCounts[]
  /** Cluster → stratum, when `strata` was given. */
  readonly strata?: Readonly<Record<string, string>>
}

const fail = (message: string): never => { throw new AnalysisInputError('invalid_file', message) }

/**
 * Counts a flat file per cell of the `by` columns and per cluster, for every indicator column.
 * An indicator value is 1 (yes), 0 (no) or empty (missing, not in the denominator).
 * @throws {AnalysisInputError} `invalid_file` for a column the file does not have, an indicator
 *   column also named as a breakdown, cluster or strata (or twice), an indicator value other than 1, 0 or empty (naming
 *   line, column and value), an empty cluster or stratum, a cluster in two strata, or no
 *   indicator column at all
 * @example
 * flatFileCounts(parseCsv('gender,hit\nwoman,1\nwoman,0\nman,\n'), { by: ['gender'] })
 * // { indicators: ['hit'], rows: [
 * //   { group: { gender: 'woman' }, cluster: 'all', counts: [{ n: 2, yes: 1 }] },
 * //   { group: { gender: 'man' }, cluster: 'all', counts: [{ n: 0, yes: 0 }] }] }
 */
export function flatFileCounts (table: FlatTable, options: FlatAnalysisOptions = {}): FlatCounts {
  const by = options.by ?? []
  const position = new Map(table.columns.map((c, i) => [c, i]))
  const columnOf = (name: string, role: string): number => {
    const i = position.get(name)
    if (i === undefined) {
      const list = table.columns.length <= 40 ? ` (its columns: ${table.columns.join(', ')})` : ''
      return fail(`unknown column "${name}" (${role}): the file has no such column${list}`)
    }
    return i
  }
  if (options.strata !== undefined && options.cluster === undefined) fail('strata need a cluster column')

  // A breakdown may be the strata or the cluster column too (by county, strata county); an
  // indicator cannot be anything else.
  const roles = new Map<string, string>()
  by.forEach((name) => roles.set(name, 'a breakdown'))
  if (options.cluster !== undefined) roles.set(options.cluster, 'the cluster')
  if (options.strata !== undefined) roles.set(options.strata, 'the strata')
  if (options.cluster !== undefined && options.cluster === options.strata) fail(`column "${options.cluster}" is named both as the cluster and as the strata`)
  if (options.weight !== undefined) roles.set(options.weight, 'the weight')
  if (options.exclude !== undefined) roles.set(options.exclude, 'the exclusion')
  const indicators = options.indicators ?? defaultIndicators(table, [...roles.keys()])
  if (indicators.length === 0) fail('no indicator column: none holds only 1, 0 or empty values (name them with --indicators)')
  const seen = new Set<string>()
  for (const name of indicators) {
    const role = roles.get(name)
    if (role !== undefined) fail(`column "${name}" is named both as ${role} and as an indicator`)
    if (seen.has(name)) fail(`indicator column "${name}" is named twice`)
    seen.add(name)
  }

  const byColumns = by.map((name) => columnOf(name, 'breakdown'))
  const indicatorColumns = indicators.map((name) => columnOf(name, 'indicator'))
  const clusterColumn = options.cluster === undefined ? undefined : columnOf(options.cluster, 'cluster')
  const strataColumn = options.strata === undefined ? undefined : columnOf(options.strata, 'strata')
  const weightColumn = options.weight === undefined ? undefined : columnOf(options.weight, 'weight')
  const excludeColumn = options.exclude === undefined ? undefined : columnOf(options.exclude, 'exclusion')

  const cells = new Map<string, { group: Record<string, string | null>, cluster: string, counts: IndicatorCounts[] }>()
  const strata: Record<string, string> = {}
  table.rows.forEach((row, r) => {
    const line = table.lines[r] ?? r + 1
    if (excludeColumn !== undefined) {
      const flag = row[excludeColumn] ?? ''
      if (flag !== '1' && flag !== '0') fail(`line ${line}: the exclusion column "${options.exclude ?? ''}" holds ${JSON.stringify(flag)}; it must be 1 (leave out) or 0`)
      if (flag === '1') return
    }
    let w = 1
    if (weightColumn !== undefined) {
      const text = row[weightColumn] ?? ''
      w = text === '' ? NaN : Number(text)
      if (!(Number.isFinite(w) && w > 0)) fail(`line ${line}: the weight column "${options.weight ?? ''}" holds ${JSON.stringify(text)}; a weight is a number above 0`)
    }
    const cluster = clusterColumn === undefined ? SINGLE_CLUSTER : row[clusterColumn] ?? ''
    if (cluster === '') fail(`line ${line}: the cluster column "${options.cluster ?? ''}" is empty`)
    if (strataColumn !== undefined) {
      const stratum = row[strataColumn] ?? ''
      if (stratum === '') fail(`line ${line}: the strata column "${options.strata ?? ''}" is empty`)
      const known = strata[cluster]
      if (known === undefined) strata[cluster] = stratum
      else if (known !== stratum) fail(`line ${line}: cluster "${cluster}" is in stratum "${known}" on an earlier line and "${stratum}" here; a cluster lies in one stratum`)
    }
    const values = byColumns.map((c) => row[c] ?? '')
    const key = JSON.stringify([cluster, ...values])
    let cell = cells.get(key)
    if (cell === undefined) {
      const group = Object.fromEntries(by.map((d, j) => [d, values[j] === '' ? null : values[j] as string]))
      cell = { group, cluster, counts: indicators.map(() => weightColumn === undefined ? { n: 0, yes: 0 } : { n: 0, yes: 0, weight: 0, weightedYes: 0 }) }
      cells.set(key, cell)
    }
    const counts = cell.counts
    indicatorColumns.forEach((c, i) => {
      const value = row[c] ?? ''
      if (value === '') return
      if (value !== '1' && value !== '0') {
        fail(`line ${line}: column "${indicators[i] ?? ''}" holds ${JSON.stringify(value)}; an indicator holds 1 (yes), 0 (no) or empty (missing)`)
      }
      const was = counts[i] as IndicatorCounts
      counts[i] = weightColumn === undefined
        ? { n: was.n + 1, yes: was.yes + (value === '1' ? 1 : 0) }
        : { n: was.n + 1, yes: was.yes + (value === '1' ? 1 : 0), weight: (was.weight ?? 0) + w, weightedYes: (was.weightedYes ?? 0) + (value === '1' ? w : 0) }
    })
  })
  return { indicators, rows: [...cells.values()], ...(strataColumn === undefined ? {} : { strata }) }
}

/**
 * The columns taken for indicators when none are named: every column whose values are all 1, 0 or
 * empty and that holds at least one 1 or 0, except the columns given other roles and the export's
 * dimension columns (`FLAT_DIMENSION_COLUMNS`).
 */
export function defaultIndicators (table: FlatTable, exclude: readonly string[] = []): string[] {
  const skip = new Set<string>([...exclude, ...FLAT_DIMENSION_COLUMNS, ...FLAT_DESIGN_COLUMNS])
  return table.columns.filter((name, c) => {
    if (skip.has(name)) return false
    let known = false
    for (const row of table.rows) {
      const value = row[c] ?? ''
      if (value === '1' || value === '0') known = true
      else if (value !== '') return false
    }
    return known
  })
}
