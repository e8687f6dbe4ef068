/**
 * GET /api/reference/regions — every role with an account: the Norwegian counties (2024 numbers) with
 * their municipalities (4-digit numbers), the site kinds and the centrality classes, for the console's
 * site form and the results app's labels.
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const MunicipalitySchema = Type.Object({
  number: Type.String({ pattern: '^\\d{4}$' }),
  name: Type.String(),
})

export const CountySchema = Type.Object({
  number: Type.String({ pattern: '^\\d{2}$' }),
  name: Type.String(),
  municipalities: Type.Array(MunicipalitySchema),
})

export const RegionsReplySchema = Type.Object({
  /** Which year's numbering the list follows. */
  validFrom: Type.String(),
  counties: Type.Array(CountySchema),
  siteKinds: Type.Array(Type.Object({ value: Type.String(), label: Type.Object({ nb: Type.String(), en: Type.String() }) })),
  centralityClasses: Type.Array(Type.Object({ value: Type.Integer(), label: Type.Object({ nb: Type.String(), en: Type.String() }) })),
})
export type RegionsReply = Static<typeof RegionsReplySchema>
