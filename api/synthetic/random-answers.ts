import { randomInt, randomItem, weightedIndex } from './rng.js'
import type { Rng } from './rng.js'
import type { AnswerProblemCode, Answers, ChoiceValue, CompiledQuestion, CompiledSurvey } from '../intake/types.js'

type Probability = number | ((question: CompiledQuestion) => number)

export interface RandomAnswerOptions {
  /** Chance that a shown question is left unanswered (default 0.08). */
  skipProbability?: Probability
  /** Chance that an answered question gets a missing-value code such as prefer_not, where it offers one (default 0.05). */
  missingProbability?: Probability
  /** Relative weight of a choice (default 1; 0 never picks it), also of a boolean's true/false values. */
  weight?: (question: CompiledQuestion, choice: ChoiceValue) => number
  /** Chance that a checkbox answer adds each further non-exclusive choice to the first (default 0.25). */
  extraChoiceProbability?: number
}

interface SurveyPlan {
  questions: ReadonlyMap<CompiledQuestion, Plan>
  /** Whether some visibleIf reads a question that comes at or after its own (so a later answer can hide an earlier one). */
  readsAhead: boolean
}

interface Plan {
  /** Choices that are not missing-value codes. */
  substantive: readonly ChoiceValue[]
  /** The missing-value codes the question offers. */
  missing: readonly ChoiceValue[]
}

const plans = new WeakMap<CompiledSurvey, SurveyPlan>()

function surveyPlan (compiled: CompiledSurvey): SurveyPlan {
  let plan = plans.get(compiled)
  if (plan === undefined) {
    const missing = new Set<unknown>(compiled.missingValues)
    const position = new Map(compiled.questions.map((q, i) => [q.name, i]))
    plan = {
      questions: new Map(compiled.questions.map((q) => [q, {
        substantive: q.choices.filter((choice) => !missing.has(choice)),
        missing: q.choices.filter((choice) => missing.has(choice))
      }])),
      readsAhead: compiled.questions.some((q, i) => q.dependsOn.some((name) => (position.get(name) ?? -1) >= i))
    }
    plans.set(compiled, plan)
  }
  return plan
}

function planOf (compiled: CompiledSurvey, question: CompiledQuestion): Plan {
  const plan = surveyPlan(compiled).questions.get(question)
  if (plan === undefined) throw new Error(`question "${question.name}" is not part of this compiled survey`)
  return plan
}

function probability (value: Probability | undefined, question: CompiledQuestion, fallback: number): number {
  if (value === undefined) return fallback
  return typeof value === 'number' ? value : value(question)
}

const words = ['ok', 'sometimes', 'hard', 'night', 'shelter', 'friend', 'help', 'waiting', 'cold', 'place', 'people', 'good']

/**
 * A plausible, valid response: the questions are walked in survey order, each one skip logic shows is
 * answered (or skipped, or answered with a missing-value code) at random. Deterministic for a seeded rng.
 */
export function randomAnswers (compiled: CompiledSurvey, rng: Rng, options: RandomAnswerOptions = {}): Record<string, unknown> {
  const answers: Record<string, unknown> = {}
  const skip = compiled.liveSkipLogic(answers)
  for (const question of compiled.questions) {
    if (!skip.shown(question)) continue
    if (rng() < probability(options.skipProbability, question, 0.08)) continue
    const value = randomValue(compiled, question, rng, options)
    if (value === undefined) continue
    answers[question.name] = value
    skip.changed(question.name)
  }
  if (!surveyPlan(compiled).readsAhead) return answers
  // A visibleIf that reads a later question may hide an earlier answer; drop such answers until none is left.
  for (;;) {
    const hidden = compiled.questions.filter((question) => Object.hasOwn(answers, question.name) && !compiled.isShown(question, answers))
    if (hidden.length === 0) return answers
    for (const question of hidden) delete answers[question.name]
  }
}

/** A well-formed answer to one question (skip logic aside), or undefined when every weight is 0. */
export function randomValue (compiled: CompiledSurvey, question: CompiledQuestion, rng: Rng, options: RandomAnswerOptions = {}): unknown {
  const plan = planOf(compiled, question)
  const single = question.type === 'radiogroup' || question.type === 'dropdown' || question.type === 'boolean'
  if (question.type === 'text' || question.type === 'comment') {
    const count = 1 + randomInt(rng, 6)
    const text = Array.from({ length: count }, () => randomItem(rng, words)).join(' ')
    return text.slice(0, question.maxLength)
  }
  if (!single && question.type !== 'checkbox') return undefined
  const missing = plan.missing.length > 0 && rng() < probability(options.missingProbability, question, 0.05)
  const weigh = (choice: ChoiceValue): number => options.weight === undefined ? 1 : options.weight(question, choice)
  const weights = plan.substantive.map(weigh)
  const first = missing ? -1 : weightedIndex(rng, weights)
  if (first < 0) {
    if (plan.missing.length === 0) return undefined
    const code = randomItem(rng, plan.missing)
    return single ? code : [code]
  }
  const lead = plan.substantive[first] as ChoiceValue
  if (single) return lead
  if (question.exclusive.has(lead)) return [lead]
  const extra = options.extraChoiceProbability ?? 0.25
  return plan.substantive.filter((choice, i) =>
    choice === lead || (!question.exclusive.has(choice) && (weights[i] ?? 0) > 0 && rng() < extra))
}

