/**
 * Property tests (fast-check) of the interval estimators: every interval holds
 * its estimate and lies in [0, 1] (a difference in [−1, 1]), never NaN, and says why when it
 * gives no interval; intervals narrow as n grows at a fixed proportion and widen with the level.
 * Every property runs a fixed seed, so a failure is reproducible; fast-check prints the shrunk
 * counterexample.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  clopperPearsonInterval,
  designBasedDifference,
  designBasedProportion,
  newcombeDifference,
  wilsonInterval,
} from '../../../analysis/index.js'
import type {
  BinomialCounts,
  ClusterCount,
  ClustersPerStratum,
  IntervalOptions,
  ProportionEstimate,
  ProportionResult,
} from '../../../analysis/index.js'

const RUNS = 400

type Interval = (counts: BinomialCounts, options?: IntervalOptions) => ProportionResult
const SINGLE: ReadonlyArray<readonly [string, Interval]> = [['wilson', wilsonInterval], ['clopper-pearson', clopperPearsonInterval]]

/** Every number anywhere in a result is finite (no NaN, no ±Infinity). */
function expectFiniteNumbers (value: unknown, path = 'result'): void {
  if (typeof value === 'number') {
    expect(Number.isFinite(value), `${path} = ${value}`).toBe(true)
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) expectFiniteNumbers(inner, `${path}.${key}`)
  }
}

function expectReason (reason: unknown): void {
  expect(typeof reason === 'string' && reason.trim().length > 10, `reason ${String(reason)}`).toBe(true)
}

/** lower ≤ estimate ≤ upper, all within [low, 1]. */
function expectHolds (lower: number, estimate: number, upper: number, low = 0): void {
  expect(lower).toBeGreaterThanOrEqual(low)
  expect(lower).toBeLessThanOrEqual(estimate)
  expect(upper).toBeGreaterThanOrEqual(estimate)
  expect(upper).toBeLessThanOrEqual(1)
}

/**
 * inner ⊂ outer, with at least one limit strictly inside. The logit interval expit(logit p ± h)
 * rounds to exactly 1 once logit p + h passes ≈ 37 (and to 0 below ≈ −745), so a width can stay 1
 * while the other limit still moves; only an interval already rounded to [0, 1] may not move.
 */
function expectStrictlyInside (inner: { lower: number, upper: number }, outer: { lower: number, upper: number }): void {
  expect(inner.lower).toBeGreaterThanOrEqual(outer.lower)
  expect(inner.upper).toBeLessThanOrEqual(outer.upper)
  const saturated = outer.lower === 0 && outer.upper === 1
  expect(saturated || inner.lower > outer.lower || inner.upper < outer.upper, `[${inner.lower}, ${inner.upper}] strictly inside [${outer.lower}, ${outer.upper}]`).toBe(true)
}

function estimated (result: ProportionResult): ProportionEstimate {
  if (result.status !== 'estimated') throw new Error(`expected an estimate, got ${result.status}: ${result.reason}`)
  return result
}

// ---- generators -------------------------------------------------------------------------------

/** A level strictly inside (0.5, 0.999). */
const level = fc.double({ min: 0.5, max: 0.999, minExcluded: true, maxExcluded: true, noNaN: true })

/** Two levels at least 0.001 apart, lower first (on a grid, so that the widths differ in floating point). */
const twoLevels = fc.uniqueArray(fc.integer({ min: 501, max: 998 }), { minLength: 2, maxLength: 2 })
  .map((pair) => [...pair].sort((a, b) => a - b).map((x) => x / 1000) as [number, number])

/** yes and no drawn separately (n = yes + no), so 0, n and everything between shrink well. */
const countsUpTo = (max: number): fc.Arbitrary<BinomialCounts> =>
  fc.tuple(fc.nat({ max }), fc.nat({ max })).map(([yes, no]) => ({ yes, n: yes + no }))

/** Small, medium and large cells, including n = 0, 0 yes and n yes. */
const counts: fc.Arbitrary<BinomialCounts> = fc.oneof(
  { arbitrary: countsUpTo(5), weight: 3 },
  { arbitrary: countsUpTo(60), weight: 3 },
  { arbitrary: countsUpTo(100_000), weight: 2 },
  { arbitrary: fc.nat({ max: 1_000_000 }).chain((n) => fc.record({ n: fc.constant(n), yes: fc.oneof(fc.constant(0), fc.constant(n), fc.nat({ max: n })) })), weight: 1 }
)

