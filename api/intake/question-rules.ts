import { CheckboxItem, QuestionBooleanModel, QuestionSelectBase, QuestionTextBase } from 'survey-core'
import type { Question } from 'survey-core'
import type { QuestionInfo } from '../../survey-definitions/questions.js'
import type { JsonObject } from '../../survey-definitions/index.js'
import type { AnswerProblem, ChoiceValue, CompiledQuestion } from './types.js'

/** The platform's cap on a free-text answer, in UTF-16 code units (a question's own maxLength may lower it). */
export const FREE_TEXT_MAX_LENGTH = 2000

/** Thrown by compileSurvey for a definition the compiled validator could not check exactly as survey-core does. */
export class UnsupportedSurveyError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UnsupportedSurveyError'
  }
}

// Properties that would make survey-core accept, store or change answers in ways the compiled rules do not
// model. check.ts refuses most of them already; the compiler refuses them again rather than disagree silently.
const unsupportedProperties: Record<string, string> = {
  valueName: 'the answer would be stored under another name',
  valuePropertyName: 'checkbox answers would be objects',
  defaultValue: 'survey-core would fill in answers itself',
  defaultValueExpression: 'survey-core would fill in answers itself',
  setValueIf: 'survey-core would fill in answers itself',
  setValueExpression: 'survey-core would fill in answers itself',
  resetValueIf: 'survey-core would change answers itself',
  validators: 'survey-core validators are not compiled',
  isRequired: 'every question may be skipped',
  requiredIf: 'every question may be skipped',
  minSelectedChoices: 'selection limits are not compiled',
  maxSelectedChoices: 'selection limits are not compiled',
  choicesVisibleIf: 'conditional choices are not compiled',
  choicesEnableIf: 'conditional choices are not compiled',
  showOtherItem: 'it adds a choice that is not in choices',
  hasOther: 'it adds a choice that is not in choices',
  showNoneItem: 'it adds a choice that is not in choices',
  hasNone: 'it adds a choice that is not in choices',
  showSelectAllItem: 'it adds a choice that is not in choices',
  hasSelectAll: 'it adds a choice that is not in choices',
  showRefuseItem: 'it adds a choice that is not in choices',
  showDontKnowItem: 'it adds a choice that is not in choices',
  showCommentArea: 'it adds a free-text value',
  hasComment: 'it adds a free-text value',
  choicesByUrl: 'choices must be written out',
  choicesFromQuestion: 'choices must be written out'
}

function isSet (value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && !(Array.isArray(value) && value.length === 0)
}

/** Throws UnsupportedSurveyError when a question uses something the compiled rules do not model. */
export function refuseUnsupported (info: QuestionInfo): void {
  const json = info.json
  for (const [key, why] of Object.entries(unsupportedProperties)) {
    if (isSet(json[key])) throw new UnsupportedSurveyError(`question "${info.name}": ${key} is not supported by the intake validator (${why})`)
  }
  if (json.inputType !== undefined && json.inputType !== 'text') {
    throw new UnsupportedSurveyError(`question "${info.name}": inputType "${String(json.inputType)}" is not supported by the intake validator`)
  }
  const choices = json.choices
  if (!Array.isArray(choices)) return
  for (const choice of choices) {
    if (isObject(choice) && (isSet(choice.visibleIf) || isSet(choice.enableIf))) {
      throw new UnsupportedSurveyError(`question "${info.name}": conditional choices (visibleIf/enableIf on a choice) are not supported by the intake validator`)
    }
  }
}

/** The values an answer may hold and the free-text cap, read from survey-core's model of the question. */
export function compileAnswerRules (info: QuestionInfo, question: Question): Pick<CompiledQuestion, 'choices' | 'exclusive' | 'maxLength'> {
  const exclusive = new Set<ChoiceValue>()
  if (info.type === 'radiogroup' || info.type === 'dropdown' || info.type === 'checkbox') {
    if (!(question instanceof QuestionSelectBase)) throw new UnsupportedSurveyError(`question "${info.name}": survey-core did not build a choice question`)
    const choices: ChoiceValue[] = []
    for (const item of question.choices) {
      const value: unknown = item.value
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new UnsupportedSurveyError(`question "${info.name}": choice value ${JSON.stringify(value)} is neither a string nor a number`)
      }
      choices.push(value)
      if (item instanceof CheckboxItem && item.isExclusive) exclusive.add(value)
    }
    return { choices, exclusive, maxLength: 0 }
  }
  if (info.type === 'boolean') {
    if (!(question instanceof QuestionBooleanModel)) throw new UnsupportedSurveyError(`question "${info.name}": survey-core did not build a boolean question`)
    const values: unknown[] = [question.getValueTrue(), question.getValueFalse()]
    const choices = values.filter((value): value is ChoiceValue => ['string', 'number', 'boolean'].includes(typeof value))
    if (choices.length !== 2 || choices[0] === choices[1]) throw new UnsupportedSurveyError(`question "${info.name}": valueTrue and valueFalse must be two different strings, numbers or booleans`)
    return { choices, exclusive, maxLength: 0 }
  }
  if (info.type === 'text' || info.type === 'comment') {
    const own = question instanceof QuestionTextBase ? question.maxLength : 0
    return { choices: [], exclusive, maxLength: own > 0 ? Math.min(own, FREE_TEXT_MAX_LENGTH) : FREE_TEXT_MAX_LENGTH }
  }
  return { choices: [], exclusive, maxLength: 0 }
}

