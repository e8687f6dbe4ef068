/**
 * Property tests (fast-check) of disclosure control: after suppressRelease, no
 * published cell fails the primary rule and no suppressed cell of a random release can be
 * recomputed from what is published; the pattern does not depend on the order of the input.
 *
 * A release is drawn as its finest cells (gender × county, small counts, zeros included) and the
 * tables counted from them: any non-empty choice of the total, by gender, by county and by
 * gender × county, with k from 3 to 10. The recovery check is the atom attack of the randomized
 * tests (disclosure-control/support/atom-attack.ts): it writes every published cell, and every
 * combination a table leaves out (0), as a sum over the gender × county atoms and decides by exact
 * BigInt elimination whether a suppressed cell's atom vector lies in their span. n and yes share
 * that vector, so a cell not in the span has none of n, yes and no = n − yes determined. It shares
 * no code with analysis/.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { auditSuppression, suppressRelease } from '../../../analysis/index.js'
import type { ControlledTable, ReleaseCell, ReleaseTable } from '../../../analysis/index.js'
import { atomAttack } from './disclosure-control/support/atom-attack.js'
import { pattern } from './disclosure-control/support/tables.js'

const RUNS = 400
const GENDERS = ['woman', 'man', 'other', 'unknown'] as const
const COUNTIES = ['03', '11', '46'] as const
const BREAKDOWNS: ReadonlyArray<readonly string[]> = [[], ['gender'], ['county'], ['gender', 'county']]

interface RandomRelease {
  readonly k: number
  readonly tables: ReleaseTable[]
}

/** Counts of a finest cell: mostly small (around k), sometimes empty or larger. */
const finestCounts = fc.oneof(
  { arbitrary: fc.constant({ n: 0, yes: 0 }), weight: 1 },
  { arbitrary: fc.tuple(fc.nat({ max: 6 }), fc.nat({ max: 6 })), weight: 3 },
  { arbitrary: fc.tuple(fc.nat({ max: 20 }), fc.nat({ max: 20 })), weight: 3 }
).map((c) => (Array.isArray(c) ? { n: c[0] + c[1], yes: c[0] } : c))

const release: fc.Arbitrary<RandomRelease> = fc.record({
  k: fc.integer({ min: 3, max: 10 }),
  genders: fc.integer({ min: 2, max: GENDERS.length }),
  counties: fc.integer({ min: 1, max: COUNTIES.length }),
  finest: fc.array(finestCounts, { minLength: GENDERS.length * COUNTIES.length, maxLength: GENDERS.length * COUNTIES.length }),
  breakdowns: fc.subarray([...BREAKDOWNS], { minLength: 1 }),
  // Per table: list the cells with n = 0 (true) or leave them out, as a grouped query does.
  listEmpty: fc.array(fc.boolean(), { minLength: BREAKDOWNS.length, maxLength: BREAKDOWNS.length }),
}).map(({ k, genders, counties, finest, breakdowns, listEmpty }) => {
  const atoms = GENDERS.slice(0, genders).flatMap((gender, g) => COUNTIES.slice(0, counties).map((county, c) => ({
    group: { gender, county } as Record<string, string>,
    ...(finest[g * COUNTIES.length + c] as { n: number, yes: number }),
  })))
  const tables = breakdowns.map((breakdown, t): ReleaseTable => {
    const cells = new Map<string, { group: Record<string, string>, n: number, yes: number }>()
    for (const atom of atoms) {
      const group = Object.fromEntries(breakdown.map((d) => [d, atom.group[d] as string]))
      const key = JSON.stringify(group)
      const cell = cells.get(key) ?? { group, n: 0, yes: 0 }
      cell.n += atom.n
      cell.yes += atom.yes
      cells.set(key, cell)
    }
    return { indicator: 'physical_12m', breakdown: [...breakdown], cells: [...cells.values()].filter((c) => c.n > 0 || listEmpty[t] === true) }
  })
  return { k, tables }
})

const failsPrimaryRule = (n: number, yes: number, k: number): boolean => n > 0 && Math.min(n, yes, n - yes) < k

/** The first rule a cell fails, in the documented order n, yes, no. */
function firstRule (n: number, yes: number, k: number): string {
  return n < k ? 'n_below_k' : yes < k ? 'yes_below_k' : 'no_below_k'
}

