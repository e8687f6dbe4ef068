import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuditListReplySchema, AuditQuerySchema, ChainCheckReplySchema } from '../schemas/audit-log.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { auditEntries, verifyAuditChain } from '../services/audit-log.js'

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ErrorReplySchema]))
const readers = { access: ['admin', 'auditor'] } as const

const auditLogRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: readers,
    schema: { querystring: AuditQuerySchema, response: { 200: AuditListReplySchema, ...errors(400, 401, 403, 503) } },
  }, async (request) => await auditEntries(fastify.db, request.query))

  fastify.get('/verify', {
    config: readers,
    schema: { response: { 200: ChainCheckReplySchema, ...errors(401, 403, 503) } },
  }, async () => await verifyAuditChain(fastify.db))
}

export default auditLogRoutes
