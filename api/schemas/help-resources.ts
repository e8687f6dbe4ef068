/**
 * Help resources in the console (prefix /api/help-resources; researcher, admin) — the data the kiosk's
 * help screen shows (GET /api/kiosk/help):
 *   GET    /api/help-resources                      everything, with the oldest check date and whether it is too old to open a wave
 *   POST   /api/help-resources/lines                HelpLine (with its id) → 201          audited: help_line.create
 *   PATCH  /api/help-resources/lines/:id            part of a HelpLine → HelpLine         audited: help_line.update
 *   DELETE /api/help-resources/lines/:id            → 204                                 audited: help_line.delete
 *   POST   /api/help-resources/crisis-centres       CrisisCentreInput → 201 CrisisCentre  audited: crisis_centre.create
 *   PATCH  /api/help-resources/crisis-centres/:id   part of it → CrisisCentre             audited: crisis_centre.update
 *   DELETE /api/help-resources/crisis-centres/:id   → 204                                 audited: crisis_centre.delete
 *   PUT    /api/help-resources/note                 { nb, en } → { nb, en }               audited: help_note.update
 * policy on people in active substance use: yes | case_by_case | no | not_checked, for women and for men.
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { ActiveUsePolicySchema, HelpLineSchema } from '../../survey-definitions/help-resources.js'
import { Uuid } from './common.js'
import { IsoDate } from './waves.js'

const Text = Type.Object({ nb: Type.String({ minLength: 1, maxLength: 2000 }), en: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false })

export { HelpLineSchema }
export type HelpLine = Static<typeof HelpLineSchema>

export const HelpLineUpdateBodySchema = Type.Partial(Type.Omit(HelpLineSchema, ['id']), { additionalProperties: false, minProperties: 1 })
export type HelpLineUpdateBody = Static<typeof HelpLineUpdateBodySchema>
export const HelpLineParamsSchema = Type.Object({ id: Type.String({ pattern: '^[a-z0-9-]+$', maxLength: 100 }) })

export const CrisisCentreInputSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  county: Type.String({ pattern: '^\\d{2}$', description: 'a county number from GET /api/reference/regions' }),
  checked: IsoDate,
  activeSubstanceUse: Type.Object({ women: ActiveUsePolicySchema, men: ActiveUsePolicySchema }, { additionalProperties: false }),
  source: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }),
}, { additionalProperties: false })
export type CrisisCentreInput = Static<typeof CrisisCentreInputSchema>

export const CrisisCentreSchema = Type.Composite([Type.Object({ id: Type.String() }), CrisisCentreInputSchema])
export type CrisisCentre = Static<typeof CrisisCentreSchema>

export const CrisisCentreUpdateBodySchema = Type.Partial(CrisisCentreInputSchema, { additionalProperties: false, minProperties: 1 })
export type CrisisCentreUpdateBody = Static<typeof CrisisCentreUpdateBodySchema>
export const CrisisCentreParamsSchema = Type.Object({ id: Uuid })

export const HelpNoteSchema = Text
export type HelpNote = Static<typeof HelpNoteSchema>

export const HelpResourcesReplySchema = Type.Object({
  lines: Type.Array(HelpLineSchema),
  crisisCentres: Type.Array(CrisisCentreSchema),
  counties: Type.Array(Type.Object({ number: Type.String(), name: Type.String() })),
  note: Text,
  /** The oldest `checked` date of any line or centre; null when there are none. */
  oldestChecked: Type.Union([Type.String(), Type.Null()]),
  /** HELP_DATA_MAX_AGE_DAYS: a wave is not opened while oldestChecked is older than this. */
  maxAgeDays: Type.Integer(),
  stale: Type.Boolean(),
})
export type HelpResourcesReply = Static<typeof HelpResourcesReplySchema>
