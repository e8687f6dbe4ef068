import { sql } from 'kysely'
import type { Kysely, RawBuilder } from 'kysely'
import type { Database } from '../database.js'
import { LANE_FIELD_CAPACITY, lanePosition, laneField } from '../fact-lanes.js'

/** The breakdown dimensions of results (DESIGN.md, "Indicators and the analysis"). */
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
}

export interface SiteCellCounts {
  site: string
  /** The site's value of the query's stratum dimension; null when none was asked. */
  stratum: string | null
  /** Value per requested dimension; null where the respondents' value is missing. */
  group: Record<string, string | null>
  /** n (known value) and yes per indicator, in the order of the query's indicators. */
  counts: Array<{ n: number, yes: number }>
}

/**
 * One grouped query over response_facts: for the waves, per cell of the requested dimensions and per
 * site, the denominator (respondents with a known value) and the yes count of every indicator at
 * once. Facts are aggregated first (by site and the response-level dimensions), and the few
 * aggregated rows are joined to sites for the site-level dimensions and the stratum. Every site with
 * a response in the waves gets rows, even where all its counts are 0, so the rows give the whole
 * design of a cluster-based estimate.
 *
 * The counts come from the bit-packed lanes (api/db/fact-lanes.ts): `sum(yes_lanes[i])` and
 * `sum(known_lanes[i])` of only the lanes that hold a requested indicator, three indicators per sum,
 * returned as text (numeric, which PGlite would parse as a float) and split into counts here.
 * Measured on PostgreSQL 15 (1,000,000 facts, 65 indicators, by site and gender, this 2-core machine
 * under other load): 0.8–1.3 s, against 5.3 s for a pair of `count(*) filter (where
 * indicator_values[k] …)` per indicator on the same table; `npm run bench:analysis` times the whole
 * results table. A group of LANE_FIELD_CAPACITY (2,097,152) respondents or more could overflow a
 * 21-bit field; the counts are then taken again by the filtered counts (countCellsBySiteFiltered).
 *
 * Dimension names must come from RESULT_DIMENSIONS and indicator ids must be whole numbers (the
 * route checks both against the database): anything else is refused here too.
 */
export async function countCellsBySite (db: Kysely<Database>, query: CellCountsQuery): Promise<SiteCellCounts[]> {
  if (!checkedQuery(query)) return []
  const { indicators, dimensions } = query
  const positions = indicators.map(({ id }) => lanePosition(id))
  const lanes = [...new Set(positions.map(({ lane }) => lane))].sort((a, b) => a - b)
  const sums = lanes.flatMap((lane) => [
    sql`sum(f.yes_lanes[${sql.lit(lane)}])::text as ${sql.id(`y_${lane}`)}`,
    sql`sum(f.known_lanes[${sql.lit(lane)}])::text as ${sql.id(`k_${lane}`)}`,
  ])
  const rows = await groupedCounts(db, query, [sql`count(*) as responses`, ...sums])
  if (rows.some((row) => Number(row.responses) >= LANE_FIELD_CAPACITY)) {
    return await countCellsBySiteFiltered(db, query)
  }
  return rows.map((row) => siteCellCounts(row, dimensions, positions.map(({ lane, shift }) => ({
    n: laneField(textOrNull(row[`k_${lane}`]), shift),
    yes: laneField(textOrNull(row[`y_${lane}`]), shift),
  }))))
}

/**
 * The same counts as countCellsBySite, as a pair of filtered counts per indicator over
 * `indicator_values` (`count(*) filter (where indicator_values[k] is not null)` and `… where
 * indicator_values[k]`): slower, but without a limit on the size of a group. countCellsBySite falls
 * back to it for a group too large for the lanes; tests compare the two.
 */
export async function countCellsBySiteFiltered (db: Kysely<Database>, query: CellCountsQuery): Promise<SiteCellCounts[]> {
  if (!checkedQuery(query)) return []
  const { indicators, dimensions } = query
  const counts = indicators.flatMap(({ id }, i) => [
    sql`count(*) filter (where f.indicator_values[${sql.lit(id)}] is not null)::int as ${sql.id(`n_${i}`)}`,
    sql`count(*) filter (where f.indicator_values[${sql.lit(id)}])::int as ${sql.id(`yes_${i}`)}`,
  ])
  const rows = await groupedCounts(db, query, counts)
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

/** The grouped query both counting methods share: `aggregates` per site and cell of the response-level dimensions. */
async function groupedCounts (db: Kysely<Database>, query: CellCountsQuery, aggregates: readonly RawBuilder<unknown>[]): Promise<Array<Record<string, unknown>>> {
  const { waveIds, dimensions, stratum } = query
  const responseDims = dimensions.filter((d): d is keyof typeof RESPONSE_COLUMN => Object.hasOwn(RESPONSE_COLUMN, d))
  const responseSelect = responseDims.map((d) => sql`${sql.ref(`f.${RESPONSE_COLUMN[d]}`)}::text as ${sql.id(`d_${d}`)}`)
  const groupBy = [sql`f.site_id`, ...responseDims.map((d) => sql.ref(`f.${RESPONSE_COLUMN[d]}`))]
  const siteSelect = dimensions.filter(isSiteDimension).map((d) => sql`${SITE_COLUMN[d]} as ${sql.id(`d_${d}`)}`)
  const stratumSelect = stratum === undefined ? sql`null::text` : SITE_COLUMN[stratum]

  const result = await sql<Record<string, unknown>>`
    select c.site_id::text as site, ${stratumSelect} as stratum,
           ${sql.join([...siteSelect, sql`c.*`])}
    from (
      select f.site_id, ${sql.join([...responseSelect, ...aggregates])}
      from response_facts f
      where f.wave_id in (${sql.join(waveIds)})
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
  }
}

const textOrNull = (value: unknown): string | null => value === null || value === undefined ? null : String(value)

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
