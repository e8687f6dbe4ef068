import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReplySchema } from '../schemas/common.js'
import { ResponseBodySchema, ResponseHeadersSchema, ResponseReplySchema } from '../schemas/responses.js'
import { submitResponse } from '../services/intake.js'

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,128})$/

/**
 * Intake from the tablets. Registered with logLevel 'error' by app.ts: no per-request log line ties a time
 * to a response (anonymity rule 1), and the error handler never logs bodies.
 */
const responseRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'device' },
    bodyLimit: 256 * 1024,
    schema: {
      headers: ResponseHeadersSchema,
      body: ResponseBodySchema,
      response: {
        201: ResponseReplySchema,
        ...Object.fromEntries([400, 401, 403, 404, 409, 413, 422, 503].map((status) => [status, ErrorReplySchema])),
      },
    },
  }, async (request, reply) => {
    const header = request.headers.authorization
    // A malformed header is an unknown token, not a missing one: it gets the same answer as a forged token.
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1] ?? ''
    await submitResponse(
      { db: fastify.db, surveys: fastify.surveys, batcher: fastify.intakeBatcher, timeZone: fastify.config.STUDY_TIME_ZONE },
      token,
      request.body
    )
    // A retried upload gets exactly the answer the first one got.
    return await reply.code(201).send({ id: request.body.id })
  })
}

export default responseRoutes
