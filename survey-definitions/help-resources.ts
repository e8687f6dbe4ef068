import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { isCalendarDate } from './calendar-date.js'

/**
 * Where to get help, as data: the helplines and the crisis centres by county with what each says about
 * taking in people in active substance use, each with the date it was last checked. Shown by the kiosk's
 * help dialog and thank-you screen (`GET /api/kiosk/help`), in bokmål and English.
 */
export const helpResourcesFile = fileURLToPath(new URL('./help-resources.json', import.meta.url))

const Text = Type.Object({ nb: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) }, { additionalProperties: false })
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const CountyNumber = Type.String({ pattern: '^\\d{2}$' })

/** What a centre says about taking in people in active substance use; not_checked until someone asked. */
export const ActiveUsePolicySchema = Type.Union([Type.Literal('yes'), Type.Literal('case_by_case'), Type.Literal('no'), Type.Literal('not_checked')])
export type ActiveUsePolicy = Static<typeof ActiveUsePolicySchema>

export const HelpLineSchema = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9-]+$' }),
  kind: Type.Union([Type.Literal('phone'), Type.Literal('web')]),
  /** The number as people say it ("116 006"), or the address without a scheme ("dinutvei.no"). */
  contact: Type.String({ minLength: 1, maxLength: 100 }),
  name: Text,
  description: Text,
  checked: IsoDate,
}, { additionalProperties: false })

export const CrisisCentreSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  county: CountyNumber,
  checked: IsoDate,
  activeSubstanceUse: Type.Object({ women: ActiveUsePolicySchema, men: ActiveUsePolicySchema }, { additionalProperties: false }),
  /** Where the policy comes from, for the researchers keeping the list (not shown to respondents). */
  source: Type.String({ minLength: 1 }),
}, { additionalProperties: false })

export const HelpResourcesSchema = Type.Object({
  lines: Type.Array(HelpLineSchema, { minItems: 1 }),
  counties: Type.Array(Type.Object({ number: CountyNumber, name: Type.String({ minLength: 1 }) }, { additionalProperties: false }), { minItems: 1 }),
  crisisCentres: Type.Array(CrisisCentreSchema),
  /** About the centres not listed (not yet checked), in both languages. */
  note: Text,
}, { additionalProperties: false })
export type HelpResources = Static<typeof HelpResourcesSchema>

/** Every problem with the help resources' JSON; [] means the kiosk may show it. */
export function helpResourcesProblems (value: unknown): string[] {
  if (!Value.Check(HelpResourcesSchema, value)) {
    return [...Value.Errors(HelpResourcesSchema, value)].slice(0, 20).map((error) => `${error.path || '/'}: ${error.message}`)
  }
  const problems: string[] = []
  const counties = new Set(value.counties.map((county) => county.number))
  if (counties.size !== value.counties.length) problems.push('/counties: a county number is listed twice')
  const ids = new Set(value.lines.map((line) => line.id))
  if (ids.size !== value.lines.length) problems.push('/lines: a line id is listed twice')
  const dates = [
    ...value.lines.map((line, index) => [`/lines/${index}/checked`, line.checked] as const),
    ...value.crisisCentres.map((centre, index) => [`/crisisCentres/${index}/checked`, centre.checked] as const),
  ]
  for (const [path, date] of dates) {
    if (!isCalendarDate(date)) problems.push(`${path}: ${date} is not a date`)
  }
  value.crisisCentres.forEach((centre, index) => {
    if (!counties.has(centre.county)) problems.push(`/crisisCentres/${index}/county: ${centre.county} is not in counties`)
  })
  return problems
}

export class HelpResourcesError extends Error {
  constructor (readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.join('; ')}`)
  }
}

/** Reads and checks the help resources; throws HelpResourcesError naming every problem. */
export function loadHelpResources (file: string = helpResourcesFile): HelpResources {
  let value: unknown
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new HelpResourcesError(file, [`cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`])
  }
  const problems = helpResourcesProblems(value)
  if (problems.length > 0) throw new HelpResourcesError(file, problems)
  return value as HelpResources
}
