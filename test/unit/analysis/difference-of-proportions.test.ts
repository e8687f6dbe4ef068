import { describe, expect, it } from 'vitest'
import {
  AnalysisInputError,
  designBasedDifference,
  designBasedProportion,
  newcombeDifference,
  wilsonInterval,
} from '../../../analysis/index.js'
import type {
  ClusterCount,
  DesignDifferenceEstimate,
  DesignDifferenceResult,
  NewcombeDifferenceResult,
} from '../../../analysis/index.js'
import { clusterCounts, fixtureRows, respondents } from './fixtures/clustered-counts.js'

function newcombeEstimate (result: NewcombeDifferenceResult): Extract<NewcombeDifferenceResult, { status: 'estimated' }> {
  if (result.status !== 'estimated') throw new Error(`expected an estimate, got ${result.status}: ${result.reason}`)
  return result
}

function designEstimate (result: DesignDifferenceResult): DesignDifferenceEstimate {
  if (result.status !== 'estimated' || result.method !== 'design-linearised') {
    throw new Error(`expected a design-based estimate, got ${result.status} ${result.method}`)
  }
  return result
}

describe('newcombeDifference (hybrid score, method 10)', () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions:
  // comparison of eleven methods", Statistics in Medicine 17, 873–890, Table II, method 10, to 4 dp.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.8090],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1.0000],
    [10, 10, 0, 10, 0.6075, 1.0000],
  ])('Newcombe 1998 worked example %s/%s − %s/%s: %s to %s', (y1, n1, y2, n2, lower, upper) => {
    const result = newcombeEstimate(newcombeDifference({ yes: y1, n: n1 }, { yes: y2, n: n2 }))
    expect(result.lower).toBeCloseTo(lower, 4)
    expect(result.upper).toBeCloseTo(upper, 4)
  })

  // The same, written out in R from prop.test(correct = FALSE) Wilson limits (fixtures/reference-values.R).
  it.each([
    [56, 70, 48, 80, 0.052431472402365, 0.333872654036906],
    [9, 10, 3, 10, 0.170522723934503, 0.809017973535488],
    [6, 7, 2, 7, 0.0582279274823123, 0.8062496375242277],
    [5, 56, 0, 29, -0.0381371479035368, 0.1925600138551116],
    [0, 10, 0, 20, -0.161125158052819, 0.277532799862889],
    [0, 10, 0, 10, -0.277532799862889, 0.277532799862889],
    [10, 10, 0, 20, 0.679086037141915, 1],
    [10, 10, 0, 10, 0.607509350430524, 1],
  ])('%s/%s − %s/%s matches the R computation: %s to %s', (y1, n1, y2, n2, lower, upper) => {
    const result = newcombeEstimate(newcombeDifference({ yes: y1, n: n1 }, { yes: y2, n: n2 }))
    expect(result.difference).toBeCloseTo(y1 / n1 - y2 / n2, 12)
    expect(result.lower).toBeCloseTo(lower, 6)
    expect(result.upper).toBeCloseTo(upper, 6)
  })

  it('reports each group with the Wilson limits it is built from', () => {
    const result = newcombeEstimate(newcombeDifference({ yes: 56, n: 70 }, { yes: 48, n: 80 }))
    const w1 = wilsonInterval({ yes: 56, n: 70 })
    expect(result.first).toMatchObject({ n: 70, count: 56, p: 0.8 })
    if (w1.status !== 'estimated') throw new Error('unreachable')
    expect(result.first.lower).toBe(w1.lower)
    expect(result.first.upper).toBe(w1.upper)
  })

  it('swapping the groups negates the interval; it holds the difference and stays in [−1, 1]', () => {
    for (const [y1, n1, y2, n2] of [[3, 9, 7, 11], [0, 5, 5, 5], [12, 40, 1, 3]] as const) {
      const ab = newcombeEstimate(newcombeDifference({ yes: y1, n: n1 }, { yes: y2, n: n2 }))
      const ba = newcombeEstimate(newcombeDifference({ yes: y2, n: n2 }, { yes: y1, n: n1 }))
      expect(ba.lower).toBeCloseTo(-ab.upper, 14)
      expect(ba.upper).toBeCloseTo(-ab.lower, 14)
      expect(ab.lower).toBeLessThanOrEqual(ab.difference)
      expect(ab.upper).toBeGreaterThanOrEqual(ab.difference)
      expect(ab.lower).toBeGreaterThanOrEqual(-1)
      expect(ab.upper).toBeLessThanOrEqual(1)
    }
  })

  it('edge case: a group with n = 0 gives no_data naming that group', () => {
    const result = newcombeDifference({ yes: 0, n: 0 }, { yes: 3, n: 10 })
    expect(result).toMatchObject({ status: 'no_data', method: 'newcombe-hybrid', first: { n: 0 }, second: { n: 10 } })
    if (result.status !== 'no_data') throw new Error('unreachable')
    expect(result.reason).toMatch(/first group/)
  })

  it('edge case: invalid counts throw AnalysisInputError', () => {
    expect(() => newcombeDifference({ yes: 4, n: 3 }, { yes: 1, n: 3 })).toThrow(AnalysisInputError)
    expect(() => newcombeDifference({ yes: 1, n: 3 }, { yes: 1, n: 3 }, { level: 0 })).toThrow(AnalysisInputError)
  })
})

