import { Model, PanelModel, Question } from 'survey-core'
import type { PanelModelBase } from 'survey-core'
import { listQuestions } from '../../survey-definitions/questions.js'
import type { QuestionInfo } from '../../survey-definitions/questions.js'
import type { JsonObject, JsonValue } from '../../survey-definitions/index.js'
import type { IndicatorMap } from '../../survey-definitions/indicator-map.js'
import { compileFactRules, deriveFacts } from './derive-facts.js'
import { checkAnswer, compileAnswerRules, describe, refuseUnsupported, unknownQuestion, UnsupportedSurveyError } from './question-rules.js'
import { combinedVisibleIf, ConditionTable, SkipLogic } from './visibility.js'
import type { AnswerProblem, Answers, CompiledCondition, CompiledQuestion, CompiledSurvey } from './types.js'

export { UnsupportedSurveyError } from './question-rules.js'
export type * from './types.js'

export interface SurveyVersion {
  survey: JsonObject
  indicatorMap: IndicatorMap
}

// Survey-level features that would make survey-core change answers or read values that are not answers.
const unsupportedSurveyProperties = ['triggers', 'calculatedValues']

/**
 * Compiles a survey version once (survey-core's Model is built here, and only here) into a validator and
 * fact deriver that need no Model per response: plain checks of types and choices, and survey-core's own
 * ConditionRunner for skip logic. Throws UnsupportedSurveyError for a definition it could not check exactly
 * as survey-core does.
 */
export function compileSurvey (def: SurveyVersion): CompiledSurvey {
  for (const key of unsupportedSurveyProperties) {
    const value = def.survey[key]
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      throw new UnsupportedSurveyError(`the survey's ${key} are not supported by the intake validator`)
    }
  }
  const infos = new Map(listQuestions(def.survey).map((info) => [info.name, info]))
  const htmlNames = new Set([...infos.values()].filter((info) => info.type === 'html').map((info) => info.name))
  const answerable = [...infos.values()].filter((info) => info.type !== 'html')
  const table = new ConditionTable(
    answerable.map((info) => info.name),
    answerable.filter((info) => info.type === 'text' || info.type === 'comment').map((info) => info.name)
  )
  const questions = walkSurvey(new Model(def.survey), def.survey, infos, table)
  const byName = new Map(questions.map((question) => [question.name, question]))
  const facts = compileFactRules(def.indicatorMap, byName)

  const validateWith = (answers: unknown): { problem: AnswerProblem } | { problem: null, skip: SkipLogic, answers: Answers } => {
    if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
      return { problem: { code: 'not_an_object', message: `the answers must be an object of question names to answers, not ${describe(answers)}` } }
    }
    const given = answers as Answers
    // First every answer on its own, in the order given; skip logic only once every answer is well-formed.
    for (const name of Object.keys(given)) {
      const question = byName.get(name)
      if (question === undefined) return { problem: unknownQuestion(name, htmlNames.has(name)) }
      const problem = checkAnswer(question, given[name])
      if (problem !== null) return { problem }
    }
    const skip = new SkipLogic(table, given)
    for (const question of questions) {
      if (Object.hasOwn(given, question.name) && !skip.shown(question)) {
        return {
          problem: {
            code: 'hidden_by_skip_logic',
            question: question.name,
            message: `question "${question.name}" was hidden by skip logic (${question.visibleIf}) but has an answer`
          }
        }
      }
    }
    return { problem: null, skip, answers: given }
  }

  return {
    questionNames: questions.map((question) => question.name),
    indicatorNames: facts.indicators.map((indicator) => indicator.name),
    dimensionNames: facts.dimensions.map((dimension) => dimension.name),
    freeTextQuestions: questions.filter((question) => question.type === 'text' || question.type === 'comment').map((question) => question.name),
    missingValues: [...facts.missingValues],
    questions,
    question: (name) => byName.get(name),
    isShown: (question, answers) => new SkipLogic(table, answers).shown(question),
    liveSkipLogic: (answers) => new SkipLogic(table, answers),
    validate: (answers) => validateWith(answers).problem,
    deriveFacts: (answers) => deriveFacts(facts, answers, new SkipLogic(table, answers)),
    validateAndDerive: (answers) => {
      const result = validateWith(answers)
      if (result.problem !== null) return { problem: result.problem }
      return { problem: null, facts: deriveFacts(facts, result.answers, result.skip) }
    }
  }
}

/**
 * Walks survey-core's pages, panels and questions alongside the JSON they came from (in the same order), so
 * that each question gets the visibleIf of its page and panels as well as its own. The JSON is needed for
 * `visible: false`: survey-core overwrites `visible` with the result of visibleIf, and a visibleIf overrides
 * a `visible: false` written beside it, so a level is never shown only when it has the flag and no visibleIf.
 */
function walkSurvey (model: Model, survey: JsonObject, infos: ReadonlyMap<string, QuestionInfo>, table: ConditionTable): CompiledQuestion[] {
  const questions: CompiledQuestion[] = []
  let index = 0
  const level = (visibleIf: string | undefined, json: JsonObject, owner: string, inherited: Level): Level => {
    const expression = (visibleIf ?? '').trim()
    const conditions = expression === '' ? inherited.conditions : [...inherited.conditions, table.add(expression, owner)]
    return { conditions, neverShown: inherited.neverShown || (json.visible === false && expression === '') }
  }
  const visit = (container: PanelModelBase, json: JsonObject, inherited: Level): void => {
    const jsonElements = Array.isArray(json.elements) ? json.elements : []
    if (jsonElements.length !== container.elements.length) throw new UnsupportedSurveyError(`"${container.name}": survey-core read a different number of elements than the JSON holds`)
    container.elements.forEach((element, position) => {
      const elementJson = asObject(jsonElements[position])
      if (element instanceof PanelModel) {
        visit(element, elementJson, level(element.visibleIf, elementJson, `panel "${element.name}"`, inherited))
        return
      }
      if (!(element instanceof Question)) throw new UnsupportedSurveyError(`"${element.name}" is neither a panel nor a question`)
      const info = infos.get(element.name)
      if (info === undefined || info.json !== elementJson || info.type !== element.getType()) {
        throw new UnsupportedSurveyError(`question "${element.name}": type "${element.getType()}" is not one the platform allows`)
      }
      const questionIndex = index++
      if (info.type === 'html') return
      refuseUnsupported(info)
      const { conditions, neverShown } = level(element.visibleIf, elementJson, `question "${info.name}"`, inherited)
      const dependsOn = [...new Set(conditions.flatMap((condition) => condition.dependsOn))]
      questions.push({
        name: info.name,
        type: info.type,
        index: questionIndex,
        info,
        ...compileAnswerRules(info, element),
        neverShown,
        conditions,
        visibleIf: combinedVisibleIf(conditions, neverShown),
        dependsOn
      })
    })
  }
  const jsonPages = Array.isArray(survey.pages) ? survey.pages : []
  if (jsonPages.length !== model.pages.length) throw new UnsupportedSurveyError('survey-core read a different number of pages than the JSON holds')
  model.pages.forEach((page, position) => {
    const pageJson = asObject(jsonPages[position])
    visit(page, pageJson, level(page.visibleIf, pageJson, `page "${page.name}"`, { conditions: [], neverShown: false }))
  })
  if (index !== infos.size) throw new UnsupportedSurveyError('survey-core and the JSON do not list the same questions')
  return questions
}

interface Level {
  conditions: readonly CompiledCondition[]
  neverShown: boolean
}

function asObject (value: JsonValue | undefined): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UnsupportedSurveyError('a page or element in the JSON is not an object')
  return value
}
