import { describe, expect, it } from 'vitest'
import { eliminate } from '../../../../analysis/disclosure-control/integer-elimination.js'
import type { LinearEquation } from '../../../../analysis/disclosure-control/integer-elimination.js'

const eq = (terms: Array<[number, number]>, ...rhs: number[]): LinearEquation => ({
  variables: terms.map(([v]) => v), coefficients: terms.map(([, a]) => a), rhs,
})
const unit = (v: number): Map<number, number> => new Map([[v, 1]])

describe('eliminate (exact integer Gauss–Jordan)', () => {
  it('finds determined and free variables and the values of the determined ones', () => {
    // x0 + x1 + x2 = 10; x1 + x2 = 7; x3 − x4 = 2.
    const system = eliminate([eq([[0, 1], [1, 1], [2, 1]], 10), eq([[1, 1], [2, 1]], 7), eq([[3, 1], [4, -1]], 2)], { rhsCount: 1 })
    expect(system.consistent).toBe(true)
    expect([0, 1, 2, 3, 4].map((v) => system.isDetermined(v))).toEqual([true, false, false, false, false])
    expect(system.reduce(unit(0))).toEqual({ determined: true, value: [3n], certificate: null })
    expect(system.reduce(new Map([[1, 1], [2, 1]])).value).toEqual([7n])
    expect(system.reduce(new Map([[3, 2], [4, -2]])).value).toEqual([4n])
    expect(system.reduce(unit(3)).determined).toBe(false)
  })

  it('a 2×2 table with its margins known leaves one degree of freedom: no cell is determined', () => {
    // rows: a + b = 5, c + d = 9; columns: a + c = 6, b + d = 8.
    const system = eliminate([eq([[0, 1], [1, 1]], 5), eq([[2, 1], [3, 1]], 9), eq([[0, 1], [2, 1]], 6), eq([[1, 1], [3, 1]], 8)], { rhsCount: 1 })
    expect([0, 1, 2, 3].some((v) => system.isDetermined(v))).toBe(false)
    expect(system.reduce(new Map([[0, 1], [3, -1]])).value).toEqual([-3n])
  })

  it('detects contradictions', () => {
    expect(eliminate([eq([[0, 1]], 3), eq([[0, 1]], 4)], { rhsCount: 1 }).consistent).toBe(false)
    expect(eliminate([eq([], 1)], { rhsCount: 1 }).consistent).toBe(false)
  })

  it('stays exact with coefficients other than ±1 (fraction-free), and past 2^53 (BigInt)', () => {
    // 2x + 3y = 12, 4x − 3y = 6 → x = 3, y = 2.
    const small = eliminate([eq([[0, 2], [1, 3]], 12), eq([[0, 4], [1, -3]], 6)], { rhsCount: 1 })
    expect(small.reduce(unit(0)).value).toEqual([3n])
    expect(small.reduce(unit(1)).value).toEqual([2n])
    // Products of these coefficients overflow doubles; the answer must still be exact.
    const big = 2 ** 40 + 7
    const large = eliminate([eq([[0, big], [1, big + 2]], 3 * big + 2 * (big + 2)), eq([[0, big + 4], [1, big]], 3 * (big + 4) + 2 * big)], { rhsCount: 1 })
    expect(large.reduce(unit(0)).value).toEqual([3n])
    expect(large.reduce(unit(1)).value).toEqual([2n])
  })

  it('gives a certificate: the equations that combine into a determined value', () => {
    // e0: x0 + x1 = 5; e1: x1 = 2; e2: x2 + x3 = 1 (irrelevant).
    const system = eliminate([eq([[0, 1], [1, 1]], 5), eq([[1, 1]], 2), eq([[2, 1], [3, 1]], 1)], { rhsCount: 1, provenance: true })
    const { certificate, value } = system.reduce(unit(0))
    expect(value).toEqual([3n])
    expect(certificate).toEqual(new Map([[0, 1n], [1, -1n]]))
  })
})
