import { describe, expect, it } from 'vitest'
import { AnalysisInputError, DEFAULT_THRESHOLD, MINIMUM_THRESHOLD, changeSuppressionRule, primarySuppressionRule } from '../../../../analysis/index.js'

describe('primarySuppressionRule', () => {
  it('has the thresholds of anonymity rule 6 (ARCHITECTURE.md): default 5, never below 3', () => {
    expect(DEFAULT_THRESHOLD).toBe(5)
    expect(MINIMUM_THRESHOLD).toBe(3)
  })

  it.each([
    [0, 0, null, 'n = 0: nobody to disclose, published as empty'],
    [1, 1, 'n_below_k', 'one respondent'],
    [4, 2, 'n_below_k', 'n = k − 1'],
    [5, 0, 'yes_below_k', 'n = k but all no'],
    [12, 0, 'yes_below_k', 'yes = 0: everyone answered no'],
    [12, 12, 'no_below_k', 'no = 0: everyone answered yes'],
    [12, 4, 'yes_below_k', 'yes = k − 1'],
    [12, 8, 'no_below_k', 'no = k − 1'],
    [10, 5, null, 'n, yes and no all exactly k'],
    [1000, 500, null, 'large'],
  ])('n = %s, yes = %s → %s (%s)', (n, yes, expected, _why) => {
    expect(primarySuppressionRule({ n, yes })).toBe(expected)
  })

  it('applies the k it is given', () => {
    expect(primarySuppressionRule({ n: 4, yes: 2 }, 3)).toBe('yes_below_k')
    expect(primarySuppressionRule({ n: 6, yes: 3 }, 3)).toBe(null)
    expect(primarySuppressionRule({ n: 19, yes: 10 }, 10)).toBe('no_below_k')
  })

  it('refuses bad counts and a k below 3', () => {
    expect(() => primarySuppressionRule({ n: 3, yes: 4 })).toThrow(AnalysisInputError)
    expect(() => primarySuppressionRule({ n: 3.5, yes: 1 })).toThrow(/whole number/)
    expect(() => primarySuppressionRule({ n: 10, yes: 5 }, 2)).toThrow(/k must be a whole number ≥ 3/)
  })
})

describe('changeSuppressionRule', () => {
  it.each([
    [{ n: 23, yes: 10 }, { n: 20, yes: 10 }, 'change_below_k', '3 late, all no'],
    [{ n: 32, yes: 16 }, { n: 20, yes: 10 }, null, '12 late: 6 yes, 6 no'],
    [{ n: 30, yes: 10 }, { n: 20, yes: 10 }, 'change_below_k', '10 late, all no (Δyes = 0)'],
    [{ n: 20, yes: 10 }, { n: 20, yes: 10 }, null, 'no change'],
    [{ n: 20, yes: 11 }, { n: 20, yes: 10 }, 'change_below_k', 'one answer changed from no to yes'],
    [{ n: 15, yes: 5 }, { n: 20, yes: 8 }, 'change_below_k', '5 removed: 3 yes, 2 no'],
    [{ n: 0, yes: 0 }, { n: 20, yes: 10 }, null, 'now empty: the group that left was published before'],
    [{ n: 12, yes: 6 }, { n: 0, yes: 0 }, null, 'was empty: the change is the cell, which passes'],
  ])('%o after %o → %s (%s)', (current, earlier, expected, _why) => {
    expect(changeSuppressionRule(current, earlier)).toBe(expected)
  })

  it('applies the k it is given and refuses bad input', () => {
    expect(changeSuppressionRule({ n: 26, yes: 13 }, { n: 20, yes: 10 }, 3)).toBe(null)
    expect(changeSuppressionRule({ n: 26, yes: 13 }, { n: 20, yes: 10 })).toBe('change_below_k')
    expect(() => changeSuppressionRule({ n: 3, yes: 4 }, { n: 3, yes: 1 })).toThrow(AnalysisInputError)
    expect(() => changeSuppressionRule({ n: 3, yes: 1 }, { n: 3, yes: 1 }, 1)).toThrow(AnalysisInputError)
  })
})
