import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { DatabaseHandle, Engine } from '../../db/connect.js'
import type { Database } from '../../db/database.js'
import { holdingKeyFile } from '../../config.js'
import { loadHoldingKeyring } from '../../intake/holding-key.js'
import type { HoldingKeyring } from '../../intake/holding-key.js'
import { CompiledSurveyCache } from '../../services/compiled-surveys.js'
import { IntakeBatcher } from '../../services/intake-batcher.js'
import type { MixContext } from '../../services/mix.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>
    dbEngine: Engine
    surveys: CompiledSurveyCache
    intakeBatcher: IntakeBatcher
    /** What the week's mix needs: the database, the holding key and the study's time zone. */
    mixContext: MixContext
  }
}

/** The handle's owner (server.ts, or a test) closes it: the app may be built several times over one database. */
export default fp<{ database: DatabaseHandle }>(async (fastify, { database }) => {
  fastify.decorate('db', database.db)
  fastify.decorate('dbEngine', database.engine)
  fastify.decorate('surveys', new CompiledSurveyCache(database.db))
  fastify.decorate('intakeBatcher', new IntakeBatcher(database.db))
  const keys: HoldingKeyring = loadHoldingKeyring(holdingKeyFile(fastify.config))
  fastify.decorate('mixContext', {
    db: database.db,
    keys,
    timeZone: fastify.config.STUDY_TIME_ZONE,
    log: (message, counts) => { fastify.log.info(counts, message) },
  } satisfies MixContext)
}, { name: 'db', dependencies: ['config'] })
