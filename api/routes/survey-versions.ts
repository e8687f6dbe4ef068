import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { errorReplies } from '../schemas/common.js'
import {
  AvailableDefinitionsReplySchema, InvalidDefinitionReplySchema, PublishFromDefinitionsBodySchema, PublishReplySchema, PublishUploadBodySchema,
  SurveyVersionDetailSchema, SurveyVersionIdParamsSchema, SurveyVersionListReplySchema,
} from '../schemas/survey-versions.js'
import type { Account } from '../auth/roles.js'
import {
  DefinitionInvalidError, availableDefinitions, invalidDefinitionReply, listVersionSummaries, publishForAccount, shippedDefinition, surveyVersionDetail,
  uploadedDefinition,
} from '../services/survey-versions.js'
import type { PublishSource } from '../services/survey-versions.js'
import type { SurveyDefinition } from '../../survey-definitions/index.js'

const EDITORS = ['researcher', 'admin'] as const

/** Survey versions in the console: list, read, and publish from survey-definitions/ or an upload. */
const surveyVersionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: EDITORS },
    schema: { response: { 200: SurveyVersionListReplySchema, ...errorReplies(401, 403) } },
  }, async () => ({ versions: await listVersionSummaries(fastify.db) }))

  fastify.get('/available', {
    config: { access: EDITORS },
    schema: { response: { 200: AvailableDefinitionsReplySchema, ...errorReplies(401, 403) } },
  }, async () => ({ definitions: await availableDefinitions(fastify.db) }))

  fastify.get('/:id', {
    config: { access: EDITORS },
    schema: { params: SurveyVersionIdParamsSchema, response: { 200: SurveyVersionDetailSchema, ...errorReplies(400, 401, 403, 404) } },
  }, async (request) => await surveyVersionDetail(fastify.db, Number(request.params.id)))

  const publishSchema = { response: { 200: PublishReplySchema, 201: PublishReplySchema, 400: InvalidDefinitionReplySchema, ...errorReplies(401, 403, 404, 409) } }

  fastify.post('/from-definitions', {
    config: { access: EDITORS },
    schema: { body: PublishFromDefinitionsBodySchema, ...publishSchema },
  }, async (request, reply) => await publish(reply, request.account, 'survey-definitions', () => shippedDefinition(request.body.slug, request.body.version)))

  fastify.post('/', {
    config: { access: EDITORS },
    // A survey with its indicator map runs to a few hundred KB; the app's limit is 1 MB.
    schema: { body: PublishUploadBodySchema, ...publishSchema },
  }, async (request, reply) => {
    const { slug, version, survey, indicatorMap, instrument } = request.body
    return await publish(reply, request.account, 'upload', () => uploadedDefinition(slug, version, survey, indicatorMap, instrument))
  })

  async function publish (reply: FastifyReply, actor: Account, source: PublishSource, load: () => SurveyDefinition): Promise<FastifyReply> {
    try {
      const published = await publishForAccount(fastify.db, load, actor, source)
      return await reply.code(published.outcome === 'published' ? 201 : 200).send(published)
    } catch (error) {
      if (!(error instanceof DefinitionInvalidError)) throw error
      return await reply.code(400).send(invalidDefinitionReply(error))
    }
  }
}

export default surveyVersionRoutes
