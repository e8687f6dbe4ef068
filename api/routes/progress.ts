import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorReplies } from '../schemas/common.js'
import { ProgressParamsSchema, ProgressReplySchema } from '../schemas/progress.js'
import { progressForAccount } from '../services/progress.js'

/** How a wave is going: counts per site and week, never answer content. */
const progressRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/:waveId', {
    config: { access: ['researcher', 'admin', 'site_staff'] },
    schema: { params: ProgressParamsSchema, response: { 200: ProgressReplySchema, ...errorReplies(401, 403, 404) } },
  }, async (request) => await progressForAccount(fastify.db, request.account, request.params.waveId))
}

export default progressRoutes
