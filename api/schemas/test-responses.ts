/**
 * Test responses (prefix /api/test-responses): what test tablets send when a researcher tries a survey version,
 * kept apart from live responses (never in results, releases or exports) until deleted.
 *   POST   /api/test-responses                    device (a test tablet) { id, answers } or { sealed } → 201 { id }
 *   GET    /api/test-responses                    researcher, admin → { versions: [{ surveyVersionId, slug, version, count }] }
 *   DELETE /api/test-responses/:surveyVersionId   researcher, admin → { surveyVersionId, deleted }   audited: test_responses.delete
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Uuid } from './common.js'
import { ResponseBodySchema, SealedResponseBodySchema } from './responses.js'

export const TestResponseBodySchema = Type.Object({
  id: ResponseBodySchema.properties.id,
  answers: ResponseBodySchema.properties.answers,
}, { additionalProperties: false })
export type TestResponseBody = Static<typeof TestResponseBodySchema>

/** Plain or sealed, as a live upload: the kiosk seals every finished response, test or not. */
export const TestResponseUploadSchema = Type.Union([TestResponseBodySchema, SealedResponseBodySchema])

export const TestResponseReplySchema = Type.Object({ id: Uuid })
export type TestResponseReply = Static<typeof TestResponseReplySchema>

export const TestResponseCountSchema = Type.Object({
  surveyVersionId: Type.Integer(),
  slug: Type.String(),
  version: Type.Integer(),
  count: Type.Integer({ minimum: 0 }),
})
export type TestResponseCount = Static<typeof TestResponseCountSchema>

export const TestResponseListReplySchema = Type.Object({ versions: Type.Array(TestResponseCountSchema) })
export type TestResponseListReply = Static<typeof TestResponseListReplySchema>

export const TestResponseVersionParamsSchema = Type.Object({
  surveyVersionId: Type.String({ pattern: '^[0-9]{1,9}$', description: 'the survey version\'s id' }),
})

export const TestResponseDeleteReplySchema = Type.Object({
  surveyVersionId: Type.Integer(),
  deleted: Type.Integer({ minimum: 0 }),
})
export type TestResponseDeleteReply = Static<typeof TestResponseDeleteReplySchema>
