import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorReplies } from '../schemas/common.js'
import {
  EnrolmentCodeBodySchema, EnrolmentCodeReplySchema, TabletListQuerySchema, TabletListReplySchema, TabletParamsSchema, TabletSchema,
} from '../schemas/tablets.js'
import { issueEnrolmentCode, listTabletsFor, revokeTablet, tabletReply } from '../services/tablets.js'
import type { TabletDay } from '../services/tablets.js'
import { studyToday } from '../study-calendar.js'

const TABLET_ROLES = ['researcher', 'admin', 'site_staff'] as const

/** Tablets: one-time enrolment codes, the enrolled tablets with their upload counts, revocation. */
const tabletRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const day = (): TabletDay => ({ today: studyToday(fastify.config.STUDY_TIME_ZONE), uploadsPerDay: fastify.config.INTAKE_UPLOADS_PER_DAY })

  fastify.get('/', {
    config: { access: TABLET_ROLES },
    schema: { querystring: TabletListQuerySchema, response: { 200: TabletListReplySchema, ...errorReplies(400, 401, 403) } },
  }, async (request) => ({ tablets: await listTabletsFor(fastify.db, request.account, request.query.siteId, day()) }))

  fastify.post('/enrolment-codes', {
    config: { access: TABLET_ROLES },
    schema: { body: EnrolmentCodeBodySchema, response: { 201: EnrolmentCodeReplySchema, ...errorReplies(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const label = request.body.label === undefined || request.body.label.trim() === '' ? null : request.body.label.trim()
    return await reply.code(201).send(await issueEnrolmentCode(fastify.db, request.account, request.body.siteId, label, request.body.testSurveyVersionId ?? null))
  })

  fastify.post('/:id/revoke', {
    config: { access: TABLET_ROLES },
    schema: { params: TabletParamsSchema, response: { 200: TabletSchema, ...errorReplies(401, 403, 404, 409) } },
  }, async (request) => tabletReply(await revokeTablet(fastify.db, request.account, request.params.id), day()))
}

export default tabletRoutes
