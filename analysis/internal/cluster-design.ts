import { sum } from 'simple-statistics'
import { AnalysisInputError } from '../errors.js'
import { assertCount, assertYesOfN } from './validate.js'

/**
 * Counts of one cell in one cluster (site), as the aggregation query returns them: `n` respondents
 * of the cell in this cluster with a known value of the indicator, `yes` of them with the value yes.
 * `stratum` (e.g. county) is given on every row of a stratified design and on none otherwise.
 */
export interface ClusterCount {
  readonly cluster: string
  readonly stratum?: string
  readonly n: number
  readonly yes: number
}

/**
 * The number of clusters in the whole design: one number for an unstratified design, or one
 * number per stratum. Needed for a subgroup (women, one wave): R keeps the design's cluster count
 * n_h in the variance factor n_h/(n_h − 1) and counts a cluster without any subgroup member as a
 * zero total. When omitted, n_h is the number of clusters listed for the stratum (rows with n = 0
 * count), so listing every site of the design, with n = 0 where the cell is empty, is equivalent.
 */
export type ClustersPerStratum = number | Readonly<Record<string, number>>

export interface DesignCluster {
  readonly cluster: string
  readonly stratum: string
  /** Counts per group, in the order of the groups given to `buildClusterDesign`; {0, 0} where absent. */
  readonly counts: ReadonlyArray<{ readonly n: number, readonly yes: number }>
}

export interface DesignStratum {
  readonly stratum: string
  /** n_h, the clusters of this stratum in the whole design. */
  readonly designClusters: number
  /** The clusters listed, sorted by id so that results do not depend on row order. */
  readonly clusters: readonly DesignCluster[]
}

