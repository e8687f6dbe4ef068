import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReplySchema } from '../schemas/common.js'
import { SurveyVersionParamsSchema, SurveyVersionReplySchema } from '../schemas/surveys.js'
import { publishedSurvey } from '../services/survey-versions.js'

const surveyRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/:slug/versions/:version', {
    config: { access: 'public' },
    schema: {
      params: SurveyVersionParamsSchema,
      response: { 200: SurveyVersionReplySchema, 404: ErrorReplySchema },
    },
  }, async (request) => await publishedSurvey(fastify.db, request.params.slug, request.params.version))
}

export default surveyRoutes
