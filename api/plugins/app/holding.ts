import fp from 'fastify-plugin'
import { holdingKeyFile } from '../../config.js'
import { loadHoldingKeyring } from '../../intake/holding-key.js'
import type { MixContext } from '../../services/mix.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** What intake seals with and the week's mix runs with: the database, the holding key and the study's time zone. */
    mixContext: MixContext
  }
}

/** Reads (or makes, at the first start) the holding key file: README, "Threat model". */
export default fp(async (fastify) => {
  fastify.decorate('mixContext', {
    db: fastify.db,
    keys: loadHoldingKeyring(holdingKeyFile(fastify.config)),
    timeZone: fastify.config.STUDY_TIME_ZONE,
    log: (message, counts) => { fastify.log.info(counts, message) },
  } satisfies MixContext)
}, { name: 'holding', dependencies: ['config', 'db'] })