export interface ClusterDesign {
  readonly stratified: boolean
  /** Sorted by stratum key; an unstratified design has one stratum with key ''. */
  readonly strata: readonly DesignStratum[]
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function designError (message: string): AnalysisInputError {
  return new AnalysisInputError('invalid_design', message)
}

/**
 * Validates per-cluster rows of one or more groups drawn from the same design and lays them out by
 * stratum, with the design's cluster count per stratum.
 */
export function buildClusterDesign (
  groups: ReadonlyArray<readonly ClusterCount[]>,
  labels: readonly string[],
  clustersPerStratum: ClustersPerStratum | undefined
): ClusterDesign {
  const stratified = groups.some((rows) => rows.some((row) => row.stratum !== undefined))
  const clusters = new Map<string, { stratum: string, counts: Array<{ n: number, yes: number }> }>()

  groups.forEach((rows, g) => {
    const label = labels[g] ?? `group ${g + 1}`
    if (!Array.isArray(rows)) throw designError(`${label} must be an array of cluster counts`)
    const seen = new Set<string>()
    for (const row of rows) {
      if (typeof row.cluster !== 'string' || row.cluster === '') {
        throw designError(`${label}: every row needs a non-empty cluster id, got ${JSON.stringify(row.cluster)}`)
      }
      if (row.stratum !== undefined && (typeof row.stratum !== 'string' || row.stratum === '')) {
        throw designError(`${label}: cluster "${row.cluster}" has an invalid stratum ${JSON.stringify(row.stratum)}`)
      }
      if (stratified && row.stratum === undefined) {
        throw designError(`${label}: cluster "${row.cluster}" has no stratum while other rows have one`)
      }
      assertYesOfN(row.yes, row.n, `${label} cluster "${row.cluster}"`)
      if (seen.has(row.cluster)) throw designError(`${label}: cluster "${row.cluster}" is listed twice`)
      seen.add(row.cluster)
      const stratum = row.stratum ?? ''
      let entry = clusters.get(row.cluster)
      if (entry === undefined) {
        entry = { stratum, counts: groups.map(() => ({ n: 0, yes: 0 })) }
        clusters.set(row.cluster, entry)
      } else if (entry.stratum !== stratum) {
        throw designError(`cluster "${row.cluster}" is in stratum "${entry.stratum}" in one group and "${stratum}" in another`)
      }
      entry.counts[g] = { n: row.n, yes: row.yes }
    }
  })

  const byStratum = new Map<string, DesignCluster[]>()
  for (const [cluster, { stratum, counts }] of clusters) {
    const list = byStratum.get(stratum) ?? []
    list.push({ cluster, stratum, counts })
    byStratum.set(stratum, list)
  }

  if (typeof clustersPerStratum === 'number' && stratified) {
    throw designError('clustersPerStratum must give one count per stratum (an object) for a stratified design')
  }
  if (clustersPerStratum !== undefined && typeof clustersPerStratum !== 'number' && !stratified && clusters.size > 0) {
    throw designError('clustersPerStratum must be a single number for a design without strata')
  }

  const strata = [...byStratum.keys()].sort(byKey).map((stratum): DesignStratum => {
    const listed = (byStratum.get(stratum) ?? []).sort((a, b) => byKey(a.cluster, b.cluster))
    let designClusters = listed.length
    if (clustersPerStratum !== undefined) {
      const given = typeof clustersPerStratum === 'number' ? clustersPerStratum : clustersPerStratum[stratum]
      if (given === undefined) throw designError(`clustersPerStratum has no count for stratum "${stratum}"`)
      assertCount(given, stratified ? `clustersPerStratum["${stratum}"]` : 'clustersPerStratum')
      if (given < listed.length) {
        throw designError(`the design has ${given} cluster(s) in ${stratified ? `stratum "${stratum}"` : 'total'}, but ${listed.length} are listed`)
      }
      designClusters = given
    }
    return { stratum, designClusters, clusters: listed }
  })
  return { stratified, strata }
}

/** Total n and yes of one group. */
export function groupTotals (design: ClusterDesign, group: number): { n: number, yes: number } {
  let n = 0
  let yes = 0
  for (const stratum of design.strata) {
    for (const cluster of stratum.clusters) {
      n += cluster.counts[group]?.n ?? 0
      yes += cluster.counts[group]?.yes ?? 0
    }
  }
  return { n, yes }
}

const hasData = (cluster: DesignCluster, groups: readonly number[]): boolean =>
  groups.some((g) => (cluster.counts[g]?.n ?? 0) > 0)

/**
 * Clusters and strata with at least one respondent in the given groups: R's `degf()` of the design
 * subset to those respondents is clusters − strata.
 */
export function clustersWithData (design: ClusterDesign, groups: readonly number[]): { clusters: number, strata: number, firstCluster: string | undefined } {
  let clusters = 0
  let strata = 0
  let firstCluster: string | undefined
  for (const stratum of design.strata) {
    const withData = stratum.clusters.filter((c) => hasData(c, groups))
    clusters += withData.length
    if (withData.length > 0) strata++
    firstCluster ??= withData[0]?.cluster
  }
  return { clusters, strata, firstCluster }
}

/** The first stratum with data whose design has a single cluster (R's "lonely PSU"), if any. */
export function lonelyStratum (design: ClusterDesign, groups: readonly number[]): string | undefined {
  return design.strata.find((s) => s.designClusters === 1 && s.clusters.some((c) => hasData(c, groups)))?.stratum
}

/**
 * Linearised with-replacement variance of a total from per-cluster scores s_hc:
 *
 *   v = Σ_h n_h/(n_h − 1) Σ_c (s_hc − s̄_h)²,   s̄_h = (1/n_h) Σ_c s_hc,
 *
 * summing over all n_h clusters of the design in stratum h, so the clusters not listed contribute
 * s = 0 (R survey's `svyrecvar`/`onestrat` pads them the same way). Strata with n_h = 1 are
 * skipped: callers refuse them first when they hold data (`lonelyStratum`).
 */
export function linearisedVariance (design: ClusterDesign, score: (cluster: DesignCluster) => number): number {
  let total = 0
  for (const { designClusters: nh, clusters } of design.strata) {
    if (nh < 2) continue
    const values = clusters.map(score)
    const mean = sum(values) / nh
    const squares = sum(values.map((v) => (v - mean) * (v - mean))) + (nh - values.length) * mean * mean
    total += nh / (nh - 1) * squares
  }
  return total
}

/**
 * Whether the linearised variance is exactly zero, decided on integer scores: it is iff within each
 * stratum every cluster of the design (listed or padded with 0) has the same score.
 */
export function hasZeroVariance (design: ClusterDesign, exactScore: (cluster: DesignCluster) => bigint): boolean {
  return design.strata.every(({ designClusters: nh, clusters }) => {
    if (nh < 2) return true
    const values = clusters.map(exactScore)
    if (values.length < nh) values.push(0n)
    return values.every((v) => v === values[0])
  })
}

/**
 * Linearised variance of a group's p = Y/N: cluster scores e_c = yes_c·N − Y·n_c (integers, so
 * exact in floating point below 2^53), the residual totals z_c = e_c/N² scaled by N², divided by N⁴
 * at the end.
 */
export function proportionVariance (design: ClusterDesign, group: number, n: number, yes: number): number {
  return linearisedVariance(design, (c) => proportionScore(c, group, n, yes)) / (n * n * n * n)
}

/** e_c = yes_c·N − Y·n_c, the residual total of cluster c times N². */
export function proportionScore (cluster: DesignCluster, group: number, n: number, yes: number): number {
  const counts = cluster.counts[group] ?? { n: 0, yes: 0 }
  return counts.yes * n - yes * counts.n
}

/** e_c = yes_c·N − Y·n_c as an exact integer, for deciding that a variance is exactly zero. */
export function exactProportionScore (cluster: DesignCluster, group: number, n: number, yes: number): bigint {
  const counts = cluster.counts[group] ?? { n: 0, yes: 0 }
  return BigInt(counts.yes) * BigInt(n) - BigInt(yes) * BigInt(counts.n)
}
