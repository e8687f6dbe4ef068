import { describe, expect, it } from 'vitest'
import { designBasedProportion } from '../../../analysis/design-based-proportion.js'
import { kornGraubardProportion } from '../../../analysis/korn-graubard-proportion.js'
import { multiplicityWeight, weightedDesignProportion } from '../../../analysis/weighted-design-proportion.js'
import type { WeightedClusterCount, WeightedDesignResult } from '../../../analysis/weighted-design-proportion.js'
import { clusterCounts, fixtureRows } from './fixtures/clustered-counts.js'

// Expected values from R 4.2.2, survey 4.1-1 (fixtures/reference-values.R, "weighted"): respondent i
// (from 1) of each site-and-gender row of the fixture has weight 1/(((i − 1) mod 4) + 1), and
//   dw <- svydesign(ids = ~site, strata = ~county, weights = ~w, data = respondents)
//   svymean(~y, dw, deff = "replace"); svyciprop(~y, dw, method = "logit"); svyciprop(~y, dw, method = "beta")

function weightedRows (gender?: 'woman' | 'man', stratified = true): WeightedClusterCount[] {
  const bySite = new Map<string, { cluster: string, stratum?: string, n: number, yes: number, weight: number, weightedYes: number }>()
  for (const row of fixtureRows) {
    const entry = bySite.get(row.site) ?? { cluster: row.site, ...(stratified ? { stratum: row.county } : {}), n: 0, yes: 0, weight: 0, weightedYes: 0 }
    if (gender === undefined || row.gender === gender) {
      for (let i = 0; i < row.n; i++) {
        const w = 1 / ((i % 4) + 1)
        entry.n++
        entry.weight += w
        if (i < row.yes) { entry.yes++; entry.weightedYes += w }
      }
    }
    bySite.set(row.site, entry)
  }
  return [...bySite.values()]
}
const TOLERANCE = 1e-6
let largest = 0
function near (actual: number | undefined, expected: number): void {
  expect(actual).toBeTypeOf('number')
  largest = Math.max(largest, Math.abs((actual as number) - expected))
  expect(Math.abs((actual as number) - expected)).toBeLessThan(TOLERANCE)
}
function estimated (result: WeightedDesignResult): Extract<WeightedDesignResult, { status: 'estimated' }> {
  if (result.status !== 'estimated') throw new Error(`expected an estimate, got ${result.status}`)
  return result
}

describe('weightedDesignProportion against R svydesign(weights = ~w) + svyciprop', () => {
  it('everyone, stratified: p, SE, deff, logit and beta intervals equal R', () => {
    const logit = estimated(weightedDesignProportion(weightedRows(), { interval: 'logit' }))
    near(logit.p, 0.371980676328502)
    near(logit.se, 0.0383425561504879)
    near(logit.deff, 1.18940714236871)
    expect(logit.df).toBe(6)
    near(logit.lower, 0.283871001969269)
    near(logit.upper, 0.469508468686126)
    const beta = estimated(weightedDesignProportion(weightedRows(), { interval: 'korn-graubard' }))
    near(beta.effectiveN, 158.902694685022936)
    near(beta.lower, 0.278869888978757)
    near(beta.upper, 0.472637900213785)
  })

  it('women: logit equals R; Korn–Graubard capped at n = 78 equals the capped R interval', () => {
    const rows = weightedRows('woman')
    const logit = estimated(weightedDesignProportion(rows, { interval: 'logit' }))
    near(logit.se, 0.0561997362105274)
    near(logit.lower, 0.323585565046196)
    near(logit.upper, 0.604781306751727)
    const beta = estimated(weightedDesignProportion(rows, { interval: 'korn-graubard' }))
    expect(beta.effectiveN).toBe(78)
    near(beta.lower, 0.314407302366644)
    near(beta.upper, 0.612874106105325)
  })

  it('men (deff 0.40): logit equals R; the capped Korn–Graubard interval is far wider than R\'s', () => {
    const rows = weightedRows('man')
    const logit = estimated(weightedDesignProportion(rows, { interval: 'logit' }))
    near(logit.deff, 0.395459895382898)
    near(logit.lower, 0.242959912788892)
    near(logit.upper, 0.384034209754919)
    const beta = estimated(weightedDesignProportion(rows, { interval: 'korn-graubard' }))
    near(beta.lower, 0.201485995294931)
    near(beta.upper, 0.434281572238455)
    expect(beta.lower).toBeLessThan(0.239915996647835) // R, uncapped
  })

  it('unstratified, at 95 % and 90 %, equal R', () => {
    const rows = weightedRows(undefined, false)
    near(estimated(weightedDesignProportion(rows, { interval: 'logit' })).lower, 0.295167127136056)
    near(estimated(weightedDesignProportion(rows, { interval: 'korn-graubard' })).upper, 0.458112040441052)
    near(estimated(weightedDesignProportion(rows, { interval: 'logit', level: 0.9 })).upper, 0.439261364850693)
    near(estimated(weightedDesignProportion(rows, { interval: 'korn-graubard', level: 0.9 })).lower, 0.306012514256356)
  })

  it('with every weight 1 equals the unweighted estimators', () => {
    const rows = clusterCounts('woman').map((row) => ({ ...row, weight: row.n, weightedYes: row.yes }))
    const logit = estimated(weightedDesignProportion(rows, { interval: 'logit' }))
    const plain = designBasedProportion(clusterCounts('woman'))
    if (plain.status !== 'estimated') throw new Error('unreachable')
    expect(logit.lower).toBeCloseTo(plain.lower, 12)
    const kg = kornGraubardProportion(clusterCounts('woman'))
    if (kg.status !== 'estimated') throw new Error('unreachable')
    expect(estimated(weightedDesignProportion(rows, { interval: 'korn-graubard' })).upper).toBeCloseTo(kg.upper, 12)
  })

  it('prints the largest deviation from R', () => {
    console.log(`weighted design-based vs R: largest absolute deviation ${largest.toExponential(2)}`)
    expect(largest).toBeLessThan(TOLERANCE)
  })
})

describe('multiplicityWeight', () => {
  it('is 1/visits, counted from 1 and capped at 7; "don\'t know" counts as one visit', () => {
    expect([0, 1, 2, 5, 7, 30].map(multiplicityWeight)).toEqual([1, 1, 0.5, 0.2, 1 / 7, 1 / 7])
    expect(multiplicityWeight(null)).toBe(1)
    expect(() => multiplicityWeight(-1)).toThrow(/visits/)
  })
})
