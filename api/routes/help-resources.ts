import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  deleteCrisisCentre, deleteHelpLine, findCrisisCentre, findHelpLine, importHelpResourcesIfNeeded, insertCrisisCentre,
  insertHelpLine, loadHelpRows, updateCrisisCentre, updateHelpLine, updateHelpNote,
} from '../db/queries/help-resources.js'
import { AppError, notFound } from '../errors.js'
import { ErrorReplySchema } from '../schemas/common.js'
import {
  CrisisCentreInputSchema, CrisisCentreParamsSchema, CrisisCentreSchema, CrisisCentreUpdateBodySchema, HelpLineParamsSchema,
  HelpLineSchema, HelpLineUpdateBodySchema, HelpNoteSchema, HelpResourcesReplySchema,
} from '../schemas/help-resources.js'
import { recordAudit } from '../services/audit-log.js'
import { helpFreshness } from '../services/help-freshness.js'
import { assertCounty } from '../services/site-reference.js'
import { studyToday } from '../study-calendar.js'
import { regionIndex } from '../../survey-definitions/regions.js'

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ErrorReplySchema]))
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
    schema: { response: { 200: HelpResourcesReplySchema, ...errors(401, 403) } },
  }, async () => {
    await importHelpResourcesIfNeeded(fastify.db)
    const rows = await loadHelpRows(fastify.db)
    const freshness = await helpFreshness(fastify.db, today(), fastify.config.HELP_DATA_MAX_AGE_DAYS)
    return {
      ...rows,
      counties: regionIndex().regions.counties.map(({ number, name }) => ({ number, name })),
      ...freshness,
    }
  })

  fastify.post('/lines', {
    config: { access: EDITORS },
    schema: { body: HelpLineSchema, response: { 201: HelpLineSchema, ...errors(400, 401, 403, 409) } },
  }, async (request, reply) => {
    checkDate(request.body.checked, today())
    const line = await fastify.db.transaction().execute(async (trx) => {
      const created = await insertHelpLine(trx, request.body)
      if (created === undefined) throw new AppError(409, 'already_exists', `a helpline with id "${request.body.id}" already exists`)
      await recordAudit(trx, { actor: request.account, action: 'help_line.create', objectType: 'help_line', objectId: created.id, detail: { line: created } })
      return created
    })
    return await reply.code(201).send(line)
  })

  fastify.patch('/lines/:id', {
    config: { access: EDITORS },
    schema: { params: HelpLineParamsSchema, body: HelpLineUpdateBodySchema, response: { 200: HelpLineSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    if (request.body.checked !== undefined) checkDate(request.body.checked, today())
    const { id } = request.params
    return await fastify.db.transaction().execute(async (trx) => {
      const before = await findHelpLine(trx, id)
      if (before === undefined) throw notFound(`helpline ${id}`)
      const after = await updateHelpLine(trx, id, { ...before, ...request.body })
      await recordAudit(trx, { actor: request.account, action: 'help_line.update', objectType: 'help_line', objectId: id, detail: { before, after } })
      return after
    })
  })

  fastify.delete('/lines/:id', {
    config: { access: EDITORS },
    schema: { params: HelpLineParamsSchema, response: { 204: { type: 'null' }, ...errors(401, 403, 404) } },
  }, async (request, reply) => {
    const { id } = request.params
    await fastify.db.transaction().execute(async (trx) => {
      const before = await findHelpLine(trx, id)
      if (before === undefined || !await deleteHelpLine(trx, id)) throw notFound(`helpline ${id}`)
      await recordAudit(trx, { actor: request.account, action: 'help_line.delete', objectType: 'help_line', objectId: id, detail: { before } })
    })
    return await reply.code(204).send(null)
  })

  fastify.post('/crisis-centres', {
    config: { access: EDITORS },
    schema: { body: CrisisCentreInputSchema, response: { 201: CrisisCentreSchema, ...errors(400, 401, 403) } },
  }, async (request, reply) => {
    checkDate(request.body.checked, today())
    assertCounty(request.body.county)
    const centre = await fastify.db.transaction().execute(async (trx) => {
      const created = await insertCrisisCentre(trx, { ...request.body, name: request.body.name.trim() })
      await recordAudit(trx, { actor: request.account, action: 'crisis_centre.create', objectType: 'crisis_centre', objectId: created.id, detail: { centre: created } })
      return created
    })
    return await reply.code(201).send(centre)
  })

  fastify.patch('/crisis-centres/:id', {
    config: { access: EDITORS },
    schema: { params: CrisisCentreParamsSchema, body: CrisisCentreUpdateBodySchema, response: { 200: CrisisCentreSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const { id } = request.params
    if (request.body.checked !== undefined) checkDate(request.body.checked, today())
    if (request.body.county !== undefined) assertCounty(request.body.county)
    return await fastify.db.transaction().execute(async (trx) => {
      const before = await findCrisisCentre(trx, id)
      if (before === undefined) throw notFound(`crisis centre ${id}`)
      const { id: _id, ...current } = before
      const after = await updateCrisisCentre(trx, id, { ...current, ...request.body })
      await recordAudit(trx, { actor: request.account, action: 'crisis_centre.update', objectType: 'crisis_centre', objectId: id, detail: { before, after } })
      return after
    })
  })

  fastify.delete('/crisis-centres/:id', {
    config: { access: EDITORS },
    schema: { params: CrisisCentreParamsSchema, response: { 204: { type: 'null' }, ...errors(401, 403, 404) } },
  }, async (request, reply) => {
    const { id } = request.params
    await fastify.db.transaction().execute(async (trx) => {
      const before = await findCrisisCentre(trx, id)
      if (before === undefined || !await deleteCrisisCentre(trx, id)) throw notFound(`crisis centre ${id}`)
      await recordAudit(trx, { actor: request.account, action: 'crisis_centre.delete', objectType: 'crisis_centre', objectId: id, detail: { before } })
    })
    return await reply.code(204).send(null)
  })

  fastify.put('/note', {
    config: { access: EDITORS },
    schema: { body: HelpNoteSchema, response: { 200: HelpNoteSchema, ...errors(400, 401, 403) } },
  }, async (request) => await fastify.db.transaction().execute(async (trx) => {
    const note = await updateHelpNote(trx, request.body)
    await recordAudit(trx, { actor: request.account, action: 'help_note.update', objectType: 'help_note', detail: { note } })
    return note
  }))
}

/** A real date, not in the future: a check date ahead of today would keep stale data looking fresh. */
function checkDate (date: string, today: string): void {
  const parsed = new Date(`${date}T00:00:00Z`)
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) throw new AppError(400, 'bad_request', `checked ${date} is not a calendar date`)
  if (date > today) throw new AppError(400, 'bad_request', `checked ${date} is in the future (today is ${today})`)
}

export default helpResourceRoutes
