import { CheckboxItem, Model, QuestionBooleanModel, QuestionSelectBase, QuestionTextBase } from 'survey-core'
import type { Question } from 'survey-core'
import type { JsonObject } from '../../../survey-definitions/index.js'
import type { AnswerProblemCode } from '../../../api/intake/types.js'

/** What the oracle can tell apart; every wrong value (type, choice, repeat, exclusive) is one kind here. */
export type VerdictKind = 'not_an_object' | 'unknown_question' | 'bad_value' | 'hidden_by_skip_logic'

export type Verdict =
  | { valid: true, surveyCoreValidates: boolean }
  | { valid: false, kind: VerdictKind, question?: string }

export function kindOf (code: AnswerProblemCode): VerdictKind {
  switch (code) {
    case 'not_an_object':
    case 'unknown_question':
    case 'hidden_by_skip_logic':
      return code
    default:
      return 'bad_value'
  }
}

const FREE_TEXT_MAX_LENGTH = 2000

/**
 * survey-core's full model as the judge of a response, built independently of api/intake: questions,
 * choices, exclusivity and visibility all come from survey-core's objects after `model.data = answers`.
 * It reports the first problem in the order the compiled validator promises: every answer on its own in
 * the order given, then skip logic in survey order.
 *
 * Choice codes are compared strictly (===): survey-core's own comparator trims and ignores case, which the
 * platform deliberately does not.
 */
export class SurveyCoreOracle {
  private readonly model: Model

  constructor (private readonly survey: JsonObject) {
    this.model = new Model(survey)
  }

  /** The verdict on one response; fresh builds a new Model for it instead of reusing one. */
  judge (answers: unknown, fresh = false): Verdict {
    if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return { valid: false, kind: 'not_an_object' }
    const given = answers as Record<string, unknown>
    const model = fresh ? new Model(this.survey) : this.model
    for (const name of Object.keys(given)) {
      // Typed as Question, but null for a name the survey does not have.
      const question: Question | null = model.getQuestionByName(name)
      if (question === null || question.getType() === 'html') return { valid: false, kind: 'unknown_question', question: name }
      if (!wellFormed(question, given[name])) return { valid: false, kind: 'bad_value', question: name }
    }
    // clear() first: survey-core's verdict depends on the model's history. With clearInvisibleValues
    // "onHidden" it drops the answer of a question that goes from shown to hidden, so the same answers
    // judged after another response can differ from a fresh model's; clear() makes it judge as a fresh one.
    if (!fresh) model.clear()
    model.data = given
    for (const question of model.getAllQuestions()) {
      if (Object.hasOwn(given, question.name) && !(question.isVisible && question.isParentVisible)) {
        return { valid: false, kind: 'hidden_by_skip_logic', question: question.name }
      }
    }
    return { valid: true, surveyCoreValidates: model.validate(false) }
  }

  /** The questions survey-core shows for these answers. */
  shownQuestions (answers: Record<string, unknown>): Set<string> {
    this.model.clear()
    this.model.data = answers
    return new Set(this.model.getAllQuestions().filter((question) => question.isVisible && question.isParentVisible).map((question) => question.name))
  }
}

function wellFormed (question: Question, value: unknown): boolean {
  const type = question.getType()
  if (question instanceof QuestionSelectBase) {
    const values: unknown[] = question.choices.map((item) => item.value)
    if (type !== 'checkbox') return values.includes(value)
    if (!Array.isArray(value) || value.length === 0) return false
    if (!value.every((item) => values.includes(item)) || new Set(value).size !== value.length) return false
    const exclusive = question.choices.filter((item) => item instanceof CheckboxItem && item.isExclusive).map((item) => item.value)
    return value.length === 1 || !value.some((item) => exclusive.includes(item))
  }
  if (question instanceof QuestionBooleanModel) return value === question.getValueTrue() || value === question.getValueFalse()
  if (question instanceof QuestionTextBase) {
    const limit = question.maxLength > 0 ? Math.min(question.maxLength, FREE_TEXT_MAX_LENGTH) : FREE_TEXT_MAX_LENGTH
    return typeof value === 'string' && value.length <= limit
  }
  throw new Error(`the oracle does not know question type ${type}`)
}