describe('designBasedDifference on the clustered fixture (women − men)', () => {
  // R (fixtures/reference-values.R):
  //   by <- svyby(~y, ~gender, des, svymean, covmat = TRUE)
  //   d <- svycontrast(by, quote(woman - man)); SE(d); confint(d, df = degf(des))
  it('matches R svycontrast of svyby(covmat = TRUE), with a t quantile on degf = 6', () => {
    const result = designEstimate(designBasedDifference(clusterCounts('woman'), clusterCounts('man')))
    expect(result).toMatchObject({ df: 6, clusters: 9, strata: 3, level: 0.95 })
    expect(result.difference).toBeCloseTo(0.133470695970696, 6)
    expect(result.se).toBeCloseTo(0.028127887251084, 6)
    expect(result.lower).toBeCloseTo(0.0646442353083491, 6)
    expect(result.upper).toBeCloseTo(0.2022971566330428, 6)
  })

  it('reports each group with its own SE and deff, equal to designBasedProportion (and R svymean)', () => {
    const result = designEstimate(designBasedDifference(clusterCounts('woman'), clusterCounts('man')))
    expect(result.first).toMatchObject({ n: 78, count: 32 })
    expect(result.first.se).toBeCloseTo(0.0609386242636029, 6)
    expect(result.first.deff).toBeCloseTo(1.18183653488837, 6)
    expect(result.second.se).toBeCloseTo(0.0392519570848023, 6)
    expect(result.second.deff).toBeCloseTo(0.854348265590585, 6)
  })

  it('includes the covariance through shared sites: √(se₁² + se₂²) would be 0.0725 (R), not 0.0281', () => {
    const result = designEstimate(designBasedDifference(clusterCounts('woman'), clusterCounts('man')))
    const independent = Math.hypot(result.first.se, result.second.se)
    expect(independent).toBeCloseTo(0.0724860818511232, 6)
    expect(result.se).toBeLessThan(independent / 2)
  })

  it('equals v₁ + v₂ − 2·cov₁₂ written out from respondent records', () => {
    const women = respondents('woman')
    const men = respondents('man')
    const p1 = women.filter((r) => r.y === 1).length / women.length
    const p2 = men.filter((r) => r.y === 1).length / men.length
    const totals = (people: typeof women, p: number): Map<string, number> => {
      const m = new Map<string, number>()
      for (const r of people) m.set(r.site, (m.get(r.site) ?? 0) + (r.y - p) / people.length)
      return m
    }
    const u1 = totals(women, p1)
    const u2 = totals(men, p2)
    const sitesByCounty = new Map<string, Set<string>>()
    for (const row of fixtureRows) sitesByCounty.set(row.county, (sitesByCounty.get(row.county) ?? new Set()).add(row.site))
    let v1 = 0
    let v2 = 0
    let cov = 0
    for (const sites of sitesByCounty.values()) {
      const a = [...sites].map((s) => u1.get(s) ?? 0)
      const b = [...sites].map((s) => u2.get(s) ?? 0)
      const nh = sites.size
      const ma = a.reduce((x, y) => x + y, 0) / nh
      const mb = b.reduce((x, y) => x + y, 0) / nh
      const f = nh / (nh - 1)
      v1 += f * a.reduce((s, x) => s + (x - ma) ** 2, 0)
      v2 += f * b.reduce((s, x) => s + (x - mb) ** 2, 0)
      cov += f * a.reduce((s, x, i) => s + (x - ma) * ((b[i] ?? 0) - mb), 0)
    }
    const result = designEstimate(designBasedDifference(clusterCounts('woman'), clusterCounts('man')))
    expect(result.se).toBeCloseTo(Math.sqrt(v1 + v2 - 2 * cov), 12)
  })

  it('groups in different strata have no covariance: the SE is √(se₁² + se₂²) of the two separate estimates', () => {
    const first: ClusterCount[] = [
      { cluster: 'a1', stratum: 'A', n: 20, yes: 6 },
      { cluster: 'a2', stratum: 'A', n: 15, yes: 9 },
      { cluster: 'a3', stratum: 'A', n: 11, yes: 2 },
    ]
    const second: ClusterCount[] = [
      { cluster: 'b1', stratum: 'B', n: 14, yes: 3 },
      { cluster: 'b2', stratum: 'B', n: 19, yes: 4 },
      { cluster: 'b3', stratum: 'B', n: 8, yes: 4 },
    ]
    const difference = designEstimate(designBasedDifference(first, second))
    const one = designBasedProportion(first)
    const two = designBasedProportion(second)
    if (one.status !== 'estimated' || two.status !== 'estimated' || one.method !== 'design-logit' || two.method !== 'design-logit') throw new Error('unreachable')
    expect(difference.se).toBeCloseTo(Math.hypot(one.se, two.se), 14)
    expect(difference.df).toBe(6 - 2)
  })

  it('does not depend on the order of the rows', () => {
    const forward = designBasedDifference(clusterCounts('woman'), clusterCounts('man'))
    const backward = designBasedDifference(clusterCounts('woman').reverse(), clusterCounts('man').reverse())
    expect(backward).toEqual(forward)
  })
})

