import { describe, expect, it } from 'vitest'
import { auditSuppression } from '../../../analysis/disclosure-control/audit-suppression.js'
import type { ControlledTable, ReleaseTable } from '../../../analysis/disclosure-control/types.js'
import { AnalysisInputError } from '../../../analysis/errors.js'
import { buildResultsTable } from '../../../analysis/results-table.js'
import type { ClusterCellCounts, ResultRow, ResultsTableRequest } from '../../../analysis/results-table.js'
import { fixtureRows } from './fixtures/clustered-counts.js'

const NUMBERS = ['n', 'count', 'estimate', 'ci_low', 'ci_high', 'deff'] as const

const row = (group: Record<string, string | null>, cluster: string, ...counts: Array<[number, number]>): ClusterCellCounts =>
  ({ group, cluster, counts: counts.map(([n, yes]) => ({ n, yes })) })

const find = (rows: readonly ResultRow[], indicator: string, group: Record<string, string>): ResultRow => {
  const found = rows.find((r) => r.indicator === indicator && JSON.stringify(r.group) === JSON.stringify(group))
  if (found === undefined) throw new Error(`no row ${indicator} ${JSON.stringify(group)}`)
  return found
}

// The clustered fixture shared with fixtures/reference-values.R (9 sites in 3 counties, by gender),
// without its two empty rows (no women at a3, no men at b3): the design still has both sites,
// because each appears in the other gender's rows, as a site appears in the aggregation query.
const fixtureCounts = fixtureRows.filter((r) => r.n > 0).map((r) => row({ gender: r.gender }, r.site, [r.n, r.yes]))
const fixtureStrata = Object.fromEntries(fixtureRows.map((r) => [r.site, r.county]))

