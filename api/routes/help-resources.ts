import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorReplies } from '../schemas/common.js'
import {
  CrisisCentreInputSchema, CrisisCentreParamsSchema, CrisisCentreSchema, CrisisCentreUpdateBodySchema, HelpLineParamsSchema,
  HelpLineSchema, HelpLineUpdateBodySchema, HelpNoteSchema, HelpResourcesReplySchema,
} from '../schemas/help-resources.js'
import {
  addCrisisCentre, addHelpLine, editCrisisCentre, editHelpLine, editHelpNote, helpResourcesForConsole, importHelpResourcesIfNeeded,
  removeCrisisCentre, removeHelpLine,
} from '../services/help-resources.js'
import { studyToday } from '../study-calendar.js'

const EDITORS = ['researcher', 'admin'] as const

/** The helplines and crisis centres the kiosk shows, kept in the database and edited here. */
const helpResourceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const today = (): string => studyToday(fastify.config.STUDY_TIME_ZONE)
  // The shipped file is copied in once, when the tables have never been filled (see the migration).
  // Not fatal when the database is away at start-up: every reader imports on demand as well.
  fastify.addHook('onReady', async () => {
    await importHelpResourcesIfNeeded(fastify.db).catch((error: unknown) => {
      fastify.log.warn({ errName: error instanceof Error ? error.name : 'unknown' }, 'the help resources could not be imported at start-up; they will be on first use')
    })
  })

  fastify.get('/', {
    config: { access: EDITORS },
    schema: { response: { 200: HelpResourcesReplySchema, ...errorReplies(401, 403) } },
  }, async () => await helpResourcesForConsole(fastify.db, today(), fastify.config.HELP_DATA_MAX_AGE_DAYS))

  fastify.post('/lines', {
    config: { access: EDITORS },
    schema: { body: HelpLineSchema, response: { 201: HelpLineSchema, ...errorReplies(400, 401, 403, 409) } },
  }, async (request, reply) => await reply.code(201).send(await addHelpLine(fastify.db, request.account, request.body, today())))

  fastify.patch('/lines/:id', {
    config: { access: EDITORS },
    schema: { params: HelpLineParamsSchema, body: HelpLineUpdateBodySchema, response: { 200: HelpLineSchema, ...errorReplies(400, 401, 403, 404) } },
  }, async (request) => await editHelpLine(fastify.db, request.account, request.params.id, request.body, today()))

  fastify.delete('/lines/:id', {
    config: { access: EDITORS },
    schema: { params: HelpLineParamsSchema, response: { 204: { type: 'null' }, ...errorReplies(401, 403, 404) } },
  }, async (request, reply) => {
    await removeHelpLine(fastify.db, request.account, request.params.id)
    return await reply.code(204).send(null)
  })

  fastify.post('/crisis-centres', {
    config: { access: EDITORS },
    schema: { body: CrisisCentreInputSchema, response: { 201: CrisisCentreSchema, ...errorReplies(400, 401, 403) } },
  }, async (request, reply) => await reply.code(201).send(await addCrisisCentre(fastify.db, request.account, request.body, today())))

  fastify.patch('/crisis-centres/:id', {
    config: { access: EDITORS },
    schema: { params: CrisisCentreParamsSchema, body: CrisisCentreUpdateBodySchema, response: { 200: CrisisCentreSchema, ...errorReplies(400, 401, 403, 404) } },
  }, async (request) => await editCrisisCentre(fastify.db, request.account, request.params.id, request.body, today()))

  fastify.delete('/crisis-centres/:id', {
    config: { access: EDITORS },
    schema: { params: CrisisCentreParamsSchema, response: { 204: { type: 'null' }, ...errorReplies(401, 403, 404) } },
  }, async (request, reply) => {
    await removeCrisisCentre(fastify.db, request.account, request.params.id)
    return await reply.code(204).send(null)
  })

  fastify.put('/note', {
    config: { access: EDITORS },
    schema: { body: HelpNoteSchema, response: { 200: HelpNoteSchema, ...errorReplies(400, 401, 403) } },
  }, async (request) => await editHelpNote(fastify.db, request.account, request.body))
}

export default helpResourceRoutes
