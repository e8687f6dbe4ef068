/**
 * Sites (prefix /api/sites):
 *   GET    /api/sites        researcher, admin: every site; site_staff: their own site only
 *   GET    /api/sites/:id    researcher, admin; site_staff their own site only (403 otherwise)
 *   POST   /api/sites        researcher, admin → 201 Site          (audited: site.create)
 *   PATCH  /api/sites/:id    researcher, admin → Site              (audited: site.update)
 * The municipality number must be in GET /api/reference/regions; the county is its first two digits
 * (countyNumber may be sent, and must then agree).
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { SITE_KINDS } from '../db/database.js'
import { Uuid } from './common.js'

// Written out (not mapped from SITE_KINDS) so that TypeBox infers the union; the satisfies keeps them in step.
export const SiteKindSchema = Type.Union([
  Type.Literal('municipal_low_threshold'), Type.Literal('specialist_treatment'), Type.Literal('housing'), Type.Literal('street_outreach'), Type.Literal('other'),
])
/** Fails to compile when SITE_KINDS and the schema drift apart. */
export const SITE_KINDS_IN_SCHEMA: ReadonlyArray<Static<typeof SiteKindSchema>> = SITE_KINDS satisfies ReadonlyArray<Static<typeof SiteKindSchema>>

export const SiteSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: SiteKindSchema,
  municipalityNumber: Type.String(),
  municipalityName: Type.String(),
  countyNumber: Type.String(),
  countyName: Type.String(),
  /** 1 (most central) to 6 (least), Statistics Norway's centrality index classes. */
  centrality: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
})
export type Site = Static<typeof SiteSchema>

export const SiteListReplySchema = Type.Object({ sites: Type.Array(SiteSchema) })
export type SiteListReply = Static<typeof SiteListReplySchema>

export const SiteParamsSchema = Type.Object({ id: Uuid })
export type SiteParams = Static<typeof SiteParamsSchema>

export const SiteCreateBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  kind: SiteKindSchema,
  municipalityNumber: Type.String({ pattern: '^\\d{4}$' }),
  countyNumber: Type.Optional(Type.String({ pattern: '^\\d{2}$' })),
  centrality: Type.Integer({ minimum: 1, maximum: 6 }),
}, { additionalProperties: false })
export type SiteCreateBody = Static<typeof SiteCreateBodySchema>

export const SiteUpdateBodySchema = Type.Partial(SiteCreateBodySchema, { additionalProperties: false, minProperties: 1 })
export type SiteUpdateBody = Static<typeof SiteUpdateBodySchema>
