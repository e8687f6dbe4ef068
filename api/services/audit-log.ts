import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { AuditLogRow, Database } from '../db/database.js'
import { allAuditEntries, insertAuditEntry, listAuditEntries, lockAuditHead } from '../db/queries/audit-log.js'
import type { AuditListReply, AuditQuery } from '../schemas/audit-log.js'

export interface AuditEntry {
  /** The staff member who acted; null for the system or a command run on the server. */
  actor: Account | null
  /** What happened, as `<object>.<verb>`: 'session.login', 'wave.open', 'export.csv'… */
  action: string
  objectType?: string
  objectId?: string
  /** Names, settings and counts only: never an answer, never anything about a respondent. */
  detail?: Record<string, unknown>
}

/**
 * Appends one entry, chained to the one before. Give the transaction that makes the change, so that the
 * change and its record commit together; with the plain handle it runs in a transaction of its own.
 */
export async function recordAudit (db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  if (db.isTransaction) {
    await append(db as Transaction<Database>, entry)
    return
  }
  await db.transaction().execute(async (trx) => { await append(trx, entry) })
}

async function append (trx: Transaction<Database>, entry: AuditEntry): Promise<void> {
  const head = await lockAuditHead(trx)
  const row = {
    seq: head.seq + 1,
    at: new Date(),
    actor_id: entry.actor?.id ?? null,
    actor_email: entry.actor?.email ?? null,
    actor_role: entry.actor?.role ?? null,
    action: entry.action,
    object_type: entry.objectType ?? null,
    object_id: entry.objectId ?? null,
    detail: entry.detail ?? {},
    prev_hash: head.hash,
  }
  await insertAuditEntry(trx, { ...row, hash: entryHash(row) })
}

type HashedFields = Omit<AuditLogRow, 'hash'>

/** sha256 over the previous hash and the entry's fields in a fixed order, with the detail's keys sorted. */
export function entryHash (row: HashedFields): string {
  const fields = [Number(row.seq), row.at.toISOString(), row.actor_id, row.actor_email, row.actor_role, row.action, row.object_type, row.object_id, row.detail]
  return createHash('sha256').update(row.prev_hash).update('\n').update(canonicalJson(fields)).digest('hex')
}

/** JSON with object keys sorted at every depth: jsonb does not keep key order, the hash must not depend on it. */
export function canonicalJson (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export interface ChainCheck {
  entries: number
  /** The last entry's hash: note it elsewhere, and a later check also shows that nothing was cut off the end. */
  headHash: string
  intact: boolean
  /** The first entry that does not follow from the one before it (edited, inserted or after a deleted one). */
  firstBrokenSeq?: number
  problem?: string
}

export async function verifyAuditChain (db: Kysely<Database>): Promise<ChainCheck> {
  let previous = ''
  let expectedSeq = 1
  let entries = 0
  for await (const row of allAuditEntries(db)) {
    const seq = Number(row.seq)
    const problem = seq !== expectedSeq
      ? `entry ${expectedSeq} is missing`
      : row.prev_hash !== previous
        ? `entry ${seq} does not follow from entry ${seq - 1}`
        : entryHash(row) !== row.hash ? `entry ${seq} was changed after it was written` : undefined
    if (problem !== undefined) return { entries, headHash: previous, intact: false, firstBrokenSeq: seq, problem }
    previous = row.hash
    expectedSeq = seq + 1
    entries += 1
  }
  return { entries, headHash: previous, intact: true }
}

/** The entries the query asks for, newest first, as the audit log screen shows them. */
export async function auditEntries (db: Kysely<Database>, query: AuditQuery): Promise<AuditListReply> {
  const { action, actor, objectType, objectId, from, to, beforeSeq, limit } = query
  const rows = await listAuditEntries(db, {
    limit,
    ...(action === undefined ? {} : { action }),
    ...(actor === undefined ? {} : { actorEmail: actor }),
    ...(objectType === undefined ? {} : { objectType }),
    ...(objectId === undefined ? {} : { objectId }),
    ...(from === undefined ? {} : { from: new Date(from) }),
    ...(to === undefined ? {} : { to: new Date(to) }),
    ...(beforeSeq === undefined ? {} : { beforeSeq }),
  })
  return {
    entries: rows.map((row) => ({
      seq: Number(row.seq),
      at: row.at.toISOString(),
      actorEmail: row.actor_email,
      actorRole: row.actor_role,
      action: row.action,
      objectType: row.object_type,
      objectId: row.object_id,
      detail: row.detail,
      hash: row.hash,
    })),
  }
}
