import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ANY_ACCOUNT } from '../auth/roles.js'
import { SITE_KINDS } from '../db/database.js'
import { RegionsReplySchema } from '../schemas/reference.js'
import { CENTRALITY_LABELS, SITE_KIND_LABELS } from '../services/site-reference.js'
import { regionIndex } from '../../survey-definitions/regions.js'

/** Reference lists the console and the results app label things with; no study data. */
const referenceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/regions', {
    config: { access: ANY_ACCOUNT },
    schema: { response: { 200: RegionsReplySchema } },
  }, async () => {
    const { regions } = regionIndex()
    return {
      validFrom: regions.validFrom,
      counties: regions.counties,
      siteKinds: SITE_KINDS.map((value) => ({ value, label: SITE_KIND_LABELS[value] })),
      centralityClasses: [...CENTRALITY_LABELS],
    }
  })
}

export default referenceRoutes
