import type { Kysely, Updateable } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database, SiteRow, SiteTable } from '../db/database.js'
import { createSite, findSite, findSiteForUpdate, listSites, updateSite } from '../db/queries/sites.js'
import { notFound } from '../errors.js'
import type { Site, SiteCreateBody, SiteUpdateBody } from '../schemas/sites.js'
import { recordAudit } from './audit-log.js'
import { assertSiteAccess, ownSiteOf } from './site-scope.js'
import { resolveMunicipality, siteReply } from './site-reference.js'

/** Sites: researchers and admins register and edit them (each change audited); site staff may read their own. */

export async function listSitesFor (db: Kysely<Database>, account: Account): Promise<Site[]> {
  return (await listSites(db, ownSiteOf(account))).map(siteReply)
}

/** @throws {AppError} 403 for another site's staff, 404 when there is no such site */
export async function findSiteFor (db: Kysely<Database>, account: Account, id: string): Promise<Site> {
  assertSiteAccess(account, id)
  return siteReply(await existingSite(db, id))
}

/** The site's row. @throws {AppError} 404 when there is none */
export async function existingSite (db: Kysely<Database>, id: string): Promise<SiteRow> {
  const row = await findSite(db, id)
  if (row === undefined) throw notFound(`site ${id}`)
  return row
}

/** @throws {AppError} 400 naming an unknown municipality or a county that does not match it */
export async function registerSite (db: Kysely<Database>, actor: Account, body: SiteCreateBody): Promise<Site> {
  const { name, kind, municipalityNumber, countyNumber, centrality } = body
  const municipality = resolveMunicipality(municipalityNumber, countyNumber)
  const row = await db.transaction().execute(async (trx) => {
    const site = await createSite(trx, { name: name.trim(), kind, municipality_number: municipality.number, county_number: municipality.countyNumber, centrality })
    await recordAudit(trx, { actor, action: 'site.create', objectType: 'site', objectId: site.id, detail: siteDetail(site) })
    return site
  })
  return siteReply(row)
}

/** @throws {AppError} 404, or 400 as registerSite */
export async function editSite (db: Kysely<Database>, actor: Account, id: string, body: SiteUpdateBody): Promise<Site> {
  const row = await db.transaction().execute(async (trx) => {
    const before = await findSiteForUpdate(trx, id)
    if (before === undefined) throw notFound(`site ${id}`)
    const after = await updateSite(trx, id, sitePatch(body, before.municipality_number))
    await recordAudit(trx, { actor, action: 'site.update', objectType: 'site', objectId: id, detail: { before: siteDetail(before), after: siteDetail(after) } })
    return after
  })
  return siteReply(row)
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
