import { sql } from 'kysely'
import type { Kysely, RawBuilder } from 'kysely'
import type { Database } from '../database.js'

/** The breakdown dimensions of results. */
export const RESULT_DIMENSIONS = ['wave', 'gender', 'age_group', 'site_kind', 'county', 'municipality', 'centrality'] as const
export type ResultDimension = typeof RESULT_DIMENSIONS[number]

/** Dimensions that are properties of a site, so one value per cluster: the ones that can be strata. */
export const SITE_DIMENSIONS = ['site_kind', 'county', 'municipality', 'centrality'] as const
export type SiteDimension = typeof SITE_DIMENSIONS[number]

export const isResultDimension = (name: string): name is ResultDimension => (RESULT_DIMENSIONS as readonly string[]).includes(name)
export const isSiteDimension = (name: string): name is SiteDimension => (SITE_DIMENSIONS as readonly string[]).includes(name)

// The only SQL each dimension can become: names are checked against these maps, never interpolated.
const RESPONSE_COLUMN = { wave: 'wave_id', gender: 'gender', age_group: 'age_group' } as const
const SITE_COLUMN: Record<SiteDimension, RawBuilder<string>> = {
  site_kind: sql<string>`s.kind`,
  county: sql<string>`s.county_number`,
  municipality: sql<string>`s.municipality_number`,
  centrality: sql<string>`s.centrality::text`,
}

export interface IndicatorRef {
  /** Index in response_facts.indicator_values (indicators.id); it also fixes the indicator's lane. */
  id: number
  name: string
}

export interface CellCountsQuery {
  waveIds: readonly string[]
  /** Every indicator counted, in the order of each row's counts. */
  indicators: readonly IndicatorRef[]
  dimensions: readonly ResultDimension[]
  /** A site dimension returned per row as the site's stratum. */
  stratum?: SiteDimension
  /**
   * Split every row by the respondents' visits (the weight class): weighted totals follow exactly from
   * the counts per class. Default false (rows carry visits: null).
   */
  byVisits?: boolean
  /** Respondents who said they had already answered in this round: 'exclude' (default) or 'include'. */
  answeredBefore?: 'exclude' | 'include'
}

export interface SiteCellCounts {
  site: string
  /** The site's value of the query's stratum dimension; null when none was asked. */
  stratum: string | null
  /** Value per requested dimension; null where the respondents' value is missing. */
  group: Record<string, string | null>
  /** n (known value) and yes per indicator, in the order of the query's indicators. */
  counts: Array<{ n: number, yes: number }>
  /** With byVisits: the visits these respondents' answer stands for (null: not asked or not known). */
  visits: number | null
}

/**
 * The counts results are made of: for the waves, per cell of the requested dimensions and per site, the
 * denominator (respondents with a known value) and the yes count of every indicator at once. They are read from
 * response_totals, which the mix keeps per wave, site, gender and age group (a few hundred rows a wave), so the
 * cost grows with the number of cells and sites, not of responses; the few grouped rows are joined to sites for
 * the site-level dimensions and the stratum. Every site with a response in the waves gets rows, even where all
 * its counts are 0, so the rows give the whole design of a cluster-based estimate (a site whose only respondents
 * said they had already answered is left out with them, as R leaves a cluster out of data it never sees). `npm run bench:analysis`
 * times it beside the row-level count (countCellsBySiteFiltered), and the tests hold the two equal.
 *
 * Dimension names must come from RESULT_DIMENSIONS and indicator ids must be whole numbers (the
 * route checks both against the database): anything else is refused here too.
 */
export async function countCellsBySite (db: Kysely<Database>, query: CellCountsQuery): Promise<SiteCellCounts[]> {
  if (!checkedQuery(query)) return []
  const { indicators, dimensions } = query
  const counts = indicators.flatMap(({ id }, i) => [
    sql`coalesce(sum(f.known_counts[${sql.lit(id)}]), 0)::int as ${sql.id(`n_${i}`)}`,
    sql`coalesce(sum(f.yes_counts[${sql.lit(id)}]), 0)::int as ${sql.id(`yes_${i}`)}`,
  ])
  const rows = await groupedCounts(db, sql`response_totals`, query, counts)
  return rows.map((row) => siteCellCounts(row, dimensions, indicators.map((_, i) => ({ n: Number(row[`n_${i}`]), yes: Number(row[`yes_${i}`]) }))))
}

/**
 * The same counts as countCellsBySite, counted from every response's facts: a pair of filtered counts per
 * indicator over `indicator_values` (`count(*) filter (where indicator_values[k] is not null)` and `… where
 * indicator_values[k]`). The row-level truth the totals must equal; tests and the bench compare the two.
 */
export async function countCellsBySiteFiltered (db: Kysely<Database>, query: CellCountsQuery): Promise<SiteCellCounts[]> {
  if (!checkedQuery(query)) return []
  const { indicators, dimensions } = query
  const counts = indicators.flatMap(({ id }, i) => [
    sql`count(*) filter (where f.indicator_values[${sql.lit(id)}] is not null)::int as ${sql.id(`n_${i}`)}`,
    sql`count(*) filter (where f.indicator_values[${sql.lit(id)}])::int as ${sql.id(`yes_${i}`)}`,
  ])
  const rows = await groupedCounts(db, sql`response_facts`, query, counts)
  return rows.map((row) => siteCellCounts(row, dimensions, indicators.map((_, i) => ({ n: Number(row[`n_${i}`]), yes: Number(row[`yes_${i}`]) }))))
}

