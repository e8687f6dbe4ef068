import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/**
 * Norway's counties and municipalities with their standard numbers (2024 numbering), as data: the console's
 * site form picks from them and the API refuses a site whose municipality is not listed. A municipality
 * number's first two digits are its county's, which regionsProblems checks.
 */
export const regionsFile = fileURLToPath(new URL('./regions.json', import.meta.url))

const RegionsSchema = Type.Object({
  validFrom: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  source: Type.String({ minLength: 1 }),
  counties: Type.Array(Type.Object({
    number: Type.String({ pattern: '^\\d{2}$' }),
    name: Type.String({ minLength: 1 }),
    municipalities: Type.Array(Type.Object({
      number: Type.String({ pattern: '^\\d{4}$' }),
      name: Type.String({ minLength: 1 }),
    }, { additionalProperties: false }), { minItems: 1 }),
  }, { additionalProperties: false }), { minItems: 1 }),
}, { additionalProperties: false })
export type Regions = Static<typeof RegionsSchema>

export interface Municipality {
  number: string
  name: string
  countyNumber: string
  countyName: string
}

/** Every problem with the regions data; [] when it is usable. */
export function regionsProblems (value: unknown): string[] {
  if (!Value.Check(RegionsSchema, value)) return [...Value.Errors(RegionsSchema, value)].slice(0, 20).map((e) => `${e.path || '/'}: ${e.message}`)
  const problems: string[] = []
  const seen = new Set<string>()
  for (const county of value.counties) {
    if (seen.has(county.number)) problems.push(`county ${county.number} is listed twice`)
    seen.add(county.number)
    for (const municipality of county.municipalities) {
      if (!municipality.number.startsWith(county.number)) problems.push(`municipality ${municipality.number} ${municipality.name} is not numbered in county ${county.number}`)
      if (seen.has(municipality.number)) problems.push(`municipality ${municipality.number} is listed twice`)
      seen.add(municipality.number)
    }
  }
  return problems
}

/** Reads and checks the regions; throws naming every problem. */
export function loadRegions (file: string = regionsFile): Regions {
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'))
  const problems = regionsProblems(value)
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`)
  return value as Regions
}

let cached: { regions: Regions, municipalities: Map<string, Municipality> } | undefined

/** The shipped regions and a lookup by municipality number, read once per process. */
export function regionIndex (): { regions: Regions, municipalities: ReadonlyMap<string, Municipality> } {
  if (cached === undefined) {
    const regions = loadRegions()
    const municipalities = new Map(regions.counties.flatMap((county) => county.municipalities.map((m) =>
      [m.number, { number: m.number, name: m.name, countyNumber: county.number, countyName: county.name }] as const)))
    cached = { regions, municipalities }
  }
  return cached
}
