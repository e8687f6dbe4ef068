import { describe, expect, it } from 'vitest'
import { AnalysisInputError, auditSuppression, suppressRelease } from '../../../../analysis/index.js'
import type { ControlledTable } from '../../../../analysis/index.js'
import { publish, table } from './support/tables.js'

const W = { gender: 'woman' }
const M = { gender: 'man' }

describe('auditSuppression', () => {
  const tables = [
    table('x', [], [{}, 68, 30]),
    table('x', ['gender'], [W, 23, 9], [M, 45, 21]),
    table('x', ['gender', 'county'],
      [{ gender: 'woman', county: 'A' }, 3, 1], [{ gender: 'woman', county: 'B' }, 20, 8],
      [{ gender: 'man', county: 'A' }, 15, 6], [{ gender: 'man', county: 'B' }, 30, 15]),
  ]

  it('finds nothing in the pattern suppressRelease makes', () => {
    expect(auditSuppression(tables, suppressRelease(tables))).toEqual({ safe: true, findings: [] })
  })

  it('catches a naive primary-only pattern: the small cell is its row total minus the other cell', () => {
    const naive = publish(suppressRelease(tables), tables, (c) => c.suppressed && c.reason === 'secondary')
    const audit = auditSuppression(tables, naive)
    expect(audit.safe).toBe(false)
    expect(audit.findings).toEqual([{
      kind: 'cell_recovered',
      indicator: 'x',
      cells: [{ breakdown: ['county', 'gender'], group: { county: 'A', gender: 'woman' } }],
      n: 3,
      yes: 1,
      no: 2,
      message: 'x: the suppressed cell county=A, gender=woman can be recovered exactly: n = 3, yes = 1',
    }])
  })

  it('reports published cells that fail the primary rule', () => {
    const everything = publish(suppressRelease(tables), tables, () => true)
    expect(auditSuppression(tables, everything).findings).toMatchObject([
      { kind: 'published_below_k', cells: [{ group: { gender: 'woman', county: 'A' } }], n: 3, yes: 1, no: 2 },
    ])
  })

  it('uses the threshold it is given', () => {
    const everything = publish(suppressRelease(tables), tables, () => true)
    // k = 3: only woman×A (yes 1). k = 16: also woman×B (yes 8), man×A (n 15), man×B (yes 15),
    // women (yes 9), and county A (18, yes 7), which no table publishes but anyone can add up.
    expect(auditSuppression(tables, everything, { k: 3 }).findings).toHaveLength(1)
    const findings = auditSuppression(tables, everything, { k: 16 }).findings
    expect(findings.map((f) => f.n).sort((a, b) => a - b)).toEqual([3, 15, 18, 20, 23, 30])
    expect(findings.find((f) => f.n === 18)).toMatchObject({ kind: 'cell_recovered', cells: [{ breakdown: ['county'], group: { county: 'A' } }] })
    expect(() => auditSuppression(tables, everything, { k: 2 })).toThrow(AnalysisInputError)
  })

  it('refuses a release whose published numbers are not the counts', () => {
    const released = suppressRelease(tables)
    const wrong: ControlledTable[] = [{ ...released[0] as ControlledTable, cells: [{ group: {}, suppressed: false, n: 69, yes: 30, no: 39 }] }, ...released.slice(1)]
    expect(() => auditSuppression(tables, wrong)).toThrow(/released n = 69, yes = 30, but the counts are n = 68, yes = 30/)
  })

  it('refuses a released table or cell that was not counted, and a counted cell the release lacks', () => {
    const released = suppressRelease(tables)
    expect(() => auditSuppression(tables, [...released, { indicator: 'y', breakdown: [], cells: [] }])).toThrow(/is not among the counted tables/)
    const extra: ControlledTable[] = released.map((t, i) => (i === 1 ? { ...t, cells: [...t.cells, { group: { gender: 'other' }, suppressed: false, n: 0, yes: 0, no: 0 }] } : t))
    expect(() => auditSuppression(tables, extra)).toThrow(/is not among the counted cells/)
    const missing: ControlledTable[] = released.map((t, i) => (i === 1 ? { ...t, cells: t.cells.slice(1) } : t))
    expect(() => auditSuppression(tables, missing)).toThrow(/released tables lack the cell gender=woman/)
  })
})
