import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { errorReplies } from '../schemas/common.js'
import { SurveyVersionIdParamsSchema } from '../schemas/survey-versions.js'
import {
  InvalidTranslationReplySchema, ReviewLanguageBodySchema, VersionLanguageListReplySchema, VersionLanguageParamsSchema, VersionLanguageSchema,
  XliffImportBodySchema, XliffImportReplySchema, XliffQuerySchema,
} from '../schemas/survey-version-languages.js'
import { reviewLanguage, versionLanguages } from '../services/survey-version-languages.js'
import { TranslationInvalidError, exportXliff, importXliff } from '../services/translation-xliff.js'
import { studyToday } from '../study-calendar.js'

const EDITORS = ['researcher', 'admin'] as const

/** A survey version's languages in the console (api/schemas/survey-version-languages.ts). */
const surveyVersionLanguageRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/:id/languages', {
    config: { access: EDITORS },
    schema: { params: SurveyVersionIdParamsSchema, response: { 200: VersionLanguageListReplySchema, ...errorReplies(400, 401, 403, 404) } },
  }, async (request) => ({ languages: await versionLanguages(fastify.db, Number(request.params.id)) }))

  fastify.post('/:id/languages/:code/review', {
    config: { access: EDITORS },
    schema: { params: VersionLanguageParamsSchema, body: ReviewLanguageBodySchema, response: { 200: VersionLanguageSchema, ...errorReplies(400, 401, 403, 404, 409) } },
  }, async (request) => await reviewLanguage(fastify.db, Number(request.params.id), request.params.code, request.body,
    studyToday(fastify.config.STUDY_TIME_ZONE), request.account))

  fastify.get('/:id/languages/:code/xliff', {
    config: { access: EDITORS },
    schema: { params: VersionLanguageParamsSchema, querystring: XliffQuerySchema, response: { 200: Type.String(), ...errorReplies(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const { fileName, xliff } = await exportXliff(fastify.db, Number(request.params.id), request.params.code, request.query.source)
    return await reply.type('application/xliff+xml; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`)
      .header('cache-control', 'no-store').send(xliff)
  })

  fastify.post('/:id/languages/:code/xliff', {
    config: { access: EDITORS },
    // A survey's XLIFF runs to a few hundred KB; the app's limit is 1 MB.
    schema: {
      params: VersionLanguageParamsSchema,
      body: XliffImportBodySchema,
      response: { 200: XliffImportReplySchema, 201: XliffImportReplySchema, 422: InvalidTranslationReplySchema, ...errorReplies(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    try {
      const imported = await importXliff(fastify.db, Number(request.params.id), request.params.code, request.body, request.account)
      return await reply.code(imported.outcome === 'added' ? 201 : 200).send(imported)
    } catch (error) {
      if (!(error instanceof TranslationInvalidError)) throw error
      return await reply.code(422).send({ code: 'invalid_translation', message: error.message, problems: error.problems, warnings: error.warnings })
    }
  })
}

export default surveyVersionLanguageRoutes
