import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/**
 * Figures that earlier studies published, shown beside the results app's headline indicators as
 * context: sourced and dated, each with its own population, place and method, and marked as
 * another study so no one reads it as a figure of ours. The results app imports the JSON at build
 * time (its Vite config runs `contextStudiesProblems` and fails the build on any problem); the unit
 * test also checks every indicator name against the instrument's indicator map.
 */
export const contextStudiesFile = fileURLToPath(new URL('./context-studies.json', import.meta.url))

/**
 * The headline charts a study can stand beside: the headline indicators without their period
 * (`any_violence` stands for any_violence_12m and any_violence_ever).
 */
export const CONTEXT_CONCEPTS = ['any_violence', 'any_physical', 'any_sexual', 'strangled', 'raped', 'psychological', 'turned_away_crisis_centre'] as const
export type ContextConcept = typeof CONTEXT_CONCEPTS[number]

const Text = Type.Object({ nb: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) }, { additionalProperties: false })
const Year = Type.Integer({ minimum: 1950, maximum: 2100 })

export const ContextStudySchema = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9-]+$' }),
  /** The published figure, in per cent, as the source gives it. */
  percent: Type.Number({ minimum: 0, maximum: 100 }),
  /** The instrument's indicator closest to what the study asked. */
  indicator: Type.String({ pattern: '^[a-z0-9_]+$' }),
  shownWith: Type.Union(CONTEXT_CONCEPTS.map((concept) => Type.Literal(concept))),
  period: Type.Union([Type.Literal('last_month'), Type.Literal('last_12m'), Type.Literal('ever'), Type.Literal('unspecified')]),
  /** The study's figure for women or men only; null for everyone. */
  gender: Type.Union([Type.Literal('woman'), Type.Literal('man'), Type.Null()]),
  population: Text,
  place: Text,
  /** The year the figure describes (or, where the source gives no other, the year it was published). */
  year: Year,
  source: Type.Object({
    authors: Type.String({ minLength: 1 }),
    publisher: Type.String({ minLength: 1 }),
    title: Type.String({ minLength: 1 }),
    year: Year,
  }, { additionalProperties: false }),
  /** Says that this is another study with another sample and method, and what exactly it measured. */
  note: Text,
}, { additionalProperties: false })
export type ContextStudy = Static<typeof ContextStudySchema>

export const ContextStudiesSchema = Type.Object({
  /** Where the figures were read (the sector report behind Prevalens). */
  citedIn: Type.Object({ publisher: Type.String({ minLength: 1 }), title: Type.String({ minLength: 1 }), year: Year }, { additionalProperties: false }),
  studies: Type.Array(ContextStudySchema, { minItems: 1 }),
}, { additionalProperties: false })
export type ContextStudies = Static<typeof ContextStudiesSchema>

/** The words every note must carry in each language, so a figure is never shown as if it were ours. */
const OTHER_STUDY = { nb: 'en annen studie', en: 'another study' } as const

/** Every problem with the context studies; [] when the results app may show them. */
export function contextStudiesProblems (value: unknown): string[] {
  if (!Value.Check(ContextStudiesSchema, value)) {
    return [...Value.Errors(ContextStudiesSchema, value)].slice(0, 20).map((error) => `${error.path || '/'}: ${error.message}`)
  }
  const problems: string[] = []
  const ids = new Set<string>()
  value.studies.forEach((study, index) => {
    if (ids.has(study.id)) problems.push(`/studies/${index}/id: ${study.id} is listed twice`)
    ids.add(study.id)
    if (study.source.year < study.year) problems.push(`/studies/${index}/source/year: published (${study.source.year}) before the year it describes (${study.year})`)
    for (const lang of ['nb', 'en'] as const) {
      if (!study.note[lang].toLowerCase().includes(OTHER_STUDY[lang])) {
        problems.push(`/studies/${index}/note/${lang}: must say "${OTHER_STUDY[lang]}" (another sample and method)`)
      }
    }
  })
  return problems
}

export class ContextStudiesError extends Error {
  constructor (readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.join('; ')}`)
  }
}

/** Reads and checks the context studies; throws ContextStudiesError naming every problem. */
export function loadContextStudies (file: string = contextStudiesFile): ContextStudies {
  let value: unknown
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ContextStudiesError(file, [`cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`])
  }
  const problems = contextStudiesProblems(value)
  if (problems.length > 0) throw new ContextStudiesError(file, problems)
  return value as ContextStudies
}
