import { describe, expect, it } from 'vitest'
import { AnalysisInputError, auditSuppression, suppressRelease } from '../../../../analysis/index.js'
import type { ReleaseTable } from '../../../../analysis/index.js'
import { atomAttack } from './support/atom-attack.js'
import { cellOf, pattern, publish, statusOf, table } from './support/tables.js'

const W = { gender: 'woman' }
const M = { gender: 'man' }

describe('suppressRelease: hand-worked tables', () => {
  // Total 68; women 23 = A 3 + B 20; men 45 = A 15 + B 30; A 18, B 50.
  // Primary: woman×A (n = 3 < 5). Alone in its row, woman×A = women − woman×B, so the row needs a
  // complement: woman×B (n 20) rather than the margin (23). Then woman×B is alone in column B:
  // man×B (30) rather than B (50); man×B is alone in the men's row: man×A (15) rather than men (45).
  // Column A now holds woman×A and man×A. The four inner cells satisfy 4 equations of rank 3, so
  // each can move by ±t: none is determined, and every margin is published.
  const twoByTwo: ReleaseTable[] = [
    table('violence', [], [{}, 68, 30]),
    table('violence', ['gender'], [W, 23, 9], [M, 45, 21]),
    table('violence', ['county'], [{ county: 'A' }, 18, 7], [{ county: 'B' }, 50, 23]),
    table('violence', ['gender', 'county'],
      [{ gender: 'woman', county: 'A' }, 3, 1], [{ gender: 'woman', county: 'B' }, 20, 8],
      [{ gender: 'man', county: 'A' }, 15, 6], [{ gender: 'man', county: 'B' }, 30, 15]),
  ]

  it('a 2×2 gender × county table with margins: one small cell forces complements in its row, its column and the opposite corner', () => {
    const released = suppressRelease(twoByTwo)
    expect(pattern(released)).toEqual({
      'violence total': 'pub',
      'violence county=A': 'pub',
      'violence county=B': 'pub',
      'violence gender=man': 'pub',
      'violence gender=woman': 'pub',
      'violence county=A,gender=man': 'comp',
      'violence county=A,gender=woman': 'n_below_k',
      'violence county=B,gender=man': 'comp',
      'violence county=B,gender=woman': 'comp',
    })
    expect(cellOf(released, ['gender', 'county'], { gender: 'woman', county: 'A' })).toEqual({
      group: { gender: 'woman', county: 'A' }, suppressed: true, reason: 'primary', rule: 'n_below_k',
    })
    expect(cellOf(released, ['gender', 'county'], { gender: 'woman', county: 'B' })).toEqual({
      group: { gender: 'woman', county: 'B' }, suppressed: true, reason: 'secondary', rule: 'complementary',
    })
    expect(cellOf(released, ['gender'], W)).toEqual({ group: W, suppressed: false, n: 23, yes: 9, no: 14 })
    expect(auditSuppression(twoByTwo, released)).toEqual({ safe: true, findings: [] })
    expect(atomAttack(twoByTwo, released, 5).recoveredCells).toEqual([])
  })

  it('returns the tables and cells in input order, with the input breakdown and groups', () => {
    const released = suppressRelease(twoByTwo)
    expect(released.map((t) => t.breakdown)).toEqual([[], ['gender'], ['county'], ['gender', 'county']])
    expect(released[3]?.cells.map((c) => c.group)).toEqual(twoByTwo[3]?.cells.map((c) => c.group))
    expect(released[3]?.cells.map((c) => Object.keys(c))).toEqual([
      ['group', 'suppressed', 'reason', 'rule'], ['group', 'suppressed', 'reason', 'rule'],
      ['group', 'suppressed', 'reason', 'rule'], ['group', 'suppressed', 'reason', 'rule'],
    ])
  })

  it('a complement is the cell with the smallest n of the line', () => {
    const released = suppressRelease([
      table('x', [], [{}, 63, 31]),
      table('x', ['gender'], [W, 3, 1], [M, 40, 20], [{ gender: 'other' }, 20, 10]),
    ])
    expect(released[1]?.cells.map(statusOf)).toEqual(['n_below_k', 'pub', 'comp'])
    expect(released[0]?.cells.map(statusOf)).toEqual(['pub'])
  })

  it('nothing is suppressed when every cell passes, and only the small one fails without margins', () => {
    const released = suppressRelease([table('x', ['gender'], [W, 3, 1], [M, 40, 20])])
    // No table publishes the total, so man is not a complement of anything: the total is unknown.
    expect(released[0]?.cells.map(statusOf)).toEqual(['n_below_k', 'pub'])
  })

  describe('zero counts and empty cells', () => {
    it.each([
      ['yes = 0: all answered no', 12, 0, 'yes_below_k'],
      ['no = 0: all answered yes', 30, 30, 'no_below_k'],
      ['yes below k', 30, 4, 'yes_below_k'],
      ['no below k', 30, 26, 'no_below_k'],
      ['n below k takes precedence', 4, 0, 'n_below_k'],
      ['exactly k of each passes', 10, 5, 'pub'],
    ])('%s (n = %s, yes = %s) → %s', (_, n, yes, expected) => {
      const released = suppressRelease([table('x', ['gender'], [W, n, yes], [M, 50, 25])])
      expect(statusOf(released[0]?.cells[0] as never)).toBe(expected)
    })

    it('a cell with n = 0 is published as a cell without respondents and needs no protection', () => {
      const tables = [
        table('x', [], [{}, 50, 25]),
        table('x', ['gender'], [W, 0, 0], [M, 50, 25]),
      ]
      const released = suppressRelease(tables)
      expect(released[1]?.cells[0]).toEqual({ group: W, suppressed: false, n: 0, yes: 0, no: 0 })
      expect(pattern(released)).toEqual({ 'x total': 'pub', 'x gender=man': 'pub', 'x gender=woman': 'pub' })
    })

    it('a line whose suppressed cells add up to yes = 0 gets one more suppression (each would be known to be 0)', () => {
      // women: A 3/0 and B 4/0 are primary; with C published, A.yes + B.yes = 10 − 10 = 0, and since
      // counts are not negative both are 0: everyone in A and B answered no. C must go too.
      const tables = [
        table('x', ['gender'], [W, 22, 10]),
        table('x', ['gender', 'county'],
          [{ gender: 'woman', county: 'A' }, 3, 0], [{ gender: 'woman', county: 'B' }, 4, 0], [{ gender: 'woman', county: 'C' }, 15, 10]),
      ]
      const released = suppressRelease(tables)
      expect(released[1]?.cells.map(statusOf)).toEqual(['n_below_k', 'n_below_k', 'comp'])
      const naive = publish(released, tables, (c) => c.suppressed && c.reason === 'secondary')
      const audit = auditSuppression(tables, naive)
      expect(audit.safe).toBe(false)
      expect(audit.findings).toMatchObject([{ kind: 'group_recovered', n: 7, yes: 0, no: 7 }])
      expect(auditSuppression(tables, released).safe).toBe(true)
    })
  })

  it('a margin no table publishes is protected too (all 18–34 year olds follow from the total and the 35+ cells)', () => {
    // 18–34 overall: 12 − 0 … = n 12, yes 10, no 2 < 5, computable as total − Σ 35+ cells.
    const tables = [
      table('x', [], [{}, 74, 51]),
      table('x', ['county', 'age'],
        [{ county: 'A', age: '35+' }, 17, 8], [{ county: 'A', age: '18-34' }, 7, 6],
        [{ county: 'B', age: '35+' }, 45, 33], [{ county: 'B', age: '18-34' }, 5, 4]),
    ]
    const released = suppressRelease(tables)
    const naive = publish(released, tables, (c) => c.suppressed && c.reason === 'secondary')
    // The margin itself, and the same 12 people as the sum of the two suppressed 18–34 cells.
    expect(auditSuppression(tables, naive).findings).toMatchObject([
      { kind: 'cell_recovered', cells: [{ breakdown: ['age'], group: { age: '18-34' } }], n: 12, yes: 10, no: 2 },
      { kind: 'group_recovered', cells: [{ group: { county: 'A', age: '18-34' } }, { group: { county: 'B', age: '18-34' } }], n: 12, yes: 10, no: 2 },
    ])
    expect(auditSuppression(tables, released)).toEqual({ safe: true, findings: [] })
    expect(atomAttack(tables, released, 5).disclosiveMargins).toEqual([])
  })

  describe('implied dimensions (municipality → county)', () => {
    // County 46 = 4601 + 4602 (3 respondents); county 03 = 0301 + 0302.
    const tables = [
      table('x', ['county'], [{ county: '46' }, 40, 20], [{ county: '03' }, 60, 30]),
      table('x', ['municipality'],
        [{ municipality: '4601' }, 37, 18], [{ municipality: '4602' }, 3, 2], [{ municipality: '0301' }, 30, 15], [{ municipality: '0302' }, 30, 15]),
    ]
    const impliedDimensions = [{ from: 'municipality', to: 'county', values: { 4601: '46', 4602: '46', '0301': '03', '0302': '03' } }]

    it('links a county table to a municipality table, so the county cannot betray its small municipality', () => {
      const released = suppressRelease(tables, { impliedDimensions })
      expect(pattern(released)).toEqual({
        'x county=03': 'pub',
        'x county=46': 'pub',
        'x municipality=0301': 'pub',
        'x municipality=0302': 'pub',
        'x municipality=4601': 'comp',
        'x municipality=4602': 'n_below_k',
      })
      expect(auditSuppression(tables, released, { impliedDimensions }).safe).toBe(true)
    })

    it('without the declaration only the total links them, and the audit (told of the link) catches what that misses', () => {
      // Blind, 4602 is protected within the total by the smallest other municipality, 0301.
      const blind = suppressRelease(tables)
      expect(cellOf(blind, ['municipality'], { municipality: '0301' }).suppressed).toBe(true)
      expect(cellOf(blind, ['municipality'], { municipality: '4601' }).suppressed).toBe(false)
      expect(auditSuppression(tables, blind, { impliedDimensions }).findings).toMatchObject([
        { kind: 'cell_recovered', cells: [{ group: { municipality: '0301' } }], n: 30, yes: 15 },
        { kind: 'cell_recovered', cells: [{ group: { municipality: '4602' } }], n: 3, yes: 2, no: 1 },
      ])
    })

    it('refuses a value the declaration does not map, and a cell whose county contradicts it', () => {
      expect(() => suppressRelease([table('x', ['municipality'], [{ municipality: '9999' }, 10, 5])], { impliedDimensions }))
        .toThrow(/give no county for municipality=9999/)
      expect(() => suppressRelease([table('x', ['municipality', 'county'], [{ municipality: '4601', county: '03' }, 10, 5])], { impliedDimensions }))
        .toThrow(/implies county=46, but the cell has county=03/)
    })
  })

  it('indicators are protected separately: their tables are not linked', () => {
    const released = suppressRelease([
      table('a', ['gender'], [W, 3, 1], [M, 40, 20]),
      table('b', [], [{}, 43, 21]),
      table('b', ['gender'], [W, 10, 5], [M, 33, 16]),
    ])
    expect(pattern(released)).toEqual({ 'a gender=man': 'pub', 'a gender=woman': 'n_below_k', 'b total': 'pub', 'b gender=man': 'pub', 'b gender=woman': 'pub' })
  })
})

