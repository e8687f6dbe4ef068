import { describe, expect, it } from 'vitest'
import { auditSuppression, suppressRelease } from '../../../../analysis/index.js'
import type { ControlledTable, ReleaseTable } from '../../../../analysis/index.js'
import { publish } from './support/tables.js'
import { atomAttack } from './support/atom-attack.js'
import { integer, mulberry32 } from './support/mulberry32.js'
import { GEO_DIMENSIONS, MUNICIPALITY_COUNTY, countTables, randomBreakdowns, randomRespondents } from './support/random-release.js'

const NOTHING = { recoveredCells: [], disclosiveMargins: [], disclosiveChanges: [], publishedBelowK: [] }

const suppressedCount = (tables: readonly ControlledTable[]): number => tables.reduce((s, t) => s + t.cells.filter((c) => c.suppressed).length, 0)

describe('suppressRelease on random releases (seeded)', () => {
  it('leaves nothing that the audit or an independent atom attack can recover, over 300 releases', () => {
    let suppressed = 0
    for (let seed = 1; seed <= 300; seed++) {
      const random = mulberry32(seed)
      const k = integer(random, 3, 5)
      const indicators = integer(random, 1, 2)
      const tables = countTables(randomRespondents(random, integer(random, 10, 90), indicators), indicators, randomBreakdowns(random))
      const released = suppressRelease(tables, { k })
      suppressed += suppressedCount(released)
      const audit = auditSuppression(tables, released, { k })
      expect(audit.findings, `seed ${seed}`).toEqual([])
      const attack = atomAttack(tables, released, k)
      expect(attack, `seed ${seed}`).toEqual(NOTHING)
    }
    expect(suppressed).toBeGreaterThan(1000)
  })

  it('with municipality → county implied: nothing recoverable, over 150 releases', () => {
    const impliedDimensions = [{ from: 'municipality', to: 'county', values: MUNICIPALITY_COUNTY }]
    for (let seed = 501; seed <= 650; seed++) {
      const random = mulberry32(seed)
      const k = integer(random, 3, 5)
      const people = randomRespondents(random, integer(random, 15, 90), 1, GEO_DIMENSIONS)
      const tables = countTables(people, 1, randomBreakdowns(random, ['gender', 'municipality', 'county']))
      const released = suppressRelease(tables, { k, impliedDimensions })
      expect(auditSuppression(tables, released, { k, impliedDimensions }).findings, `seed ${seed}`).toEqual([])
      expect(atomAttack(tables, released, k, [], impliedDimensions), `seed ${seed}`).toEqual(NOTHING)
    }
  })

  it('three releases of one wave, each with a few more late responses: nothing recoverable from all three', () => {
    for (let seed = 3001; seed <= 3100; seed++) {
      const random = mulberry32(seed)
      const k = integer(random, 3, 5)
      const people = randomRespondents(random, integer(random, 30, 90), 1)
      const breakdowns = randomBreakdowns(random)
      const cut1 = people.length - integer(random, 2, 12)
      const cut2 = integer(random, cut1, people.length - 1)
      const release1 = suppressRelease(countTables(people.slice(0, cut1), 1, breakdowns), { k })
      const release2 = suppressRelease(countTables(people.slice(0, cut2), 1, breakdowns), { k, previouslyPublished: [release1] })
      const third = countTables(people, 1, breakdowns)
      const options = { k, previouslyPublished: [release1, release2] }
      const release3 = suppressRelease(third, options)
      expect(auditSuppression(third, release3, options).findings, `seed ${seed}`).toEqual([])
      expect(atomAttack(third, release3, k, [release1, release2]), `seed ${seed}`).toEqual(NOTHING)
    }
  })

  it('superseding releases with a few late responses: nothing recoverable from both releases together', () => {
    for (let seed = 1001; seed <= 1200; seed++) {
      const random = mulberry32(seed)
      const k = integer(random, 3, 5)
      const people = randomRespondents(random, integer(random, 20, 90), 1)
      const onTime = people.slice(0, people.length - integer(random, 1, 8))
      const breakdowns = randomBreakdowns(random)
      const first = countTables(onTime, 1, breakdowns)
      const released1 = suppressRelease(first, { k })
      // The second release keeps every table of the first and may add one.
      const second: ReleaseTable[] = countTables(people, 1, random() < 0.5 ? breakdowns : [...breakdowns, ['gender', 'county', 'age']])
        .filter((t, i, all) => all.findIndex((u) => u.breakdown.join() === t.breakdown.join()) === i)
      const options = { k, previouslyPublished: [released1] }
      const released2 = suppressRelease(second, options)
      expect(auditSuppression(second, released2, options).findings, `seed ${seed}`).toEqual([])
      const attack = atomAttack(second, released2, k, [released1])
      expect(attack, `seed ${seed}`).toEqual(NOTHING)
    }
  })

  it('the audit finds exactly what the atom attack finds in naive primary-only patterns', () => {
    let caught = 0
    for (let seed = 2001; seed <= 2150; seed++) {
      const random = mulberry32(seed)
      const k = integer(random, 3, 5)
      const tables = countTables(randomRespondents(random, integer(random, 10, 90), 1), 1, randomBreakdowns(random))
      // Primary suppression only: every complementary cell published again.
      const naive = publish(suppressRelease(tables, { k }), tables, (c) => c.suppressed && c.reason === 'secondary')
      const audit = auditSuppression(tables, naive, { k })
      const attack = atomAttack(tables, naive, k)
      // Suppressed table cells the audit recovers (it also reports margins no table publishes).
      const auditedTableCells = audit.findings.filter((f) => f.kind === 'cell_recovered' &&
        tables.some((t) => t.breakdown.length === f.cells[0]?.breakdown.length && f.cells[0].breakdown.every((d) => t.breakdown.includes(d))))
      expect(auditedTableCells.length, `seed ${seed}`).toBe(attack.recoveredCells.length)
      caught += attack.recoveredCells.length
    }
    expect(caught).toBeGreaterThan(50)
  })
})
