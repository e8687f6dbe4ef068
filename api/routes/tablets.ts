import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { findSite } from '../db/queries/console-sites.js'
import { createEnrolmentCode } from '../db/queries/enrolment-codes.js'
import { findTablet, listTablets, revokeTablet } from '../db/queries/tablets.js'
import type { TabletRow } from '../db/queries/tablets.js'
import { AppError, notFound } from '../errors.js'
import { ErrorReplySchema } from '../schemas/common.js'
import {
  EnrolmentCodeBodySchema, EnrolmentCodeReplySchema, TabletListQuerySchema, TabletListReplySchema, TabletParamsSchema, TabletSchema,
} from '../schemas/tablets.js'
import type { Tablet } from '../schemas/tablets.js'
import { recordAudit } from '../services/audit-log.js'
import { assertSiteAccess, ownSiteOf } from '../services/site-scope.js'
import { uploadWarnings } from '../services/tablet-plausibility.js'
import { studyToday } from '../study-calendar.js'

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ErrorReplySchema]))
const TABLET_ROLES = ['researcher', 'admin', 'site_staff'] as const

/** Tablets: one-time enrolment codes, the enrolled tablets with their upload counts, revocation. */
const tabletRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const replyWithWarnings = (row: TabletRow): Tablet =>
    tabletReply(row, studyToday(fastify.config.STUDY_TIME_ZONE), fastify.config.INTAKE_UPLOADS_PER_DAY)
  fastify.get('/', {
    config: { access: TABLET_ROLES },
    schema: { querystring: TabletListQuerySchema, response: { 200: TabletListReplySchema, ...errors(400, 401, 403) } },
  }, async (request) => {
    const requested = request.query.siteId
    if (requested !== undefined) assertSiteAccess(request.account, requested)
    return { tablets: (await listTablets(fastify.db, requested ?? ownSiteOf(request.account))).map(replyWithWarnings) }
  })

  fastify.post('/enrolment-codes', {
    config: { access: TABLET_ROLES },
    schema: { body: EnrolmentCodeBodySchema, response: { 201: EnrolmentCodeReplySchema, ...errors(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const { siteId } = request.body
    assertSiteAccess(request.account, siteId)
    const site = await findSite(fastify.db, siteId)
    if (site === undefined) throw notFound(`site ${siteId}`)
    const label = request.body.label === undefined || request.body.label.trim() === '' ? null : request.body.label.trim()
    const created = await fastify.db.transaction().execute(async (trx) => {
      const made = await createEnrolmentCode(trx, siteId, label)
      // The code itself stays out of the log: whoever reads the log could enrol a tablet with it.
      await recordAudit(trx, {
        actor: request.account,
        action: 'tablet.enrolment_code',
        objectType: 'site',
        objectId: siteId,
        detail: { enrolmentCodeId: made.row.id, label, expiresAt: made.row.expires_at.toISOString() },
      })
      return made
    })
    return await reply.code(201).send({ code: created.code, siteId, siteName: site.name, label, expiresAt: created.row.expires_at.toISOString() })
  })

  fastify.post('/:id/revoke', {
    config: { access: TABLET_ROLES },
    schema: { params: TabletParamsSchema, response: { 200: TabletSchema, ...errors(401, 403, 404, 409) } },
  }, async (request) => {
    const { id } = request.params
    const tablet = await findTablet(fastify.db, id)
    if (tablet === undefined) throw notFound(`tablet ${id}`)
    assertSiteAccess(request.account, tablet.siteId)
    await fastify.db.transaction().execute(async (trx) => {
      if (!await revokeTablet(trx, id)) throw new AppError(409, 'already_revoked', `tablet "${tablet.label}" is already revoked`)
      await recordAudit(trx, { actor: request.account, action: 'tablet.revoke', objectType: 'tablet', objectId: id, detail: { siteId: tablet.siteId, label: tablet.label } })
    })
    const revoked = await findTablet(fastify.db, id)
    if (revoked === undefined) throw notFound(`tablet ${id}`)
    return replyWithWarnings(revoked)
  })
}

function tabletReply (row: TabletRow, today: string, uploadsPerDay: number): Tablet {
  return {
    warnings: uploadWarnings(row, today, uploadsPerDay),
    id: row.id,
    siteId: row.siteId,
    siteName: row.siteName,
    label: row.label,
    enrolledAt: row.enrolledAt.toISOString(),
    revokedAt: row.revokedAt === null ? null : row.revokedAt.toISOString(),
    lastUploadOn: row.lastUploadOn,
    uploadCount: row.uploadCount,
  }
}

export default tabletRoutes
