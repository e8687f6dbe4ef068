import type { IndicatorMap } from '../../survey-definitions/indicator-map.js'
import { UnsupportedSurveyError } from './question-rules.js'
import type { SkipLogic } from './visibility.js'
import type { Answers, CompiledQuestion, Facts, IndicatorValue } from './types.js'

interface CompiledIndicatorCondition {
  question: CompiledQuestion
  values: ReadonlySet<string>
}

export interface FactRules {
  dimensions: ReadonlyArray<{ name: string, question: CompiledQuestion, values: ReadonlySet<string> }>
  indicators: ReadonlyArray<{ name: string, anyOf: readonly CompiledIndicatorCondition[] }>
  missingValues: ReadonlySet<string>
  byName: ReadonlyMap<string, CompiledQuestion>
  attendance?: {
    visits: { question: CompiledQuestion, values: ReadonlyMap<string, number> }
    repeat: { question: CompiledQuestion, values: ReadonlySet<string> }
  }
}

export function compileFactRules (map: IndicatorMap, byName: ReadonlyMap<string, CompiledQuestion>): FactRules {
  const question = (name: string, owner: string): CompiledQuestion => {
    const found = byName.get(name)
    if (found === undefined) throw new UnsupportedSurveyError(`${owner} names question "${name}", which is not a question that takes an answer`)
    return found
  }
  return {
    dimensions: Object.entries(map.dimensions).map(([name, dimension]) => ({
      name,
      question: question(dimension.question, `dimension "${name}"`),
      values: new Set(dimension.values)
    })),
    indicators: Object.entries(map.indicators).map(([name, rule]) => ({
      name,
      anyOf: rule.anyOf.map((condition) => ({ question: question(condition.question, `indicator "${name}"`), values: new Set(condition.values) }))
    })),
    missingValues: new Set(map.missingValues),
    byName,
    ...(map.attendance === undefined
      ? {}
      : {
          attendance: {
            visits: { question: question(map.attendance.visits.question, 'attendance "visits"'), values: new Map(Object.entries(map.attendance.visits.values)) },
            repeat: { question: question(map.attendance.repeat.question, 'attendance "repeat"'), values: new Set(map.attendance.repeat.values) }
          }
        })
  }
}

/**
 * The facts of one response, by the README's rules. A condition on a question is
 * - yes when it was shown and its answer holds one of the values;
 * - missing when it was shown and skipped, or answered only with missing-value codes;
 * - no when it was shown and answered otherwise;
 * - no when skip logic hid it for known reasons, missing when for unknown ones (see known()).
 */
export function deriveFacts (rules: FactRules, answers: Answers, skip: SkipLogic): Facts {
  const { missingValues, byName } = rules
  const substantive = (question: CompiledQuestion): boolean => {
    const values = answerValues(answers, question.name)
    return values.length > 0 && !values.every((value) => missingValues.has(String(value)))
  }

  // A hidden question's absence is known when every question its combined visibleIf reads is answered
  // substantively or is itself hidden for known reasons. A cycle of hidden questions counts as unknown.
  // A question with visible: false (and no visibleIf to override it) is never shown, whatever the answers.
  const memo = new Map<CompiledQuestion, boolean>()
  const known = (question: CompiledQuestion): boolean => {
    if (question.neverShown) return true
    if (skip.shown(question)) return substantive(question)
    const cached = memo.get(question)
    if (cached !== undefined) return cached
    memo.set(question, false)
    const result = question.dependsOn.every((name) => {
      const dependency = byName.get(name)
      return dependency !== undefined && known(dependency)
    })
    memo.set(question, result)
    return result
  }

  const condition = ({ question, values }: CompiledIndicatorCondition): IndicatorValue => {
    if (!skip.shown(question)) return known(question) ? false : null
    const given = answerValues(answers, question.name)
    if (given.length === 0) return null
    if (given.some((value) => values.has(String(value)))) return true
    if (given.every((value) => missingValues.has(String(value)))) return null
    return false
  }

  const dimensions: Record<string, string | null> = {}
  for (const { name, question, values } of rules.dimensions) {
    const answer = Object.hasOwn(answers, question.name) ? answers[question.name] : undefined
    const code = typeof answer === 'string' || typeof answer === 'number' || typeof answer === 'boolean' ? String(answer) : undefined
    dimensions[name] = code !== undefined && values.has(code) && skip.shown(question) ? code : null
  }

  const indicators: Record<string, IndicatorValue> = {}
  for (const { name, anyOf } of rules.indicators) {
    let result: IndicatorValue = false
    for (const item of anyOf) {
      const value = condition(item)
      if (value === true) {
        result = true
        break
      }
      if (value === null) result = null
    }
    indicators[name] = result
  }
  const single = (question: CompiledQuestion): string | undefined => {
    const answer = Object.hasOwn(answers, question.name) ? answers[question.name] : undefined
    return typeof answer === 'string' && skip.shown(question) ? answer : undefined
  }
  const { attendance } = rules
  const visitsCode = attendance === undefined ? undefined : single(attendance.visits.question)
  const repeatCode = attendance === undefined ? undefined : single(attendance.repeat.question)
  return {
    dimensions,
    indicators,
    visits: visitsCode === undefined ? null : attendance?.visits.values.get(visitsCode) ?? null,
    answeredBefore: repeatCode !== undefined && attendance?.repeat.values.has(repeatCode) === true
  }
}

/** The values an answer holds; [] when the question was not answered (absent, null, '' or []). */
function answerValues (answers: Answers, name: string): readonly unknown[] {
  if (!Object.hasOwn(answers, name)) return []
  const answer = answers[name]
  if (answer === undefined || answer === null || answer === '') return []
  return Array.isArray(answer) ? answer : [answer]
}