/** The same release with tables, cells, breakdown dimensions and group keys in another order. */
function reordered (tables: readonly ReleaseTable[], keys: readonly number[]): ReleaseTable[] {
  let next = 0
  const key = (): number => keys[next++ % keys.length] as number
  const shuffle = <T>(list: readonly T[]): T[] => list.map((x) => [key(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x)
  return shuffle(tables).map((t) => ({
    indicator: t.indicator,
    breakdown: shuffle(t.breakdown),
    cells: shuffle(t.cells).map((c) => ({ n: c.n, yes: c.yes, group: Object.fromEntries(shuffle(Object.entries(c.group))) })),
  }))
}

const suppressedCount = (tables: readonly ControlledTable[], reason: 'primary' | 'secondary'): number =>
  tables.reduce((s, t) => s + t.cells.filter((c) => c.suppressed && c.reason === reason).length, 0)

describe('property: suppressRelease on random releases (one indicator, total / gender / county / gender × county, k in 3..10)', () => {
  it('keeps the tables and cells in input order; publishes true counts that pass the primary rule; suppresses every cell that fails it, naming the rule, with no numbers', () => {
    let primary = 0
    let secondary = 0
    fc.assert(fc.property(release, ({ k, tables }) => {
      const released = suppressRelease(tables, { k })
      expect(released.map((t) => [t.indicator, t.breakdown])).toEqual(tables.map((t) => [t.indicator, t.breakdown]))
      released.forEach((table, i) => {
        const counted = tables[i] as ReleaseTable
        expect(table.cells.map((c) => c.group)).toEqual(counted.cells.map((c) => c.group))
        table.cells.forEach((cell, j) => {
          const { n, yes } = counted.cells[j] as ReleaseCell
          if (!cell.suppressed) {
            expect(cell).toEqual({ group: cell.group, suppressed: false, n, yes, no: n - yes })
            expect(failsPrimaryRule(cell.n, cell.yes, k), `published ${JSON.stringify(cell)} at k = ${k}`).toBe(false)
          } else if (failsPrimaryRule(n, yes, k)) {
            expect(cell).toEqual({ group: cell.group, suppressed: true, reason: 'primary', rule: firstRule(n, yes, k) })
          } else {
            expect(cell).toEqual({ group: cell.group, suppressed: true, reason: 'secondary', rule: 'complementary' })
          }
        })
      })
      // Nothing to protect, nothing suppressed: every sum of cells that pass the rule passes it too.
      if (!tables.some((t) => t.cells.some((c) => failsPrimaryRule(c.n, c.yes, k)))) {
        expect(suppressedCount(released, 'secondary')).toBe(0)
      }
      primary += suppressedCount(released, 'primary')
      secondary += suppressedCount(released, 'secondary')
    }), { numRuns: RUNS, seed: 0xd15c01 })
    // The generator reaches both kinds of suppression, often.
    expect(primary).toBeGreaterThan(RUNS)
    expect(secondary).toBeGreaterThan(RUNS / 2)
  })

  it('no suppressed cell can be recomputed (n, yes or no) by an independent atom attack, and the audit agrees', () => {
    let attacked = 0
    fc.assert(fc.property(release, ({ k, tables }) => {
      const released = suppressRelease(tables, { k })
      const attack = atomAttack(tables, released, k)
      expect(attack.publishedBelowK).toEqual([])
      expect(attack.recoveredCells).toEqual([])
      // Nor a margin no table publishes that fails the rule (the total, from gender and county tables).
      expect(attack.disclosiveMargins).toEqual([])
      expect(auditSuppression(tables, released, { k }).findings).toEqual([])
      if (released.some((t) => t.cells.some((c) => c.suppressed))) attacked++
    }), { numRuns: RUNS, seed: 0xd15c02 })
    expect(attacked).toBeGreaterThan(RUNS / 2)
  })

  it('secondary suppression is never gratuitous, and the checks are not toothless: publishing the complementary cells again exposes something', () => {
    // Whenever a release has complementary cells, publishing them again (primary suppression
    // only) lets the atom attack recompute a cell or a margin, or the audit find a line of
    // suppressed cells that adds up to a group below k. (Each complementary cell on its own need
    // not be necessary: the heuristic adds them greedily and does not prune.)
    let exposed = 0
    fc.assert(fc.property(release, ({ k, tables }) => {
      const released = suppressRelease(tables, { k })
      if (suppressedCount(released, 'secondary') === 0) return
      const naive = released.map((t, i) => ({
        ...t,
        cells: t.cells.map((c, j) => {
          if (!c.suppressed || c.reason !== 'secondary') return c
          const { n, yes } = (tables[i] as ReleaseTable).cells[j] as ReleaseCell
          return { group: c.group, suppressed: false as const, n, yes, no: n - yes }
        }),
      }))
      const attack = atomAttack(tables, naive, k)
      const audit = auditSuppression(tables, naive, { k })
      // Either the attack recomputes something, or the audit's finer checks (sums of suppressed cells of one line) do.
      expect(attack.recoveredCells.length + attack.disclosiveMargins.length + audit.findings.length).toBeGreaterThan(0)
      exposed++
    }), { numRuns: RUNS, seed: 0xd15c03 })
    expect(exposed).toBeGreaterThan(RUNS / 5)
  })

  it('is deterministic: the same input twice gives identical output; tables, cells, dimensions and group keys shuffled give the same pattern and numbers per cell', () => {
    const withOrder = release.chain((r) => fc.tuple(fc.constant(r), fc.array(fc.double({ noNaN: true }), { minLength: 64, maxLength: 64 })))
    fc.assert(fc.property(withOrder, ([{ k, tables }, keys]) => {
      const first = suppressRelease(tables, { k })
      expect(suppressRelease(tables, { k })).toEqual(first)
      const shuffled = suppressRelease(reordered(tables, keys), { k })
      expect(pattern(shuffled)).toEqual(pattern(first))
      expect(numbers(shuffled)).toEqual(numbers(first))
    }), { numRuns: RUNS, seed: 0xd15c04 })
  })
})

/** Published counts per cell, keyed independently of the order of dimensions and group keys. */
function numbers (released: readonly ControlledTable[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const t of released) {
    const dims = [...t.breakdown].sort()
    for (const c of t.cells) {
      out[`${dims.map((d) => `${d}=${c.group[d] ?? ''}`).join(',') || 'total'}`] = c.suppressed ? c.reason : `${c.n}/${c.yes}/${c.no}`
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
}
