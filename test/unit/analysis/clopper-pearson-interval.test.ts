import { describe, expect, it } from 'vitest'
import { AnalysisInputError, clopperPearsonInterval, logBeta, wilsonInterval } from '../../../analysis/index.js'
import type { ProportionEstimate, ProportionResult } from '../../../analysis/index.js'

function estimated (result: ProportionResult): ProportionEstimate {
  if (result.status !== 'estimated') throw new Error(`expected an estimate, got ${result.status}: ${result.reason}`)
  return result
}

/** ln C(n, k) by summing logs. */
function logChoose (n: number, k: number): number {
  let s = 0
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i)
  return s
}

/** P(X ≤ k) for X ~ Binomial(n, p), by summing the probability function: an independent route to the CP limits. */
function binomialCdf (k: number, n: number, p: number): number {
  let s = 0
  for (let j = 0; j <= k; j++) s += Math.exp(logChoose(n, j) + j * Math.log(p) + (n - j) * Math.log1p(-p))
  return s
}

describe('clopperPearsonInterval', () => {
  it('7/20 matches R binom.test(7, 20)$conf.int = 0.1539092 0.5921885', () => {
    const result = estimated(clopperPearsonInterval({ yes: 7, n: 20 }))
    expect(result).toMatchObject({ status: 'estimated', method: 'clopper-pearson', n: 20, count: 7, p: 0.35, level: 0.95 })
    expect(result.lower).toBeCloseTo(0.1539092, 6)
    expect(result.upper).toBeCloseTo(0.5921885, 6)
  })

  // Newcombe (1998), Statistics in Medicine 17, 857–872, Table I, method 5 ("exact"), to 4 dp.
  it.each([
    [81, 263, 0.2527, 0.3676],
    [15, 148, 0.0578, 0.1617],
    [0, 20, 0.0000, 0.1684],
    [1, 29, 0.0009, 0.1776],
  ])('Newcombe 1998 worked example %s/%s: %s to %s', (yes, n, lower, upper) => {
    const result = estimated(clopperPearsonInterval({ yes, n }))
    expect(result.lower).toBeCloseTo(lower, 4)
    expect(result.upper).toBeCloseTo(upper, 4)
  })

  // R: binom.test(yes, n)$conf.int (fixtures/reference-values.R).
  it.each([
    [81, 263, 0.252736745585271, 0.367621922601351],
    [15, 148, 0.0578440100834486, 0.1616504903494790],
    [0, 20, 0, 0.168433470983085],
    [1, 29, 0.000872646883579923, 0.177644295488722848],
    [20, 20, 0.831566529016915, 1],
    [0, 1, 0, 0.975],
    [1, 1, 0.025, 1],
    [500, 1000, 0.468549172971792, 0.531450827028208],
    [3, 100000, 6.18676395892204e-06, 8.76702025663620e-05],
  ])('%s/%s matches R binom.test: %s to %s', (yes, n, lower, upper) => {
    const result = estimated(clopperPearsonInterval({ yes, n }))
    expect(result.lower).toBeCloseTo(lower, 6)
    expect(result.upper).toBeCloseTo(upper, 6)
  })

  it('3/100000 keeps relative precision in its tiny limits', () => {
    const result = estimated(clopperPearsonInterval({ yes: 3, n: 100000 }))
    expect(result.lower / 6.18676395892204e-06).toBeCloseTo(1, 9)
    expect(result.upper / 8.76702025663620e-05).toBeCloseTo(1, 9)
  })

  it.each([
    [0.9, 0.177310917574449, 0.558034511315489],
    [0.99, 0.113879763266732, 0.656568584231921],
  ])('7/20 at level %s matches R binom.test(conf.level = …)', (level, lower, upper) => {
    const result = estimated(clopperPearsonInterval({ yes: 7, n: 20 }, { level }))
    expect(result.lower).toBeCloseTo(lower, 6)
    expect(result.upper).toBeCloseTo(upper, 6)
  })

  it('limits solve the binomial tail equations P(X ≥ x | lower) = α/2 and P(X ≤ x | upper) = α/2', () => {
    for (const [yes, n, level] of [[7, 20, 0.95], [81, 263, 0.95], [1, 29, 0.9], [12, 13, 0.99]] as const) {
      const halfAlpha = (1 - level) / 2
      const { lower, upper } = estimated(clopperPearsonInterval({ yes, n }, { level }))
      expect(1 - binomialCdf(yes - 1, n, lower)).toBeCloseTo(halfAlpha, 10)
      expect(binomialCdf(yes, n, upper)).toBeCloseTo(halfAlpha, 10)
    }
  })

  it('the lower limit of 7/20 is the 2.5 % point of Beta(7, 14), by integrating its density', () => {
    const { lower } = estimated(clopperPearsonInterval({ yes: 7, n: 20 }))
    const lnB = logBeta(7, 14)
    const steps = 20_000
    const h = lower / steps
    let area = 0
    for (let i = 0; i <= steps; i++) {
      const t = i * h
      const f = t === 0 ? 0 : Math.exp(6 * Math.log(t) + 13 * Math.log1p(-t) - lnB)
      area += (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2) * f
    }
    expect(area * h / 3).toBeCloseTo(0.025, 10)
  })

  it('holds its estimate, stays in [0, 1] and contains the Wilson interval', () => {
    for (const n of [1, 2, 5, 13, 40]) {
      for (let yes = 0; yes <= n; yes++) {
        const cp = estimated(clopperPearsonInterval({ yes, n }))
        const wilson = estimated(wilsonInterval({ yes, n }))
        expect(cp.lower).toBeGreaterThanOrEqual(0)
        expect(cp.upper).toBeLessThanOrEqual(1)
        expect(cp.lower).toBeLessThanOrEqual(cp.p)
        expect(cp.upper).toBeGreaterThanOrEqual(cp.p)
        expect(cp.lower).toBeLessThanOrEqual(wilson.lower + 1e-12)
        expect(cp.upper).toBeGreaterThanOrEqual(wilson.upper - 1e-12)
      }
    }
  })

  it('edge case: 0 yes gives lower exactly 0 and upper 1 − (α/2)^(1/n)', () => {
    const result = estimated(clopperPearsonInterval({ yes: 0, n: 20 }))
    expect(result.lower).toBe(0)
    expect(result.upper).toBeCloseTo(1 - Math.pow(0.025, 1 / 20), 12)
  })

  it('edge case: n yes gives upper exactly 1 and lower (α/2)^(1/n)', () => {
    const result = estimated(clopperPearsonInterval({ yes: 20, n: 20 }))
    expect(result.upper).toBe(1)
    expect(result.lower).toBeCloseTo(Math.pow(0.025, 1 / 20), 12)
  })

  it('edge case: 0 yes of a very large n keeps the digits of its small upper limit', () => {
    const { upper } = estimated(clopperPearsonInterval({ yes: 0, n: 1e9 }))
    expect(upper / (-Math.log(0.025) / 1e9)).toBeCloseTo(1, 8)
  })

  it('edge case: n = 0 gives no_data with a reason', () => {
    expect(clopperPearsonInterval({ yes: 0, n: 0 })).toMatchObject({ status: 'no_data', method: 'clopper-pearson', n: 0, count: 0 })
  })

  it('edge case: invalid counts and levels throw AnalysisInputError', () => {
    expect(() => clopperPearsonInterval({ yes: 3, n: 2 })).toThrow(AnalysisInputError)
    expect(() => clopperPearsonInterval({ yes: -1, n: 2 })).toThrow(AnalysisInputError)
    expect(() => clopperPearsonInterval({ yes: 1, n: 2 }, { level: 1 })).toThrow(AnalysisInputError)
  })
})