/** A clustered sample: 1–4 strata (or none), 1–6 listed clusters each, perhaps more clusters in the design. */
interface ClusteredSample {
  readonly rows: ClusterCount[]
  readonly clustersPerStratum?: ClustersPerStratum
}

const clusterCounts = fc.oneof({ arbitrary: countsUpTo(3), weight: 1 }, { arbitrary: countsUpTo(25), weight: 3 })

function clusteredSample<T> (cell: fc.Arbitrary<T>): fc.Arbitrary<{ stratified: boolean, strata: Array<{ clusters: T[], unlisted: number }> }> {
  return fc.record({
    stratified: fc.boolean(),
    strata: fc.array(fc.record({
      clusters: fc.array(cell, { minLength: 1, maxLength: 6 }),
      unlisted: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 2 }), weight: 1 }),
    }), { minLength: 1, maxLength: 4 }),
  })
}

/** Rows of one design for the cells given per cluster; the design's cluster count when some are unlisted. */
function layOut<T> (
  sample: { stratified: boolean, strata: Array<{ clusters: T[], unlisted: number }> },
  toRow: (cell: T, id: { cluster: string, stratum?: string }) => ClusterCount
): { rows: ClusterCount[], clustersPerStratum?: ClustersPerStratum } {
  const strata = sample.stratified ? sample.strata : [{ clusters: sample.strata.flatMap((s) => s.clusters), unlisted: sample.strata[0]?.unlisted ?? 0 }]
  const rows = strata.flatMap((s, h) => s.clusters.map((cell, c) =>
    toRow(cell, sample.stratified ? { cluster: `site-${h}-${c}`, stratum: `county-${h}` } : { cluster: `site-${h}-${c}` })))
  if (strata.every((s) => s.unlisted === 0)) return { rows }
  const clustersPerStratum = sample.stratified
    ? Object.fromEntries(strata.map((s, h) => [`county-${h}`, s.clusters.length + s.unlisted]))
    : (strata[0]?.clusters.length ?? 0) + (strata[0]?.unlisted ?? 0)
  return { rows, clustersPerStratum }
}

const clustered: fc.Arbitrary<ClusteredSample> = fc.oneof(
  { arbitrary: clusteredSample(clusterCounts).map((sample) => layOut(sample, (cell, id) => ({ ...id, ...cell }))), weight: 20 },
  // Nobody: no rows at all, or rows that all have n = 0.
  { arbitrary: fc.nat({ max: 3 }).map((c) => ({ rows: Array.from({ length: c }, (_, i) => ({ cluster: `site-${i}`, n: 0, yes: 0 })) })), weight: 1 }
)

/** Two groups (women and men) counted in the same clusters. */
const clusteredPair = clusteredSample(fc.tuple(clusterCounts, clusterCounts))
  .map((sample) => ({
    first: layOut(sample, ([cell], id) => ({ ...id, ...cell })).rows,
    ...layOut(sample, ([, cell], id) => ({ ...id, ...cell })),
  }))

/** Each cluster replaced by m copies of itself (same stratum, same counts): more clusters at the same proportions. */
function replicated (sample: ClusteredSample, m: number): ClusteredSample {
  const rows = sample.rows.flatMap((row) => Array.from({ length: m }, (_, i) => ({ ...row, cluster: `${row.cluster}#${i}` })))
  const { clustersPerStratum } = sample
  if (clustersPerStratum === undefined) return { rows }
  return {
    rows,
    clustersPerStratum: typeof clustersPerStratum === 'number'
      ? clustersPerStratum * m
      : Object.fromEntries(Object.entries(clustersPerStratum).map(([h, c]) => [h, c * m])),
  }
}

/**
 * The status designBasedProportion documents, decided independently: no data; 0 degrees of freedom
 * (Wilson fallback); a lonely stratum, p = 0 or 1, or a zero design SE (not estimable); else estimated.
 */
function expectedDesignStatus ({ rows, clustersPerStratum }: ClusteredSample): 'no_data' | 'fallback' | 'not_estimable' | 'estimated' {
  const n = rows.reduce((s, r) => s + r.n, 0)
  const yes = rows.reduce((s, r) => s + r.yes, 0)
  if (n === 0) return 'no_data'
  const strata = [...new Set(rows.map((r) => r.stratum ?? ''))]
  const withData = rows.filter((r) => r.n > 0)
  if (withData.length - new Set(withData.map((r) => r.stratum ?? '')).size < 1) return 'fallback'
  const designClusters = (h: string): number => {
    const listed = rows.filter((r) => (r.stratum ?? '') === h).length
    if (clustersPerStratum === undefined) return listed
    return typeof clustersPerStratum === 'number' ? clustersPerStratum : clustersPerStratum[h] ?? listed
  }
  if (strata.some((h) => designClusters(h) === 1 && withData.some((r) => (r.stratum ?? '') === h))) return 'not_estimable'
  if (yes === 0 || yes === n) return 'not_estimable'
  // Zero SE: within every stratum, every cluster of the design (unlisted ones score 0) has the same yes·N − Y·n.
  const zeroSe = strata.every((h) => {
    const scores = rows.filter((r) => (r.stratum ?? '') === h).map((r) => r.yes * n - yes * r.n)
    if (designClusters(h) > scores.length) scores.push(0)
    return scores.every((s) => s === scores[0])
  })
  return zeroSe ? 'not_estimable' : 'estimated'
}

