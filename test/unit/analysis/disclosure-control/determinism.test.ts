import { describe, expect, it } from 'vitest'
import { suppressRelease } from '../../../../analysis/index.js'
import type { ReleaseTable } from '../../../../analysis/index.js'
import { integer, mulberry32, shuffled } from './support/mulberry32.js'
import { countTables, randomBreakdowns, randomRespondents } from './support/random-release.js'
import { pattern } from './support/tables.js'

/** The same release with tables, cells, breakdown dimensions and group keys in another order. */
function reordered (random: () => number, tables: readonly ReleaseTable[]): ReleaseTable[] {
  return shuffled(random, tables).map((t) => ({
    indicator: t.indicator,
    breakdown: shuffled(random, t.breakdown),
    cells: shuffled(random, t.cells).map((c) => ({
      n: c.n,
      yes: c.yes,
      group: Object.fromEntries(shuffled(random, Object.entries(c.group))),
    })),
  }))
}

describe('suppressRelease is deterministic', () => {
  it('the same input gives the same pattern, run after run', () => {
    const random = mulberry32(7)
    const tables = countTables(randomRespondents(random, 60, 2), 2, randomBreakdowns(random))
    const first = suppressRelease(tables)
    for (let i = 0; i < 5; i++) expect(suppressRelease(tables)).toEqual(first)
  })

  it('shuffling tables, cells, breakdowns and group keys gives the same pattern (50 releases × 4 orders)', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const random = mulberry32(seed)
      const tables = countTables(randomRespondents(random, integer(random, 15, 80), 2), 2, randomBreakdowns(random))
      const expected = pattern(suppressRelease(tables, { k: 3 }))
      for (let order = 0; order < 4; order++) {
        expect(pattern(suppressRelease(reordered(random, tables), { k: 3 })), `seed ${seed}, order ${order}`).toEqual(expected)
      }
    }
  })
})
