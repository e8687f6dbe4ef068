import type { Kysely } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database } from '../db/database.js'
import {
  deleteCrisisCentre, deleteHelpLine, findCrisisCentre, findHelpLine, helpResourcesImported, insertCrisisCentre, insertHelpLine,
  insertHelpResources, loadHelpRows, lockHelpResourcesMeta, updateCrisisCentre, updateHelpLine, updateHelpNote,
} from '../db/queries/help-resources.js'
import { AppError, notFound } from '../errors.js'
import type { CrisisCentre, CrisisCentreInput, CrisisCentreUpdateBody, HelpLine, HelpLineUpdateBody, HelpNote, HelpResourcesReply } from '../schemas/help-resources.js'
import { recordAudit } from './audit-log.js'
import { helpFreshness } from './help-freshness.js'
import { assertCounty } from './site-reference.js'
import { isCalendarDate } from '../study-calendar.js'
import { loadHelpResources } from '../../survey-definitions/help-resources.js'
import type { HelpResources } from '../../survey-definitions/help-resources.js'
import { regionIndex } from '../../survey-definitions/regions.js'

/**
 * The helplines and crisis centres the kiosk shows, kept in the database and edited in the console. Every
 * change is recorded in the audit log in its own transaction; a check date must be real and not ahead of today.
 */

/**
 * Copies `resources` (by default survey-definitions/help-resources.json) into the tables, once: only while
 * help_resources_meta has no row. The table lock makes two API processes starting together import it once.
 * @returns whether it imported
 */
export async function importHelpResourcesIfNeeded (db: Kysely<Database>, resources: () => HelpResources = () => loadHelpResources()): Promise<boolean> {
  if (await helpResourcesImported(db)) return false
  return await db.transaction().execute(async (trx) => {
    await lockHelpResourcesMeta(trx)
    if (await helpResourcesImported(trx)) return false
    await insertHelpResources(trx, resources())
    return true
  })
}

/**
 * The help resources as the kiosk shows them, in the shape of survey-definitions/help-resources.ts (the
 * counties are the reference list's). Imports the shipped file first if nothing was imported yet.
 */
export async function loadHelpResourcesFromDb (db: Kysely<Database>): Promise<HelpResources> {
  await importHelpResourcesIfNeeded(db)
  const { lines, crisisCentres, note } = await loadHelpRows(db)
  return {
    lines,
    counties: regionIndex().regions.counties.map(({ number, name }) => ({ number, name })),
    crisisCentres: crisisCentres.map(({ id: _id, ...centre }) => centre),
    note,
  }
}

/** Everything the console's help screen shows, with how fresh the check dates are. */
export async function helpResourcesForConsole (db: Kysely<Database>, today: string, maxAgeDays: number): Promise<HelpResourcesReply> {
  await importHelpResourcesIfNeeded(db)
  const rows = await loadHelpRows(db)
  const freshness = await helpFreshness(db, today, maxAgeDays)
  return {
    ...rows,
    counties: regionIndex().regions.counties.map(({ number, name }) => ({ number, name })),
    ...freshness,
  }
}

/** @throws {AppError} 400 for a bad check date, 409 already_exists */
export async function addHelpLine (db: Kysely<Database>, actor: Account, line: HelpLine, today: string): Promise<HelpLine> {
  checkDate(line.checked, today)
  return await db.transaction().execute(async (trx) => {
    const created = await insertHelpLine(trx, line)
    if (created === undefined) throw new AppError(409, 'already_exists', `a helpline with id "${line.id}" already exists`)
    await recordAudit(trx, { actor, action: 'help_line.create', objectType: 'help_line', objectId: created.id, detail: { line: created } })
    return created
  })
}

/** @throws {AppError} 400 for a bad check date, 404 */
export async function editHelpLine (db: Kysely<Database>, actor: Account, id: string, change: HelpLineUpdateBody, today: string): Promise<HelpLine> {
  if (change.checked !== undefined) checkDate(change.checked, today)
  return await db.transaction().execute(async (trx) => {
    const before = await findHelpLine(trx, id)
    if (before === undefined) throw notFound(`helpline ${id}`)
    const after = await updateHelpLine(trx, id, { ...before, ...change })
    await recordAudit(trx, { actor, action: 'help_line.update', objectType: 'help_line', objectId: id, detail: { before, after } })
    return after
  })
}

/** @throws {AppError} 404 */
export async function removeHelpLine (db: Kysely<Database>, actor: Account, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await findHelpLine(trx, id)
    if (before === undefined || !await deleteHelpLine(trx, id)) throw notFound(`helpline ${id}`)
    await recordAudit(trx, { actor, action: 'help_line.delete', objectType: 'help_line', objectId: id, detail: { before } })
  })
}

/** @throws {AppError} 400 for a bad check date or an unknown county */
export async function addCrisisCentre (db: Kysely<Database>, actor: Account, input: CrisisCentreInput, today: string): Promise<CrisisCentre> {
  checkDate(input.checked, today)
  assertCounty(input.county)
  return await db.transaction().execute(async (trx) => {
    const created = await insertCrisisCentre(trx, { ...input, name: input.name.trim() })
    await recordAudit(trx, { actor, action: 'crisis_centre.create', objectType: 'crisis_centre', objectId: created.id, detail: { centre: created } })
    return created
  })
}

/** @throws {AppError} 400 for a bad check date or an unknown county, 404 */
export async function editCrisisCentre (db: Kysely<Database>, actor: Account, id: string, change: CrisisCentreUpdateBody, today: string): Promise<CrisisCentre> {
  if (change.checked !== undefined) checkDate(change.checked, today)
  if (change.county !== undefined) assertCounty(change.county)
  return await db.transaction().execute(async (trx) => {
    const before = await findCrisisCentre(trx, id)
    if (before === undefined) throw notFound(`crisis centre ${id}`)
    const { id: _id, ...current } = before
    const after = await updateCrisisCentre(trx, id, { ...current, ...change })
    await recordAudit(trx, { actor, action: 'crisis_centre.update', objectType: 'crisis_centre', objectId: id, detail: { before, after } })
    return after
  })
}

/** @throws {AppError} 404 */
export async function removeCrisisCentre (db: Kysely<Database>, actor: Account, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await findCrisisCentre(trx, id)
    if (before === undefined || !await deleteCrisisCentre(trx, id)) throw notFound(`crisis centre ${id}`)
    await recordAudit(trx, { actor, action: 'crisis_centre.delete', objectType: 'crisis_centre', objectId: id, detail: { before } })
  })
}

export async function editHelpNote (db: Kysely<Database>, actor: Account, change: HelpNote): Promise<HelpNote> {
  return await db.transaction().execute(async (trx) => {
    const note = await updateHelpNote(trx, change)
    await recordAudit(trx, { actor, action: 'help_note.update', objectType: 'help_note', detail: { note } })
    return note
  })
}

/** A real date, not in the future: a check date ahead of today would keep stale data looking fresh. */
function checkDate (date: string, today: string): void {
  if (!isCalendarDate(date)) throw new AppError(400, 'bad_request', `checked ${date} is not a calendar date`)
  if (date > today) throw new AppError(400, 'bad_request', `checked ${date} is in the future (today is ${today})`)
}
