import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReplySchema, errorReplies } from '../schemas/common.js'
import { intakeKeyring } from '../sealing/sealed-envelope.js'
import { IntakeKeyReplySchema, KioskHeadersSchema, KioskHelpReplySchema, KioskLanguageParamsSchema, KioskLanguageReplySchema, KioskWaveReplySchema } from '../schemas/kiosk.js'
import { kioskHelp, kioskLanguage, kioskWave } from '../services/kiosk.js'
import { studyToday } from '../study-calendar.js'

/** What a tablet asks before it shows the cover: which wave, which survey version, and whether it may. */
const kioskRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/wave', {
    config: { access: 'device' },
    schema: {
      headers: KioskHeadersSchema,
      response: { 200: KioskWaveReplySchema, ...errorReplies(401, 404, 503) },
    },
  }, async (request) => await kioskWave(fastify.db, request.headers.authorization, studyToday(fastify.config.STUDY_TIME_ZONE)))

  // A language's texts, fetched with the wave for each language it offers (the kiosk bundles only bokmål and English).
  fastify.get('/languages/:code', {
    config: { access: 'device' },
    schema: {
      headers: KioskHeadersSchema,
      params: KioskLanguageParamsSchema,
      response: { 200: KioskLanguageReplySchema, ...errorReplies(400, 401, 404, 409, 503) },
    },
  }, async (request) => await kioskLanguage(fastify.db, request.headers.authorization, request.params.code, studyToday(fastify.config.STUDY_TIME_ZONE)))

  fastify.get('/help', {
    config: { access: 'device' },
    schema: {
      headers: KioskHeadersSchema,
      response: { 200: KioskHelpReplySchema, ...errorReplies(401, 503) },
    },
  }, async (request) => await kioskHelp(fastify.db, request.headers.authorization))

  // The intake key pair is made at start-up when the database has none, so the first tablet never waits for it.
  // A database that is away at start-up is not fatal: the first tablet to ask makes the pair then.
  fastify.addHook('onReady', async () => {
    await intakeKeyring(fastify.db).publicKey().catch((error: unknown) => {
      fastify.log.warn({ errName: error instanceof Error ? error.name : 'unknown' }, 'the intake key could not be prepared at start-up; it will be made on first use')
    })
  })

  /**
   * The public key a tablet seals each completed response with before it stores it (rule 5). Public: it is a
   * public key, and a tablet that lost its token must still be able to seal what a respondent just finished.
   */
  fastify.get('/intake-key', {
    config: { access: 'public' },
    schema: { response: { 200: IntakeKeyReplySchema, 503: ErrorReplySchema } },
  }, async (_request, reply) => {
    // Asked on every start; the kiosk's service worker keeps the last answer for starts without a connection.
    reply.header('cache-control', 'no-cache')
    return await intakeKeyring(fastify.db).publicKey()
  })
}

export default kioskRoutes