/** Checks the names and ids of a query (false: nothing to count). */
function checkedQuery ({ waveIds, indicators, dimensions, stratum }: CellCountsQuery): boolean {
  if (waveIds.length === 0 || indicators.length === 0) return false
  for (const d of dimensions) if (!isResultDimension(d)) throw new Error(`unknown results dimension ${String(d)}`)
  if (stratum !== undefined && !isSiteDimension(stratum)) throw new Error(`unknown stratum dimension ${String(stratum)}`)
  for (const { id } of indicators) if (!Number.isSafeInteger(id) || id < 1) throw new Error(`invalid indicator id ${String(id)}`)
  return true
}

/**
 * The grouped query both counting methods share: `aggregates` over `source` (response_totals or response_facts,
 * which name the wave, site, gender and age group alike) per site and cell of the response-level dimensions.
 */
async function groupedCounts (db: Kysely<Database>, source: RawBuilder<unknown>, query: CellCountsQuery, aggregates: readonly RawBuilder<unknown>[]): Promise<Array<Record<string, unknown>>> {
  const { waveIds, dimensions, stratum } = query
  const byVisits = query.byVisits === true
  const repeats = query.answeredBefore === 'include' ? sql`` : sql`and not f.answered_before`
  const responseDims = dimensions.filter((d): d is keyof typeof RESPONSE_COLUMN => Object.hasOwn(RESPONSE_COLUMN, d))
  const responseSelect = responseDims.map((d) => sql`${sql.ref(`f.${RESPONSE_COLUMN[d]}`)}::text as ${sql.id(`d_${d}`)}`)
  const groupBy = [sql`f.site_id`, ...responseDims.map((d) => sql.ref(`f.${RESPONSE_COLUMN[d]}`)), ...(byVisits ? [sql`f.visits`] : [])]
  const siteSelect = dimensions.filter(isSiteDimension).map((d) => sql`${SITE_COLUMN[d]} as ${sql.id(`d_${d}`)}`)
  const stratumSelect = stratum === undefined ? sql`null::text` : SITE_COLUMN[stratum]

  const result = await sql<Record<string, unknown>>`
    select c.site_id::text as site, ${stratumSelect} as stratum,
           ${sql.join([...siteSelect, sql`c.*`])}
    from (
      select f.site_id, ${byVisits ? sql`f.visits` : sql`null::float8`} as visits, ${sql.join([...responseSelect, ...aggregates])}
      from ${source} f
      where f.wave_id in (${sql.join(waveIds)}) ${repeats}
      group by ${sql.join(groupBy)}
    ) c
    join sites s on s.id = c.site_id`.execute(db)
  return result.rows
}

function siteCellCounts (row: Record<string, unknown>, dimensions: readonly ResultDimension[], counts: Array<{ n: number, yes: number }>): SiteCellCounts {
  return {
    site: String(row.site),
    stratum: row.stratum === null ? null : String(row.stratum),
    group: Object.fromEntries(dimensions.map((d) => {
      const value = row[`d_${d}`]
      return [d, value === null || value === undefined ? null : String(value)]
    })),
    counts,
    visits: row.visits === null || row.visits === undefined ? null : Number(row.visits),
  }
}

export interface ResultsWave {
  id: string
  surveyVersionId: number
}

/** The waves among `ids` that exist. */
export async function findResultsWaves (db: Kysely<Database>, ids: readonly string[]): Promise<ResultsWave[]> {
  if (ids.length === 0) return []
  const rows = await db.selectFrom('waves').select(['id', 'survey_version_id']).where('id', 'in', ids).execute()
  return rows.map((row) => ({ id: row.id, surveyVersionId: row.survey_version_id }))
}

/** Every indicator that the survey versions' indicator maps define, in the order they were first published. */
export async function indicatorsOfSurveyVersions (db: Kysely<Database>, versionIds: readonly number[]): Promise<IndicatorRef[]> {
  if (versionIds.length === 0) return []
  const versions = await db.selectFrom('survey_versions').select('indicator_map').where('id', 'in', versionIds).execute()
  const names = [...new Set(versions.flatMap((v) => Object.keys(v.indicator_map.indicators)))]
  if (names.length === 0) return []
  return await db.selectFrom('indicators').select(['id', 'name']).where('name', 'in', names).orderBy('id').execute()
}

/** The indicators among `names` that exist, by name. */
export async function findIndicators (db: Kysely<Database>, names: readonly string[]): Promise<Map<string, IndicatorRef>> {
  if (names.length === 0) return new Map()
  const rows = await db.selectFrom('indicators').select(['id', 'name']).where('name', 'in', names).execute()
  return new Map(rows.map((row) => [row.name, row]))
}
