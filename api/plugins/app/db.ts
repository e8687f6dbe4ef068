import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { DatabaseHandle, Engine } from '../../db/connect.js'
import type { Database } from '../../db/database.js'
import { CompiledSurveyCache } from '../../services/compiled-surveys.js'
import { IntakeBatcher } from '../../services/intake-batcher.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>
    dbEngine: Engine
    surveys: CompiledSurveyCache
    intakeBatcher: IntakeBatcher
  }
}

/** The handle's owner (server.ts, or a test) closes it: the app may be built several times over one database. */
export default fp<{ database: DatabaseHandle }>(async (fastify, { database }) => {
  fastify.decorate('db', database.db)
  fastify.decorate('dbEngine', database.engine)
  fastify.decorate('surveys', new CompiledSurveyCache(database.db))
  fastify.decorate('intakeBatcher', new IntakeBatcher(database.db))
}, { name: 'db' })
