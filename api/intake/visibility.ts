import { BinaryOperand, ConditionRunner, ConditionsParser, UnaryOperand } from 'survey-core'
import type { Operand } from 'survey-core'
import { UnsupportedSurveyError } from './question-rules.js'
import type { Answers, CompiledCondition, CompiledQuestion } from './types.js'

/**
 * Every distinct visibleIf of a survey version, each compiled once. A condition joined by "and" / "or" is split
 * at those joins into its comparisons (atoms), each run by survey-core's own ConditionRunner on only the
 * answers it reads and cached by those answers; the joins are then plain JavaScript. The instrument's "any
 * violence" gate reads thirteen questions, too many combinations to cache as a whole, so before the split it
 * ran survey-core on every response (a tenth of intake's CPU); each of its comparisons reads one question and
 * has a handful of possible inputs. Identical conditions and identical atoms share one entry.
 */
export class ConditionTable {
  readonly conditions: CompiledCondition[] = []
  /** Per condition, its expression tree over atoms. */
  private readonly trees: ConditionTree[] = []
  private readonly atoms: Atom[] = []
  private readonly atomsByText = new Map<string, Atom>()
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
    const dependsOn = this.#questionsRead(runner, text, owner)
    const operand = new ConditionsParser().parseExpression(text) as Operand | undefined
    const tree = operand === undefined || !leavesRoundTrip(operand) ? this.#atom(text, owner) : this.#tree(operand, owner)
    const condition: CompiledCondition = { id: this.conditions.length, expression: text, dependsOn }
    this.conditions.push(condition)
    this.trees.push(tree)
    for (const name of dependsOn) {
      const readers = this.readersByQuestion.get(name)
      if (readers === undefined) this.readersByQuestion.set(name, [condition.id])
      else readers.push(condition.id)
    }
    this.byExpression.set(text, condition)
    return condition
  }

  run (condition: CompiledCondition, answers: Answers): boolean {
    const tree = this.trees[condition.id]
    if (tree === undefined) throw new Error(`condition ${condition.id} is not in this table`)
    return evaluateTree(tree, answers)
  }

  #questionsRead (runner: ConditionRunner, text: string, owner: string): string[] {
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
    return dependsOn
  }

  /**
   * Splits at "and" / "or" only where both sides are comparisons (or further joins of them): those give
   * true or false, so survey-core's `a && b` / `a || b` on them is JavaScript's on booleans. A join over
   * anything else (a bare {q}, arithmetic, a function) could yield a value that is not a boolean, and stays
   * one atom run whole by survey-core.
   */
  #tree (operand: Operand, owner: string): ConditionTree {
    if (operand instanceof BinaryOperand && operand.isConjunction && yieldsBoolean(operand)) {
      return {
        join: operand.conjunction === 'and' ? 'and' : 'or',
        left: this.#tree(operand.leftOperand, owner),
        right: this.#tree(operand.rightOperand, owner),
      }
    }
    return this.#atom(operand.toString(), owner)
  }

  #atom (text: string, owner: string): ConditionTree {
    const existing = this.atomsByText.get(text)
    if (existing !== undefined) return existing
    const runner = new ConditionRunner(text)
    if (!runner.canRun()) throw new UnsupportedSurveyError(`${owner}: a part of its visibleIf, "${text}", is not a valid survey-core expression`)
    const reads = new Map<string, string>()
    for (const variable of runner.getVariables()) {
      const root = variable.split(/[.[]/, 1)[0] ?? variable
      const name = this.questionNames.get(root.toLowerCase())
      if (name === undefined) throw new UnsupportedSurveyError(`${owner}: visibleIf part "${text}" reads {${variable}}, which is not a question that takes an answer`)
      reads.set(root, name)
    }
    const dependsOn = [...new Set(reads.values())]
    const atom = new Atom(runner, [...reads], dependsOn, !runner.hasFunction() && !dependsOn.some((name) => this.freeText.has(name)))
    this.atoms.push(atom)
    this.atomsByText.set(text, atom)
    return atom
  }
}

