/**
 * Tablets (prefix /api/tablets); site_staff only ever see or touch their own site's tablets, and counts, never answers:
 *   GET  /api/tablets?siteId=          researcher, admin (any site, or all); site_staff (their site; another siteId is 403)
 *   POST /api/tablets/enrolment-codes  { siteId, label?, testSurveyVersionId? } → 201 { code, ... } shown once   audited: tablet.enrolment_code
 *                                      researcher, admin; site_staff for their own site only, and never a test tablet's code
 *   POST /api/tablets/:id/revoke       → Tablet (revokedAt set; a second revoke is 409)   audited: tablet.revoke
 *                                      researcher, admin; site_staff for their own site only
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Uuid } from './common.js'

/** The survey version a test tablet tries (see the test tablets migration); null for a live tablet. */
export const TestSurveyVersionSchema = Type.Union([
  Type.Object({ id: Type.Integer(), slug: Type.String(), version: Type.Integer() }),
  Type.Null(),
])

export const TabletSchema = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  siteName: Type.String(),
  label: Type.String(),
  enrolledAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** The study date of the tablet's last accepted upload; null when none yet. */
  lastUploadOn: Type.Union([Type.String(), Type.Null()]),
  uploadCount: Type.Integer(),
  testSurveyVersion: TestSurveyVersionSchema,
  /**
   * Signs that its uploads are not real respondents (api/services/tablet-plausibility.ts): many_today,
   * prefer_not_only, repeated. Empty for a tablet that looks as expected.
   */
  warnings: Type.Array(Type.Union([Type.Literal('many_today'), Type.Literal('prefer_not_only'), Type.Literal('repeated')])),
})
export type Tablet = Static<typeof TabletSchema>

export const TabletListQuerySchema = Type.Object({ siteId: Type.Optional(Uuid) }, { additionalProperties: false })
export type TabletListQuery = Static<typeof TabletListQuerySchema>
export const TabletListReplySchema = Type.Object({ tablets: Type.Array(TabletSchema) })
export type TabletListReply = Static<typeof TabletListReplySchema>

export const TabletParamsSchema = Type.Object({ id: Uuid })

export const EnrolmentCodeBodySchema = Type.Object({
  siteId: Uuid,
  label: Type.Optional(Type.String({ maxLength: 100, description: 'the tablet\'s label, used when the tablet gives none' })),
  testSurveyVersionId: Type.Optional(Type.Integer({
    minimum: 1,
    description: 'enrols a test tablet for this survey version: its responses are kept apart and never counted',
  })),
}, { additionalProperties: false })
export type EnrolmentCodeBody = Static<typeof EnrolmentCodeBodySchema>

export const EnrolmentCodeReplySchema = Type.Object({
  /** 8 characters; shown once (only its hash is stored); typed on the tablet at /kiosk/. */
  code: Type.String(),
  siteId: Type.String(),
  siteName: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String({ format: 'date-time' }),
  testSurveyVersion: TestSurveyVersionSchema,
})
export type EnrolmentCodeReply = Static<typeof EnrolmentCodeReplySchema>