describe('suppressRelease: the threshold k', () => {
  const tables = [table('x', ['gender'], [W, 4, 3], [M, 40, 20])]

  it('defaults to 5 and accepts any whole number ≥ 3', () => {
    expect(statusOf(suppressRelease(tables)[0]?.cells[0] as never)).toBe('n_below_k')
    expect(statusOf(suppressRelease(tables, { k: 3 })[0]?.cells[0] as never)).toBe('no_below_k')
    expect(statusOf(suppressRelease(tables, { k: 10 })[0]?.cells[1] as never)).toBe('pub')
  })

  it.each([2, 0, -5, 2.5, Number.NaN, Infinity])('refuses k = %s with a clear AnalysisInputError', (k) => {
    let error: unknown
    try {
      suppressRelease(tables, { k })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AnalysisInputError)
    expect(error).toMatchObject({ code: 'invalid_parameter', message: expect.stringMatching(/k must be a whole number ≥ 3.*got/) })
  })

  it('refuses a k given as a string', () => {
    expect(() => suppressRelease(tables, { k: '5' as unknown as number })).toThrow(AnalysisInputError)
  })
})

describe('suppressRelease: bad input', () => {
  it.each([
    ['yes > n', [table('x', ['gender'], [W, 3, 4])], /yes \(4\) cannot exceed n \(3\)/],
    ['a negative count', [table('x', ['gender'], [W, -1, 0])], /must be a whole number ≥ 0/],
    ['a group without a breakdown dimension', [table('x', ['gender', 'county'], [W, 3, 1])], /exactly the dimensions \[gender, county\]/],
    ['a group with an extra dimension', [table('x', [], [W, 3, 1])], /exactly the dimensions \[\]/],
    ['a cell listed twice', [table('x', ['gender'], [W, 3, 1], [W, 4, 1])], /listed twice/],
    ['a table given twice', [table('x', ['gender', 'age'], [{ gender: 'w', age: 'y' }, 3, 1]), table('x', ['age', 'gender'], [{ gender: 'w', age: 'y' }, 3, 1])], /are the same table/],
    ['a non-string group value', [{ indicator: 'x', breakdown: ['gender'], cells: [{ group: { gender: 1 }, n: 3, yes: 1 }] } as unknown as ReleaseTable], /gender must be a string/],
    ['an empty indicator', [table('', [], [{}, 3, 1])], /indicator must be a non-empty string/],
  ])('%s', (_, tables, message) => {
    expect(() => suppressRelease(tables)).toThrow(AnalysisInputError)
    expect(() => suppressRelease(tables)).toThrow(message)
  })

  it('tables of one indicator that do not count the same respondents (a missing gender left out of one)', () => {
    const tables = [table('x', [], [{}, 50, 25]), table('x', ['gender'], [W, 20, 10], [M, 25, 12])]
    expect(() => suppressRelease(tables)).toThrow(/the total has n = 50, yes = 25, but the cells that refine it by \[gender\] add up to n = 45, yes = 22/)
  })
})
