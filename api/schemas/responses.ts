import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Uuid } from './common.js'

export const ResponseHeadersSchema = Type.Object({
  authorization: Type.Optional(Type.String({ maxLength: 200 })),
})

export const ResponseBodySchema = Type.Object({
  id: { ...Uuid, description: 'random UUID made on the tablet; a retried upload sends the same id' },
  waveId: Uuid,
  answers: Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 500 }),
}, { additionalProperties: false })
export type ResponseBody = Static<typeof ResponseBodySchema>

export const ResponseReplySchema = Type.Object({
  id: Type.String(),
})
export type ResponseReply = Static<typeof ResponseReplySchema>
