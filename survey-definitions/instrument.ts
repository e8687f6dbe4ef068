/**
 * The rules about one instrument that are not SurveyJS JSON or an indicator map: which page the kiosk's
 * privacy check comes before, and which indicators (by which breakdowns) a release leads with. They live
 * in `<slug>/instrument.json` beside the versions (survey-definitions/README.md), so that general code
 * names no instrument's pages or indicators, and a second instrument brings its own.
 *
 * The file is not frozen as a version's files are: a later version may state its own rules under
 * `versions`. What a version resolves to is stored with it when it is published and never changes after
 * (api/services/survey-versions.ts refuses a publication that would).
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/**
 * What a table may be broken down by: the response's own dimensions and the site's. Kept equal to
 * RESULT_DIMENSIONS in api/db/queries/results.ts (test/unit/instrument.test.ts compares them).
 */
export const BREAKDOWN_DIMENSIONS = ['wave', 'gender', 'age_group', 'site_kind', 'county', 'municipality', 'centrality'] as const
/** The breakdowns an instrument's indicator map must define as dimensions; the others are the wave's and the site's. */
export const RESPONSE_BREAKDOWNS: ReadonlySet<string> = new Set(['gender', 'age_group'])

const pageName = Type.String({ minLength: 1, description: 'the name of a page of the SurveyJS JSON' })
const indicatorName = Type.String({ pattern: '^[a-z][a-z0-9_]*$' })
const breakdown = Type.Array(Type.Union(BREAKDOWN_DIMENSIONS.map((name) => Type.Literal(name))), { uniqueItems: true })

export const HeadlineSchema = Type.Object({
  indicators: Type.Array(indicatorName, { uniqueItems: true, description: 'in the order the results page shows them; may be empty (no overview)' }),
  breakdowns: Type.Array(breakdown, { minItems: 1, description: 'every headline indicator is released by each; [] is overall' }),
}, { additionalProperties: false })

const ruleProperties = {
  privacyCheckBefore: pageName,
  headline: HeadlineSchema,
}

export const InstrumentSchema = Type.Object({
  ...ruleProperties,
  versions: Type.Optional(Type.Record(Type.String({ pattern: '^[1-9][0-9]*$' }), Type.Partial(Type.Object(ruleProperties, { additionalProperties: false })), {
    additionalProperties: false,
    description: 'version number → the rules it states for itself instead of the ones above',
  })),
}, { additionalProperties: false })
export type Instrument = Static<typeof InstrumentSchema>

/** One version's rules, as resolved from the instrument file and stored with the version when it is published. */
export const VersionRulesSchema = Type.Object(ruleProperties, { additionalProperties: false })
export type VersionRules = Static<typeof VersionRulesSchema>

/** One line per schema violation, as `/json/pointer: message`; empty when the value is a valid instrument file. */
export function instrumentErrors (value: unknown): string[] {
  return [...Value.Errors(InstrumentSchema, value)].map((error) => `${error.path === '' ? '/' : error.path}: ${error.message}`)
}

/** The rules of one version: its own under `versions`, where it states them, else the instrument's. */
export function rulesOfVersion (instrument: Instrument, version: number): VersionRules {
  const own = instrument.versions?.[String(version)] ?? {}
  return {
    privacyCheckBefore: own.privacyCheckBefore ?? instrument.privacyCheckBefore,
    headline: own.headline ?? instrument.headline,
  }
}
