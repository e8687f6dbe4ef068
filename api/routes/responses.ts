import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorReplies } from '../schemas/common.js'
import { AppError } from '../errors.js'
import { intakeKeyring } from '../sealing/sealed-envelope.js'
import { ResponseBodySchema, ResponseHeadersSchema, ResponseReplySchema, ResponseUploadSchema } from '../schemas/responses.js'
import { DailyUploadLimitError, UploadRateLimitedError, submitResponse } from '../services/intake.js'
import type { IntakeContext } from '../services/intake.js'

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,128})$/

/**
 * Intake from the tablets. Registered with logLevel 'error' by app.ts: no per-request log line ties a time
 * to a response (anonymity rule 1), and the error handler never logs bodies.
 */
const responseRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const intake: IntakeContext = {
    db: fastify.db,
    surveys: fastify.surveys,
    batcher: fastify.intakeBatcher,
    keys: fastify.mixContext.keys,
    timeZone: fastify.config.STUDY_TIME_ZONE,
    uploadsPerMinute: fastify.config.INTAKE_UPLOADS_PER_MINUTE,
    uploadsPerDay: fastify.config.INTAKE_UPLOADS_PER_DAY,
    minAnswered: fastify.config.INTAKE_MIN_ANSWERED,
  }
  fastify.post('/', {
    config: { access: 'device' },
    bodyLimit: 256 * 1024,
    schema: {
      headers: ResponseHeadersSchema,
      body: ResponseUploadSchema,
      response: {
        201: ResponseReplySchema,
        ...errorReplies(400, 401, 403, 404, 409, 413, 422, 429, 503),
      },
    },
  }, async (request, reply) => {
    const header = request.headers.authorization
    // A malformed header is an unknown token, not a missing one: it gets the same answer as a forged token.
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1] ?? ''
    // A sealed upload (the kiosk's offline queue) is opened, then checked and stored exactly as a plain one;
    // without a token it is refused before the server spends an RSA decryption on it.
    if ('sealed' in request.body && token === undefined) throw new AppError(401, 'unauthorized', 'a device token is required (Authorization: Bearer <token>)')
    const body = 'sealed' in request.body
      ? await intakeKeyring(fastify.db).open(request.body.sealed, request.compileValidationSchema(ResponseBodySchema))
      : request.body
    try {
      await submitResponse(intake, token, body)
    } catch (error) {
      if (error instanceof UploadRateLimitedError || error instanceof DailyUploadLimitError) reply.header('retry-after', String(error.retryAfterSeconds))
      throw error
    }
    // A retried upload gets exactly the answer the first one got.
    return await reply.code(201).send({ id: body.id })
  })
}

export default responseRoutes
