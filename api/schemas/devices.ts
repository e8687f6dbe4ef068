import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const EnrolBodySchema = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 32, description: 'the one-time enrolment code, as typed (case, spaces and dashes ignored)' }),
  // No control characters: PostgreSQL's text refuses NUL, and a label is shown to staff as plain text.
  label: Type.String({ maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]*$', description: 'a name for the tablet that staff recognise; empty keeps the code\'s label' }),
}, { additionalProperties: false })
export type EnrolBody = Static<typeof EnrolBodySchema>

export const EnrolReplySchema = Type.Object({
  token: Type.String({ description: 'the device token: shown once, only its hash is stored' }),
  siteName: Type.String(),
})
export type EnrolReply = Static<typeof EnrolReplySchema>
