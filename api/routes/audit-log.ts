import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { listAuditEntries } from '../db/queries/audit-log.js'
import { AuditListReplySchema, AuditQuerySchema, ChainCheckReplySchema } from '../schemas/audit-log.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { verifyAuditChain } from '../services/audit-log.js'

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ErrorReplySchema]))
const readers = { access: ['admin', 'auditor'] } as const

const auditLogRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: readers,
    schema: { querystring: AuditQuerySchema, response: { 200: AuditListReplySchema, ...errors(400, 401, 403, 503) } },
  }, async (request) => {
    const { action, actor, objectType, objectId, from, to, beforeSeq, limit } = request.query
    const rows = await listAuditEntries(fastify.db, {
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
  })

  fastify.get('/verify', {
    config: readers,
    schema: { response: { 200: ChainCheckReplySchema, ...errors(401, 403, 503) } },
  }, async () => await verifyAuditChain(fastify.db))
}

export default auditLogRoutes
