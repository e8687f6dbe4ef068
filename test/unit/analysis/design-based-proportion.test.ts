import { describe, expect, it } from 'vitest'
import { AnalysisInputError, designBasedProportion, wilsonInterval } from '../../../analysis/index.js'
import type { ClusterCount, DesignProportionEstimate, DesignProportionResult } from '../../../analysis/index.js'
import { clusterCounts, fixtureRows, respondents } from './fixtures/clustered-counts.js'

// Expected values from R's survey package 4.1-1 on the same fixture (fixtures/clustered-counts.csv),
// printed by fixtures/reference-values.R:
//   des <- svydesign(ids = ~site, strata = ~county, data = respondents, weights = ~1)
//   svymean(~y, des, deff = "replace"); svyciprop(~y, des, method = "logit"); degf(des)
//   and the same on subset(des, gender == "woman") and subset(des, gender == "man").

function designEstimate (result: DesignProportionResult): DesignProportionEstimate {
  if (result.status !== 'estimated' || result.method !== 'design-logit') {
    throw new Error(`expected a design-based estimate, got ${result.status} ${result.method}`)
  }
  return result
}

/**
 * The linearised variance written out from respondent records, independently of analysis/:
 * u_i = (y_i − p)/N; U_c = Σ_{i in c} u_i; v = Σ_h n_h/(n_h − 1) Σ_c (U_c − Ū_h)² over every site of
 * county h in the whole fixture (a site without subgroup members has U_c = 0).
 */
function varianceFromRespondents (gender?: 'woman' | 'man', stratified = true): { p: number, n: number, variance: number } {
  const people = respondents(gender)
  const n = people.length
  const p = people.reduce((s, r) => s + r.y, 0) / n
  const stratumOf = (county: string): string => (stratified ? county : 'all')
  const sitesByStratum = new Map<string, Set<string>>()
  for (const row of fixtureRows) {
    const set = sitesByStratum.get(stratumOf(row.county)) ?? new Set<string>()
    set.add(row.site)
    sitesByStratum.set(stratumOf(row.county), set)
  }
  const clusterTotal = new Map<string, number>()
  for (const r of people) clusterTotal.set(r.site, (clusterTotal.get(r.site) ?? 0) + (r.y - p) / n)
  let variance = 0
  for (const sites of sitesByStratum.values()) {
    const totals = [...sites].map((s) => clusterTotal.get(s) ?? 0)
    const nh = totals.length
    const mean = totals.reduce((a, b) => a + b, 0) / nh
    variance += nh / (nh - 1) * totals.reduce((a, u) => a + (u - mean) ** 2, 0)
  }
  return { p, n, variance }
}

const expit = (x: number): number => 1 / (1 + Math.exp(-x))

