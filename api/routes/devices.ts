import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorReplies } from '../schemas/common.js'
import { EnrolBodySchema, EnrolReplySchema } from '../schemas/devices.js'
import { enrolTablet } from '../services/enrolment.js'

const deviceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/enrol', {
    config: { access: 'public' },
    schema: {
      body: EnrolBodySchema,
      response: { 201: EnrolReplySchema, ...errorReplies(400, 404, 409, 410, 429, 503) },
    },
  }, async (request, reply) => {
    // Throttled in the database per address and per code prefix (api/services/enrolment.ts), across API processes.
    const client = { source: request.ip, throttleKey: (await fastify.loginThrottleKeys()).throttle }
    const outcome = await enrolTablet(fastify.db, request.body.code, request.body.label.trim(), client)
    return await reply.code(201).send({ token: outcome.token, siteName: outcome.siteName })
  })
}

export default deviceRoutes
