import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Updateable } from 'kysely'
import type { SiteTable } from '../db/database.js'
import { findSite, findSiteForUpdate, listSites, updateSite } from '../db/queries/console-sites.js'
import { createSite } from '../db/queries/sites.js'
import { notFound } from '../errors.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { SiteCreateBodySchema, SiteListReplySchema, SiteParamsSchema, SiteSchema, SiteUpdateBodySchema } from '../schemas/sites.js'
import type { SiteUpdateBody } from '../schemas/sites.js'
import { recordAudit } from '../services/audit-log.js'
import { assertSiteAccess, ownSiteOf } from '../services/site-scope.js'
import { resolveMunicipality, siteReply } from '../services/site-reference.js'

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ErrorReplySchema]))

/** Sites: researchers and admins register and edit them; site staff may read their own. */
const siteRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { access: ['researcher', 'admin', 'site_staff'] },
    schema: { response: { 200: SiteListReplySchema, ...errors(401, 403) } },
  }, async (request) => ({ sites: (await listSites(fastify.db, ownSiteOf(request.account))).map(siteReply) }))

  fastify.get('/:id', {
    config: { access: ['researcher', 'admin', 'site_staff'] },
    schema: { params: SiteParamsSchema, response: { 200: SiteSchema, ...errors(401, 403, 404) } },
  }, async (request) => {
    assertSiteAccess(request.account, request.params.id)
    const row = await findSite(fastify.db, request.params.id)
    if (row === undefined) throw notFound(`site ${request.params.id}`)
    return siteReply(row)
  })

  fastify.post('/', {
    config: { access: ['researcher', 'admin'] },
    schema: { body: SiteCreateBodySchema, response: { 201: SiteSchema, ...errors(400, 401, 403) } },
  }, async (request, reply) => {
    const { name, kind, municipalityNumber, countyNumber, centrality } = request.body
    const municipality = resolveMunicipality(municipalityNumber, countyNumber)
    const row = await fastify.db.transaction().execute(async (trx) => {
      const site = await createSite(trx, { name: name.trim(), kind, municipality_number: municipality.number, county_number: municipality.countyNumber, centrality })
      await recordAudit(trx, { actor: request.account, action: 'site.create', objectType: 'site', objectId: site.id, detail: siteDetail(site) })
      return site
    })
    return await reply.code(201).send(siteReply(row))
  })

  fastify.patch('/:id', {
    config: { access: ['researcher', 'admin'] },
    schema: { params: SiteParamsSchema, body: SiteUpdateBodySchema, response: { 200: SiteSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const { id } = request.params
    const row = await fastify.db.transaction().execute(async (trx) => {
      const before = await findSiteForUpdate(trx, id)
      if (before === undefined) throw notFound(`site ${id}`)
      const after = await updateSite(trx, id, sitePatch(request.body, before.municipality_number))
      await recordAudit(trx, { actor: request.account, action: 'site.update', objectType: 'site', objectId: id, detail: { before: siteDetail(before), after: siteDetail(after) } })
      return after
    })
    return siteReply(row)
  })
}

/** The columns a patch changes; a county sent alone must agree with the site's municipality. */
function sitePatch (body: SiteUpdateBody, currentMunicipality: string): Updateable<SiteTable> {
  const patch: Updateable<SiteTable> = {}
  if (body.name !== undefined) patch.name = body.name.trim()
  if (body.kind !== undefined) patch.kind = body.kind
  if (body.centrality !== undefined) patch.centrality = body.centrality
  if (body.municipalityNumber !== undefined || body.countyNumber !== undefined) {
    const municipality = resolveMunicipality(body.municipalityNumber ?? currentMunicipality, body.countyNumber)
    patch.municipality_number = municipality.number
    patch.county_number = municipality.countyNumber
  }
  return patch
}

function siteDetail (site: { name: string, kind: string, municipality_number: string, county_number: string, centrality: number }): Record<string, unknown> {
  return { name: site.name, kind: site.kind, municipality: site.municipality_number, county: site.county_number, centrality: site.centrality }
}

export default siteRoutes
