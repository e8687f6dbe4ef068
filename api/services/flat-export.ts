import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { FLAT_DIMENSION_COLUMNS, formatCsvRow } from '../../analysis/flat-file.js'
import type { FlatFileFormat } from '../../analysis/flat-file.js'
import type { Database } from '../db/database.js'
import { findResultsWaves, indicatorsOfSurveyVersions } from '../db/queries/results.js'
import { notFound } from '../errors.js'

export interface FlatExportOptions {
  waveIds: readonly string[]
  format: FlatFileFormat
  /** Rows fetched from the cursor at a time. */
  batchSize?: number
}

export interface FlatExportSummary {
  columns: string[]
  rows: number
}

interface FactRow {
  wave: string
  site: string
  site_kind: string
  county: string
  municipality: string
  centrality: string
  gender: string | null
  age_group: string | null
  iso_week: string
  indicator_values: Array<boolean | null>
}

/**
 * Writes the respondent-level flat file of some waves: one row per response in random order
 * (anonymity rule 3), the columns `FLAT_DIMENSION_COLUMNS` (wave and site ids, site kind, county,
 * municipality, centrality, gender, age group, ISO week) and then every indicator of the waves'
 * survey versions as 1, 0 or empty. Only derived facts are written, never answers (so never free
 * text). The analyze CLI reads the same format.
 *
 * Rows stream through a cursor inside one read transaction, a batch at a time, so the export needs
 * no more memory than a batch on either engine (PGlite has no streaming query, but has cursors).
 * @param write receives the file's text in chunks, in order; its promise is awaited (back-pressure)
 * @throws {AppError} 404 naming a wave that does not exist
 */
export async function writeFlatExport (
  db: Kysely<Database>,
  options: FlatExportOptions,
  write: (chunk: string) => void | Promise<void>
): Promise<FlatExportSummary> {
  const waves = await findResultsWaves(db, options.waveIds)
  const missing = options.waveIds.filter((id) => !waves.some((wave) => wave.id === id))
  if (missing.length > 0) throw notFound(`wave ${missing.join(', ')}`)
  const indicators = await indicatorsOfSurveyVersions(db, [...new Set(waves.map((wave) => wave.surveyVersionId))])
  const columns = [...FLAT_DIMENSION_COLUMNS, ...indicators.map((indicator) => indicator.name)]
  const format = options.format === 'csv' ? csvLine : jsonLine(columns)
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000))

  if (options.format === 'csv') await write(`${formatCsvRow(columns)}\n`)
  let rows = 0
  await db.transaction().execute(async (trx) => {
    await sql`
      declare flat_export no scroll cursor for
      select f.wave_id::text as wave, f.site_id::text as site, s.kind as site_kind, s.county_number as county,
             s.municipality_number as municipality, s.centrality::text as centrality,
             f.gender, f.age_group, f.iso_week, f.indicator_values
      from response_facts f
      join sites s on s.id = f.site_id
      where f.wave_id in (${sql.join(options.waveIds)})
      order by random()`.execute(trx)
    for (;;) {
      const batch = await sql<FactRow>`fetch forward ${sql.lit(batchSize)} from flat_export`.execute(trx)
      if (batch.rows.length === 0) break
      let chunk = ''
      for (const row of batch.rows) {
        const values = indicators.map(({ id }) => row.indicator_values[id - 1])
        chunk += format(row, values)
      }
      rows += batch.rows.length
      await write(chunk)
    }
    await sql`close flat_export`.execute(trx)
  })
  return { columns, rows }
}

const dimensionValues = (row: FactRow): Array<string | null> =>
  [row.wave, row.site, row.site_kind, row.county, row.municipality, row.centrality, row.gender, row.age_group, row.iso_week]

function csvLine (row: FactRow, values: ReadonlyArray<boolean | null | undefined>): string {
  return `${formatCsvRow([
    ...dimensionValues(row).map((value) => value ?? ''),
    ...values.map((value) => value === true ? '1' : value === false ? '0' : ''),
  ])}\n`
}

function jsonLine (columns: readonly string[]) {
  return (row: FactRow, values: ReadonlyArray<boolean | null | undefined>): string => {
    const cells = [...dimensionValues(row), ...values.map((value) => value === true ? 1 : value === false ? 0 : null)]
    return `${JSON.stringify(Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? null])))}\n`
  }
}
