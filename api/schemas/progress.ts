/**
 * Progress of a wave: responses per site per ISO week against each site's target — counts only, never answer content.
 *   GET /api/progress/:waveId   researcher, admin: every site of the wave; site_staff: their own site only
 *                               (403 when the wave does not include their site)
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Uuid } from './common.js'
import { WaveStatusSchema } from './waves.js'

export const ProgressParamsSchema = Type.Object({ waveId: Uuid })

export const SiteProgressSchema = Type.Object({
  siteId: Type.String(),
  siteName: Type.String(),
  target: Type.Union([Type.Integer(), Type.Null()]),
  total: Type.Integer(),
  /** One entry per week in `weeks` (the wave's), in the same order; 0 where none arrived. */
  byWeek: Type.Array(Type.Integer()),
})

export const ProgressReplySchema = Type.Object({
  waveId: Type.String(),
  waveName: Type.String(),
  status: WaveStatusSchema,
  /** ISO weeks ('2026-W48') from the wave's opening to its close plus grace days (or to the last week with a response). */
  weeks: Type.Array(Type.String()),
  sites: Type.Array(SiteProgressSchema),
  total: Type.Integer(),
  target: Type.Union([Type.Integer(), Type.Null()]),
  /**
   * Researchers and admins only: of the responses mixed into the analysis tables so far (`of`), how many said
   * they had already answered in this round (`count`), which releases leave out by default. Held responses are
   * sealed, so they are not counted until the week's mix; site staff never see a count of an answer.
   */
  answeredBefore: Type.Optional(Type.Object({ count: Type.Integer(), of: Type.Integer() })),
})
export type ProgressReply = Static<typeof ProgressReplySchema>