describe('designBasedDifference edge cases', () => {
  const sites = (counts: ReadonlyArray<readonly [number, number]>): ClusterCount[] =>
    counts.map(([n, yes], i) => ({ cluster: `s${i + 1}`, n, yes }))

  it('edge case: a group with n = 0 gives no_data naming it', () => {
    const result = designBasedDifference(sites([[10, 2], [8, 3]]), [])
    expect(result).toMatchObject({ status: 'no_data', method: 'design-linearised', second: { n: 0, count: 0 } })
    if (result.status !== 'no_data') throw new Error('unreachable')
    expect(result.reason).toMatch(/second group/)
  })

  it('edge case: everyone in one cluster falls back to Newcombe and says so', () => {
    const result = designBasedDifference(sites([[10, 6]]), sites([[12, 3]]))
    expect(result).toMatchObject({ status: 'estimated', method: 'newcombe-hybrid', fallback: { from: 'design-linearised' } })
    const plain = newcombeDifference({ yes: 6, n: 10 }, { yes: 3, n: 12 })
    if (result.status !== 'estimated' || plain.status !== 'estimated') throw new Error('unreachable')
    expect(result.lower).toBe(plain.lower)
    expect(result.upper).toBe(plain.upper)
  })

  it('edge case: p = 0 in both groups has a zero SE: not estimable', () => {
    const result = designBasedDifference(sites([[10, 0], [8, 0]]), sites([[12, 0], [9, 0]]))
    expect(result).toMatchObject({ status: 'not_estimable', difference: 0, reason: expect.stringContaining('0') })
  })

  it('edge case: p = 0 in one group still gives an interval, with a note that it may be too narrow', () => {
    const result = designEstimate(designBasedDifference(sites([[10, 0], [8, 0], [9, 0]]), sites([[12, 3], [9, 1], [10, 5]])))
    expect(result.first.deff).toBeNull()
    expect(result.first.se).toBe(0)
    expect(result.note).toMatch(/first group has p = 0/)
  })

  it('edge case: a stratum with one cluster in the design is not estimable (R: lonely PSU)', () => {
    const first: ClusterCount[] = [
      { cluster: 'a1', stratum: 'A', n: 10, yes: 3 },
      { cluster: 'a2', stratum: 'A', n: 9, yes: 2 },
      { cluster: 'b1', stratum: 'B', n: 7, yes: 1 },
    ]
    expect(designBasedDifference(first, first)).toMatchObject({ status: 'not_estimable', reason: expect.stringContaining('only one PSU') })
  })

  it('edge case: an interval reaching past 1 is clipped to [−1, 1]', () => {
    const result = designEstimate(designBasedDifference(sites([[10, 10], [10, 8]]), sites([[10, 0], [10, 2]])))
    expect(result.df).toBe(1)
    expect(result.upper).toBe(1)
    expect(result.lower).toBeGreaterThanOrEqual(-1)
  })

  it('edge case: a cluster in two strata, or listed twice, throws AnalysisInputError', () => {
    expect(() => designBasedDifference(
      [{ cluster: 's1', stratum: 'A', n: 5, yes: 1 }, { cluster: 's2', stratum: 'A', n: 5, yes: 1 }],
      [{ cluster: 's1', stratum: 'B', n: 5, yes: 1 }, { cluster: 's3', stratum: 'B', n: 5, yes: 1 }]
    )).toThrow(expect.objectContaining({ name: 'AnalysisInputError', code: 'invalid_design' }))
    expect(() => designBasedDifference(sites([[5, 1], [5, 1]]), [...sites([[5, 1]]), ...sites([[5, 1]])]))
      .toThrow(AnalysisInputError)
  })
})
