import { sql } from 'kysely'
import type { Kysely, Transaction } from 'kysely'
import type { Difference, DisclosureAudit, ReleaseMethod, ReleaseTableSpec, RepeatPolicy, RespondentRow, UnreliablePolicy, Weighting } from '../../schemas/releases.js'
import type { ResultRowReply } from '../../schemas/results.js'
import type { IndicatorMap } from '../../../survey-definitions/indicator-map.js'
import type { Database } from '../database.js'
import { readReleaseContent, storeReleaseContent } from '../release-content.js'
import { readResultRows, storeResultRows } from '../release-rows.js'
import type { VersionRules } from '../../../survey-definitions/instrument.js'

export interface ReleaseWave {
  id: string
  name: string
  surveyVersionId: number
  opensOn: string
  closesOn: string
}

/** What a list of releases shows of each. */
export interface ReleaseSummaryRow {
  id: string
  waveId: string
  waveName: string
  opensOn: string
  closesOn: string
  releasedAt: Date
  supersededBy: string | null
  k: number
  method: ReleaseMethod
  strata: 'county' | null
  level: number
  unreliable: UnreliablePolicy
  weights: Weighting
  repeats: RepeatPolicy
  /** Respondents of the wave who said they had already answered in this round. */
  answeredBefore: number
  respondents: number | null
  tableCount: number
  hasPublicLink: boolean
  source: string
}

/** A release with its frozen content. */
export interface ReleaseContentRow extends ReleaseSummaryRow {
  surveyVersionId: number
  tableSpecs: ReleaseTableSpec[]
  respondentRows: RespondentRow[]
  resultRows: ResultRowReply[]
  differences: Difference[]
  disclosureAudit: DisclosureAudit | null
}

export interface NewRelease {
  waveId: string
  releasedBy: string | null
  k: number
  method: ReleaseMethod
  strata: 'county' | null
  level: number
  unreliable: UnreliablePolicy
  weights: Weighting
  repeats: RepeatPolicy
  answeredBefore: number
  respondents: number | null
  source: string
  tableSpecs: readonly ReleaseTableSpec[]
  respondentRows: readonly RespondentRow[]
  resultRows: readonly ResultRowReply[]
  differences: readonly Difference[]
  disclosureAudit: DisclosureAudit
}

/** Respondents of a wave per site and cell of the response-level dimensions, with the site's dimensions. */
export interface RespondentCount {
  site: string
  gender: string | null
  ageGroup: string | null
  siteKind: string
  county: string
  municipality: string
  centrality: string
  responses: number
}

const waveColumns = ['w.id', 'w.name', 'w.survey_version_id', 'w.opens_on', 'w.closes_on'] as const

function toWave (row: { id: string, name: string, survey_version_id: number, opens_on: string, closes_on: string }): ReleaseWave {
  return { id: row.id, name: row.name, surveyVersionId: row.survey_version_id, opensOn: row.opens_on, closesOn: row.closes_on }
}

export async function findReleaseWave (db: Kysely<Database>, waveId: string): Promise<ReleaseWave | undefined> {
  const row = await db.selectFrom('waves as w').select(waveColumns).where('w.id', '=', waveId).executeTakeFirst()
  return row === undefined ? undefined : toWave(row)
}

/**
 * The wave, locked until the transaction ends: releases of one wave are made one at a time, so each
 * sees every earlier release when it decides what to suppress.
 */
export async function lockReleaseWave (trx: Transaction<Database>, waveId: string): Promise<ReleaseWave | undefined> {
  const row = await trx.selectFrom('waves as w').select(waveColumns).where('w.id', '=', waveId).forUpdate().executeTakeFirst()
  return row === undefined ? undefined : toWave(row)
}

function summaryQuery (db: Kysely<Database>) {
  return db.selectFrom('results_releases as r')
    .innerJoin('waves as w', 'w.id', 'r.wave_id')
    .select([
      'r.id', 'r.wave_id', 'w.name as wave_name', 'w.opens_on', 'w.closes_on', 'r.released_at', 'r.superseded_by',
      'r.k', 'r.method', 'r.strata', 'r.level', 'r.unreliable', 'r.weights', 'r.repeats', 'r.answered_before', 'r.respondents', 'r.table_count', 'r.source',
      sql<boolean>`r.public_token_hash is not null`.as('has_public_link'),
    ])
}

type SummarySelection = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>

