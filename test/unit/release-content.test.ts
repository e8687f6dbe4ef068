import { readFileSync } from 'node:fs'
import { Type } from '@sinclair/typebox'
import type { TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { describe, expect, it } from 'vitest'
import { STORED_CONTENT_FIELDS, readReleaseContent, storeReleaseContent } from '../../api/db/release-content.js'
import type { ReleaseContent } from '../../api/db/release-content.js'
import { UnknownReleaseFormatError } from '../../api/db/release-rows.js'
import { DifferenceSchema, DisclosureAuditSchema, ReleaseTableSpecSchema, RespondentRowSchema } from '../../api/schemas/releases.js'
import type { AuditedCellReply, Difference, DisclosureAudit, ReleaseTableSpec, RespondentRow } from '../../api/schemas/releases.js'

/**
 * The table list, who answered, differences and disclosure audit of a release frozen on 2026-12-04 (the
 * autumn release of test/api/releases.test.ts), as stored, with the row's result_rows_format (2: its four
 * columns here are in their format 1, as in row format 1). Never edited.
 */
const frozen = JSON.parse(readFileSync(new URL('../fixtures/release-content/v1.json', import.meta.url), 'utf8')) as {
  result_rows_format: number
  table_specs: unknown[]
  respondent_rows: unknown[]
  differences: unknown[]
  disclosure_audit: unknown
}
const stored = { tableSpecs: frozen.table_specs, respondentRows: frozen.respondent_rows, differences: frozen.differences, disclosureAudit: frozen.disclosure_audit }

function errors (schema: TSchema, values: readonly unknown[]): string[] {
  return values.flatMap((value, i) => [...Value.Errors(schema, value)].map((e) => `${i}${e.path}: ${e.message}`))
}

describe('stored release content (api/db/release-content.ts)', () => {
  it('a release frozen in format 1 still reads as valid replies, every table, cell, difference and audited cell', () => {
    expect(frozen.result_rows_format).toBe(2)
    const content = readReleaseContent(frozen.result_rows_format, stored)
    expect(readReleaseContent(1, stored)).toEqual(content)
    expect(content.tableSpecs).toHaveLength(frozen.table_specs.length)
    expect(content.respondentRows).toHaveLength(frozen.respondent_rows.length)
    expect(content.differences).toHaveLength(frozen.differences.length)
    expect(errors(ReleaseTableSpecSchema, content.tableSpecs)).toEqual([])
    expect(errors(RespondentRowSchema, content.respondentRows)).toEqual([])
    expect(errors(DifferenceSchema, content.differences)).toEqual([])
    expect(errors(Type.Union([DisclosureAuditSchema, Type.Null()]), [content.disclosureAudit])).toEqual([])
  })

  it('reads each shape: overview and chosen tables, who answered with n in every published cell, both kinds of difference, the audit\'s cells', () => {
    const content = readReleaseContent(2, stored)
    expect(content.tableSpecs.some((t) => t.overview)).toBe(true)
    expect(content.tableSpecs.some((t) => !t.overview && t.by.length > 0)).toBe(true)
    expect(content.respondentRows.find((r) => Object.keys(r.group).length === 0)).toMatchObject({ suppressed: false, n: expect.any(Number) })
    for (const row of content.respondentRows) expect(row.n === undefined).toBe(row.suppressed)
    const kinds = new Set(content.differences.map((d) => d.kind))
    expect(kinds).toEqual(new Set(['women_minus_men', 'wave_minus_previous']))
    const given = content.differences.find((d) => !d.suppressed && d.difference !== undefined)
    expect(given).toMatchObject({ level: 0.95, first: { label: expect.any(String), waveId: expect.any(String) } })
    expect(given!.ci_low).toBeLessThan(given!.difference!)
    expect(given!.ci_high).toBeGreaterThan(given!.difference!)
    const audit = content.disclosureAudit
    expect(audit).not.toBeNull()
    expect(audit!.safe).toBe(true)
    expect(audit!.suppressed.length).toBe(audit!.primary + audit!.secondary)
    expect(audit!.suppressed[0]?.n).toHaveLength(2)
  })

  it('writes today\'s content in the current format, exactly as format 1 stored it, and reads it back unchanged', () => {
    const content = readReleaseContent(2, stored)
    const written = storeReleaseContent(content)
    expect(JSON.parse(JSON.stringify(written))).toEqual(stored)
    expect(readReleaseContent(2, JSON.parse(JSON.stringify(written)) as typeof stored)).toEqual(content)
  })

  it('reads a release without an audit (made before audits were stored) as null', () => {
    expect(readReleaseContent(2, { ...stored, disclosureAudit: null }).disclosureAudit).toBeNull()
  })

  it('stores every field of each reply and reads each back as it was', () => {
    const table: ReleaseTableSpec = { indicator: 'any_violence_12m', by: ['gender', 'county'], overview: false }
    const cell: RespondentRow = { group: { county: '50' }, n: 7, suppressed: true, rule: 'n_below_k', reason: 'fewer than 5' }
    const difference: Difference = {
      kind: 'wave_minus_previous',
      indicator: 'any_violence_12m',
      group: { gender: 'woman' },
      first: { label: 'Autumn', waveId: 'a', n: 80, count: 30, estimate: 0.375 },
      second: { label: 'Spring', waveId: 'b', n: 70, count: 20, estimate: 0.286 },
      difference: 0.089,
      ci_low: -0.06,
      ci_high: 0.23,
      method: 'design-linearised',
      level: 0.9,
      suppressed: false,
      reason: 'a reason',
      note: 'a note',
    }
    const audited: AuditedCellReply = { indicator: 'x', by: ['county'], group: { county: '50' }, rule: 'n_below_k', n: [3, null], yes: [0, 3], no: [1, 4], problem: 'a problem' }
    const audit: DisclosureAudit = { safe: false, solver: 'glpk', cells: 40, primary: 1, secondary: 0, minWidth: 3, rounds: 2, linearPrograms: 12, seconds: 0.5, suppressed: [audited] }
    expect(Object.keys(table).sort()).toEqual([...STORED_CONTENT_FIELDS.tableSpec].sort())
    expect(Object.keys(cell).sort()).toEqual([...STORED_CONTENT_FIELDS.respondentRow].sort())
    expect(Object.keys(difference).sort()).toEqual([...STORED_CONTENT_FIELDS.difference].sort())
    expect(Object.keys(difference.first).sort()).toEqual([...STORED_CONTENT_FIELDS.differenceSide].sort())
    expect(Object.keys(audit).sort()).toEqual([...STORED_CONTENT_FIELDS.audit].sort())
    expect(Object.keys(audited).sort()).toEqual([...STORED_CONTENT_FIELDS.auditedCell].sort())
    const content: ReleaseContent = { tableSpecs: [table], respondentRows: [cell], differences: [difference], disclosureAudit: audit }
    const written = JSON.parse(JSON.stringify(storeReleaseContent(content))) as Parameters<typeof readReleaseContent>[1]
    expect(readReleaseContent(2, written)).toEqual(content)
  })

  it('refuses a format it does not know, naming it, rather than guessing', () => {
    expect(() => readReleaseContent(3, stored)).toThrow(UnknownReleaseFormatError)
    expect(() => readReleaseContent(3, stored)).toThrow(/format 3: this version of Prevalens reads formats 1 and 2 only/)
  })
})
