import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { CrisisCentreSchema, HelpLineSchema } from '../../survey-definitions/help-resources.js'
import { DirectionSchema, LanguageCodeSchema, LanguageStatusSchema } from '../../survey-definitions/language-schemas.js'

export const KioskHeadersSchema = Type.Object({
  authorization: Type.Optional(Type.String({ maxLength: 200 })),
})

/** One language a tablet may offer (survey-definitions/languages.ts, LanguageInfo): its name in its own script. */
export const KioskLanguageSchema = Type.Object({ code: LanguageCodeSchema, name: Type.String(), direction: DirectionSchema, status: LanguageStatusSchema })
export type KioskLanguage = Static<typeof KioskLanguageSchema>

export const KioskLanguageParamsSchema = Type.Object({ code: LanguageCodeSchema })

/**
 * GET /api/kiosk/languages/:code: one translation of the version the tablet shows, fetched with the wave: key →
 * text (translationKeys; withTranslation and kioskStrings in survey-definitions/languages.ts apply it). The
 * version it belongs to comes with it, so a kiosk never applies an answer kept from another version or wave.
 */
export const KioskLanguageReplySchema = Type.Composite([KioskLanguageSchema, Type.Object({
  surveyVersionId: Type.Integer({ description: 'the survey version these words translate' }),
  strings: Type.Record(Type.String(), Type.String()),
})])
export type KioskLanguageReply = Static<typeof KioskLanguageReplySchema>

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
  languages: Type.Array(KioskLanguageSchema, {
    description: 'bokmål and English first (in the survey JSON), then the version\'s translations by code: a live tablet gets reviewed ones only, a test tablet drafts too',
  }),
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

/** The public key tablets seal responses with before storing them (api/sealing/sealed-envelope.ts). */
export const IntakeKeyReplySchema = Type.Object({
  keyId: Type.String({ description: 'names the key in a sealed upload' }),
  algorithm: Type.Literal('RSA-OAEP-256+A256GCM', { description: 'an AES-256-GCM key per response, wrapped with RSA-OAEP (SHA-256)' }),
  spki: Type.String({ description: 'the RSA public key, DER SubjectPublicKeyInfo, base64' }),
})
export type IntakeKeyReply = Static<typeof IntakeKeyReplySchema>
