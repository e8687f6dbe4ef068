import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { migrationState } from '../db/migrate.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { HealthReplySchema } from '../schemas/health.js'

/**
 * Up or down, and the engine, for anyone (a load balancer's check); the migration state only for a logged-in
 * staff member, since the list of migrations tells a stranger exactly which release runs here.
 */
const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'public' },
    schema: { response: { 200: HealthReplySchema, 503: ErrorReplySchema } },
  }, async (request) => {
    await sql`select 1`.execute(fastify.db)
    const reply = { status: 'ok' as const, engine: fastify.dbEngine }
    if (await fastify.sessionAccount(request) === undefined) return reply
    return { ...reply, migrations: await migrationState(fastify.db) }
  })
}

export default healthRoutes
