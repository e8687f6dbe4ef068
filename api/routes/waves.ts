import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorReplies } from '../schemas/common.js'
import { WaveCreateBodySchema, WaveListReplySchema, WaveParamsSchema, WaveSchema, WaveUpdateBodySchema } from '../schemas/waves.js'
import { closeWave, findWave, listWaves, openWave, planWave, replanWave } from '../services/waves.js'
import { studyToday } from '../study-calendar.js'

const PLANNERS = ['researcher', 'admin'] as const

/** Waves: planned, edited while planned, opened (only with fresh help resources), closed. The rules: api/services/waves.ts. */
const waveRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const today = (): string => studyToday(fastify.config.STUDY_TIME_ZONE)

  fastify.get('/', {
    config: { access: ['researcher', 'admin', 'site_staff'] },
    schema: { response: { 200: WaveListReplySchema, ...errorReplies(401, 403) } },
  }, async (request) => ({ waves: await listWaves(fastify.db, request.account) }))

  fastify.get('/:id', {
    config: { access: ['researcher', 'admin', 'site_staff'] },
    schema: { params: WaveParamsSchema, response: { 200: WaveSchema, ...errorReplies(401, 403, 404) } },
  }, async (request) => await findWave(fastify.db, request.account, request.params.id))

  fastify.post('/', {
    config: { access: PLANNERS },
    schema: { body: WaveCreateBodySchema, response: { 201: WaveSchema, ...errorReplies(400, 401, 403) } },
  }, async (request, reply) => await reply.code(201).send(await planWave(fastify.db, request.account, request.body, today())))

  fastify.patch('/:id', {
    config: { access: PLANNERS },
    schema: { params: WaveParamsSchema, body: WaveUpdateBodySchema, response: { 200: WaveSchema, ...errorReplies(400, 401, 403, 404, 409) } },
  }, async (request) => await replanWave(fastify.db, request.account, request.params.id, request.body, today()))

  fastify.post('/:id/open', {
    config: { access: PLANNERS },
    schema: { params: WaveParamsSchema, response: { 200: WaveSchema, ...errorReplies(401, 403, 404, 409) } },
  }, async (request) => await openWave(fastify.db, request.account, request.params.id, { today: today(), helpMaxAgeDays: fastify.config.HELP_DATA_MAX_AGE_DAYS }))

  fastify.post('/:id/close', {
    config: { access: PLANNERS },
    schema: { params: WaveParamsSchema, response: { 200: WaveSchema, ...errorReplies(401, 403, 404, 409) } },
  }, async (request) => await closeWave(fastify.mixContext, request.account, request.params.id))
}

export default waveRoutes
