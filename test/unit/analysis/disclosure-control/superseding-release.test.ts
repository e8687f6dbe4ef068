import { describe, expect, it } from 'vitest'
import { AnalysisInputError, auditSuppression, suppressRelease } from '../../../../analysis/index.js'
import { atomAttack } from './support/atom-attack.js'
import { cellOf, pattern, table } from './support/tables.js'

const W = { gender: 'woman' }
const M = { gender: 'man' }
const wc = (county: string): Record<string, string> => ({ gender: 'woman', county })
const mc = (county: string): Record<string, string> => ({ gender: 'man', county })

describe('a superseding release: earlier releases count as known', () => {
  // Release 1 (k = 3) publishes every cell. Then 7 late women arrive: 6 in county A (3 yes, 3 no)
  // and 1 in a county D no one had answered from (no). In release 2, woman×D (n = 1) is primary and
  // alone in the women's row, so it needs a complement there. The smallest cell, woman×B (n = 12),
  // has not changed since release 1: an attacker who takes release 1's 12/6 for it gets
  // woman×D = 53 − 26 − 12 − 14 = 1, yes 26 − 13 − 6 − 7 = 0. So it must be another cell: woman×A,
  // which changed (20 → 26), is the smallest that hides anything.
  const release1Tables = [
    table('x', ['gender'], [W, 46, 23], [M, 70, 34]),
    table('x', ['gender', 'county'], [wc('A'), 20, 10], [wc('B'), 12, 6], [wc('C'), 14, 7], [mc('A'), 30, 15], [mc('B'), 25, 12], [mc('C'), 15, 7]),
  ]
  const release2Tables = [
    table('x', ['gender'], [W, 53, 26], [M, 70, 34]),
    table('x', ['gender', 'county'],
      [wc('A'), 26, 13], [wc('B'), 12, 6], [wc('C'), 14, 7], [wc('D'), 1, 0], [mc('A'), 30, 15], [mc('B'), 25, 12], [mc('C'), 15, 7]),
  ]
  const release1 = suppressRelease(release1Tables, { k: 3 })

  it('release 1 publishes everything', () => {
    expect(Object.values(pattern(release1)).every((s) => s === 'pub')).toBe(true)
  })

  it('release 2 does not pick as complement a cell published unchanged in release 1', () => {
    const options = { k: 3, previouslyPublished: [release1] }
    const release2 = suppressRelease(release2Tables, options)
    expect(cellOf(release2, ['gender', 'county'], wc('D'))).toMatchObject({ reason: 'primary', rule: 'n_below_k' })
    expect(cellOf(release2, ['gender', 'county'], wc('A'))).toMatchObject({ reason: 'secondary', rule: 'complementary' })
    expect(cellOf(release2, ['gender', 'county'], wc('B'))).toEqual({ group: wc('B'), suppressed: false, n: 12, yes: 6, no: 6 })
    expect(auditSuppression(release2Tables, release2, options)).toEqual({ safe: true, findings: [] })
    expect(atomAttack(release2Tables, release2, 3, [release1])).toEqual({ recoveredCells: [], disclosiveMargins: [], disclosiveChanges: [], publishedBelowK: [] })
  })

  it('ignoring release 1 suppresses woman×B, published in release 1, and differencing recovers the late respondent', () => {
    const blind = suppressRelease(release2Tables, { k: 3 })
    expect(cellOf(blind, ['gender', 'county'], wc('B'))).toMatchObject({ suppressed: true, reason: 'secondary' })
    // On release 2 alone this pattern is safe …
    expect(auditSuppression(release2Tables, blind, { k: 3 }).safe).toBe(true)
    // … but with release 1's woman×B it is not: n 1, yes 0, no 1.
    const audit = auditSuppression(release2Tables, blind, { k: 3, previouslyPublished: [release1] })
    // County D overall (a margin no table publishes), and the cell: the same one person.
    expect(audit.findings).toMatchObject([
      { kind: 'cell_recovered', cells: [{ breakdown: ['county'], group: { county: 'D' } }], n: 1, yes: 0, no: 1 },
      { kind: 'cell_recovered', cells: [{ group: wc('D') }], n: 1, yes: 0, no: 1 },
    ])
    expect(atomAttack(release2Tables, blind, 3, [release1]).recoveredCells).toEqual(['x {"county":"D","gender":"woman"} = 1/0'])
  })
})

