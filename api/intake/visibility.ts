import { ConditionRunner } from 'survey-core'
import { UnsupportedSurveyError } from './question-rules.js'
import type { Answers, CompiledCondition, CompiledQuestion } from './types.js'

/**
 * Every distinct visibleIf of a survey version, each compiled once into survey-core's ConditionRunner.
 * Identical expressions share one entry, so a condition repeated on several questions (the instrument's
 * "any violence" gate) runs once per response.
 */
export class ConditionTable {
  readonly conditions: CompiledCondition[] = []
  private readonly runners: ConditionRunner[] = []
  private readonly byExpression = new Map<string, CompiledCondition>()
  /** Lower-cased name → question name: survey-core resolves {names} in expressions case-insensitively. */
  private readonly questionNames: ReadonlyMap<string, string>

  constructor (answerableQuestions: Iterable<string>) {
    const names = new Map<string, string>()
    for (const name of answerableQuestions) names.set(name.toLowerCase(), name)
    this.questionNames = names
  }

  get size (): number {
    return this.conditions.length
  }

  /** Compiles (or reuses) one visibleIf; owner names its page, panel or question in errors. */
  add (expression: string, owner: string): CompiledCondition {
    const text = expression.trim()
    const existing = this.byExpression.get(text)
    if (existing !== undefined) return existing
    const runner = new ConditionRunner(text)
    if (!runner.canRun()) throw new UnsupportedSurveyError(`${owner}: visibleIf "${text}" is not a valid survey-core expression`)
    if (runner.isAsync) throw new UnsupportedSurveyError(`${owner}: visibleIf "${text}" calls an asynchronous function`)
    const dependsOn: string[] = []
    for (const variable of runner.getVariables()) {
      // {q.length} and {q[0]} read question q.
      const root = variable.split(/[.[]/, 1)[0] ?? variable
      const name = this.questionNames.get(root.toLowerCase())
      if (name === undefined) {
        throw new UnsupportedSurveyError(`${owner}: visibleIf "${text}" reads {${variable}}, which is not a question that takes an answer`)
      }
      if (!dependsOn.includes(name)) dependsOn.push(name)
    }
    const condition: CompiledCondition = { id: this.conditions.length, expression: text, dependsOn }
    this.conditions.push(condition)
    this.runners.push(runner)
    this.byExpression.set(text, condition)
    return condition
  }

  run (condition: CompiledCondition, answers: Answers): boolean {
    const runner = this.runners[condition.id]
    if (runner === undefined) throw new Error(`condition ${condition.id} is not in this table`)
    return runner.runValues(answers)
  }
}

/**
 * Skip logic for one response. Conditions are evaluated on the answers as submitted, as survey-core does
 * after `model.data = answers` (it keeps an answer to a hidden question and later conditions read it),
 * each at most once per response.
 */
export class SkipLogic {
  // 0 not yet run, 1 false, 2 true.
  private readonly results: Uint8Array

  constructor (private readonly table: ConditionTable, private readonly answers: Answers) {
    this.results = new Uint8Array(table.size)
  }

  holds (condition: CompiledCondition): boolean {
    const cached = this.results[condition.id]
    if (cached !== undefined && cached !== 0) return cached === 2
    const result = this.table.run(condition, this.answers)
    this.results[condition.id] = result ? 2 : 1
    return result
  }

  shown (question: CompiledQuestion): boolean {
    if (question.neverShown) return false
    for (const condition of question.conditions) {
      if (!this.holds(condition)) return false
    }
    return true
  }
}

/** The combined visibleIf of a question as text: each level's expression, joined by "and". */
export function combinedVisibleIf (conditions: readonly CompiledCondition[], neverShown: boolean): string {
  const parts = conditions.map((condition) => condition.expression)
  if (neverShown) parts.unshift('visible: false')
  if (parts.length === 1) return parts[0] ?? ''
  return parts.map((part) => `(${part})`).join(' and ')
}
