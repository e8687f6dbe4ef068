import { describe, expect, it } from 'vitest'
import { AnalysisInputError, designBasedProportion, kornGraubardProportion } from '../../../analysis/index.js'
import type { ClusterCount, KornGraubardEstimate, KornGraubardResult } from '../../../analysis/index.js'
import { clusterCounts } from './fixtures/clustered-counts.js'

// Expected values from R 4.2.2, survey 4.1-1, printed by fixtures/reference-values.R (output in
// reference-values.out): svyciprop(~y, design, method = "beta") on the designs and subsets below, and
// "nchs kg", the same interval with the effective sample size capped at n (written out with qbeta),
// where the design effect is below 1.

function kg (result: KornGraubardResult): KornGraubardEstimate {
  if (result.status !== 'estimated' || result.method !== 'korn-graubard') throw new Error(`expected a Korn–Graubard estimate, got ${result.status} ${result.method}`)
  return result
}
const unstratified = (rows: ClusterCount[]): ClusterCount[] => rows.map(({ cluster, n, yes }) => ({ cluster, n, yes }))
const TOLERANCE = 1e-6
/** Largest deviation from R seen by this file, printed at the end for the report. */
let largest = 0
function near (actual: number, expected: number): void {
  largest = Math.max(largest, Math.abs(actual - expected))
  expect(Math.abs(actual - expected)).toBeLessThan(TOLERANCE)
}

describe('kornGraubardProportion against R svyciprop(method = "beta") on the clustered fixture', () => {
  it('everyone, stratified: equals R (deff > 1, so the NCHS cap does not bite)', () => {
    const r = kg(kornGraubardProportion(clusterCounts()))
    expect(r).toMatchObject({ n: 190, count: 63, df: 6 })
    near(r.effectiveN, 98.557390675707040)
    near(r.effectiveNDf, 64.051372303797265)
    near(r.lower, 0.218907457332307)
    near(r.upper, 0.460401366156498)
  })

  it('everyone at level 0.90 equals R', () => {
    const r = kg(kornGraubardProportion(clusterCounts(), { level: 0.9 }))
    near(r.effectiveNDf, 71.315755949446867)
    near(r.lower, 0.239612798364201)
    near(r.upper, 0.434412032122413)
  })

  it('women (subset, df 5 from the domain) equal R', () => {
    const r = kg(kornGraubardProportion(clusterCounts('woman')))
    expect(r.df).toBe(5)
    near(r.effectiveN, 65.152834361541139)
    near(r.lower, 0.255848871298141)
    near(r.upper, 0.578785590680759)
  })

  it('unstratified everyone equals R', () => {
    const r = kg(kornGraubardProportion(unstratified(clusterCounts())))
    near(r.effectiveNDf, 85.373491209020344)
    near(r.lower, 0.233395002191000)
    near(r.upper, 0.441827920835286)
  })

  it('men (deff < 1): n_eff capped at n = 112 as NCHS says, wider than R\'s uncapped interval', () => {
    const r = kg(kornGraubardProportion(clusterCounts('man')))
    expect(r.effectiveN).toBe(112)
    near(r.effectiveNDf, 66.553755922654602)
    near(r.lower, 0.174115919867053)
    near(r.upper, 0.400122331344965)
    // R, uncapped (n.eff 129.92): 0.180979719401594 – 0.390364503302453
    expect(r.lower).toBeLessThan(0.180979719401594)
    expect(r.upper).toBeGreaterThan(0.390364503302453)
  })

  it('unstratified women (deff < 1) equal the capped interval', () => {
    const r = kg(kornGraubardProportion(unstratified(clusterCounts('woman'))))
    expect(r.effectiveN).toBe(78)
    near(r.effectiveNDf, 55.312567597398882)
    near(r.lower, 0.279773411867495)
    near(r.upper, 0.550691247846505)
  })

  it('p = 0: an interval from 0 with n_eff = n (R gives NaN)', () => {
    const rows = unstratified(clusterCounts('man')).map((row) => ({ ...row, yes: 0 }))
    const r = kg(kornGraubardProportion(rows))
    expect(r).toMatchObject({ count: 0, lower: 0, effectiveN: 112, se: 0, df: 7 })
    expect(r.deff).toBeUndefined()
    near(r.effectiveNDf, 78.6522515686795316)
    near(r.upper, 0.0458182668643936)
  })

  it('has the same point estimate, SE, deff and df as the logit method', () => {
    const logit = designBasedProportion(clusterCounts('woman'))
    const beta = kg(kornGraubardProportion(clusterCounts('woman')))
    if (logit.status !== 'estimated' || logit.method !== 'design-logit') throw new Error('unreachable')
    expect(beta.p).toBe(logit.p)
    expect(beta.se).toBeCloseTo(logit.se, 14)
    expect(beta.deff).toBeCloseTo(logit.deff, 12)
    expect(beta.df).toBe(logit.df)
  })

  it('prints the largest deviation from R', () => {
    console.log(`Korn–Graubard vs R: largest absolute deviation ${largest.toExponential(2)}`)
    expect(largest).toBeLessThan(TOLERANCE)
  })
})

describe('kornGraubardProportion edge cases', () => {
  it('edge case: nobody gives no_data', () => {
    expect(kornGraubardProportion([])).toMatchObject({ status: 'no_data', method: 'korn-graubard' })
  })

  it('edge case: one cluster falls back to Wilson and says why', () => {
    expect(kornGraubardProportion([{ cluster: 'only', n: 40, yes: 9 }])).toMatchObject({ method: 'wilson', fallback: { from: 'korn-graubard', reason: expect.stringContaining('0 degrees of freedom') } })
  })

  it('edge case: a stratum with one cluster in the design is not estimable', () => {
    const rows: ClusterCount[] = [{ cluster: 's1', stratum: 'A', n: 10, yes: 3 }, { cluster: 's2', stratum: 'B', n: 10, yes: 2 }, { cluster: 's3', stratum: 'B', n: 10, yes: 4 }]
    expect(kornGraubardProportion(rows)).toMatchObject({ status: 'not_estimable', reason: expect.stringContaining('only one cluster') })
  })

  it('edge case: bad counts throw AnalysisInputError', () => {
    expect(() => kornGraubardProportion([{ cluster: 'a', n: 3, yes: 4 }])).toThrow(AnalysisInputError)
  })
})
