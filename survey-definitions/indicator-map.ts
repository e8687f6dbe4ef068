import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

// Codes end up as keys in stored facts and as column names in the grouped query,
// so they are kept to lower-case snake_case (digits allowed, as in age bands like 18_24).
const code = Type.String({ pattern: '^[a-z0-9][a-z0-9_]*$' })
const name = Type.String({ pattern: '^[a-z][a-z0-9_]*$' })
const nonEmpty = Type.String({ minLength: 1, pattern: '\\S' })

export const LocalizedTextSchema = Type.Object(
  { en: nonEmpty, nb: nonEmpty },
  // Further languages may be added later; en and nb are the ones every text needs now.
  { additionalProperties: nonEmpty }
)
export type LocalizedText = Static<typeof LocalizedTextSchema>

export const IndicatorConditionSchema = Type.Object(
  {
    question: nonEmpty,
    values: Type.Array(code, { minItems: 1, uniqueItems: true })
  },
  { additionalProperties: false }
)
export type IndicatorCondition = Static<typeof IndicatorConditionSchema>

export const IndicatorRuleSchema = Type.Object(
  {
    label: LocalizedTextSchema,
    description: Type.Optional(LocalizedTextSchema),
    anyOf: Type.Array(IndicatorConditionSchema, { minItems: 1 })
  },
  { additionalProperties: false }
)
export type IndicatorRule = Static<typeof IndicatorRuleSchema>

export const DimensionSchema = Type.Object(
  {
    question: nonEmpty,
    values: Type.Array(code, { minItems: 1, uniqueItems: true })
  },
  { additionalProperties: false }
)
export type Dimension = Static<typeof DimensionSchema>

/**
 * The attendance questions of a version (README, "Attendance weights and repeat participation"): the
 * visits question with the number of visits each of its choices stands for (a band's representative
 * value: 2–3 visits count 2.5), from which intake derives a respondent's multiplicity weight, and the
 * choices of the repeat question that mean "I have already answered in this round".
 */
export const AttendanceSchema = Type.Object(
  {
    visits: Type.Object(
      { question: nonEmpty, values: Type.Record(code, Type.Number({ minimum: 1, maximum: 100 }), { additionalProperties: false }) },
      { additionalProperties: false }
    ),
    repeat: Type.Object(
      { question: nonEmpty, values: Type.Array(code, { minItems: 1, uniqueItems: true }) },
      { additionalProperties: false }
    )
  },
  { additionalProperties: false }
)
export type Attendance = Static<typeof AttendanceSchema>

export const IndicatorMapSchema = Type.Object(
  {
    missingValues: Type.Array(code, { uniqueItems: true }),
    dimensions: Type.Record(name, DimensionSchema, { additionalProperties: false }),
    attendance: Type.Optional(AttendanceSchema),
    freeText: Type.Array(nonEmpty, { uniqueItems: true }),
    indicators: Type.Record(name, IndicatorRuleSchema, { additionalProperties: false })
  },
  { additionalProperties: false }
)
export type IndicatorMap = Static<typeof IndicatorMapSchema>

/** One line per schema violation, as `/json/pointer: message`; empty when the value is a valid map. */
export function indicatorMapErrors (value: unknown): string[] {
  return [...Value.Errors(IndicatorMapSchema, value)].map((error) => `${error.path === '' ? '/' : error.path}: ${error.message}`)
}

export function isIndicatorMap (value: unknown): value is IndicatorMap {
  return Value.Check(IndicatorMapSchema, value)
}
