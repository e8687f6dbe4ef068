import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { CrisisCentreSchema, HelpLineSchema } from '../../survey-definitions/help-resources.js'

export const KioskHeadersSchema = Type.Object({
  authorization: Type.Optional(Type.String({ maxLength: 200 })),
})

/**
 * What a tablet shows. A live tablet: the wave its site has open today. A test tablet: the survey version it
 * tries, with no wave (waveId null); it sends to /api/test-responses and marks every screen as a test.
 */
export const KioskWaveReplySchema = Type.Object({
  mode: Type.Union([Type.Literal('live'), Type.Literal('test')]),
  waveId: Type.Union([Type.String(), Type.Null()]),
  siteName: Type.String(),
  surveyVersionId: Type.Integer(),
  slug: Type.String(),
  version: Type.Integer(),
  privacyCheckBefore: Type.String({ description: 'the page of this version the kiosk asks "can you answer undisturbed?" before (survey-definitions/<slug>/instrument.json)' }),
})
export type KioskWaveReply = Static<typeof KioskWaveReplySchema>

/** Where to get help: the helplines, then crisis centres by county with the tablet's county first. */
export const KioskHelpReplySchema = Type.Object({
  siteCounty: Type.String(),
  lines: Type.Array(HelpLineSchema),
  counties: Type.Array(Type.Object({
    number: Type.String(),
    name: Type.String(),
    centres: Type.Array(Type.Omit(CrisisCentreSchema, ['county', 'source'])),
  })),
  note: Type.Object({ nb: Type.String(), en: Type.String() }),
})
export type KioskHelpReply = Static<typeof KioskHelpReplySchema>

/** The public key tablets seal responses with before storing them (api/intake/sealed-envelope.ts). */
export const IntakeKeyReplySchema = Type.Object({
  keyId: Type.String({ description: 'names the key in a sealed upload' }),
  algorithm: Type.Literal('RSA-OAEP-256+A256GCM', { description: 'an AES-256-GCM key per response, wrapped with RSA-OAEP (SHA-256)' }),
  spki: Type.String({ description: 'the RSA public key, DER SubjectPublicKeyInfo, base64' }),
})
export type IntakeKeyReply = Static<typeof IntakeKeyReplySchema>
