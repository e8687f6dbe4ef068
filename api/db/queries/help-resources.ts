import { sql } from 'kysely'
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely'
import type { CrisisCentreTable, Database, HelpLineTable } from '../database.js'
import type { HelpResources } from '../../../survey-definitions/help-resources.js'

type HelpLine = HelpResources['lines'][number]
type CrisisCentre = HelpResources['crisisCentres'][number]
export type CrisisCentreWithId = CrisisCentre & { id: string }

/** Whether the shipped file was ever imported (help_resources_meta has its row). */
export async function helpResourcesImported (db: Kysely<Database>): Promise<boolean> {
  return await db.selectFrom('help_resources_meta').select('id').executeTakeFirst() !== undefined
}

/** Locks the meta table until the caller's transaction ends: two API processes starting together import once. */
export async function lockHelpResourcesMeta (trx: Transaction<Database>): Promise<void> {
  await sql`lock table help_resources_meta in exclusive mode`.execute(trx)
}

/** Writes the whole set (note, lines, centres) into empty tables, inside the caller's transaction. */
export async function insertHelpResources (trx: Transaction<Database>, data: HelpResources): Promise<void> {
  await trx.insertInto('help_resources_meta').values({ id: 1, note_nb: data.note.nb, note_en: data.note.en }).execute()
  if (data.lines.length > 0) await trx.insertInto('help_lines').values(data.lines.map((line, position) => lineRow(line, position))).execute()
  if (data.crisisCentres.length > 0) await trx.insertInto('crisis_centres').values(data.crisisCentres.map(centreRow)).execute()
}

export interface HelpRows {
  lines: HelpLine[]
  crisisCentres: CrisisCentreWithId[]
  note: { nb: string, en: string }
}

export async function loadHelpRows (db: Kysely<Database>): Promise<HelpRows> {
  const [meta, lines, centres] = await Promise.all([
    db.selectFrom('help_resources_meta').select(['note_nb', 'note_en']).executeTakeFirst(),
    db.selectFrom('help_lines').selectAll().orderBy('position').orderBy('id').execute(),
    db.selectFrom('crisis_centres').selectAll().orderBy('county_number').orderBy('name').orderBy('id').execute(),
  ])
  return {
    lines: lines.map(lineFromRow),
    crisisCentres: centres.map(centreFromRow),
    note: { nb: meta?.note_nb ?? '', en: meta?.note_en ?? '' },
  }
}

/** The oldest `checked` date of any helpline or crisis centre ('YYYY-MM-DD'), or null when there are none. */
export async function oldestHelpCheck (db: Kysely<Database>): Promise<string | null> {
  const row = await sql<{ oldest: string | null }>`
    select least((select min(checked) from help_lines), (select min(checked) from crisis_centres)) as oldest`.execute(db)
  return row.rows[0]?.oldest ?? null
}

export async function findHelpLine (trx: Transaction<Database>, id: string): Promise<HelpLine | undefined> {
  const row = await trx.selectFrom('help_lines').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  return row === undefined ? undefined : lineFromRow(row)
}

/** Adds a line at the end of the list; undefined when the id is taken. */
export async function insertHelpLine (trx: Transaction<Database>, line: HelpLine): Promise<HelpLine | undefined> {
  const last = await trx.selectFrom('help_lines').select((eb) => eb.fn.max('position').as('position')).executeTakeFirst()
  const row = await trx.insertInto('help_lines').values(lineRow(line, Number(last?.position ?? -1) + 1))
    .onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst()
  return row === undefined ? undefined : lineFromRow(row)
}

export async function updateHelpLine (trx: Transaction<Database>, id: string, line: HelpLine): Promise<HelpLine> {
  const { position: _position, ...values } = lineRow(line, 0)
  return lineFromRow(await trx.updateTable('help_lines').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow())
}

export async function deleteHelpLine (trx: Transaction<Database>, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('help_lines').where('id', '=', id).executeTakeFirst()
  return result.numDeletedRows > 0n
}

export async function findCrisisCentre (trx: Transaction<Database>, id: string): Promise<CrisisCentreWithId | undefined> {
  const row = await trx.selectFrom('crisis_centres').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  return row === undefined ? undefined : centreFromRow(row)
}

export async function insertCrisisCentre (trx: Transaction<Database>, centre: CrisisCentre): Promise<CrisisCentreWithId> {
  return centreFromRow(await trx.insertInto('crisis_centres').values(centreRow(centre)).returningAll().executeTakeFirstOrThrow())
}

export async function updateCrisisCentre (trx: Transaction<Database>, id: string, centre: CrisisCentre): Promise<CrisisCentreWithId> {
  const patch: Updateable<CrisisCentreTable> = centreRow(centre)
  return centreFromRow(await trx.updateTable('crisis_centres').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow())
}

export async function deleteCrisisCentre (trx: Transaction<Database>, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('crisis_centres').where('id', '=', id).executeTakeFirst()
  return result.numDeletedRows > 0n
}

export async function updateHelpNote (trx: Transaction<Database>, note: { nb: string, en: string }): Promise<{ nb: string, en: string }> {
  const row = await trx.insertInto('help_resources_meta').values({ id: 1, note_nb: note.nb, note_en: note.en })
    .onConflict((oc) => oc.column('id').doUpdateSet({ note_nb: note.nb, note_en: note.en }))
    .returning(['note_nb', 'note_en']).executeTakeFirstOrThrow()
  return { nb: row.note_nb, en: row.note_en }
}

function lineRow (line: HelpLine, position: number) {
  return {
    id: line.id,
    position,
    kind: line.kind,
    contact: line.contact,
    name_nb: line.name.nb,
    name_en: line.name.en,
    description_nb: line.description.nb,
    description_en: line.description.en,
    checked: line.checked,
  }
}

function lineFromRow (row: Selectable<HelpLineTable>): HelpLine {
  return {
    id: row.id,
    kind: row.kind,
    contact: row.contact,
    name: { nb: row.name_nb, en: row.name_en },
    description: { nb: row.description_nb, en: row.description_en },
    checked: row.checked,
  }
}

function centreRow (centre: CrisisCentre) {
  return {
    name: centre.name,
    county_number: centre.county,
    checked: centre.checked,
    policy_women: centre.activeSubstanceUse.women,
    policy_men: centre.activeSubstanceUse.men,
    source: centre.source,
  }
}

function centreFromRow (row: Selectable<CrisisCentreTable>): CrisisCentreWithId {
  return {
    id: row.id,
    name: row.name,
    county: row.county_number,
    checked: row.checked,
    activeSubstanceUse: { women: row.policy_women, men: row.policy_men },
    source: row.source,
  }
}
