import type { JsonObject, JsonValue } from './index.js'

/**
 * The questions of a survey as the platform runs them: what intake compiles its validator from
 * (api/intake/), what the codebook and the console list. check.ts holds the rules a definition must keep;
 * both walk a survey the same way, through walkSurvey.
 */

export type QuestionType = 'radiogroup' | 'checkbox' | 'dropdown' | 'boolean' | 'html' | 'text' | 'comment'

export interface QuestionInfo {
  name: string
  type: QuestionType
  json: JsonObject
  /**
   * The codes an answer may contain: choice values, or a boolean's string valueTrue/valueFalse.
   * Empty for html, free text, and booleans that keep SurveyJS's true/false.
   */
  values: string[]
}

export const PREFER_NOT = 'prefer_not'

export const CHOICE_TYPES: ReadonlySet<string> = new Set(['radiogroup', 'checkbox', 'dropdown'])
export const FREE_TEXT_TYPES: ReadonlySet<string> = new Set(['text', 'comment'])
export const QUESTION_TYPES: ReadonlySet<string> = new Set([...CHOICE_TYPES, ...FREE_TEXT_TYPES, 'boolean', 'html'])

/** A choice value, a dimension code: lower-case snake_case. */
export const CODE_PATTERN = /^[a-z0-9][a-z0-9_]*$/

export function isQuestionType (type: string | undefined): type is QuestionType {
  return type !== undefined && QUESTION_TYPES.has(type)
}

export function isObject (value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export interface SurveyVisitor {
  /** A page or panel, before its elements; `where` names it for a message. */
  container?: (container: JsonObject, where: string) => void
  /** A question or html element (anything but a panel), in page order. */
  element: (element: JsonObject, where: string) => void
  /** A survey whose shape cannot be walked further at some point (no pages, elements not an array…). */
  malformed?: (problem: string) => void
}

/** Visits pages, panels (flattened, in order) and elements. */
export function walkSurvey (survey: JsonObject, visitor: SurveyVisitor): void {
  const malformed = visitor.malformed ?? (() => {})
  const visitContainer = (container: JsonObject, where: string): void => {
    visitor.container?.(container, where)
    const elements = container.elements
    if (elements === undefined) return
    if (!Array.isArray(elements)) {
      malformed(`${where}: elements must be an array`)
      return
    }
    elements.forEach((element, index) => {
      if (!isObject(element)) malformed(`${where}: element ${index + 1} is not an object`)
      else if (element.type === 'panel') visitContainer(element, `panel "${String(element.name ?? index + 1)}"`)
      else visitor.element(element, `${where}, element ${index + 1}`)
    })
  }
  const pages = survey.pages
  if (!Array.isArray(pages) || pages.length === 0) {
    malformed('the survey has no pages')
    return
  }
  pages.forEach((page, index) => {
    if (isObject(page)) visitContainer(page, `page "${String(page.name ?? index + 1)}"`)
    else malformed(`page ${index + 1} is not an object`)
  })
}

/** The questions of a survey JSON in page order (panels flattened), html included; unnamed or unknown types left out. */
export function listQuestions (survey: JsonObject): QuestionInfo[] {
  const questions: QuestionInfo[] = []
  walkSurvey(survey, {
    element: (element) => {
      const name = typeof element.name === 'string' && element.name !== '' ? element.name : undefined
      const type = typeof element.type === 'string' ? element.type : undefined
      if (name === undefined || !isQuestionType(type)) return
      questions.push({ name, type, json: element, values: CHOICE_TYPES.has(type) ? choiceValues(element) : booleanValues(element) })
    },
  })
  return questions
}

/** The well-formed choice codes of a choice question, in order (check.ts reports the rest). */
export function choiceValues (question: JsonObject): string[] {
  const choices = question.choices
  if (!Array.isArray(choices)) return []
  return choices.flatMap((choice: JsonValue): string[] => {
    const value = isObject(choice) ? choice.value : choice
    return typeof value === 'string' && CODE_PATTERN.test(value) ? [value] : []
  })
}

/** A boolean's string valueTrue/valueFalse codes, or none when it keeps SurveyJS's true/false. */
export function booleanValues (question: JsonObject): string[] {
  if (question.type !== 'boolean') return []
  const { valueTrue, valueFalse } = question
  return typeof valueTrue === 'string' && typeof valueFalse === 'string' ? [valueTrue, valueFalse] : []
}