// ---- single proportion, simple random sampling ------------------------------------------------

describe('property: Wilson and Clopper–Pearson intervals', () => {
  it.each(SINGLE)('%s: lies in [0, 1] and holds its estimate at any level; n = 0 gives no_data with a reason', (_, interval) => {
    fc.assert(fc.property(counts, level, ({ n, yes }, lvl) => {
      const result = interval({ n, yes }, { level: lvl })
      expectFiniteNumbers(result)
      expect(result.level).toBe(lvl)
      if (n === 0) {
        expect(result.status).toBe('no_data')
        if (result.status === 'no_data') expectReason(result.reason)
        return
      }
      const r = estimated(result)
      expect(r).toMatchObject({ n, count: yes, p: yes / n })
      expectHolds(r.lower, r.p, r.upper)
      expect(r.lower).toBeLessThan(r.upper)
      // The documented edge limits are exact.
      if (yes === 0) expect(r.lower).toBe(0)
      if (yes === n) expect(r.upper).toBe(1)
    }), { numRuns: 1000, seed: 0x5eed01 })
  })

  it.each(SINGLE)('%s: at a fixed proportion x/n, the width shrinks strictly as n grows ×4, ×16, ×64', (_, interval) => {
    fc.assert(fc.property(countsUpTo(2_000).filter((c) => c.n > 0), level, ({ n, yes }, lvl) => {
      let previous = Infinity
      for (const m of [1, 4, 16, 64]) {
        const r = estimated(interval({ n: n * m, yes: yes * m }, { level: lvl }))
        const width = r.upper - r.lower
        expect(width, `${yes * m}/${n * m}`).toBeLessThan(previous)
        previous = width
      }
    }), { numRuns: RUNS, seed: 0x5eed02 })
  })

  it.each(SINGLE)('%s: a higher level gives a wider interval that contains the narrower one', (_, interval) => {
    fc.assert(fc.property(counts.filter((c) => c.n > 0), twoLevels, ({ n, yes }, [low, high]) => {
      const narrow = estimated(interval({ n, yes }, { level: low }))
      const wide = estimated(interval({ n, yes }, { level: high }))
      expect(wide.lower).toBeLessThanOrEqual(narrow.lower)
      expect(wide.upper).toBeGreaterThanOrEqual(narrow.upper)
      expect(wide.upper - wide.lower).toBeGreaterThan(narrow.upper - narrow.lower)
    }), { numRuns: RUNS, seed: 0x5eed03 })
  })

  // Clopper–Pearson contains Wilson at levels up to 0.9 (and a little beyond), but not at 95 %:
  // at 0 yes its upper limit is 1 − (α/2)^(1/n) ≈ −ln(α/2)/n against Wilson's z²/(n + z²) ≈ z²/n,
  // and −ln(α/2) < z² once the level passes ≈ 0.937; at 99 % even 200/1000 is not contained.
  it('Clopper–Pearson contains the Wilson interval at levels up to 0.9', () => {
    const upTo90 = fc.double({ min: 0.5, max: 0.9, minExcluded: true, noNaN: true })
    fc.assert(fc.property(counts.filter((c) => c.n > 0), upTo90, ({ n, yes }, lvl) => {
      const cp = estimated(clopperPearsonInterval({ n, yes }, { level: lvl }))
      const wilson = estimated(wilsonInterval({ n, yes }, { level: lvl }))
      expect(cp.lower).toBeLessThanOrEqual(wilson.lower)
      expect(cp.upper).toBeGreaterThanOrEqual(wilson.upper)
    }), { numRuns: RUNS, seed: 0x5eed04 })
  })

  it('…but not at 95 % or above: 0/46 and 1/97 at 95 %, 200/1000 at 99 % have a Clopper–Pearson limit inside Wilson\'s', () => {
    for (const [yes, n, lvl] of [[0, 46, 0.95], [1, 97, 0.95], [200, 1000, 0.99]] as const) {
      const cp = estimated(clopperPearsonInterval({ n, yes }, { level: lvl }))
      const wilson = estimated(wilsonInterval({ n, yes }, { level: lvl }))
      expect(cp.lower > wilson.lower || cp.upper < wilson.upper, `${yes}/${n} at ${lvl}`).toBe(true)
    }
  })
})

