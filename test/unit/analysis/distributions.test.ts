import { describe, expect, it } from 'vitest'
import {
  AnalysisInputError,
  inverseRegularizedIncompleteBeta,
  logBeta,
  normalQuantile,
  regularizedIncompleteBeta,
  studentTQuantile,
} from '../../../analysis/index.js'

// Expected values are R 4.2.2 output (qnorm, qt, pbeta, qbeta), printed by
// fixtures/reference-values.R, or computed in the test by an independent route.

/** Composite Simpson rule with `steps` (even) intervals. */
function simpson (f: (x: number) => number, from: number, to: number, steps = 20_000): number {
  const h = (to - from) / steps
  let total = f(from) + f(to)
  for (let i = 1; i < steps; i++) total += (i % 2 === 1 ? 4 : 2) * f(from + i * h)
  return total * h / 3
}

/** ln C(n, k) by summing logs: no gamma function involved. */
function logChoose (n: number, k: number): number {
  let s = 0
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i)
  return s
}

/** I_x(a, b) for integer a, b as a binomial tail: P(Binomial(a + b − 1, x) ≥ a). */
function betaCdfByBinomialSum (x: number, a: number, b: number): number {
  const m = a + b - 1
  let s = 0
  for (let j = a; j <= m; j++) s += Math.exp(logChoose(m, j) + j * Math.log(x) + (m - j) * Math.log1p(-x))
  return s
}

describe('normalQuantile (AS 241)', () => {
  it.each([
    [0.975, 1.95996398454005],
    [0.95, 1.64485362695147],
    [0.995, 2.5758293035489],
    [1e-10, -6.36134090240406],
    [0.5, 0],
  ])('qnorm(%s) = %s as in R', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 12)
  })

  it('is the inverse of Φ computed by integrating the normal density', () => {
    const phi = (x: number): number => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI)
    for (const p of [0.6, 0.8, 0.9, 0.975, 0.999]) {
      expect(0.5 + simpson(phi, 0, normalQuantile(p))).toBeCloseTo(p, 12)
    }
  })

  it('is antisymmetric about ½', () => {
    for (const p of [1e-8, 0.001, 0.07, 0.3]) expect(normalQuantile(p)).toBeCloseTo(-normalQuantile(1 - p), 8)
  })

  it('edge case: p = 0, 1 or NaN throws AnalysisInputError', () => {
    for (const p of [0, 1, Number.NaN, -0.1, 1.1]) {
      expect(() => normalQuantile(p)).toThrow(AnalysisInputError)
    }
  })
})

describe('regularizedIncompleteBeta', () => {
  it.each([
    [0.3, 2, 5, 0.579825],
    [0.9, 0.5, 0.5, 0.795167235300867],
    [0.001, 3, 1000, 0.0805775903602045],
    [0.5, 200, 300, 0.9999964565197357],
  ])('pbeta(%s, %s, %s) = %s as in R', (x, a, b, expected) => {
    expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(expected, 10)
  })

  it('equals the binomial tail sum for integer shapes (an identity that needs no gamma function)', () => {
    for (const [x, a, b] of [[0.2, 3, 7], [0.35, 7, 14], [0.7, 12, 4], [0.05, 1, 30], [0.5, 40, 45]] as const) {
      expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(betaCdfByBinomialSum(x, a, b), 12)
    }
  })

  it('equals the integral of the Beta density (Simpson) for smooth densities', () => {
    for (const [x, a, b] of [[0.4, 2.5, 3.5], [0.8, 4.5, 2.2]] as const) {
      const lnB = logBeta(a, b)
      const density = (t: number): number => Math.exp((a - 1) * Math.log(t) + (b - 1) * Math.log1p(-t) - lnB)
      expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(simpson(density, 1e-12, x), 8)
    }
  })

  it('edge case: x = 0 and x = 1 give 0 and 1', () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0)
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1)
  })

  it('edge case: shapes ≤ 0 and x outside [0, 1] throw', () => {
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(AnalysisInputError)
    expect(() => regularizedIncompleteBeta(0.5, 1, -2)).toThrow(AnalysisInputError)
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(AnalysisInputError)
  })
})

