import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const KioskHeadersSchema = Type.Object({
  authorization: Type.Optional(Type.String({ maxLength: 200 })),
})

export const KioskWaveReplySchema = Type.Object({
  waveId: Type.String(),
  siteName: Type.String(),
  surveyVersionId: Type.Integer(),
  slug: Type.String(),
  version: Type.Integer(),
})
export type KioskWaveReply = Static<typeof KioskWaveReplySchema>
