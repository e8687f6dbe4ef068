import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LANE_FIELD_CAPACITY, factLanes, laneField, lanePosition } from '../../../api/db/fact-lanes.js'

type Value = boolean | null

/** What the grouped query does: sum each lane over the rows (as int8 → numeric), then split the fields. */
function countsThroughLanes (rows: ReadonlyArray<readonly Value[]>, ids: readonly number[]): Array<{ n: number, yes: number }> {
  const yes = new Map<number, bigint>()
  const known = new Map<number, bigint>()
  for (const row of rows) {
    const lanes = factLanes(row)
    lanes.yes.forEach((value, i) => yes.set(i + 1, (yes.get(i + 1) ?? 0n) + BigInt(value)))
    lanes.known.forEach((value, i) => known.set(i + 1, (known.get(i + 1) ?? 0n) + BigInt(value)))
  }
  return ids.map((id) => {
    const { lane, shift } = lanePosition(id)
    return { n: laneField(known.get(lane)?.toString(), shift), yes: laneField(yes.get(lane)?.toString(), shift) }
  })
}

function countsDirectly (rows: ReadonlyArray<readonly Value[]>, ids: readonly number[]): Array<{ n: number, yes: number }> {
  return ids.map((id) => ({
    n: rows.filter((row) => row[id - 1] !== null && row[id - 1] !== undefined).length,
    yes: rows.filter((row) => row[id - 1] === true).length,
  }))
}

describe('fact lanes', () => {
  it('put indicator k in lane (k - 1) / 3 + 1 at bit 21 · ((k - 1) mod 3)', () => {
    expect(lanePosition(1)).toEqual({ lane: 1, shift: 0 })
    expect(lanePosition(2)).toEqual({ lane: 1, shift: 21 })
    expect(lanePosition(3)).toEqual({ lane: 1, shift: 42 })
    expect(lanePosition(4)).toEqual({ lane: 2, shift: 0 })
    expect(lanePosition(65)).toEqual({ lane: 22, shift: 21 })
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 60]) expect(() => lanePosition(bad)).toThrow(/invalid indicator id/)
  })

  it('pack a hand-worked response: yes and known bits, missing and absent values left out', () => {
    // Indicators 1..5: yes, no, missing, yes, no.
    expect(factLanes([true, false, null, true, false])).toEqual({
      yes: [1, 1],
      known: [1 + 2 ** 21, 1 + 2 ** 21],
    })
    expect(factLanes([null, null, true])).toEqual({ yes: [2 ** 42], known: [2 ** 42] })
    expect(factLanes([])).toEqual({ yes: [], known: [] })
    // A lane holds at most 2^42 + 2^21 + 1: exact as a JavaScript number, so it travels as JSON.
    const all = factLanes(new Array<boolean>(65).fill(true))
    expect(all.yes).toHaveLength(22)
    expect(all.yes[0]).toBe(2 ** 42 + 2 ** 21 + 1)
    expect(all.yes[21]).toBe(2 ** 21 + 1)
    expect(all.known).toEqual(all.yes)
  })

  it('split a lane sum into its fields; null counts 0; a float or negative text is refused', () => {
    const sum = (5n << 42n) + (7n << 21n) + 9n
    expect([0, 21, 42].map((shift) => laneField(sum.toString(), shift))).toEqual([9, 7, 5])
    expect(laneField(null, 21)).toBe(0)
    expect(laneField(undefined, 0)).toBe(0)
    for (const bad of ['1e+21', '-3', '12.5', '']) expect(() => laneField(bad, 0)).toThrow(/unexpected lane sum/)
  })

  it('hold a group of LANE_FIELD_CAPACITY - 1 rows, all yes, within int8 and without a carry', () => {
    const rows = BigInt(LANE_FIELD_CAPACITY - 1)
    const sum = rows * BigInt(factLanes([true, true, true]).yes[0] ?? 0)
    expect(sum).toBe(2n ** 63n - 1n) // int8's largest value, exactly
    for (const shift of [0, 21, 42]) expect(laneField(sum.toString(), shift)).toBe(LANE_FIELD_CAPACITY - 1)
  })

  it('give the same counts as counting the values directly, for any rows of any length', () => {
    const value = fc.constantFrom<Value>(true, false, null)
    fc.assert(fc.property(
      fc.array(fc.array(value, { maxLength: 70 }), { maxLength: 60 }),
      fc.uniqueArray(fc.integer({ min: 1, max: 75 }), { minLength: 1, maxLength: 20 }),
      (rows, ids) => {
        expect(countsThroughLanes(rows, ids)).toEqual(countsDirectly(rows, ids))
      }
    ))
  })
})