export type DefectKind = Exclude<AnswerProblemCode, 'not_an_object'>

export interface Mutation {
  answers: Record<string, unknown>
  defect: DefectKind
  /** The question the defect is on (for unknown_question, the key that was added). */
  question: string
}

/**
 * A copy of a valid response with exactly one defect of one kind: an unknown question, a value of the wrong
 * type, a value outside the choices, a repeated or wrongly combined checkbox choice, or an answer to a question
 * that skip logic hides. The kind is drawn at random among those the survey allows, unless one is asked for.
 */
export function mutateAnswers (compiled: CompiledSurvey, answers: Answers, rng: Rng, defect?: DefectKind): Mutation {
  const questions = compiled.questions
  const hidden = questions.filter((question) => !Object.hasOwn(answers, question.name) && !compiled.isShown(question, answers))
  const withChoices = questions.filter((question) => question.type !== 'text' && question.type !== 'comment' &&
    !(question.type === 'boolean' && question.choices.every((choice) => typeof choice === 'boolean')))
  const checkboxes = questions.filter((question) => question.type === 'checkbox' && question.choices.length > 1)
  const combinable = checkboxes.filter((question) => question.exclusive.size > 0)
  const candidates: Record<DefectKind, readonly CompiledQuestion[]> = {
    unknown_question: [],
    wrong_type: questions,
    not_a_choice: withChoices,
    duplicate_choice: checkboxes,
    exclusive_choice_combined: combinable,
    hidden_by_skip_logic: hidden
  }
  const feasible = (Object.keys(candidates) as DefectKind[]).filter((kind) => kind === 'unknown_question' || (candidates[kind].length > 0))
  const kind = defect ?? randomItem(rng, feasible)
  if (!feasible.includes(kind)) throw new Error(`mutateAnswers: this survey and response allow no ${kind} defect`)
  const copy: Record<string, unknown> = { ...answers }

  if (kind === 'unknown_question') {
    const known = randomItem(rng, questions)
    const names = [`${known.name}_x`, known.name.toUpperCase(), `unknown_${randomInt(rng, 1000)}`, '__proto__', 'constructor']
    const name = randomItem(rng, names.filter((candidate) => compiled.question(candidate) === undefined && !Object.hasOwn(copy, candidate)))
    // defineProperty, so that "__proto__" becomes a key (as JSON.parse makes it) rather than the prototype.
    Object.defineProperty(copy, name, { value: 'yes', enumerable: true, writable: true, configurable: true })
    return { answers: copy, defect: kind, question: name }
  }
  if (kind === 'hidden_by_skip_logic') {
    // An answer can change what skip logic shows (even the question's own visibility, when its visibleIf
    // reads itself), so keep only an answer that leaves its question hidden.
    for (let attempt = 0; attempt < 20; attempt++) {
      const question = randomItem(rng, hidden)
      copy[question.name] = randomValue(compiled, question, rng, { missingProbability: 0.2 }) ?? question.choices[0] ?? 'x'
      if (!compiled.isShown(question, copy)) return { answers: copy, defect: kind, question: question.name }
      delete copy[question.name]
    }
    if (defect !== undefined) throw new Error('mutateAnswers: no answer to a hidden question keeps it hidden')
    return mutateAnswers(compiled, answers, rng, 'unknown_question')
  }
  const question = randomItem(rng, candidates[kind])
  copy[question.name] = defectiveValue(compiled, question, kind, rng)
  return { answers: copy, defect: kind, question: question.name }
}

function defectiveValue (compiled: CompiledSurvey, question: CompiledQuestion, kind: DefectKind, rng: Rng): unknown {
  const choices = question.choices
  const first = choices[0] ?? 'x'
  const types = new Set<string>(choices.map((choice) => typeof choice))
  const has = (type: string): boolean => types.has(type)
  switch (kind) {
    case 'wrong_type':
      switch (question.type) {
        case 'checkbox':
          return randomItem(rng, [first, [], [true], {}, null, [[first]]])
        case 'text':
        case 'comment':
          return randomItem(rng, [42, null, ['text'], 'x'.repeat(question.maxLength + 1)])
        default:
          return randomItem(rng, [null, [first], {}, ...(has('number') ? [] : [42]), ...(has('string') ? [] : ['text']), ...(has('boolean') ? [] : [true])])
      }
    case 'not_a_choice': {
      const strange = has('string')
        ? randomItem(rng, ['not_a_choice', String(first).toUpperCase(), `${String(first)} `, ...compiled.missingValues.map((code) => `${code}_x`)]
          .filter((candidate) => !choices.includes(candidate)))
        : 1 + Math.max(0, ...choices.map(Number).filter(Number.isFinite))
      return question.type === 'checkbox' ? (rng() < 0.5 ? [strange] : [first, strange]) : strange
    }
    case 'duplicate_choice': {
      const plain = choices.filter((choice) => !question.exclusive.has(choice))
      const twice = plain.length > 0 ? randomItem(rng, plain) : first
      return [twice, twice]
    }
    case 'exclusive_choice_combined': {
      const exclusive = randomItem(rng, [...question.exclusive])
      const other = randomItem(rng, choices.filter((choice) => choice !== exclusive))
      return rng() < 0.5 ? [exclusive, other] : [other, exclusive]
    }
    default:
      throw new Error(`defectiveValue: ${kind} is not a defect of a value`)
  }
}
