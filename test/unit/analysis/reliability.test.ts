import { describe, expect, it } from 'vitest'
import { RELIABILITY_TEXT, nchsReliability } from '../../../analysis/index.js'

describe('nchsReliability (NCHS presentation standard for proportions)', () => {
  it('presents a precise estimate from many clusters without a flag', () => {
    expect(nchsReliability({ n: 1933, estimate: 0.145, lower: 0.13, upper: 0.162, effectiveN: 900, df: 20 })).toEqual({ flags: [], publish: 'yes' })
  })

  it('withholds an estimate whose effective sample size is below 30, even with n ≥ 30', () => {
    expect(nchsReliability({ n: 120, estimate: 0.3, lower: 0.2, upper: 0.42, effectiveN: 29.9, df: 10 })).toMatchObject({ flags: ['effective_n_below_30'], publish: 'no' })
  })

  it('without a design the effective sample size is n', () => {
    expect(nchsReliability({ n: 29, estimate: 0.3, lower: 0.2, upper: 0.42 }).flags).toContain('effective_n_below_30')
    expect(nchsReliability({ n: 30, estimate: 0.3, lower: 0.2, upper: 0.42 }).flags).not.toContain('effective_n_below_30')
  })

  it('withholds an interval 30 points wide or more (0.30 exactly included)', () => {
    expect(nchsReliability({ n: 100, estimate: 0.5, lower: 0.35, upper: 0.65 }).flags).toEqual(['ci_width_30_or_more'])
    expect(nchsReliability({ n: 100, estimate: 0.5, lower: 0.36, upper: 0.65 }).flags).toEqual([])
  })

  it('withholds a relative width above 130 % only when the interval is wider than 5 points', () => {
    expect(nchsReliability({ n: 300, estimate: 0.04, lower: 0.01, upper: 0.07 })).toMatchObject({ flags: ['relative_width_above_130'], publish: 'no' })
    // 4.5 points wide on an estimate of 2 %: relative width 225 %, but the standard presents it
    expect(nchsReliability({ n: 1000, estimate: 0.02, lower: 0.005, upper: 0.05 }).flags).toEqual([])
  })

  it('flags (does not withhold) fewer than 8 degrees of freedom', () => {
    expect(nchsReliability({ n: 1933, estimate: 0.145, lower: 0.12, upper: 0.17, effectiveN: 500, df: 4 })).toEqual({ flags: ['df_below_8'], publish: 'flag' })
    expect(nchsReliability({ n: 1933, estimate: 0.145, lower: 0.12, upper: 0.17, effectiveN: 500, df: 8 }).flags).toEqual([])
  })

  it('flags 0 % and 100 %, and a complement that would fail the relative rule', () => {
    expect(nchsReliability({ n: 200, estimate: 0, lower: 0, upper: 0.02 })).toEqual({ flags: ['estimate_0_or_100'], publish: 'flag' })
    expect(nchsReliability({ n: 300, estimate: 0.96, lower: 0.93, upper: 0.99 })).toEqual({ flags: ['complement_relative_width_above_130'], publish: 'flag' })
  })

  it('withholds an estimate without an interval', () => {
    expect(nchsReliability({ n: 200, estimate: 0.5 })).toMatchObject({ flags: ['no_interval'], publish: 'no' })
  })

  it('has a plain-words text in bokmål and English for every flag', () => {
    for (const text of Object.values(RELIABILITY_TEXT)) {
      expect(text.nb.length).toBeGreaterThan(20)
      expect(text.en.length).toBeGreaterThan(20)
    }
  })
})
