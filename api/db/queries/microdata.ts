import { sql } from 'kysely'
import type { Kysely, Transaction } from 'kysely'
import type { Database, SiteRow, SurveyVersionRow, WaveRow } from '../database.js'
import { indicatorsOfSurveyVersions } from './results.js'
import type { IndicatorRef } from './results.js'

export interface WaveExportSource {
  wave: WaveRow
  version: SurveyVersionRow
  /** The wave's sites. */
  sites: SiteRow[]
  /** The version's indicators in the order the flat export writes them. */
  indicators: IndicatorRef[]
}

export async function findWaveExportSource (db: Kysely<Database>, waveId: string): Promise<WaveExportSource | undefined> {
  const wave = await db.selectFrom('waves').selectAll().where('id', '=', waveId).executeTakeFirst()
  if (wave === undefined) return undefined
  const [version, sites, indicators] = await Promise.all([
    db.selectFrom('survey_versions').selectAll().where('id', '=', wave.survey_version_id).executeTakeFirstOrThrow(),
    db.selectFrom('sites').selectAll().where('id', 'in', db.selectFrom('wave_sites').select('site_id').where('wave_id', '=', waveId)).orderBy('name').execute(),
    indicatorsOfSurveyVersions(db, [wave.survey_version_id]),
  ])
  return { wave, version, sites, indicators }
}

export interface AnswerColumn {
  /** The question's name, as a key of the answers. */
  question: string
  /** Read as jsonb (a checkbox's array) rather than text. */
  json: boolean
}

export interface MicrodataRow {
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
  /** The visits the attendance answer stands for (null: unknown or not asked), and the repeat answer. */
  visits: number | null
  answered_before: boolean
  /** The answers of `answerColumns`, a_0, a_1…: text, or a parsed jsonb array. */
  [answer: `a_${number}`]: unknown
}

/**
 * Streams a wave's responses in a random order (gen_random_uuid() per row: a strong random source on both
 * engines, unlike random()) through a cursor, `batchSize` rows at a time, inside the caller's transaction (a
 * cursor lives in one). Only the questions in `answerColumns` are read out of the answers (jsonb_to_record), so
 * nothing else — free text included — ever leaves the database; no response id, no device.
 * @param onCount when given, told the number of rows before the first batch; the count and the rows come from
 *   one snapshot only if the caller's transaction is repeatable read, as a file format with the count in its
 *   header needs
 */
export async function streamMicrodata (
  trx: Transaction<Database>,
  waveId: string,
  answerColumns: readonly AnswerColumn[],
  batchSize: number,
  onBatch: (rows: MicrodataRow[]) => void | Promise<void>,
  onCount?: (rows: number) => void | Promise<void>
): Promise<number> {
  const answerSelect = answerColumns.map((column, i) => sql`a.${sql.id(column.question)} as ${sql.id(`a_${i}`)}`)
  const record = answerColumns.length === 0
    ? sql``
    : sql`cross join lateral jsonb_to_record(r.answers) as a(${sql.join(answerColumns.map((column) => sql`${sql.id(column.question)} ${sql.raw(column.json ? 'jsonb' : 'text')}`))})`
  let rows = 0
  if (onCount !== undefined) {
    const counted = await sql<{ rows: number }>`
      select count(*)::int as rows from response_facts f
      join sites s on s.id = f.site_id
      join responses r on r.id = f.response_id
      where f.wave_id = ${waveId}`.execute(trx)
    await onCount(counted.rows[0]?.rows ?? 0)
  }
  await sql`
    declare microdata no scroll cursor for
    select f.wave_id::text as wave, f.site_id::text as site, s.kind as site_kind, s.county_number as county,
           s.municipality_number as municipality, s.centrality::text as centrality,
           f.gender, f.age_group, f.iso_week, f.indicator_values, f.visits, f.answered_before
           ${answerSelect.length === 0 ? sql`` : sql`, ${sql.join(answerSelect)}`}
    from response_facts f
    join sites s on s.id = f.site_id
    join responses r on r.id = f.response_id
    ${record}
    where f.wave_id = ${waveId}
    order by gen_random_uuid()`.execute(trx)
  for (;;) {
    const batch = await sql<MicrodataRow>`fetch forward ${sql.lit(batchSize)} from microdata`.execute(trx)
    if (batch.rows.length === 0) break
    rows += batch.rows.length
    await onBatch(batch.rows)
  }
  await sql`close microdata`.execute(trx)
  return rows
}