// ---- one proportion, clustered design ---------------------------------------------------------

describe('property: design-based proportion on random clustered data', () => {
  it('lies in [0, 1] and holds its estimate; otherwise a Wilson fallback, no_data or not_estimable with a reason, as documented', () => {
    const seen = new Set<string>()
    fc.assert(fc.property(clustered, level, (sample, lvl) => {
      const result = designBasedProportion(sample.rows, { level: lvl, ...(sample.clustersPerStratum === undefined ? {} : { clustersPerStratum: sample.clustersPerStratum }) })
      expectFiniteNumbers(result)
      const expected = expectedDesignStatus(sample)
      seen.add(expected)
      const n = sample.rows.reduce((s, r) => s + r.n, 0)
      const yes = sample.rows.reduce((s, r) => s + r.yes, 0)
      switch (result.status) {
        case 'no_data':
          expect(expected).toBe('no_data')
          expectReason(result.reason)
          break
        case 'not_estimable':
          expect(expected).toBe('not_estimable')
          expectReason(result.reason)
          expect(result.p).toBe(yes / n)
          break
        case 'estimated':
          expect(result).toMatchObject({ n, count: yes, p: yes / n, level: lvl })
          expectHolds(result.lower, result.p, result.upper)
          if (result.method === 'wilson') {
            expect(expected).toBe('fallback')
            expectReason(result.fallback.reason)
            expect(result).toMatchObject(estimated(wilsonInterval({ n, yes }, { level: lvl })))
          } else {
            expect(expected).toBe('estimated')
            expect(result.lower).toBeLessThan(result.upper)
            expect(result.se).toBeGreaterThan(0)
            expect(result.deff).toBeGreaterThan(0)
            expect(result.df).toBe(result.clusters - result.strata)
            expect(result.df).toBeGreaterThanOrEqual(1)
          }
      }
    }), { numRuns: 600, seed: 0x5eed05 })
    // Every branch was reached, so none of the checks above is vacuous.
    expect([...seen].sort()).toEqual(['estimated', 'fallback', 'no_data', 'not_estimable'])
  })

  it('narrows strictly as every cluster is replicated ×4, ×16 (more clusters, same proportions); scaling n within the clusters leaves it unchanged', () => {
    let checked = 0
    fc.assert(fc.property(clustered, level, (sample, lvl) => {
      const estimate = (s: ClusteredSample): ReturnType<typeof designBasedProportion> =>
        designBasedProportion(s.rows, { level: lvl, ...(s.clustersPerStratum === undefined ? {} : { clustersPerStratum: s.clustersPerStratum }) })
      const base = estimate(sample)
      if (base.status !== 'estimated' || base.method !== 'design-logit') return
      checked++
      let previous = base
      for (const m of [4, 16]) {
        const r = estimate(replicated(sample, m))
        if (r.status !== 'estimated' || r.method !== 'design-logit') throw new Error(`replicated ×${m}: ${r.status} ${r.method}`)
        expect(r.p).toBe(base.p)
        expectStrictlyInside(r, previous)
        previous = r
      }
      // Ten times the respondents in the same clusters at the same cluster proportions: the
      // residual totals (yes_c − p·n_c)/N are unchanged, so is the design-based interval.
      const scaled = estimate({ ...sample, rows: sample.rows.map((row) => ({ ...row, n: row.n * 10, yes: row.yes * 10 })) })
      if (scaled.status !== 'estimated' || scaled.method !== 'design-logit') throw new Error(`scaled: ${scaled.status} ${scaled.method}`)
      expect(scaled.se).toBeCloseTo(base.se, 12)
      expect(scaled.lower).toBeCloseTo(base.lower, 10)
      expect(scaled.upper).toBeCloseTo(base.upper, 10)
    }), { numRuns: RUNS, seed: 0x5eed06 })
    expect(checked).toBeGreaterThan(RUNS / 4)
  })

  it('a higher level gives a wider interval that contains the narrower one', () => {
    let checked = 0
    fc.assert(fc.property(clustered, twoLevels, (sample, [low, high]) => {
      const options = sample.clustersPerStratum === undefined ? {} : { clustersPerStratum: sample.clustersPerStratum }
      const narrow = designBasedProportion(sample.rows, { ...options, level: low })
      const wide = designBasedProportion(sample.rows, { ...options, level: high })
      expect(wide.status).toBe(narrow.status)
      if (narrow.status !== 'estimated' || wide.status !== 'estimated') return
      checked++
      expectStrictlyInside(narrow, wide)
    }), { numRuns: RUNS, seed: 0x5eed07 })
    expect(checked).toBeGreaterThan(RUNS / 3)
  })
})

