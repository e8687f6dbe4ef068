import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

/*
 * Routes (api/routes/audit-log.ts), admin and auditor only:
 *   GET /api/audit-log          entries, newest first, filtered by action, actor, object and time; paged by beforeSeq
 *   GET /api/audit-log/verify   checks the whole hash chain
 */

export const AuditQuerySchema = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 100 })),
  actor: Type.Optional(Type.String({ maxLength: 254, description: 'the actor\'s e-mail address' })),
  objectType: Type.Optional(Type.String({ maxLength: 100 })),
  objectId: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
}, { additionalProperties: false })
export type AuditQuery = Static<typeof AuditQuerySchema>

export const AuditEntrySchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorEmail: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  objectType: Type.Union([Type.String(), Type.Null()]),
  objectId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
})

export const AuditListReplySchema = Type.Object({ entries: Type.Array(AuditEntrySchema) })
export type AuditListReply = Static<typeof AuditListReplySchema>

export const ChainCheckReplySchema = Type.Object({
  entries: Type.Integer(),
  headHash: Type.String(),
  intact: Type.Boolean(),
  firstBrokenSeq: Type.Optional(Type.Integer()),
  problem: Type.Optional(Type.String()),
})
export type ChainCheckReply = Static<typeof ChainCheckReplySchema>
