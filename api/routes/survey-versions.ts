import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { listSurveyVersions } from '../db/queries/console-survey-versions.js'
import type { SurveyVersionWithUse } from '../db/queries/console-survey-versions.js'
import { notFound } from '../errors.js'
import { ErrorReplySchema } from '../schemas/common.js'
import {
  AvailableDefinitionsReplySchema, InvalidDefinitionReplySchema, PublishFromDefinitionsBodySchema, PublishReplySchema, PublishUploadBodySchema,
  SurveyVersionDetailSchema, SurveyVersionIdParamsSchema, SurveyVersionListReplySchema,
} from '../schemas/survey-versions.js'
import type { InvalidDefinitionReply, SurveyVersionSummary } from '../schemas/survey-versions.js'
import type { Account } from '../auth/roles.js'
import {
  DefinitionInvalidError, availableDefinitions, formatProblem, publishChecked, shippedDefinition, uploadedDefinition,
} from '../services/survey-version-publishing.js'
import { listQuestions } from '../../survey-definitions/check.js'
import type { SurveyDefinition } from '../../survey-definitions/index.js'

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ErrorReplySchema]))
const EDITORS = ['researcher', 'admin'] as const

/** Survey versions in the console: list, read, and publish from survey-definitions/ or an upload. */
const surveyVersionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: EDITORS },
    schema: { response: { 200: SurveyVersionListReplySchema, ...errors(401, 403) } },
  }, async () => ({ versions: (await listSurveyVersions(fastify.db)).map(summary) }))

  fastify.get('/available', {
    config: { access: EDITORS },
    schema: { response: { 200: AvailableDefinitionsReplySchema, ...errors(401, 403) } },
  }, async () => ({ definitions: await availableDefinitions(fastify.db) }))

  fastify.get('/:id', {
    config: { access: EDITORS },
    schema: { params: SurveyVersionIdParamsSchema, response: { 200: SurveyVersionDetailSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const [version] = await listSurveyVersions(fastify.db, request.params.id)
    if (version === undefined) throw notFound(`survey version ${request.params.id}`)
    return { ...summary(version), definition: version.row.definition, indicatorMap: version.row.indicator_map }
  })

  const publishSchema = { response: { 200: PublishReplySchema, 201: PublishReplySchema, 400: InvalidDefinitionReplySchema, ...errors(401, 403, 404, 409) } }

  fastify.post('/from-definitions', {
    config: { access: EDITORS },
    schema: { body: PublishFromDefinitionsBodySchema, ...publishSchema },
  }, async (request, reply) => await publish(reply, request.account, 'survey-definitions', () => shippedDefinition(request.body.slug, request.body.version)))

  fastify.post('/', {
    config: { access: EDITORS },
    // A survey with its indicator map runs to a few hundred KB; the app's limit is 1 MB.
    schema: { body: PublishUploadBodySchema, ...publishSchema },
  }, async (request, reply) => {
    const { slug, version, survey, indicatorMap } = request.body
    return await publish(reply, request.account, 'upload', () => uploadedDefinition(slug, version, survey, indicatorMap))
  })

  async function publish (reply: FastifyReply, actor: Account, source: 'survey-definitions' | 'upload', load: () => SurveyDefinition): Promise<FastifyReply> {
    try {
      const { outcome, id } = await publishChecked(fastify.db, load(), actor, source)
      const [version] = await listSurveyVersions(fastify.db, id)
      if (version === undefined) throw notFound(`survey version ${id}`)
      return await reply.code(outcome === 'published' ? 201 : 200).send({ outcome, version: summary(version) })
    } catch (error) {
      if (!(error instanceof DefinitionInvalidError)) throw error
      const [first] = error.problems
      const body: InvalidDefinitionReply = {
        code: 'invalid_definition',
        message: `the definition fails the checks of definitions:check (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}): ${error.problems.slice(0, 5).map(formatProblem).join('; ')}`,
        ...(first?.question === undefined ? {} : { question: first.question }),
        problems: error.problems,
      }
      return await reply.code(400).send(body)
    }
  }
}

function summary ({ row, waveCount }: SurveyVersionWithUse): SurveyVersionSummary {
  const title = row.definition.title
  const text = (language: 'nb' | 'en'): string => {
    if (typeof title === 'string') return title
    if (typeof title === 'object' && title !== null && !Array.isArray(title)) {
      const value = title[language] ?? title.default
      if (typeof value === 'string') return value
    }
    return `${row.slug} v${row.version}`
  }
  return {
    id: row.id,
    slug: row.slug,
    version: row.version,
    checksum: row.checksum,
    publishedAt: row.published_at.toISOString(),
    title: { nb: text('nb'), en: text('en') },
    questionCount: listQuestions(row.definition).filter((question) => question.type !== 'html').length,
    indicatorCount: Object.keys(row.indicator_map.indicators).length,
    waveCount,
  }
}

export default surveyVersionRoutes
