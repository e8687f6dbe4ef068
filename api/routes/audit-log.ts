import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuditListReplySchema, AuditQuerySchema, ChainCheckReplySchema } from '../schemas/audit-log.js'
import { errorReplies } from '../schemas/common.js'
import { auditEntries, verifyAuditChain } from '../services/audit-log.js'

const readers = { access: ['admin', 'auditor'] } as const

const auditLogRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: readers,
    schema: { querystring: AuditQuerySchema, response: { 200: AuditListReplySchema, ...errorReplies(400, 401, 403, 503) } },
  }, async (request) => await auditEntries(fastify.db, request.query))

  fastify.get('/verify', {
    config: readers,
    schema: { response: { 200: ChainCheckReplySchema, ...errorReplies(401, 403, 503) } },
  }, async () => await verifyAuditChain(fastify.db))
}

export default auditLogRoutes
