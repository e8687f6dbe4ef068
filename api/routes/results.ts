import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { computeResults } from '../services/results.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { ResultsQuerySchema, ResultsReplySchema } from '../schemas/results.js'

// Open for now: the console issue puts results behind roles and released waves.
const resultRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    schema: {
      querystring: ResultsQuerySchema,
      response: { 200: ResultsReplySchema, 400: ErrorReplySchema, 404: ErrorReplySchema, 503: ErrorReplySchema },
    },
  }, async (request) => ({ rows: await computeResults(fastify.db, request.query) }))
}

export default resultRoutes
