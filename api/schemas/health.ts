import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const HealthReplySchema = Type.Object({
  status: Type.Literal('ok'),
  engine: Type.Union([Type.Literal('postgresql'), Type.Literal('pglite')]),
  /** Staff sessions only. */
  migrations: Type.Optional(Type.Object({
    executed: Type.Array(Type.String()),
    pending: Type.Array(Type.String()),
  })),
})
export type HealthReply = Static<typeof HealthReplySchema>
