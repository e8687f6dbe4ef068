import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const ErrorReplySchema = Type.Object({
  code: Type.String({ description: 'stable error code, see api/errors.ts' }),
  message: Type.String({ description: 'what is wrong, in words a person can act on' }),
  question: Type.Optional(Type.String({ description: 'the survey question the problem is about' })),
}, { $id: 'ErrorReply' })
export type ErrorReply = Static<typeof ErrorReplySchema>

/** The error answers a route declares, the same schema for each status: `response: { 200: X, ...errorReplies(401, 403) }`. */
export function errorReplies (...statuses: number[]): Record<number, typeof ErrorReplySchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorReplySchema]))
}

/**
 * A UUID in the hyphenated hex form both engines' uuid type takes: the app gives ajv's 'uuid' format this
 * pattern (ajv-formats' own also takes 'urn:uuid:…', which PostgreSQL refuses), and commands check ids with it.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const Uuid = Type.String({ format: 'uuid' })