describe('inverseRegularizedIncompleteBeta', () => {
  it.each([
    [0.025, 7, 14, 0.153909204784541],
    [0.975, 8, 13, 0.592188534532828],
    [0.5, 1e4, 1e4 + 1, 0.499975000416671],
  ])('qbeta(%s, %s, %s) = %s as in R', (p, a, b, expected) => {
    expect(inverseRegularizedIncompleteBeta(p, a, b)).toBeCloseTo(expected, 10)
  })

  it('edge case: a far-tail quantile keeps its relative precision (qbeta(1e-8, 0.5, 4) = 2.0898e-17 in R)', () => {
    const x = inverseRegularizedIncompleteBeta(1e-8, 0.5, 4)
    expect(x / 2.08979591836735e-17).toBeCloseTo(1, 10)
  })

  it('inverts I_x(a, b) over a grid of shapes and probabilities', () => {
    for (const a of [0.5, 1, 3, 27.5, 800]) {
      for (const b of [0.7, 2, 15, 3000]) {
        for (const p of [1e-6, 0.025, 0.3, 0.5, 0.9, 0.975, 1 - 1e-6]) {
          const x = inverseRegularizedIncompleteBeta(p, a, b)
          expect(x).toBeGreaterThanOrEqual(0)
          expect(x).toBeLessThanOrEqual(1)
          expect(regularizedIncompleteBeta(x, a, b) / p).toBeCloseTo(1, 9)
        }
      }
    }
  })

  it('edge case: closed form for a = 1: 1 − (1 − p)^(1/b)', () => {
    for (const [p, b] of [[0.975, 20], [0.5, 3], [0.01, 1000]] as const) {
      expect(inverseRegularizedIncompleteBeta(p, 1, b)).toBeCloseTo(1 - Math.pow(1 - p, 1 / b), 12)
    }
  })

  it('edge case: p = 0 or 1 throws', () => {
    expect(() => inverseRegularizedIncompleteBeta(0, 2, 2)).toThrow(AnalysisInputError)
    expect(() => inverseRegularizedIncompleteBeta(1, 2, 2)).toThrow(AnalysisInputError)
  })
})

describe('studentTQuantile', () => {
  it.each([
    [1, 12.70620473617469],
    [2, 4.30265272974946],
    [3, 3.18244630528371],
    [5, 2.57058183563631],
    [6, 2.44691185114497],
    [10, 2.22813885198627],
    [30, 2.04227245630124],
    [1000, 1.96233908082641],
  ])('qt(0.975, %s) = %s as in R', (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 10)
  })

  it('qt(0.95, 5) and qt(0.005, 4) as in R', () => {
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.01504837333302, 10)
    expect(studentTQuantile(0.005, 4)).toBeCloseTo(-4.60409487134999, 10)
  })

  it('is the inverse of the t distribution function obtained by integrating the t density', () => {
    for (const df of [3, 7, 25]) {
      const logC = -0.5 * Math.log(df) - logBeta(0.5, df / 2)
      const density = (x: number): number => Math.exp(logC - (df + 1) / 2 * Math.log1p(x * x / df))
      for (const q of [0.9, 0.975]) {
        expect(0.5 + simpson(density, 0, studentTQuantile(q, df))).toBeCloseTo(q, 10)
      }
    }
  })

  it('edge case: df = Infinity is the normal quantile, q = ½ is 0', () => {
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975))
    expect(studentTQuantile(0.5, 4)).toBe(0)
  })

  it('edge case: near the median the quantile keeps its precision', () => {
    // P(T ≤ t) ≈ ½ + t·f(0) for small t; f(0) = 1/(√ν B(½, ν/2))
    const df = 1771
    const f0 = Math.exp(-0.5 * Math.log(df) - logBeta(0.5, df / 2))
    const t = studentTQuantile(0.5 + 1e-6, df)
    expect(t * f0 / 1e-6).toBeCloseTo(1, 8)
  })

  it('edge case: df ≤ 0 throws', () => {
    expect(() => studentTQuantile(0.975, 0)).toThrow(AnalysisInputError)
    expect(() => studentTQuantile(0.975, Number.NaN)).toThrow(AnalysisInputError)
  })
})
