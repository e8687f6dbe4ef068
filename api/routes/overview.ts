import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorReplies } from '../schemas/common.js'
import { OverviewReplySchema } from '../schemas/overview.js'
import { overviewFor } from '../services/overview.js'
import { studyToday } from '../study-calendar.js'

/** The console's landing screen: open waves against target, tablets seen today, what needs attention. */
const overviewRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: ['researcher', 'admin', 'site_staff'] },
    schema: { response: { 200: OverviewReplySchema, ...errorReplies(401, 403) } },
  }, async (request) => await overviewFor(fastify.db, request.account, {
    today: studyToday(fastify.config.STUDY_TIME_ZONE),
    uploadsPerDay: fastify.config.INTAKE_UPLOADS_PER_DAY,
    helpMaxAgeDays: fastify.config.HELP_DATA_MAX_AGE_DAYS,
  }))
}

export default overviewRoutes