/** The first problem with one answer's value (skip logic aside), or null when survey-core would take it. */
export function checkAnswer (question: CompiledQuestion, value: unknown): AnswerProblem | null {
  switch (question.type) {
    case 'radiogroup':
    case 'dropdown':
      return checkChoice(question, value, `question "${question.name}"`)
    case 'checkbox':
      return checkChoices(question, value)
    case 'boolean':
      return checkBoolean(question, value)
    case 'text':
    case 'comment':
      return checkText(question, value)
    case 'html':
      return unknownQuestion(question.name, true)
  }
}

export function unknownQuestion (name: string, isHtml = false): AnswerProblem {
  const message = isHtml
    ? `question "${name}" is an html element and takes no answer`
    : `question "${name}" is not in this survey version`
  return { code: 'unknown_question', question: name, message }
}

function checkChoice (question: CompiledQuestion, value: unknown, where: string): AnswerProblem | null {
  if (!question.choices.some((choice) => typeof choice === typeof value)) {
    return wrongType(question, `${where} takes ${choiceTypes(question)}, not ${describe(value)}`)
  }
  // The type matches a choice's, so value is a string, number or boolean here.
  if (!question.choices.includes(value as ChoiceValue)) {
    return {
      code: 'not_a_choice',
      question: question.name,
      message: `${where}: ${show(value)} is not one of its choices (${question.choices.map(String).join(', ')})`
    }
  }
  return null
}

function checkChoices (question: CompiledQuestion, value: unknown): AnswerProblem | null {
  const where = `question "${question.name}"`
  if (!Array.isArray(value)) return wrongType(question, `${where} takes an array of its choices, not ${describe(value)}`)
  if (value.length === 0) return wrongType(question, `${where} has an empty array of choices (leave the question out to skip it)`)
  const seen = new Set<unknown>()
  for (const item of value) {
    const problem = checkChoice(question, item, where)
    if (problem !== null) return problem
    if (seen.has(item)) {
      return { code: 'duplicate_choice', question: question.name, message: `${where}: ${show(item)} is chosen more than once` }
    }
    seen.add(item)
  }
  if (value.length > 1) {
    for (const item of value) {
      if (question.exclusive.has(item as ChoiceValue)) {
        return {
          code: 'exclusive_choice_combined',
          question: question.name,
          message: `${where}: ${show(item)} excludes every other choice but is combined with ${value.filter((other) => other !== item).map(show).join(', ')}`
        }
      }
    }
  }
  return null
}

function checkBoolean (question: CompiledQuestion, value: unknown): AnswerProblem | null {
  if (question.choices[0] === true && question.choices[1] === false) {
    return typeof value === 'boolean' ? null : wrongType(question, `question "${question.name}" takes true or false, not ${describe(value)}`)
  }
  return checkChoice(question, value, `question "${question.name}"`)
}

function checkText (question: CompiledQuestion, value: unknown): AnswerProblem | null {
  // Free text is never echoed back: only its type or length is named.
  if (typeof value !== 'string') return wrongType(question, `question "${question.name}" takes a string, not ${describe(value)}`)
  if (value.length > question.maxLength) {
    return wrongType(question, `question "${question.name}": the answer is ${value.length} characters long, at most ${question.maxLength} are accepted`)
  }
  return null
}

function wrongType (question: CompiledQuestion, message: string): AnswerProblem {
  return { code: 'wrong_type', question: question.name, message }
}

function choiceTypes (question: CompiledQuestion): string {
  const types = [...new Set(question.choices.map((choice) => typeof choice))]
  return `one of its choices as ${types.map((type) => `a ${type}`).join(' or ')}`
}

/** The kind of a JSON value, for messages that must not echo it. */
export function describe (value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

/** A short JSON rendering of a value that was meant to be a choice code. */
export function show (value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function isObject (value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
