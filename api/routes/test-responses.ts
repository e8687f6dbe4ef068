import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AppError } from '../errors.js'
import { intakeKeyring } from '../sealing/sealed-envelope.js'
import { errorReplies } from '../schemas/common.js'
import { KioskHeadersSchema } from '../schemas/kiosk.js'
import type { TestResponseBody } from '../schemas/test-responses.js'
import {
  TestResponseBodySchema, TestResponseDeleteReplySchema, TestResponseListReplySchema, TestResponseReplySchema, TestResponseUploadSchema,
  TestResponseVersionParamsSchema,
} from '../schemas/test-responses.js'
import { deleteVersionTestResponses, submitTestResponse, testResponseCounts } from '../services/test-responses.js'

const RESEARCH_ROLES = ['researcher', 'admin'] as const

/** Test tablets' responses: sent like live ones, kept apart, counted and deleted from the console. */
const testResponseRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'device' },
    // As intake: no per-request log line on a tablet's upload (ARCHITECTURE.md, anonymity rule 1); a real person
    // may answer on a test tablet by mistake.
    logLevel: 'error',
    bodyLimit: 256 * 1024,
    schema: { headers: KioskHeadersSchema, body: TestResponseUploadSchema, response: { 201: TestResponseReplySchema, ...errorReplies(400, 401, 409, 413, 422, 429, 503) } },
  }, async (request, reply) => {
    const header = request.headers.authorization
    if ('sealed' in request.body && header === undefined) throw new AppError(401, 'unauthorized', 'a device token is required (Authorization: Bearer <token>)')
    const body = 'sealed' in request.body
      ? await intakeKeyring(fastify.db).open<TestResponseBody>(request.body.sealed, request.compileValidationSchema(TestResponseBodySchema))
      : request.body
    await submitTestResponse(fastify.db, fastify.surveys, header, body)
    return await reply.code(201).send({ id: body.id })
  })

  fastify.get('/', {
    config: { access: RESEARCH_ROLES },
    schema: { response: { 200: TestResponseListReplySchema, ...errorReplies(401, 403) } },
  }, async () => ({ versions: await testResponseCounts(fastify.db) }))

  fastify.delete('/:surveyVersionId', {
    config: { access: RESEARCH_ROLES },
    schema: { params: TestResponseVersionParamsSchema, response: { 200: TestResponseDeleteReplySchema, ...errorReplies(400, 401, 403, 404) } },
  }, async (request) => await deleteVersionTestResponses(fastify.db, request.account, Number(request.params.surveyVersionId)))
}

export default testResponseRoutes
