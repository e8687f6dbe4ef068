import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { recentEnrolmentFailures, recordEnrolmentFailure } from '../db/queries/enrolment-codes.js'
import { AppError } from '../errors.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { EnrolBodySchema, EnrolReplySchema } from '../schemas/devices.js'
import { enrolTablet } from '../services/enrolment.js'

/** Failed attempts allowed across the whole service per window before enrolment pauses (see the migration). */
export const ENROLMENT_FAILURE_LIMIT = 30
export const ENROLMENT_FAILURE_WINDOW_MINUTES = 10

const REFUSALS = {
  unknown: new AppError(404, 'enrolment_code_unknown', 'this enrolment code is not known; check it and type it again, or ask for a new code'),
  expired: new AppError(410, 'enrolment_code_expired', 'this enrolment code has expired (codes last 24 hours); ask for a new code'),
  used: new AppError(409, 'enrolment_code_used', 'this enrolment code has already been used; each code enrols one tablet, ask for a new code'),
} as const

const deviceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/enrol', {
    config: { access: 'public' },
    schema: {
      body: EnrolBodySchema,
      response: { 201: EnrolReplySchema, ...Object.fromEntries([400, 404, 409, 410, 429, 503].map((status) => [status, ErrorReplySchema])) },
    },
  }, async (request, reply) => {
    // Throttled in the database, so the limit holds across API processes: after too many wrong codes
    // everyone waits, which makes guessing a live code take longer than its 24 hours by far.
    if (await recentEnrolmentFailures(fastify.db, ENROLMENT_FAILURE_WINDOW_MINUTES) >= ENROLMENT_FAILURE_LIMIT) {
      reply.header('retry-after', String(ENROLMENT_FAILURE_WINDOW_MINUTES * 60))
      throw new AppError(429, 'rate_limited', `too many wrong enrolment codes were tried; wait ${ENROLMENT_FAILURE_WINDOW_MINUTES} minutes and try again`)
    }
    const outcome = await enrolTablet(fastify.db, request.body.code, request.body.label.trim())
    if (outcome.kind !== 'enrolled') {
      await recordEnrolmentFailure(fastify.db)
      throw REFUSALS[outcome.kind]
    }
    return await reply.code(201).send({ token: outcome.token, siteName: outcome.siteName })
  })
}

export default deviceRoutes
