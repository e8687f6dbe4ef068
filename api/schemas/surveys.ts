import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const SurveyVersionParamsSchema = Type.Object({
  slug: Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 100 }),
  version: Type.Integer({ minimum: 1, maximum: 100_000 }),
})
export type SurveyVersionParams = Static<typeof SurveyVersionParamsSchema>

export const SurveyVersionReplySchema = Type.Object({
  slug: Type.String(),
  version: Type.Integer(),
  checksum: Type.String(),
  definition: Type.Record(Type.String(), Type.Unknown()),
  indicatorMap: Type.Record(Type.String(), Type.Unknown()),
})
export type SurveyVersionReply = Static<typeof SurveyVersionReplySchema>