describe('buildResultsTable', () => {
  it('Wilson and Clopper–Pearson on the counts summed over clusters match R (81/263)', () => {
    const rows = [row({}, 'a', [200, 60]), row({}, 'b', [63, 21])]
    const wilson = buildResultsTable({ indicators: ['x'], breakdowns: [[]], rows })
    expect(wilson).toHaveLength(1)
    expect(wilson[0]).toMatchObject({ indicator: 'x', group: {}, n: 263, count: 81, method: 'wilson', suppressed: false })
    expect(wilson[0]?.estimate).toBeCloseTo(81 / 263, 12)
    expect(wilson[0]?.ci_low).toBeCloseTo(0.255288519878274, 9)
    expect(wilson[0]?.ci_high).toBeCloseTo(0.366209576982800, 9)
    expect(wilson[0]).not.toHaveProperty('deff')
    expect(wilson[0]).not.toHaveProperty('reason')
    const exact = buildResultsTable({ indicators: ['x'], breakdowns: [[]], rows, method: 'clopper-pearson' })
    expect(exact[0]?.method).toBe('clopper-pearson')
    expect(exact[0]?.ci_low).toBeCloseTo(0.252736745585271, 9)
    expect(exact[0]?.ci_high).toBeCloseTo(0.367621922601351, 9)
  })

  it('design-based, stratified by county: overall and the gender subgroups match R, with the design\'s clusters per stratum', () => {
    const rows = buildResultsTable({
      indicators: ['y'], breakdowns: [[], ['gender']], rows: fixtureCounts, method: 'cluster', strata: fixtureStrata,
    })
    expect(rows.map((r) => JSON.stringify(r.group))).toEqual(['{}', '{"gender":"man"}', '{"gender":"woman"}'])
    for (const r of rows) expect(r).toMatchObject({ method: 'design-logit', suppressed: false })
    const all = find(rows, 'y', {})
    expect(all).toMatchObject({ n: 190, count: 63 })
    expect(all.deff).toBeCloseTo(1.91766440552272, 6)
    expect(all.ci_low).toBeCloseTo(0.227128163972802, 6)
    expect(all.ci_high).toBeCloseTo(0.455739667427259, 6)
    // R: subset(des, gender == "woman"), degf 5; site a3 has no women but counts in county A's n_h.
    const women = find(rows, 'y', { gender: 'woman' })
    expect(women).toMatchObject({ n: 78, count: 32 })
    expect(women.deff).toBeCloseTo(1.18183653488837, 6)
    expect(women.ci_low).toBeCloseTo(0.266910507526026, 6)
    expect(women.ci_high).toBeCloseTo(0.570659738684190, 6)
    const men = find(rows, 'y', { gender: 'man' })
    expect(men.deff).toBeCloseTo(0.854348265590585, 6)
    expect(men.ci_low).toBeCloseTo(0.187776705875099, 6)
    expect(men.ci_high).toBeCloseTo(0.387839685503078, 6)
  })

  it('design-based without strata matches R\'s unstratified design, for everyone and for women', () => {
    const rows = buildResultsTable({ indicators: ['y'], breakdowns: [[], ['gender']], rows: fixtureCounts, method: 'cluster' })
    const all = find(rows, 'y', {})
    expect(all.deff).toBeCloseTo(1.61992344101032, 6)
    expect(all.ci_low).toBeCloseTo(0.239662250076921, 6)
    expect(all.ci_high).toBeCloseTo(0.438421050298488, 6)
    const women = find(rows, 'y', { gender: 'woman' })
    expect(women.deff).toBeCloseTo(0.951480897864677, 6)
    expect(women.ci_low).toBeCloseTo(0.289606796545968, 6)
    expect(women.ci_high).toBeCloseTo(0.542766127834095, 6)
  })

  it('a missing dimension value is a cell of its own, "unknown"; cells are sorted by value whatever the input order', () => {
    const rows = [
      row({ gender: 'woman', county: '46' }, 's1', [30, 10]),
      row({ gender: null, county: '03' }, 's2', [12, 6]),
      row({ gender: 'man', county: '03' }, 's2', [40, 20]),
      row({ gender: 'man', county: '46' }, 's1', [25, 9]),
    ]
    const request: ResultsTableRequest = { indicators: ['x'], breakdowns: [['gender']], rows, suppress: false }
    const out = buildResultsTable(request)
    expect(out.map((r) => r.group.gender)).toEqual(['man', 'unknown', 'woman'])
    expect(find(out, 'x', { gender: 'man' })).toMatchObject({ n: 65, count: 29 })
    expect(buildResultsTable({ ...request, rows: [...rows].reverse() })).toEqual(out)
  })

  it('says why instead of printing a number: no data, a single cluster, p = 0 design-based', () => {
    const rows = [row({ site_kind: 'housing' }, 'a', [0, 0], [9, 0]), row({ site_kind: 'other' }, 'b', [8, 3], [7, 0]), row({ site_kind: 'other' }, 'c', [6, 2], [5, 0])]
    const out = buildResultsTable({ indicators: ['x', 'z'], breakdowns: [['site_kind']], rows, method: 'cluster', suppress: false })
    const empty = find(out, 'x', { site_kind: 'housing' })
    expect(empty).toMatchObject({ n: 0, count: 0, suppressed: false })
    expect(empty.reason).toContain('n = 0')
    for (const key of ['estimate', 'ci_low', 'ci_high']) expect(empty).not.toHaveProperty(key)
    const single = find(out, 'z', { site_kind: 'housing' })
    expect(single).toMatchObject({ method: 'wilson', n: 9, count: 0, estimate: 0, ci_low: 0 })
    expect(single.reason).toContain('one cluster')
    const zero = find(out, 'z', { site_kind: 'other' })
    expect(zero).toMatchObject({ method: 'design-logit', n: 12, count: 0, estimate: 0 })
    expect(zero).not.toHaveProperty('ci_low')
    expect(zero.reason).toContain('p = 0')
    for (const r of out) for (const value of Object.values(r)) if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true)
  })

  it('suppresses across every table of the request: primary cells and their complements carry no numbers, and the audit recovers nothing', () => {
    const rows = [
      row({ gender: 'woman' }, 'a', [40, 12], [40, 30]), row({ gender: 'woman' }, 'b', [31, 9], [30, 20]),
      row({ gender: 'man' }, 'a', [50, 20], [50, 25]), row({ gender: 'man' }, 'b', [45, 14], [44, 22]),
      row({ gender: 'other' }, 'a', [3, 1], [3, 1]), row({ gender: 'other' }, 'b', [1, 0], [1, 1]),
    ]
    const breakdowns = [[], ['gender']]
    const out = buildResultsTable({ indicators: ['x', 'z'], breakdowns, rows, k: 5 })
    expect(find(out, 'x', { gender: 'other' })).toMatchObject({ suppressed: true, rule: 'n_below_k' })
    expect(out.filter((r) => r.rule === 'complementary').length).toBeGreaterThan(0)
    for (const r of out.filter((x) => x.suppressed)) {
      for (const key of NUMBERS) expect(r).not.toHaveProperty(key)
      expect(r.reason).toMatch(/^suppressed \((primary|secondary)\)/)
    }

    // The same tables as disclosure control sees them, and as the rows publish them.
    const counted: ReleaseTable[] = []
    const released: ControlledTable[] = []
    for (const indicator of ['x', 'z']) {
      for (const breakdown of breakdowns) {
        const cells = out.filter((r) => r.indicator === indicator && Object.keys(r.group).length === breakdown.length)
        counted.push({
          indicator,
          breakdown,
          cells: cells.map((cell) => {
            const mine = rows.filter((r) => breakdown.every((d) => r.group[d] === cell.group[d]))
            const i = indicator === 'x' ? 0 : 1
            return { group: cell.group, n: mine.reduce((s, r) => s + (r.counts[i]?.n ?? 0), 0), yes: mine.reduce((s, r) => s + (r.counts[i]?.yes ?? 0), 0) }
          }),
        })
        released.push({
          indicator,
          breakdown,
          cells: cells.map((cell) => cell.suppressed
            ? (cell.rule === 'complementary'
                ? { group: cell.group, suppressed: true, reason: 'secondary', rule: 'complementary' }
                : { group: cell.group, suppressed: true, reason: 'primary', rule: cell.rule ?? 'n_below_k' })
            : { group: cell.group, suppressed: false, n: cell.n ?? 0, yes: cell.count ?? 0, no: (cell.n ?? 0) - (cell.count ?? 0) }),
        })
      }
    }
    expect(auditSuppression(counted, released, { k: 5 })).toEqual({ safe: true, findings: [] })
  })

  it('publishes every cell with suppress: false (a researcher\'s own microdata)', () => {
    const out = buildResultsTable({ indicators: ['x'], breakdowns: [[]], rows: [row({}, 'a', [3, 1])], suppress: false })
    expect(out[0]).toMatchObject({ suppressed: false, n: 3, count: 1 })
    expect(buildResultsTable({ indicators: ['x'], breakdowns: [[]], rows: [row({}, 'a', [3, 1])] })[0]).toMatchObject({ suppressed: true, rule: 'n_below_k' })
  })

  it('gives the overall row of each indicator, saying there is no data, even with no rows at all', () => {
    const out = buildResultsTable({ indicators: ['x', 'z'], breakdowns: [[], ['gender']], rows: [] })
    expect(out).toHaveLength(2)
    for (const r of out) {
      expect(r).toMatchObject({ group: {}, n: 0, count: 0, method: 'wilson', suppressed: false })
      expect(r.reason).toContain('n = 0')
    }
  })

  it('refuses malformed requests by name', () => {
    const rows = [row({ gender: 'woman' }, 'a', [10, 5])]
    const cases: Array<[Partial<ResultsTableRequest>, string]> = [
      [{ method: 'bootstrap' as 'wilson' }, 'unknown method "bootstrap"'],
      [{ k: 2 }, 'k must be a whole number ≥ 3'],
      [{ level: 1.5 }, 'level must be a number strictly between 0 and 1'],
      [{ indicators: ['x', 'x'] }, 'indicator "x" is requested twice'],
      [{ indicators: ['x', 'y'] }, 'row 0 has 1 count pairs for 2 indicators'],
      [{ breakdowns: [['county']] }, 'row 0 has no value for dimension "county"'],
      [{ breakdowns: [['gender'], ['gender']] }, 'the breakdown by [gender] is requested twice'],
      [{ method: 'cluster', strata: { b: '03' } }, 'cluster "a" has no stratum'],
      [{ rows: [row({ gender: 'woman' }, 'a', [4, 5])] }, 'yes (5) cannot exceed n (4)'],
    ]
    for (const [change, message] of cases) {
      const request = { indicators: ['x'], breakdowns: [['gender']], rows, ...change }
      expect(() => buildResultsTable(request), message).toThrow(AnalysisInputError)
      expect(() => buildResultsTable(request), message).toThrow(message)
    }
  })
})

