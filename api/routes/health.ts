import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { migrationState } from '../db/migrate.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { HealthReplySchema } from '../schemas/health.js'

const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: 'public' },
    schema: { response: { 200: HealthReplySchema, 503: ErrorReplySchema } },
  }, async () => ({
    status: 'ok' as const,
    engine: fastify.dbEngine,
    migrations: await migrationState(fastify.db),
  }))
}

export default healthRoutes
