import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { findSurveyVersion } from '../db/queries/survey-versions.js'
import { notFound } from '../errors.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { SurveyVersionParamsSchema, SurveyVersionReplySchema } from '../schemas/surveys.js'

const surveyRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/:slug/versions/:version', {
    config: { access: 'public' },
    schema: {
      params: SurveyVersionParamsSchema,
      response: { 200: SurveyVersionReplySchema, 404: ErrorReplySchema },
    },
  }, async (request) => {
    const { slug, version } = request.params
    const row = await findSurveyVersion(fastify.db, slug, version)
    if (row === undefined) throw notFound(`survey ${slug} version ${version}`)
    return { slug: row.slug, version: row.version, checksum: row.checksum, definition: row.definition, indicatorMap: row.indicator_map }
  })
}

export default surveyRoutes
