import { sql } from 'kysely'
import type { Kysely, Transaction } from 'kysely'
import type { AuditLogRow, Database } from '../database.js'

/** Any number that only the audit log's writers take, so appends are serialised across API processes. */
const AUDIT_LOCK_KEY = 7_270_501

/** Waits for any other append to commit, then gives the last entry's seq and hash (0 and '' for an empty log). */
export async function lockAuditHead (trx: Transaction<Database>): Promise<{ seq: number, hash: string }> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx)
  const head = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()
  return head === undefined ? { seq: 0, hash: '' } : { seq: Number(head.seq), hash: head.hash }
}

export async function insertAuditEntry (trx: Transaction<Database>, entry: Omit<AuditLogRow, 'seq'> & { seq: number }): Promise<void> {
  await trx.insertInto('audit_log').values({ ...entry, detail: JSON.stringify(entry.detail) }).execute()
}

export interface AuditFilter {
  action?: string
  actorEmail?: string
  objectType?: string
  objectId?: string
  from?: Date
  to?: Date
  beforeSeq?: number
  limit: number
}

/** Newest first. */
export async function listAuditEntries (db: Kysely<Database>, filter: AuditFilter): Promise<AuditLogRow[]> {
  let query = db.selectFrom('audit_log').selectAll()
  if (filter.action !== undefined) query = query.where('action', '=', filter.action)
  if (filter.actorEmail !== undefined) query = query.where('actor_email', '=', filter.actorEmail.toLowerCase())
  if (filter.objectType !== undefined) query = query.where('object_type', '=', filter.objectType)
  if (filter.objectId !== undefined) query = query.where('object_id', '=', filter.objectId)
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from)
  if (filter.to !== undefined) query = query.where('at', '<', filter.to)
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq)
  return await query.orderBy('seq', 'desc').limit(filter.limit).execute()
}

/** Every entry in order, a page at a time (the chain is checked in Node, where the hash is made). */
export async function * allAuditEntries (db: Kysely<Database>, pageSize = 1000): AsyncGenerator<AuditLogRow> {
  let after = 0
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute()
    yield * page
    if (page.length < pageSize) return
    after = Number(page[page.length - 1]!.seq)
  }
}