// ---- differences ------------------------------------------------------------------------------

describe('property: difference of two proportions', () => {
  it('Newcombe: lies in [−1, 1] and contains p₁ − p₂ at any level; a group with n = 0 gives no_data with a reason', () => {
    fc.assert(fc.property(counts, counts, level, (first, second, lvl) => {
      const result = newcombeDifference(first, second, { level: lvl })
      expectFiniteNumbers(result)
      if (first.n === 0 || second.n === 0) {
        expect(result.status).toBe('no_data')
        if (result.status === 'no_data') expectReason(result.reason)
        return
      }
      if (result.status !== 'estimated') throw new Error(`expected an estimate, got ${result.status}`)
      expect(result.difference).toBe(first.yes / first.n - second.yes / second.n)
      expectHolds(result.lower, result.difference, result.upper, -1)
      expect(result.lower).toBeLessThan(result.upper)
    }), { numRuns: 1000, seed: 0x5eed08 })
  })

  it('Newcombe: a higher level gives a wider interval that contains the narrower one', () => {
    const nonEmpty = counts.filter((c) => c.n > 0)
    fc.assert(fc.property(nonEmpty, nonEmpty, twoLevels, (first, second, [low, high]) => {
      const narrow = newcombeDifference(first, second, { level: low })
      const wide = newcombeDifference(first, second, { level: high })
      if (narrow.status !== 'estimated' || wide.status !== 'estimated') throw new Error('expected estimates')
      expect(wide.lower).toBeLessThanOrEqual(narrow.lower)
      expect(wide.upper).toBeGreaterThanOrEqual(narrow.upper)
      expect(wide.upper - wide.lower).toBeGreaterThan(narrow.upper - narrow.lower)
    }), { numRuns: RUNS, seed: 0x5eed09 })
  })

  it('design-based: lies in [−1, 1] and contains p₁ − p₂; otherwise a Newcombe fallback, no_data or not_estimable with a reason', () => {
    const seen = new Set<string>()
    fc.assert(fc.property(clusteredPair, level, ({ first, rows, clustersPerStratum }, lvl) => {
      const result = designBasedDifference(first, rows, { level: lvl, ...(clustersPerStratum === undefined ? {} : { clustersPerStratum }) })
      expectFiniteNumbers(result)
      const total = (list: readonly ClusterCount[]): BinomialCounts => ({ n: list.reduce((s, r) => s + r.n, 0), yes: list.reduce((s, r) => s + r.yes, 0) })
      const t1 = total(first)
      const t2 = total(rows)
      seen.add(result.status === 'estimated' ? result.method : result.status)
      if (result.status === 'no_data') {
        expect(t1.n === 0 || t2.n === 0).toBe(true)
        expectReason(result.reason)
        return
      }
      expect(t1.n > 0 && t2.n > 0).toBe(true)
      expect(result.difference).toBe(t1.yes / t1.n - t2.yes / t2.n)
      if (result.status === 'not_estimable') {
        expectReason(result.reason)
        return
      }
      expectHolds(result.lower, result.difference, result.upper, -1)
      if (result.method === 'newcombe-hybrid') {
        expectReason(result.fallback.reason)
        expect({ lower: result.lower, upper: result.upper }).toEqual(limits(newcombeDifference(t1, t2, { level: lvl })))
      } else {
        expect(result.se).toBeGreaterThan(0)
        expect(result.lower).toBeLessThan(result.upper)
        expect(result.df).toBe(result.clusters - result.strata)
        expect(result.df).toBeGreaterThanOrEqual(1)
      }
    }), { numRuns: 600, seed: 0x5eed0a })
    expect([...seen].sort()).toEqual(['design-linearised', 'newcombe-hybrid', 'no_data', 'not_estimable'])
  })
})

/** The limits of an estimated difference, to compare a fallback with a direct computation. */
function limits (result: ReturnType<typeof newcombeDifference>): { lower: number, upper: number } {
  if (result.status !== 'estimated') throw new Error(`expected an estimate, got ${result.status}`)
  return { lower: result.lower, upper: result.upper }
}
