import { describe, expect, it } from 'vitest'
import { AnalysisInputError, normalQuantile, wilsonInterval } from '../../../analysis/index.js'
import type { ProportionEstimate, ProportionResult } from '../../../analysis/index.js'

function estimated (result: ProportionResult): ProportionEstimate {
  if (result.status !== 'estimated') throw new Error(`expected an estimate, got ${result.status}: ${result.reason}`)
  return result
}

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in
  // Medicine 17, 857–872, Table I, method 3 (score interval without continuity correction), to 4 dp.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0000, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('Newcombe 1998 worked example %s/%s: %s to %s', (yes, n, lower, upper) => {
    const result = estimated(wilsonInterval({ yes, n }))
    expect(result.lower).toBeCloseTo(lower, 4)
    expect(result.upper).toBeCloseTo(upper, 4)
  })

  // R: prop.test(yes, n, correct = FALSE)$conf.int (fixtures/reference-values.R).
  it.each([
    [7, 20, 0.181191824101082, 0.567145723314764],
    [81, 263, 0.255288519878274, 0.366209576982800],
    [15, 148, 0.0623863995307363, 0.1604872417233080],
    [0, 20, 0, 0.161125158052819],
    [1, 29, 0.00611321429276266, 0.17175521879320282],
    [20, 20, 0.838874841947181, 1],
    [0, 1, 0, 0.793450685622763],
    [1, 1, 0.206549314377238, 1],
    [500, 1000, 0.469069600368104, 0.530930399631896],
    [3, 100000, 1.02027585445173e-05, 8.82080492517673e-05],
  ])('%s/%s matches R prop.test(correct = FALSE): %s to %s', (yes, n, lower, upper) => {
    const result = estimated(wilsonInterval({ yes, n }))
    expect(result).toMatchObject({ status: 'estimated', method: 'wilson', n, count: yes, level: 0.95 })
    expect(result.p).toBe(yes / n)
    expect(result.lower).toBeCloseTo(lower, 6)
    expect(result.upper).toBeCloseTo(upper, 6)
    expect(result.deff).toBeUndefined()
  })

  it.each([
    [0.9, 0.202260040056761, 0.533487311151528],
    [0.99, 0.146393441376939, 0.628338178952687],
  ])('7/20 at level %s matches R prop.test(conf.level = …)', (level, lower, upper) => {
    const result = estimated(wilsonInterval({ yes: 7, n: 20 }, { level }))
    expect(result.level).toBe(level)
    expect(result.lower).toBeCloseTo(lower, 6)
    expect(result.upper).toBeCloseTo(upper, 6)
  })

  it('each limit solves the score equation (p̂ − p)² = z² p(1 − p)/n', () => {
    const z = normalQuantile(0.975)
    for (const [yes, n] of [[7, 20], [81, 263], [1, 29]] as const) {
      const { lower, upper, p } = estimated(wilsonInterval({ yes, n }))
      for (const limit of [lower, upper]) {
        expect((p - limit) ** 2).toBeCloseTo(z * z * limit * (1 - limit) / n, 12)
      }
    }
  })

  it('holds its estimate, stays in [0, 1] and narrows as n grows at a fixed proportion', () => {
    for (const n of [1, 2, 5, 13, 50]) {
      for (let yes = 0; yes <= n; yes++) {
        const { lower, upper, p } = estimated(wilsonInterval({ yes, n }))
        expect(lower).toBeGreaterThanOrEqual(0)
        expect(upper).toBeLessThanOrEqual(1)
        expect(lower).toBeLessThanOrEqual(p)
        expect(upper).toBeGreaterThanOrEqual(p)
      }
    }
    const widths = [10, 100, 1000].map((n) => {
      const r = estimated(wilsonInterval({ yes: 3 * n / 10, n }))
      return r.upper - r.lower
    })
    expect(widths[1]).toBeLessThan(widths[0] ?? 0)
    expect(widths[2]).toBeLessThan(widths[1] ?? 0)
  })

  it('edge case: 0 yes gives lower exactly 0 and an informative upper limit', () => {
    const result = estimated(wilsonInterval({ yes: 0, n: 20 }))
    expect(result.lower).toBe(0)
    expect(result.upper).toBeCloseTo(0.161125158052819, 6)
  })

  it('edge case: n yes gives upper exactly 1', () => {
    const result = estimated(wilsonInterval({ yes: 20, n: 20 }))
    expect(result.upper).toBe(1)
    expect(result.lower).toBeCloseTo(0.838874841947181, 6)
  })

  it('edge case: n = 0 gives no_data with a reason, not NaN', () => {
    const result = wilsonInterval({ yes: 0, n: 0 })
    expect(result).toEqual({
      status: 'no_data',
      method: 'wilson',
      n: 0,
      count: 0,
      level: 0.95,
      reason: 'no respondents with a known value in this cell (n = 0)',
    })
  })

  it('edge case: invalid counts throw AnalysisInputError invalid_count', () => {
    for (const counts of [{ yes: -1, n: 5 }, { yes: 6, n: 5 }, { yes: 1.5, n: 5 }, { yes: 1, n: Number.NaN }, { yes: 0, n: Infinity }]) {
      expect(() => wilsonInterval(counts)).toThrow(expect.objectContaining({ name: 'AnalysisInputError', code: 'invalid_count' }))
    }
  })

  it('edge case: a level outside (0, 1) throws AnalysisInputError invalid_level', () => {
    for (const level of [0, 1, 95, -0.5, Number.NaN]) {
      expect(() => wilsonInterval({ yes: 1, n: 2 }, { level })).toThrow(AnalysisInputError)
      expect(() => wilsonInterval({ yes: 1, n: 2 }, { level })).toThrow(expect.objectContaining({ code: 'invalid_level' }))
    }
  })
})
