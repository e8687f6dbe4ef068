import type { Kysely, Transaction, Updateable } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database, WaveRow, WaveTable } from '../db/database.js'
import { importHelpResourcesIfNeeded } from './help-resources.js'
import { existingSiteIds } from '../db/queries/sites.js'
import { surveyVersionExists } from '../db/queries/survey-versions.js'
import { insertWave, listWaveDetails, lockWave, lockWaveOpenings, openWavesSharingSites, replaceWaveSites, setWaveStatus, updateWave } from '../db/queries/waves.js'
import type { WaveDetail, WaveSitePlan } from '../db/queries/waves.js'
import { AppError, notFound } from '../errors.js'
import type { Wave, WaveCreateBody, WaveSiteInput, WaveUpdateBody } from '../schemas/waves.js'
import { recordAudit } from './audit-log.js'
import { assertHelpFresh } from './help-freshness.js'
import { mixWave } from './mix.js'
import type { MixContext } from './mix.js'
import { ownSiteOf } from './site-scope.js'
import { isCalendarDate } from '../study-calendar.js'

/**
 * Waves: planned, edited while planned, opened (only with fresh help resources), closed. Every change is
 * made under the wave's row lock and recorded in the audit log in the same transaction.
 */

/** The waves the account may see, newest first; site staff see only their site in each. */
export async function listWaves (db: Kysely<Database>, account: Account): Promise<Wave[]> {
  const siteId = ownSiteOf(account)
  return (await listWaveDetails(db, siteId === undefined ? {} : { siteId })).map(waveReply)
}

/** @throws {AppError} 404 when there is no such wave, or none the account may see */
export async function findWave (db: Kysely<Database>, account: Account, id: string): Promise<Wave> {
  const siteId = ownSiteOf(account)
  const [wave] = await listWaveDetails(db, { ids: [id], ...(siteId === undefined ? {} : { siteId }) })
  if (wave === undefined) throw notFound(`wave ${id}`)
  return waveReply(wave)
}

/** A new planned wave. @throws {AppError} 400 naming bad dates, sites or survey version */
export async function planWave (db: Kysely<Database>, actor: Account, body: WaveCreateBody, today: string): Promise<Wave> {
  checkDates(body.opensOn, body.closesOn, today)
  const sites = await checkedSites(db, body.sites)
  await checkSurveyVersion(db, body.surveyVersionId)
  const wave = await db.transaction().execute(async (trx) => {
    const row = await insertWave(trx, {
      name: body.name.trim(),
      survey_version_id: body.surveyVersionId,
      opens_on: body.opensOn,
      closes_on: body.closesOn,
      ...(body.graceDays === undefined ? {} : { grace_days: body.graceDays }),
    }, sites)
    await recordAudit(trx, { actor, action: 'wave.create', objectType: 'wave', objectId: row.id, detail: { ...waveDetail(row), sites } })
    return row
  })
  return await waveById(db, wave.id)
}

/** Changes a planned wave. @throws {AppError} 404, 409 wave_not_planned, 400 as planWave */
export async function replanWave (db: Kysely<Database>, actor: Account, id: string, body: WaveUpdateBody, today: string): Promise<Wave> {
  const sites = body.sites === undefined ? undefined : await checkedSites(db, body.sites)
  if (body.surveyVersionId !== undefined) await checkSurveyVersion(db, body.surveyVersionId)
  await db.transaction().execute(async (trx) => {
    const before = await lockedWave(trx, id)
    if (before.status !== 'planned') throw new AppError(409, 'wave_not_planned', `wave "${before.name}" is ${before.status}: only a planned wave can be edited`)
    checkDates(body.opensOn ?? before.opens_on, body.closesOn ?? before.closes_on, today)
    const after = await updateWave(trx, id, wavePatch(body))
    if (sites !== undefined) await replaceWaveSites(trx, id, sites)
    await recordAudit(trx, {
      actor,
      action: 'wave.update',
      objectType: 'wave',
      objectId: id,
      detail: { before: waveDetail(before), after: waveDetail(after), ...(sites === undefined ? {} : { sites }) },
    })
  })
  return await waveById(db, id)
}

/**
 * Opens a planned wave whose close date has not passed, while the help resources are fresh and none of its
 * sites has another open wave (a tablet shows one wave: a second would silently take its place).
 * @throws {AppError} 404, 409
 */
