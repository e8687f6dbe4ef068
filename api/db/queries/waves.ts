import { sql } from 'kysely'
import type { Kysely, Transaction, Updateable } from 'kysely'
import type { Database, NewWave, WaveRow, WaveStatus, WaveTable } from '../database.js'
import type { WaveWindow } from '../../domain/upload-window.js'

export interface WaveSiteDetail {
  siteId: string
  siteName: string
  target: number | null
}

export interface WaveDetail {
  row: WaveRow
  surveyVersion: { id: number, slug: string, version: number }
  sites: WaveSiteDetail[]
}

/**
 * Waves with their survey version and sites, newest first: every wave, or `ids` (or `statuses`) only; with `siteId`, only
 * the waves at that site and only that site in each (site staff see nothing of other sites).
 */
export async function listWaveDetails (db: Kysely<Database>, filter: { ids?: readonly string[], siteId?: string, statuses?: readonly WaveStatus[] } = {}): Promise<WaveDetail[]> {
  if ((filter.ids !== undefined && filter.ids.length === 0) || (filter.statuses !== undefined && filter.statuses.length === 0)) return []
  let waves = db.selectFrom('waves')
    .innerJoin('survey_versions as v', 'v.id', 'waves.survey_version_id')
    .selectAll('waves')
    .select(['v.slug', 'v.version'])
    .orderBy('waves.opens_on', 'desc').orderBy('waves.created_at', 'desc').orderBy('waves.id')
  if (filter.ids !== undefined) waves = waves.where('waves.id', 'in', filter.ids)
  if (filter.statuses !== undefined) waves = waves.where('waves.status', 'in', filter.statuses)
  if (filter.siteId !== undefined) {
    const siteId = filter.siteId
    waves = waves.where((eb) => eb.exists(eb.selectFrom('wave_sites').select('wave_id').whereRef('wave_sites.wave_id', '=', 'waves.id').where('wave_sites.site_id', '=', siteId)))
  }
  const rows = await waves.execute()
  if (rows.length === 0) return []
  let sites = db.selectFrom('wave_sites').innerJoin('sites', 'sites.id', 'wave_sites.site_id')
    .select(['wave_sites.wave_id', 'wave_sites.site_id', 'wave_sites.target_responses', 'sites.name'])
    .where('wave_sites.wave_id', 'in', rows.map((row) => row.id))
    .orderBy('sites.name').orderBy('sites.id')
  if (filter.siteId !== undefined) sites = sites.where('wave_sites.site_id', '=', filter.siteId)
  const siteRows = await sites.execute()
  return rows.map(({ slug, version, ...row }) => ({
    row,
    surveyVersion: { id: row.survey_version_id, slug, version },
    sites: siteRows.filter((site) => site.wave_id === row.id).map((site) => ({ siteId: site.site_id, siteName: site.name, target: site.target_responses })),
  }))
}

/** Locks the wave for a change of its plan or status: two researchers acting at once are served in turn. */
export async function lockWave (trx: Transaction<Database>, id: string): Promise<WaveRow | undefined> {
  return await trx.selectFrom('waves').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export interface WaveSitePlan {
  siteId: string
  /** Responses hoped for at the site; null or left out when none was set. */
  target?: number | null
}

/** A wave and its sites: the one way a wave is made, by the console, the demo seeding and the tests alike. */
export async function insertWave (trx: Transaction<Database>, wave: NewWave, sites: readonly WaveSitePlan[]): Promise<WaveRow> {
  const row = await trx.insertInto('waves').values(wave).returningAll().executeTakeFirstOrThrow()
  await replaceWaveSites(trx, row.id, sites)
  return row
}

export async function updateWave (trx: Transaction<Database>, id: string, patch: Updateable<WaveTable>): Promise<WaveRow> {
  if (Object.keys(patch).length === 0) return await trx.selectFrom('waves').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return await trx.updateTable('waves').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function replaceWaveSites (trx: Transaction<Database>, waveId: string, sites: readonly WaveSitePlan[]): Promise<void> {
  await trx.deleteFrom('wave_sites').where('wave_id', '=', waveId).execute()
  if (sites.length === 0) return
  await trx.insertInto('wave_sites').values(sites.map((site) => ({ wave_id: waveId, site_id: site.siteId, target_responses: site.target ?? null }))).execute()
}

export async function setWaveStatus (trx: Transaction<Database>, id: string, status: WaveStatus): Promise<WaveRow> {
  return await trx.updateTable('waves').set({ status }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function findWaveSurveyVersionId (db: Kysely<Database>, id: string): Promise<number | undefined> {
  const row = await db.selectFrom('waves').select('survey_version_id').where('id', '=', id).executeTakeFirst()
  return row?.survey_version_id
}

export interface OpenWave {
  waveId: string
  waveName: string
  surveyVersionId: number
  slug: string
  version: number
  /** The page of the version the kiosk asks its privacy check before (the version's rules). */
  privacyCheckBefore: string
}

/** The open waves that include the site, the one that opened last first: the kiosk picks among them (services/kiosk.ts). */
export async function openWavesAtSite (db: Kysely<Database>, siteId: string): Promise<Array<OpenWave & WaveWindow>> {
  const rows = await db.selectFrom('waves')
    .innerJoin('wave_sites', 'wave_sites.wave_id', 'waves.id')
    .innerJoin('survey_versions', 'survey_versions.id', 'waves.survey_version_id')
    .select(['waves.id', 'waves.name', 'waves.survey_version_id', 'waves.status', 'waves.opens_on', 'waves.closes_on', 'waves.grace_days',
      'survey_versions.slug', 'survey_versions.version', sql<string>`survey_versions.rules->>'privacyCheckBefore'`.as('privacy_check_before')])
    .where('wave_sites.site_id', '=', siteId)
    .where('waves.status', '=', 'open')
    .orderBy('waves.opens_on', 'desc')
    .orderBy('waves.id')
    .execute()
  return rows.map((row) => ({
    waveId: row.id,
    waveName: row.name,
    surveyVersionId: row.survey_version_id,
    slug: row.slug,
    version: row.version,
    privacyCheckBefore: row.privacy_check_before,
    status: row.status,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    graceDays: row.grace_days,
  }))
}

/** Makes wave openings wait for one another, so two waves sharing a site cannot both be opened at once. */
const WAVE_OPENING_LOCK_KEY = 7_301_042

export async function lockWaveOpenings (trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${WAVE_OPENING_LOCK_KEY})`.execute(trx)
}

export interface SiteClash {
  siteName: string
  waveName: string
}

/** The other open waves at any of this wave's sites, by site. */
export async function openWavesSharingSites (trx: Transaction<Database>, waveId: string): Promise<SiteClash[]> {
  return await trx.selectFrom('wave_sites as mine')
    .innerJoin('wave_sites as theirs', (join) => join.onRef('theirs.site_id', '=', 'mine.site_id').onRef('theirs.wave_id', '!=', 'mine.wave_id'))
    .innerJoin('waves', 'waves.id', 'theirs.wave_id')
    .innerJoin('sites', 'sites.id', 'mine.site_id')
    .select(['sites.name as siteName', 'waves.name as waveName'])
    .where('mine.wave_id', '=', waveId)
    .where('waves.status', '=', 'open')
    .orderBy('sites.name').orderBy('waves.name')
    .execute()
}
