import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const ErrorReplySchema = Type.Object({
  code: Type.String({ description: 'stable error code, see api/errors.ts' }),
  message: Type.String({ description: 'what is wrong, in words a person can act on' }),
  question: Type.Optional(Type.String({ description: 'the survey question the problem is about' })),
}, { $id: 'ErrorReply' })
export type ErrorReply = Static<typeof ErrorReplySchema>

export const Uuid = Type.String({ format: 'uuid' })
