import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorReplies } from '../schemas/common.js'
import { SiteCreateBodySchema, SiteListReplySchema, SiteParamsSchema, SiteSchema, SiteUpdateBodySchema } from '../schemas/sites.js'
import { editSite, findSiteFor, listSitesFor, registerSite } from '../services/sites.js'

/** Sites: researchers and admins register and edit them; site staff may read their own. */
const siteRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: ['researcher', 'admin', 'site_staff'] },
    schema: { response: { 200: SiteListReplySchema, ...errorReplies(401, 403) } },
  }, async (request) => ({ sites: await listSitesFor(fastify.db, request.account) }))

  fastify.get('/:id', {
    config: { access: ['researcher', 'admin', 'site_staff'] },
    schema: { params: SiteParamsSchema, response: { 200: SiteSchema, ...errorReplies(401, 403, 404) } },
  }, async (request) => await findSiteFor(fastify.db, request.account, request.params.id))

  fastify.post('/', {
    config: { access: ['researcher', 'admin'] },
    schema: { body: SiteCreateBodySchema, response: { 201: SiteSchema, ...errorReplies(400, 401, 403) } },
  }, async (request, reply) => await reply.code(201).send(await registerSite(fastify.db, request.account, request.body)))

  fastify.patch('/:id', {
    config: { access: ['researcher', 'admin'] },
    schema: { params: SiteParamsSchema, body: SiteUpdateBodySchema, response: { 200: SiteSchema, ...errorReplies(400, 401, 403, 404) } },
  }, async (request) => await editSite(fastify.db, request.account, request.params.id, request.body))
}

export default siteRoutes
