import type { QuestionInfo, QuestionType } from '../../survey-definitions/questions.js'

/** A response as submitted: question name → answer. Only plain JSON values come off the wire. */
export type Answers = Readonly<Record<string, unknown>>

/**
 * A value an answer may hold: a choice value as survey-core holds it (the platform's own codes are strings;
 * numbers are tolerated), or a boolean question's valueTrue/valueFalse (true/false unless set).
 */
export type ChoiceValue = string | number | boolean

export type AnswerProblemCode =
  | 'not_an_object'
  | 'unknown_question'
  | 'wrong_type'
  | 'not_a_choice'
  | 'hidden_by_skip_logic'
  | 'duplicate_choice'
  | 'exclusive_choice_combined'

/** Why a response is refused; `message` names the problem and the question, fit for a 4xx body. */
export interface AnswerProblem {
  code: AnswerProblemCode
  question?: string
  message: string
}

/** yes = true, no = false, missing = null. */
export type IndicatorValue = boolean | null

export interface Facts {
  /** Dimension name → the answer when it is one of the dimension's values, else null. */
  dimensions: Record<string, string | null>
  /** Indicator name → yes / no / missing, in indicator-map order. */
  indicators: Record<string, IndicatorValue>
  /**
   * Visits to this place in the last 7 days that the visits answer stands for (the indicator map's
   * `attendance`), from which the multiplicity weight follows; null where the version has no such
   * question or it was skipped, "don't know" or "prefer not to say".
   */
  visits: number | null
  /** The respondent said they had already answered in this round (the map's `attendance.repeat`). */
  answeredBefore: boolean
}

/** One visibleIf (of a page, panel or question), compiled once and shared by every question under it. */
export interface CompiledCondition {
  /** Index into the survey's condition list (the per-request cache slot). */
  id: number
  expression: string
  /** The questions the expression reads, by name (a question's own name once per condition). */
  dependsOn: readonly string[]
}

export interface CompiledQuestion {
  name: string
  type: QuestionType
  /** Position in survey order (html elements included). */
  index: number
  info: QuestionInfo
  /** Choice values in survey order (radiogroup, dropdown, checkbox), or [valueTrue, valueFalse] for a boolean. */
  choices: readonly ChoiceValue[]
  /** Checkbox choices with `isExclusive`. */
  exclusive: ReadonlySet<ChoiceValue>
  /** Longest accepted free-text answer, in UTF-16 code units (text and comment only; 0 otherwise). */
  maxLength: number
  /** visible: false on the question or one of its containers: never shown. */
  neverShown: boolean
  /** Page, panels, then the question's own visibleIf: every one must hold for the question to be shown. */
  conditions: readonly CompiledCondition[]
  /** The combined visibleIf as text, for messages; '' when the question is always shown. */
  visibleIf: string
  /** Every question the combined visibleIf depends on (deduplicated, in first-seen order). */
  dependsOn: readonly string[]
}

export interface LiveSkipLogic {
  shown: (question: CompiledQuestion) => boolean
  changed: (name: string) => void
}

export interface CompiledSurvey {
  /** Questions that take an answer (html excluded), in survey order. */
  readonly questionNames: readonly string[]
  /** Indicator names in indicator-map order. */
  readonly indicatorNames: readonly string[]
  readonly dimensionNames: readonly string[]
  /** text and comment questions (each must be listed under freeText in the indicator map). */
  readonly freeTextQuestions: readonly string[]
  readonly missingValues: readonly string[]
  /** Every question that takes an answer, in survey order. */
  readonly questions: readonly CompiledQuestion[]
  question: (name: string) => CompiledQuestion | undefined
  /** Whether skip logic shows the question for these (possibly partial) answers. */
  isShown: (question: CompiledQuestion, answers: Answers) => boolean
  /**
   * Skip logic over an answers object the caller fills in as it goes, evaluating each condition once until
   * an answer it reads changes: call changed(name) after setting or deleting that answer.
   */
  liveSkipLogic: (answers: Answers) => LiveSkipLogic
  /** null when survey-core would accept the response; otherwise the first problem found. */
  validate: (answers: unknown) => AnswerProblem | null
  /** Facts of a response that validate() accepted (what it does with anything else is unspecified). */
  deriveFacts: (answers: Answers) => Facts
  /** validate() then deriveFacts(), sharing the skip-logic evaluation. */
  validateAndDerive: (answers: unknown) => { problem: AnswerProblem, facts?: undefined } | { problem: null, facts: Facts }
}
