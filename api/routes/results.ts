import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { computeResults } from '../services/results.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { ResultsQuerySchema, ResultsReplySchema } from '../schemas/results.js'

// The ad-hoc computation is a researcher's preview; funders read frozen releases only.
const resultRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: ['researcher', 'admin'] },
    schema: {
      querystring: ResultsQuerySchema,
      response: { 200: ResultsReplySchema, 400: ErrorReplySchema, 401: ErrorReplySchema, 403: ErrorReplySchema, 404: ErrorReplySchema, 503: ErrorReplySchema },
    },
  }, async (request) => ({ rows: await computeResults(fastify.db, request.query) }))
}

export default resultRoutes