export async function openWave (db: Kysely<Database>, actor: Account, id: string, { today, helpMaxAgeDays }: { today: string, helpMaxAgeDays: number }): Promise<Wave> {
  // The freshness check reads the tables: make sure the shipped file was imported (a no-op once it was).
  await importHelpResourcesIfNeeded(db)
  await db.transaction().execute(async (trx) => {
    const wave = await lockedWave(trx, id)
    if (wave.status !== 'planned') throw new AppError(409, 'wave_transition', `wave "${wave.name}" is ${wave.status}: only a planned wave can be opened`)
    if (wave.closes_on < today) throw new AppError(409, 'wave_dates', `wave "${wave.name}" closes on ${wave.closes_on}, which has passed; change its dates before opening it`)
    await assertHelpFresh(trx, today, helpMaxAgeDays)
    await lockWaveOpenings(trx)
    const clashes = await openWavesSharingSites(trx, id)
    if (clashes.length > 0) {
      const named = [...new Set(clashes.map((clash) => `${clash.siteName} already has the open wave "${clash.waveName}"`))].join('; ')
      throw new AppError(409, 'site_has_open_wave', `wave "${wave.name}" cannot open: ${named}. Close that wave first, or remove the site from this one`)
    }
    await setWaveStatus(trx, id, 'open')
    await recordAudit(trx, { actor, action: 'wave.open', objectType: 'wave', objectId: id, detail: waveDetail(wave) })
  })
  return await waveById(db, id)
}

/** Closes an open wave, then mixes its held responses. @throws {AppError} 404, 409 */
export async function closeWave (mix: MixContext, actor: Account, id: string): Promise<Wave> {
  await mix.db.transaction().execute(async (trx) => {
    const wave = await lockedWave(trx, id)
    if (wave.status !== 'open') throw new AppError(409, 'wave_transition', `wave "${wave.name}" is ${wave.status}: only an open wave can be closed`)
    await setWaveStatus(trx, id, 'closed')
    await recordAudit(trx, { actor, action: 'wave.close', objectType: 'wave', objectId: id, detail: waveDetail(wave) })
  })
  // A closed wave's held responses are mixed now, in a transaction of their own (nothing else may share it).
  await mixWave(mix, id)
  return await waveById(mix.db, id)
}

async function lockedWave (trx: Transaction<Database>, id: string): Promise<WaveRow> {
  const wave = await lockWave(trx, id)
  if (wave === undefined) throw notFound(`wave ${id}`)
  return wave
}

async function waveById (db: Kysely<Database>, id: string): Promise<Wave> {
  const [wave] = await listWaveDetails(db, { ids: [id] })
  if (wave === undefined) throw notFound(`wave ${id}`)
  return waveReply(wave)
}

/** Real calendar dates, in order, and a close date that has not passed. */
function checkDates (opensOn: string, closesOn: string, today: string): void {
  for (const [field, date] of [['opensOn', opensOn], ['closesOn', closesOn]] as const) {
    if (!isCalendarDate(date)) throw new AppError(400, 'wave_dates', `${field} ${date} is not a calendar date`)
  }
  if (closesOn < opensOn) throw new AppError(400, 'wave_dates', `closesOn ${closesOn} is before opensOn ${opensOn}`)
  if (closesOn < today) throw new AppError(400, 'wave_dates', `closesOn ${closesOn} has already passed (today is ${today})`)
}

async function checkedSites (db: Kysely<Database>, input: readonly WaveSiteInput[]): Promise<WaveSitePlan[]> {
  if (input.length === 0) throw new AppError(400, 'bad_request', 'a wave needs at least one site')
  const ids = input.map((site) => site.siteId)
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i)
  if (repeated !== undefined) throw new AppError(400, 'bad_request', `site ${repeated} is listed twice`)
  const known = await existingSiteIds(db, ids)
  const unknown = ids.filter((id) => !known.has(id))
  if (unknown.length > 0) throw new AppError(400, 'unknown_site', `no such site: ${unknown.join(', ')}`)
  return input.map((site) => ({ siteId: site.siteId, target: site.target ?? null }))
}

async function checkSurveyVersion (db: Kysely<Database>, id: number): Promise<void> {
  if (!await surveyVersionExists(db, id)) throw new AppError(400, 'unknown_survey_version', `survey version ${id} is not published`)
}

function wavePatch (body: WaveUpdateBody): Updateable<WaveTable> {
  const patch: Updateable<WaveTable> = {}
  if (body.name !== undefined) patch.name = body.name.trim()
  if (body.surveyVersionId !== undefined) patch.survey_version_id = body.surveyVersionId
  if (body.opensOn !== undefined) patch.opens_on = body.opensOn
  if (body.closesOn !== undefined) patch.closes_on = body.closesOn
  if (body.graceDays !== undefined) patch.grace_days = body.graceDays
  return patch
}

function waveDetail (wave: WaveRow): Record<string, unknown> {
  return { name: wave.name, surveyVersionId: wave.survey_version_id, opensOn: wave.opens_on, closesOn: wave.closes_on, graceDays: wave.grace_days, status: wave.status }
}

function waveReply ({ row, surveyVersion, sites }: WaveDetail): Wave {
  return {
    id: row.id,
    name: row.name,
    surveyVersion,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    graceDays: row.grace_days,
    status: row.status,
    sites,
    createdAt: row.created_at.toISOString(),
  }
}