function toSummary (row: SummarySelection): ReleaseSummaryRow {
  return {
    id: row.id,
    waveId: row.wave_id,
    waveName: row.wave_name,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    releasedAt: row.released_at,
    supersededBy: row.superseded_by,
    k: row.k,
    method: row.method,
    strata: row.strata,
    level: row.level,
    unreliable: row.unreliable,
    weights: row.weights,
    repeats: row.repeats,
    answeredBefore: row.answered_before,
    respondents: row.respondents,
    tableCount: row.table_count,
    hasPublicLink: row.has_public_link,
    source: row.source,
  }
}

/** Every release of a wave, newest first. */
export async function listWaveReleases (db: Kysely<Database>, waveId: string): Promise<ReleaseSummaryRow[]> {
  const rows = await summaryQuery(db).where('r.wave_id', '=', waveId).orderBy('r.released_at', 'desc').orderBy('r.id').execute()
  return rows.map(toSummary)
}

/** The releases not superseded, of one wave or of all, newest wave first. */
export async function listCurrentReleases (db: Kysely<Database>, waveId?: string): Promise<ReleaseSummaryRow[]> {
  let query = summaryQuery(db).where('r.superseded_by', 'is', null)
  if (waveId !== undefined) query = query.where('r.wave_id', '=', waveId)
  const rows = await query.orderBy('w.opens_on', 'desc').orderBy('w.name').execute()
  return rows.map(toSummary)
}

function contentQuery (db: Kysely<Database>) {
  return summaryQuery(db).select(['w.survey_version_id', 'r.table_specs', 'r.respondent_rows', 'r.result_rows', 'r.result_rows_format', 'r.differences', 'r.disclosure_audit'])
}

function toContent (row: Awaited<ReturnType<ReturnType<typeof contentQuery>['executeTakeFirstOrThrow']>>): ReleaseContentRow {
  return {
    ...toSummary(row),
    surveyVersionId: row.survey_version_id,
    ...readReleaseContent(row.result_rows_format, {
      tableSpecs: row.table_specs,
      respondentRows: row.respondent_rows,
      differences: row.differences,
      disclosureAudit: row.disclosure_audit,
    }),
    resultRows: readResultRows(row.result_rows_format, row.result_rows),
  }
}

