import { readFileSync } from 'node:fs'
import { Value } from '@sinclair/typebox/value'
import { describe, expect, it } from 'vitest'
import { RELEASE_ROWS_FORMAT, UnknownReleaseFormatError, readResultRows, storeResultRows } from '../../api/db/release-rows.js'
import { ResultRowSchema } from '../../api/schemas/results.js'

/** Rows of a release frozen on 2026-12-04, as stored (format 1): one of each shape. Never edited. */
const frozen = JSON.parse(readFileSync(new URL('../fixtures/release-rows/v1.json', import.meta.url), 'utf8')) as { formatVersion: number, rows: unknown[] }

describe('stored release rows (api/db/release-rows.ts)', () => {
  it('a release frozen in format 1 still reads as a valid reply, every row of it', () => {
    expect(frozen.formatVersion).toBe(1)
    const rows = readResultRows(frozen.formatVersion, frozen.rows)
    expect(rows).toHaveLength(frozen.rows.length)
    for (const [i, row] of rows.entries()) expect([...Value.Errors(ResultRowSchema, row)].map((e) => `${i}${e.path}: ${e.message}`)).toEqual([])
  })

  it('reads each shape with its figures: an estimate with its interval, a suppressed cell with none, a withheld estimate, a fallback', () => {
    const [estimate, suppressed, withheld, fallback] = readResultRows(1, frozen.rows)
    expect(estimate).toMatchObject({ indicator: 'threatened_outdoors_12m', group: {}, n: 117, count: 52, estimate: 52 / 117, method: 'korn-graubard', df: 4, suppressed: false })
    expect(estimate?.reliability).toMatchObject({ flags: ['df_below_8'], publish: 'flag', withheld: false })
    expect(estimate!.ci_low).toBeLessThan(52 / 117)
    expect(estimate!.ci_high).toBeGreaterThan(52 / 117)
    const secondary = 'suppressed (secondary): publishing it would let a suppressed cell be recovered from the published figures'
    expect(suppressed).toEqual({ indicator: 'threatened_outdoors_12m', group: { age_group: '18_34' }, method: 'korn-graubard', suppressed: true, rule: 'complementary', reason: secondary })
    expect(withheld).toMatchObject({ group: { age_group: '35_plus' }, n: 59, count: 23, reliability: { publish: 'no', withheld: true } })
    expect(withheld).not.toHaveProperty('estimate')
    expect(fallback).toMatchObject({ indicator: 'sleep_poor_1m', group: { county: '50', gender: 'man' }, method: 'wilson', reason: expect.stringMatching(/one cluster/) })
  })

  it('writes today\'s rows in the current format, and reads them back unchanged', () => {
    const rows = readResultRows(1, frozen.rows)
    const stored = storeResultRows(rows)
    expect(stored.formatVersion).toBe(RELEASE_ROWS_FORMAT)
    expect(JSON.parse(JSON.stringify(stored.rows))).toEqual(frozen.rows)
    expect(readResultRows(stored.formatVersion, stored.rows)).toEqual(rows)
  })

  it('refuses a format it does not know, naming it, rather than guessing', () => {
    expect(() => readResultRows(2, frozen.rows)).toThrow(UnknownReleaseFormatError)
    expect(() => readResultRows(2, frozen.rows)).toThrow(/format 2: this version of Prevalens reads format 1 only/)
  })
})
