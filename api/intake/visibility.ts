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
  /**
   * Per condition, its results by the answers it reads (undefined: not cached). A condition is a pure
   * function of those answers, which after validation are choice codes, so the distinct combinations are
   * few and most responses never reach the runner. Conditions that read free text (which must not linger in
   * memory) or call functions (today() is not pure) are not cached.
   */
  private readonly results: Array<Map<string, boolean> | undefined> = []
  private readonly lookups: Array<{ total: number, hits: number }> = []
  /** Per condition, each {name} as written in the expression with the question it reads. */
  private readonly reads: Array<ReadonlyArray<readonly [string, string]>> = []
  private readonly byExpression = new Map<string, CompiledCondition>()
  private readonly readersByQuestion = new Map<string, number[]>()
  /** Lower-cased name → question name: survey-core resolves {names} in expressions case-insensitively. */
  private readonly questionNames: ReadonlyMap<string, string>
  private readonly freeText: ReadonlySet<string>

  constructor (answerableQuestions: Iterable<string>, freeTextQuestions: Iterable<string> = []) {
    const names = new Map<string, string>()
    for (const name of answerableQuestions) {
      const other = names.get(name.toLowerCase())
      if (other !== undefined) throw new UnsupportedSurveyError(`questions "${other}" and "${name}" differ only in case, which survey-core's expressions cannot tell apart`)
      names.set(name.toLowerCase(), name)
    }
    this.questionNames = names
    this.freeText = new Set(freeTextQuestions)
  }

  get size (): number {
    return this.conditions.length
  }

  /** The ids of the conditions that read a question. */
  readers (name: string): readonly number[] {
    return this.readersByQuestion.get(name) ?? []
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
    const reads = new Map<string, string>()
    for (const variable of runner.getVariables()) {
      // {q.length} and {q[0]} read question q.
      const root = variable.split(/[.[]/, 1)[0] ?? variable
      const name = this.questionNames.get(root.toLowerCase())
      if (name === undefined) {
        throw new UnsupportedSurveyError(`${owner}: visibleIf "${text}" reads {${variable}}, which is not a question that takes an answer`)
      }
      if (!dependsOn.includes(name)) dependsOn.push(name)
      reads.set(root, name)
    }
    const condition: CompiledCondition = { id: this.conditions.length, expression: text, dependsOn }
    this.conditions.push(condition)
    this.runners.push(runner)
    this.results.push(runner.hasFunction() || dependsOn.some((name) => this.freeText.has(name)) ? undefined : new Map())
    this.lookups.push({ total: 0, hits: 0 })
    this.reads.push([...reads])
    for (const name of dependsOn) {
      const readers = this.readersByQuestion.get(name)
      if (readers === undefined) this.readersByQuestion.set(name, [condition.id])
      else readers.push(condition.id)
    }
    this.byExpression.set(text, condition)
    return condition
  }

  run (condition: CompiledCondition, answers: Answers): boolean {
    const runner = this.runners[condition.id]
    if (runner === undefined) throw new Error(`condition ${condition.id} is not in this table`)
    const results = this.results[condition.id]
    if (results === undefined) return this.evaluate(runner, condition, answers)
    const key = resultKey(condition.dependsOn, answers)
    const cached = results.get(key)
    const lookups = this.lookups[condition.id] ?? { total: 0, hits: 0 }
    lookups.total++
    if (cached !== undefined) {
      lookups.hits++
      return cached
    }
    const result = this.evaluate(runner, condition, answers)
    // A condition with too many combinations (a gate that reads thirteen questions has 5^13) gains
    // nothing from the cache; it stops caching once that shows.
    if (results.size >= MAX_CACHED_RESULTS || (lookups.total >= CACHE_TRIAL && lookups.hits * 2 < lookups.total)) {
      this.results[condition.id] = undefined
    } else {
      results.set(key, result)
    }
    return result
  }

  /**
   * Runs the condition on only the answers it reads, under the names it writes them with: survey-core looks
   * a {name} up by scanning every key of the values without regard to case, which on a whole response costs
   * far more than the comparison itself. Question names cannot differ only in case (the constructor refuses
   * them), so the lookup finds the same answer either way.
   */
  private evaluate (runner: ConditionRunner, condition: CompiledCondition, answers: Answers): boolean {
    const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const [written, name] of this.reads[condition.id] ?? []) {
      if (Object.hasOwn(answers, name)) values[written] = answers[name]
    }
    return runner.runValues(values)
  }
}

const MAX_CACHED_RESULTS = 4096
const CACHE_TRIAL = 512

/** The answers a condition reads, as a string: absent and each JSON value are told apart. */
function resultKey (names: readonly string[], answers: Answers): string {
  let key = ''
  for (const name of names) {
    const value = Object.hasOwn(answers, name) ? answers[name] : undefined
    key += value === undefined ? '\u0000' : `${JSON.stringify(value) ?? '\u0000'}\u0001`
  }
  return key
}

/**
 * Skip logic for one response. Conditions are evaluated on the answers as submitted, each at most once per
 * response. That is what survey-core does after `model.data = answers` on a fresh model: it keeps an answer
 * to a question that is hidden from the start, and later conditions read it. (With clearInvisibleValues
 * "onHidden" it does drop the answer of a question that goes from shown to hidden, which on a fresh model
 * means one whose own visibleIf holds while nothing is answered; such an answer is refused here too, but
 * survey-core may then name another question first. The tests pin that divergence.)
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

  /** Forgets the results that read a question, after its answer changed (the answers object is live). */
  changed (name: string): void {
    for (const id of this.table.readers(name)) this.results[id] = 0
  }
}

/** The combined visibleIf of a question as text: each level's expression, joined by "and". */
export function combinedVisibleIf (conditions: readonly CompiledCondition[], neverShown: boolean): string {
  const parts = conditions.map((condition) => condition.expression)
  if (neverShown) parts.unshift('visible: false')
  if (parts.length === 1) return parts[0] ?? ''
  return parts.map((part) => `(${part})`).join(' and ')
}