export async function findRelease (db: Kysely<Database>, id: string): Promise<ReleaseContentRow | undefined> {
  const row = await contentQuery(db).where('r.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toContent(row)
}

export async function findReleaseByTokenHash (db: Kysely<Database>, tokenHash: string): Promise<ReleaseContentRow | undefined> {
  const row = await contentQuery(db).where('r.public_token_hash', '=', tokenHash).executeTakeFirst()
  return row === undefined ? undefined : toContent(row)
}

/** Every release of the wave so far (superseded ones too: they were published), oldest first. */
export async function earlierReleases (trx: Transaction<Database>, waveId: string): Promise<ReleaseContentRow[]> {
  const rows = await contentQuery(trx).where('r.wave_id', '=', waveId).orderBy('r.released_at').orderBy('r.id').execute()
  return rows.map(toContent)
}

/**
 * The current release of the wave released before this one: the latest other wave, by first day,
 * that opened before it and has a current release.
 */
export async function previousReleasedWave (db: Kysely<Database>, wave: ReleaseWave): Promise<ReleaseContentRow | undefined> {
  const row = await contentQuery(db)
    .where('r.superseded_by', 'is', null)
    .where('w.id', '<>', wave.id)
    .where('w.opens_on', '<', wave.opensOn)
    .orderBy('w.opens_on', 'desc')
    .orderBy('r.released_at', 'desc')
    .executeTakeFirst()
  return row === undefined ? undefined : toContent(row)
}

/**
 * Stores a release and marks the wave's current one (if any) as superseded by it, in the caller's
 * transaction. The successor's id is made first, so the old row can point at it (the key is checked
 * at commit) before the new row becomes the wave's one current release.
 */
export async function insertRelease (trx: Transaction<Database>, release: NewRelease, id: string): Promise<void> {
  await trx.updateTable('results_releases')
    .set({ superseded_by: id, superseded_at: sql<Date>`clock_timestamp()` })
    .where('wave_id', '=', release.waveId)
    .where('superseded_by', 'is', null)
    .execute()
  await trx.insertInto('results_releases').values({
    id,
    wave_id: release.waveId,
    released_by: release.releasedBy,
    k: release.k,
    method: release.method,
    strata: release.strata,
    level: release.level,
    unreliable: release.unreliable,
    weights: release.weights,
    repeats: release.repeats,
    answered_before: release.answeredBefore,
    respondents: release.respondents,
    table_count: release.tableSpecs.length,
    source: release.source,
    ...storedContent(release),
  }).execute()
}

/** The release's frozen columns in today's storage format, which result_rows_format names for the whole row. */
function storedContent (release: NewRelease) {
  const rows = storeResultRows(release.resultRows)
  const content = storeReleaseContent({
    tableSpecs: [...release.tableSpecs],
    respondentRows: [...release.respondentRows],
    differences: [...release.differences],
    disclosureAudit: release.disclosureAudit,
  })
  return {
    result_rows: JSON.stringify(rows.rows),
    result_rows_format: rows.formatVersion,
    table_specs: JSON.stringify(content.tableSpecs),
    respondent_rows: JSON.stringify(content.respondentRows),
    differences: JSON.stringify(content.differences),
    disclosure_audit: JSON.stringify(content.disclosureAudit),
  }
}

/** Sets (a hash) or clears (null) the release's public link; false when there is no such release. */
export async function setPublicTokenHash (trx: Transaction<Database>, id: string, tokenHash: string | null): Promise<boolean> {
  const result = await trx.updateTable('results_releases')
    .set({ public_token_hash: tokenHash, public_link_created_at: tokenHash === null ? null : sql<Date>`now()` })
    .where('id', '=', id)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Respondents of a wave per site, gender and age group, with each site's dimensions: one grouped query. */
export async function countRespondents (db: Kysely<Database>, waveId: string, repeats: RepeatPolicy = 'exclude'): Promise<RespondentCount[]> {
  const result = await sql<{ site: string, gender: string | null, age_group: string | null, kind: string, county: string, municipality: string, centrality: string, responses: number }>`
    select c.site_id::text as site, c.gender, c.age_group, s.kind, s.county_number as county,
           s.municipality_number as municipality, s.centrality::text as centrality, c.responses
    from (
      select f.site_id, f.gender, f.age_group, count(*)::int as responses
      from response_facts f
      where f.wave_id = ${waveId} ${repeats === 'include' ? sql`` : sql`and not f.answered_before`}
      group by f.site_id, f.gender, f.age_group
    ) c
    join sites s on s.id = c.site_id`.execute(db)
  return result.rows.map((row) => ({
    site: row.site,
    gender: row.gender,
    ageGroup: row.age_group,
    siteKind: row.kind,
    county: row.county,
    municipality: row.municipality,
    centrality: row.centrality,
    responses: Number(row.responses),
  }))
}

/** Responses of the wave stored so far. */
export async function countWaveResponses (db: Kysely<Database>, waveId: string): Promise<number> {
  const row = await db.selectFrom('response_facts').select((eb) => eb.fn.countAll<number>().as('n')).where('wave_id', '=', waveId).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Sites of a wave with at least one response: the clusters of a design-based release. */
export async function countWaveSites (db: Kysely<Database>, waveId: string): Promise<number> {
  const row = await db.selectFrom('response_facts').select(sql<number>`count(distinct site_id)::int`.as('n')).where('wave_id', '=', waveId).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The indicator map of a survey version (immutable once published). */
/** A survey version's indicator map and the rules its instrument states for it. */
export async function findVersionMapAndRules (db: Kysely<Database>, surveyVersionId: number): Promise<{ indicatorMap: IndicatorMap, rules: VersionRules } | undefined> {
  const row = await db.selectFrom('survey_versions').select(['indicator_map', 'rules']).where('id', '=', surveyVersionId).executeTakeFirst()
  return row === undefined ? undefined : { indicatorMap: row.indicator_map, rules: row.rules }
}

/** Respondents of the wave who said they had already answered in this round (from the per-site totals). */
export async function countAnsweredBefore (db: Kysely<Database>, waveId: string): Promise<number> {
  const row = await db.selectFrom('response_totals')
    .select(sql<number>`coalesce(sum(responses), 0)::int`.as('n'))
    .where('wave_id', '=', waveId)
    .where('answered_before', '=', true)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Which of `waveIds` have ever been released (a superseded release counts: the wave was released). */
export async function releasedWaveIds (db: Kysely<Database>, waveIds: readonly string[]): Promise<Set<string>> {
  if (waveIds.length === 0) return new Set()
  const rows = await db.selectFrom('results_releases').select('wave_id').distinct().where('wave_id', 'in', waveIds).execute()
  return new Set(rows.map((row) => row.wave_id))
}
