import fp from 'fastify-plugin'
import { configuredMixContext } from '../../services/mix.js'
import type { MixContext } from '../../services/mix.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** What intake seals with and the week's mix runs with: the database, the holding key and the study's time zone. */
    mixContext: MixContext
  }
}

/** Reads (or makes, at the first start) the holding key file: README, "Threat model". */
export default fp(async (fastify) => {
  fastify.decorate('mixContext', configuredMixContext(fastify.db, fastify.config, (message, counts) => { fastify.log.info(counts, message) }))
}, { name: 'holding', dependencies: ['config', 'db'] })