describe('buildResultsTable reliability flags', () => {
  const rows = [
    { group: { gender: 'woman' }, cluster: 'a', counts: [{ n: 60, yes: 9 }] },
    { group: { gender: 'woman' }, cluster: 'b', counts: [{ n: 40, yes: 14 }] },
    { group: { gender: 'man' }, cluster: 'a', counts: [{ n: 12, yes: 3 }] },
    { group: { gender: 'man' }, cluster: 'b', counts: [{ n: 14, yes: 5 }] },
  ]

  it('puts the NCHS verdict on every published row: Wilson rows without a df rule, Korn–Graubard rows with it', () => {
    const wilson = buildResultsTable({ indicators: ['x'], breakdowns: [['gender']], rows, suppress: false })
    expect(wilson.map((row) => row.reliability)).toEqual([
      { flags: ['effective_n_below_30', 'ci_width_30_or_more'], publish: 'no' }, // men: 26, about 12 to 48 %
      { flags: [], publish: 'yes' }, // women: 100, about 16 to 32 %
    ])
    const kg = buildResultsTable({ indicators: ['x'], breakdowns: [['gender']], rows, suppress: false, method: 'korn-graubard' })
    expect(kg.map((row) => row.method)).toEqual(['korn-graubard', 'korn-graubard'])
    expect(kg.every((row) => row.df === 1 && row.reliability?.flags.includes('df_below_8') === true)).toBe(true)
    expect(kg[0]?.reliability?.publish).toBe('no')
  })
})