describe('a superseding release: changes by a few responses are not published', () => {
  const first = [table('x', [], [{}, 70, 35]), table('x', ['gender'], [W, 30, 15], [M, 40, 20])]
  const release1 = suppressRelease(first)

  it('2 late men: men and the total changed by 2 (1 yes, 1 no), so both are suppressed (change_below_k)', () => {
    const second = [table('x', [], [{}, 72, 36]), table('x', ['gender'], [W, 30, 15], [M, 42, 21])]
    const options = { previouslyPublished: [release1] }
    const release2 = suppressRelease(second, options)
    expect(pattern(release2)).toEqual({ 'x total': 'change_below_k', 'x gender=man': 'change_below_k', 'x gender=woman': 'pub' })
    expect(auditSuppression(second, release2, options).safe).toBe(true)
    // Publishing release 2 as if it stood alone tells everyone what the 2 late men answered.
    const blind = suppressRelease(second)
    expect(auditSuppression(second, blind, options).findings).toMatchObject([
      { kind: 'change_recovered', cells: [{ group: {} }], n: 2, yes: 1, no: 1, release: 0 },
      { kind: 'change_recovered', cells: [{ group: M }], n: 2, yes: 1, no: 1, release: 0 },
    ])
  })

  it('12 late (10 women, 2 men): the two safe changes would subtract to the 2 men, so one more cell goes', () => {
    // Δtotal = 12/6/6 and Δwomen = 10/5/5 pass, Δmen = 2/1/1 does not; men = total − women, so
    // publishing both would give the men's change. Women (n 40) is the smaller complement.
    const second = [table('x', [], [{}, 82, 41]), table('x', ['gender'], [W, 40, 20], [M, 42, 21])]
    const options = { previouslyPublished: [release1] }
    const release2 = suppressRelease(second, options)
    expect(pattern(release2)).toEqual({ 'x total': 'pub', 'x gender=man': 'change_below_k', 'x gender=woman': 'comp' })
    expect(auditSuppression(second, release2, options).safe).toBe(true)
    expect(atomAttack(second, release2, 5, [release1]).disclosiveChanges).toEqual([])
  })

  it('an unchanged cell stays published, and a cell now empty is published as empty', () => {
    const second = [table('x', [], [{}, 70, 35]), table('x', ['gender'], [W, 30, 15], [M, 40, 20])]
    expect(Object.values(pattern(suppressRelease(second, { previouslyPublished: [release1] }))).every((s) => s === 'pub')).toBe(true)
  })

  it('refuses an earlier release with a table the new release lacks', () => {
    expect(() => suppressRelease([table('x', [], [{}, 70, 35])], { previouslyPublished: [release1] }))
      .toThrow(/is not in the new release: a release that supersedes another must include every table already published/)
  })

  it('refuses an earlier release whose published numbers do not add up', () => {
    const bogus = [{ indicator: 'x', breakdown: [], cells: [{ group: {}, suppressed: false as const, n: 71, yes: 35, no: 36 }] }, release1[1] as never]
    expect(() => suppressRelease(first, { previouslyPublished: [bogus] })).toThrow(AnalysisInputError)
    expect(() => suppressRelease(first, { previouslyPublished: [bogus] })).toThrow(/do not add up/)
  })

  it('refuses a released cell that is neither published nor suppressed with a reason', () => {
    const bad = [{ indicator: 'x', breakdown: [], cells: [{ group: {}, suppressed: true, reason: 'because' }] }] as never
    expect(() => suppressRelease(first, { previouslyPublished: [bad] })).toThrow(/must be published .* or suppressed with a reason and a rule/)
  })
})