describe('designBasedProportion on the clustered fixture (9 sites in 3 counties)', () => {
  it('everyone: p, SE, deff, df and logit interval match R (svydesign(ids = ~site, strata = ~county))', () => {
    const result = designEstimate(designBasedProportion(clusterCounts()))
    expect(result).toMatchObject({ n: 190, count: 63, df: 6, clusters: 9, strata: 3, level: 0.95 })
    expect(result.p).toBeCloseTo(0.331578947368421, 6)
    expect(result.se).toBeCloseTo(0.0474213524438392, 6)
    expect(result.deff).toBeCloseTo(1.91766440552272, 6)
    expect(result.lower).toBeCloseTo(0.227128163972802, 6)
    expect(result.upper).toBeCloseTo(0.455739667427259, 6)
  })

  it('everyone at level 0.90 matches R svyciprop(level = 0.9)', () => {
    const result = designEstimate(designBasedProportion(clusterCounts(), { level: 0.9 }))
    expect(result.lower).toBeCloseTo(0.246601745694378, 6)
    expect(result.upper).toBeCloseTo(0.429158466106365, 6)
  })

  it('SE, deff and interval equal the residual formula written out from respondent records', () => {
    const { p, n, variance } = varianceFromRespondents()
    const result = designEstimate(designBasedProportion(clusterCounts()))
    expect(result.se).toBeCloseTo(Math.sqrt(variance), 12)
    expect(result.deff).toBeCloseTo(variance / (p * (1 - p) / (n - 1)), 10)
    const t6 = 2.44691185114497 // R: qt(0.975, 6)
    const half = t6 * Math.sqrt(variance) / (p * (1 - p))
    expect(result.lower).toBeCloseTo(expit(Math.log(p / (1 - p)) - half), 10)
    expect(result.upper).toBeCloseTo(expit(Math.log(p / (1 - p)) + half), 10)
  })

  it('subgroup women: df counts only sites with women (8 − 3 = 5), variance keeps n_h of the whole design; matches R', () => {
    const result = designEstimate(designBasedProportion(clusterCounts('woman')))
    expect(result).toMatchObject({ n: 78, count: 32, df: 5, clusters: 8, strata: 3 })
    expect(result.p).toBeCloseTo(0.41025641025641, 6)
    expect(result.se).toBeCloseTo(0.0609386242636029, 6)
    expect(result.deff).toBeCloseTo(1.18183653488837, 6)
    expect(result.lower).toBeCloseTo(0.266910507526026, 6)
    expect(result.upper).toBeCloseTo(0.570659738684190, 6)
    expect(result.se).toBeCloseTo(Math.sqrt(varianceFromRespondents('woman').variance), 12)
  })

  it('subgroup women at level 0.90 matches R', () => {
    const result = designEstimate(designBasedProportion(clusterCounts('woman'), { level: 0.9 }))
    expect(result.lower).toBeCloseTo(0.295164228085686, 6)
    expect(result.upper).toBeCloseTo(0.536092597474861, 6)
  })

  it('subgroup men matches R', () => {
    const result = designEstimate(designBasedProportion(clusterCounts('man')))
    expect(result).toMatchObject({ n: 112, count: 31, df: 5 })
    expect(result.se).toBeCloseTo(0.0392519570848023, 6)
    expect(result.deff).toBeCloseTo(0.854348265590585, 6)
    expect(result.lower).toBeCloseTo(0.187776705875099, 6)
    expect(result.upper).toBeCloseTo(0.387839685503078, 6)
  })

  it('a subgroup without its empty sites needs clustersPerStratum to match R; then it equals the padded listing', () => {
    const padded = designEstimate(designBasedProportion(clusterCounts('woman')))
    const withoutEmpty = clusterCounts('woman').filter((row) => row.n > 0) // drops site a3
    const declared = designEstimate(designBasedProportion(withoutEmpty, { clustersPerStratum: { A: 3, B: 4, C: 2 } }))
    expect(declared.se).toBeCloseTo(padded.se, 14)
    expect(declared.lower).toBeCloseTo(padded.lower, 14)
    expect(declared.df).toBe(5)
    // Without it, county A would count 2 clusters instead of 3: a different (non-R) variance.
    const undeclared = designEstimate(designBasedProportion(withoutEmpty))
    expect(Math.abs(undeclared.se - padded.se)).toBeGreaterThan(1e-4)
  })

  it('unstratified design (svydesign(ids = ~site)) matches R: df = 9 − 1', () => {
    const rows = clusterCounts().map(({ cluster, n, yes }) => ({ cluster, n, yes }))
    const result = designEstimate(designBasedProportion(rows))
    expect(result).toMatchObject({ df: 8, clusters: 9, strata: 1 })
    expect(result.se).toBeCloseTo(0.0435847819011766, 6)
    expect(result.deff).toBeCloseTo(1.61992344101032, 6)
    expect(result.lower).toBeCloseTo(0.239662250076921, 6)
    expect(result.upper).toBeCloseTo(0.438421050298488, 6)
    expect(result.se).toBeCloseTo(Math.sqrt(varianceFromRespondents(undefined, false).variance), 12)
  })

  it('unstratified women match R (subset(svydesign(ids = ~site), gender == "woman"), df = 8 − 1)', () => {
    const rows = clusterCounts('woman').map(({ cluster, n, yes }) => ({ cluster, n, yes }))
    const result = designEstimate(designBasedProportion(rows))
    expect(result.df).toBe(7)
    expect(result.se).toBeCloseTo(0.0546781707125409, 6)
    expect(result.deff).toBeCloseTo(0.951480897864677, 6)
    expect(result.lower).toBeCloseTo(0.289606796545968, 6)
    expect(result.upper).toBeCloseTo(0.542766127834095, 6)
  })

  it('does not depend on the order of the rows', () => {
    const rows = clusterCounts()
    const forward = designEstimate(designBasedProportion(rows))
    const backward = designEstimate(designBasedProportion([...rows].reverse()))
    expect(backward).toEqual(forward)
  })
})

