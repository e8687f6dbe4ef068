/**
 * Waves (prefix /api/waves):
 *   GET   /api/waves            researcher, admin: every wave; site_staff: the waves at their site, with only their site listed
 *   GET   /api/waves/:id        researcher, admin; site_staff when the wave includes their site
 *   POST  /api/waves            researcher, admin → 201 Wave (status planned)                 audited: wave.create
 *   PATCH /api/waves/:id        researcher, admin → Wave; only while planned (409 wave_not_planned)  audited: wave.update
 *   POST  /api/waves/:id/open   researcher, admin → Wave; planned → open                       audited: wave.open
 *                               409 wave_transition (not planned), 409 wave_dates (closes before today),
 *                               409 help_data_stale (the oldest help-resource check is older than HELP_DATA_MAX_AGE_DAYS),
 *                               409 site_has_open_wave (one of its sites has another open wave; the message names both)
 *   POST  /api/waves/:id/close  researcher, admin → Wave; open → closed                        audited: wave.close
 * Dates are 'YYYY-MM-DD' in the study's time zone; closesOn ≥ opensOn (400 naming both otherwise).
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { WAVE_STATUSES } from '../db/database.js'
import { Uuid } from './common.js'

export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })

export const WaveStatusSchema = Type.Union([Type.Literal('planned'), Type.Literal('open'), Type.Literal('closed')])
/** Fails to compile when WAVE_STATUSES and the schema drift apart. */
export const WAVE_STATUSES_IN_SCHEMA: ReadonlyArray<Static<typeof WaveStatusSchema>> = WAVE_STATUSES satisfies ReadonlyArray<Static<typeof WaveStatusSchema>>

export const WaveSiteSchema = Type.Object({
  siteId: Type.String(),
  siteName: Type.String(),
  /** Responses aimed for at this site; null when none was set. */
  target: Type.Union([Type.Integer(), Type.Null()]),
})

export const WaveSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  surveyVersion: Type.Object({ id: Type.Integer(), slug: Type.String(), version: Type.Integer() }),
  opensOn: Type.String(),
  closesOn: Type.String(),
  graceDays: Type.Integer(),
  status: WaveStatusSchema,
  sites: Type.Array(WaveSiteSchema),
  createdAt: Type.String({ format: 'date-time' }),
})
export type Wave = Static<typeof WaveSchema>

export const WaveListReplySchema = Type.Object({ waves: Type.Array(WaveSchema) })
export type WaveListReply = Static<typeof WaveListReplySchema>

export const WaveParamsSchema = Type.Object({ id: Uuid })
export type WaveParams = Static<typeof WaveParamsSchema>

export const WaveSiteInputSchema = Type.Object({
  siteId: Uuid,
  // Not nullable: with the app's type coercion a 0 would silently become null (no target); leave it out instead.
  target: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'responses aimed for; leave out for none' })),
}, { additionalProperties: false })
export type WaveSiteInput = Static<typeof WaveSiteInputSchema>

export const WaveCreateBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  surveyVersionId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  opensOn: IsoDate,
  closesOn: IsoDate,
  graceDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, description: 'days after closesOn that late uploads are still taken; default 14' })),
  sites: Type.Array(WaveSiteInputSchema, { minItems: 1, maxItems: 1000 }),
}, { additionalProperties: false })
export type WaveCreateBody = Static<typeof WaveCreateBodySchema>

export const WaveUpdateBodySchema = Type.Partial(WaveCreateBodySchema, { additionalProperties: false, minProperties: 1 })
export type WaveUpdateBody = Static<typeof WaveUpdateBodySchema>
