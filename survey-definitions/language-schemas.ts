import { Type } from '@sinclair/typebox'

/**
 * The TypeBox shapes of a language's metadata (languages.ts, LanguageInfo), once for the translation files
 * and the API's schemas.
 */
export const LanguageCodeSchema = Type.String({ pattern: '^[a-z]{2,3}$', description: 'BCP 47 primary language subtag, lower case' })
export const DirectionSchema = Type.Union([Type.Literal('ltr'), Type.Literal('rtl')])
export const LanguageStatusSchema = Type.Union([Type.Literal('draft'), Type.Literal('reviewed')])
