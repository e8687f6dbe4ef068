import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { listWaveDetails } from '../db/queries/console-waves.js'
import { AppError, notFound } from '../errors.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { ProgressParamsSchema, ProgressReplySchema } from '../schemas/progress.js'
import { waveProgress } from '../services/progress.js'
import { ownSiteOf } from '../services/site-scope.js'

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ErrorReplySchema]))

/** How a wave is going: counts per site and week, never answer content. */
const progressRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/:waveId', {
    config: { access: ['researcher', 'admin', 'site_staff'] },
    schema: { params: ProgressParamsSchema, response: { 200: ProgressReplySchema, ...errors(401, 403, 404) } },
  }, async (request) => {
    const { waveId } = request.params
    const siteId = ownSiteOf(request.account)
    const [wave] = await listWaveDetails(fastify.db, { ids: [waveId], ...(siteId === undefined ? {} : { siteId }) })
    if (wave === undefined) {
      // Site staff are told the wave is not theirs rather than whether it exists.
      if (siteId !== undefined) throw new AppError(403, 'forbidden', 'a site staff account may only see the progress of waves at its own site')
      throw notFound(`wave ${waveId}`)
    }
    return await waveProgress(fastify.db, wave, siteId)
  })
}

export default progressRoutes
