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

// --- sealed uploads (the offline kiosk: ARCHITECTURE.md, anonymity rule 5) ---
const Base64 = (what: string, maxLength: number) => Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', minLength: 1, maxLength, description: `${what}, base64` })

/** A response sealed on the tablet (api/sealing/sealed-envelope.ts): what the plain body holds, encrypted. */
export const SealedEnvelopeSchema = Type.Object({
  keyId: Type.String({ pattern: '^[0-9a-f]{32}$', description: 'the intake key it was sealed for (GET /api/kiosk/intake-key)' }),
  key: Base64('the AES-256-GCM key, wrapped with RSA-OAEP (SHA-256)', 1024),
  iv: Base64('the 12-byte GCM nonce', 24),
  ciphertext: Base64('the JSON { id, waveId, answers } encrypted with AES-256-GCM, the 16-byte tag last', 256 * 1024),
}, { additionalProperties: false })
export type SealedEnvelope = Static<typeof SealedEnvelopeSchema>

export const SealedResponseBodySchema = Type.Object({ sealed: SealedEnvelopeSchema }, { additionalProperties: false })
export type SealedResponseBody = Static<typeof SealedResponseBodySchema>

/** POST /api/responses takes either form; a body with `sealed` is opened, then checked against ResponseBodySchema. */
export const ResponseUploadSchema = Type.Union([ResponseBodySchema, SealedResponseBodySchema])
export type ResponseUpload = Static<typeof ResponseUploadSchema>
// --- end sealed uploads ---