type ConditionTree = Atom | { join: 'and' | 'or', left: ConditionTree, right: ConditionTree }

function evaluateTree (tree: ConditionTree, answers: Answers): boolean {
  if (tree instanceof Atom) return tree.run(answers)
  // survey-core evaluates both sides; an atom has no side effects, so stopping early gives the same result.
  return tree.join === 'and'
    ? evaluateTree(tree.left, answers) && evaluateTree(tree.right, answers)
    : evaluateTree(tree.left, answers) || evaluateTree(tree.right, answers)
}

/**
 * Whether each atom #tree would cut out of the operand reads back, from its text, as the same expression: an
 * atom is run from its text, so one that survey-core would print differently from how it parses (odd quoting,
 * say) keeps its whole condition in one piece instead.
 */
function leavesRoundTrip (operand: Operand): boolean {
  if (operand instanceof BinaryOperand && operand.isConjunction && yieldsBoolean(operand)) {
    return leavesRoundTrip(operand.leftOperand) && leavesRoundTrip(operand.rightOperand)
  }
  const text = operand.toString()
  return (new ConditionsParser().parseExpression(text) as Operand | undefined)?.toString() === text
}

/** Whether survey-core's evaluation of the operand is always true or false (never another value). */
function yieldsBoolean (operand: Operand): boolean {
  if (operand instanceof BinaryOperand) {
    // survey-core's parser marks "and" / "or" as arithmetic too, so they are told apart first.
    if (operand.isConjunction) return yieldsBoolean(operand.leftOperand) && yieldsBoolean(operand.rightOperand)
    return !operand.isArithmetic && BOOLEAN_COMPARISONS.has(operand.operator)
  }
  return operand instanceof UnaryOperand && BOOLEAN_UNARY.has(operand.operator)
}

// survey-core's comparison operators (OperandMaker.binaryFunctions), each of which returns a boolean.
const BOOLEAN_COMPARISONS = new Set(['equal', 'notequal', 'less', 'greater', 'lessorequal', 'greaterorequal', 'contains', 'notcontains', 'anyof', 'noneof', 'allof'])
const BOOLEAN_UNARY = new Set(['empty', 'notempty', 'negate'])

/** One comparison of a condition, run by survey-core and cached by the answers it reads. */
class Atom {
  /**
   * Its results by the answers it reads (undefined: not cached). After validation those answers are choice
   * codes, so the distinct combinations are few and most responses never reach the runner. Atoms that read
   * free text (which must not linger in memory) or call functions (today() is not pure) are not cached.
   */
  private results: Map<string, boolean> | undefined
  private total = 0
  private hits = 0

  constructor (
    private readonly runner: ConditionRunner,
    /** Each {name} as written in the expression with the question it reads. */
    private readonly reads: ReadonlyArray<readonly [string, string]>,
    private readonly dependsOn: readonly string[],
    cached: boolean
  ) {
    this.results = cached ? new Map() : undefined
  }

  run (answers: Answers): boolean {
    const results = this.results
    if (results === undefined) return this.evaluate(answers)
    const key = resultKey(this.dependsOn, answers)
    const cached = results.get(key)
    this.total++
    if (cached !== undefined) {
      this.hits++
      return cached
    }
    const result = this.evaluate(answers)
    // An atom with too many combinations gains nothing from the cache; it stops caching once that shows.
    if (results.size >= MAX_CACHED_RESULTS || (this.total >= CACHE_TRIAL && this.hits * 2 < this.total)) {
      this.results = undefined
    } else {
      results.set(key, result)
    }
    return result
  }

  /**
   * Runs the atom on only the answers it reads, under the names it writes them with: survey-core looks a
   * {name} up by scanning every key of the values without regard to case, which on a whole response costs
   * far more than the comparison itself. Question names cannot differ only in case (the table refuses them),
   * so the lookup finds the same answer either way.
   */
  private evaluate (answers: Answers): boolean {
    const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const [written, name] of this.reads) {
      if (Object.hasOwn(answers, name)) values[written] = answers[name]
    }
    return this.runner.runValues(values)
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
