import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReplySchema } from '../schemas/common.js'
import { ProgressParamsSchema, ProgressReplySchema } from '../schemas/progress.js'
import { progressForAccount } from '../services/progress.js'

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ErrorReplySchema]))

/** How a wave is going: counts per site and week, never answer content. */
const progressRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/:waveId', {
    config: { access: ['researcher', 'admin', 'site_staff'] },
    schema: { params: ProgressParamsSchema, response: { 200: ProgressReplySchema, ...errors(401, 403, 404) } },
  }, async (request) => await progressForAccount(fastify.db, request.account, request.params.waveId))
}

export default progressRoutes