describe('designBasedProportion edge cases', () => {
  const twoStrata = (yes: readonly [number, number, number, number]): ClusterCount[] => [
    { cluster: 's1', stratum: 'A', n: 10, yes: yes[0] },
    { cluster: 's2', stratum: 'A', n: 12, yes: yes[1] },
    { cluster: 's3', stratum: 'B', n: 8, yes: yes[2] },
    { cluster: 's4', stratum: 'B', n: 9, yes: yes[3] },
  ]

  it('edge case: no rows gives no_data', () => {
    expect(designBasedProportion([])).toMatchObject({ status: 'no_data', method: 'design-logit', n: 0, count: 0, reason: expect.stringContaining('n = 0') })
  })

  it('edge case: rows that all have n = 0 give no_data', () => {
    expect(designBasedProportion([{ cluster: 's1', n: 0, yes: 0 }, { cluster: 's2', n: 0, yes: 0 }])).toMatchObject({ status: 'no_data' })
  })

  it('edge case: a single cluster falls back to Wilson and says so', () => {
    const result = designBasedProportion([{ cluster: 'only', n: 40, yes: 9 }])
    const wilson = wilsonInterval({ yes: 9, n: 40 })
    expect(result).toMatchObject({ status: 'estimated', method: 'wilson', n: 40, count: 9, fallback: { from: 'design-logit' } })
    if (result.status !== 'estimated' || wilson.status !== 'estimated') throw new Error('unreachable')
    expect(result.lower).toBe(wilson.lower)
    expect(result.upper).toBe(wilson.upper)
    expect(result.fallback?.reason).toMatch(/one cluster/)
  })

  it('edge case: a subgroup found in one site of a larger design falls back to Wilson (R: degf 0, svyciprop NaN)', () => {
    const rows: ClusterCount[] = [
      { cluster: 's1', stratum: 'A', n: 10, yes: 3 },
      { cluster: 's2', stratum: 'A', n: 0, yes: 0 },
      { cluster: 's3', stratum: 'B', n: 0, yes: 0 },
    ]
    expect(designBasedProportion(rows, { clustersPerStratum: { A: 2, B: 2 } })).toMatchObject({ method: 'wilson', fallback: { from: 'design-logit' } })
  })

  it('edge case: one cluster with data in each stratum (df = 0) falls back to Wilson', () => {
    const rows: ClusterCount[] = [
      { cluster: 's1', stratum: 'A', n: 10, yes: 3 },
      { cluster: 's2', stratum: 'B', n: 12, yes: 2 },
    ]
    const result = designBasedProportion(rows, { clustersPerStratum: { A: 3, B: 3 } })
    expect(result).toMatchObject({ method: 'wilson', fallback: { reason: expect.stringContaining('single cluster') } })
  })

  it('edge case: a stratum with one cluster in the design is not estimable (R: lonely PSU error)', () => {
    const rows: ClusterCount[] = [
      { cluster: 's1', stratum: 'A', n: 10, yes: 3 },
      { cluster: 's2', stratum: 'A', n: 12, yes: 5 },
      { cluster: 's3', stratum: 'B', n: 8, yes: 2 },
    ]
    const result = designBasedProportion(rows)
    expect(result).toMatchObject({ status: 'not_estimable', n: 30, count: 10, se: null, deff: null })
    if (result.status !== 'not_estimable') throw new Error('unreachable')
    expect(result.reason).toContain('Stratum (B) has only one PSU')
  })

  it('edge case: p = 0 is not estimable by the logit method (R gives a degenerate interval near 1e-12)', () => {
    const result = designBasedProportion(twoStrata([0, 0, 0, 0]))
    expect(result).toMatchObject({ status: 'not_estimable', method: 'design-logit', n: 39, count: 0, p: 0, se: 0, deff: null })
    if (result.status !== 'not_estimable') throw new Error('unreachable')
    expect(result.reason).toMatch(/p = 0/)
    expect(result.reason).toMatch(/Wilson or Clopper–Pearson/)
  })

  it('edge case: p = 1 is not estimable by the logit method', () => {
    const result = designBasedProportion(twoStrata([10, 12, 8, 9]))
    expect(result).toMatchObject({ status: 'not_estimable', p: 1, count: 39 })
  })

  it('edge case: design SE exactly 0 with 0 < p < 1 is not estimable (R prints [p, p])', () => {
    const rows: ClusterCount[] = [1, 2, 3, 4].map((i) => ({ cluster: `s${i}`, n: 10, yes: 5 }))
    const result = designBasedProportion(rows)
    expect(result).toMatchObject({ status: 'not_estimable', p: 0.5, se: 0, deff: 0 })
  })

  it('edge case: SE 0 is decided exactly, not by a float tolerance (p = 1/3 in every cluster)', () => {
    const rows: ClusterCount[] = [3, 6, 9].map((n, i) => ({ cluster: `s${i}`, n, yes: n / 3 }))
    expect(designBasedProportion(rows)).toMatchObject({ status: 'not_estimable', se: 0 })
  })

  it('edge case: the result never holds NaN or Infinity', () => {
    for (const yes of [[0, 0, 0, 1], [1, 0, 0, 0], [10, 12, 8, 8], [5, 5, 4, 4]] as const) {
      const result = designBasedProportion(twoStrata(yes))
      for (const value of Object.values(result)) {
        if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true)
      }
    }
  })

  it('edge case: invalid input throws AnalysisInputError with a code', () => {
    const bad: Array<[ClusterCount[], object | undefined, string]> = [
      [[{ cluster: 's1', n: 5, yes: 6 }], undefined, 'invalid_count'],
      [[{ cluster: 's1', n: -1, yes: 0 }], undefined, 'invalid_count'],
      [[{ cluster: 's1', n: 5, yes: 1 }, { cluster: 's1', n: 3, yes: 1 }], undefined, 'invalid_design'],
      [[{ cluster: 's1', stratum: 'A', n: 5, yes: 1 }, { cluster: 's2', n: 3, yes: 1 }], undefined, 'invalid_design'],
      [[{ cluster: '', n: 5, yes: 1 }], undefined, 'invalid_design'],
      [twoStrata([1, 1, 1, 1]), { clustersPerStratum: { A: 1, B: 2 } }, 'invalid_design'],
      [twoStrata([1, 1, 1, 1]), { clustersPerStratum: { A: 2 } }, 'invalid_design'],
      [twoStrata([1, 1, 1, 1]), { clustersPerStratum: 4 }, 'invalid_design'],
      [[{ cluster: 's1', n: 5, yes: 1 }], { clustersPerStratum: { A: 2 } }, 'invalid_design'],
      [twoStrata([1, 1, 1, 1]), { level: 1.5 }, 'invalid_level'],
    ]
    for (const [rows, options, code] of bad) {
      expect(() => designBasedProportion(rows, options)).toThrow(AnalysisInputError)
      expect(() => designBasedProportion(rows, options)).toThrow(expect.objectContaining({ code }))
    }
  })
})
