import { Model } from 'survey-core'
import { lintSurvey } from 'survey-core/linter'
import { existsSync } from 'node:fs'
import { basename, join } from 'node:path'
import { audioNotes, checkAudio } from './audio-manifest.js'
import { HelpResourcesError, loadHelpResources } from './help-resources.js'
import { DefinitionLoadError, definitionsDir, findDefinitions, readDefinition, readInstrument } from './index.js'
import type { DefinitionFiles, DefinitionLocation, JsonObject, JsonValue, SurveyDefinition } from './index.js'
import { indicatorMapErrors } from './indicator-map.js'
import type { IndicatorMap } from './indicator-map.js'
import { RESPONSE_BREAKDOWNS, VersionRulesSchema } from './instrument.js'
import type { VersionRules } from './instrument.js'
import { Value } from '@sinclair/typebox/value'
import { checkTranslations } from './translation-files.js'
import type { Problem } from './problem.js'
import { CHOICE_TYPES, CODE_PATTERN, FREE_TEXT_TYPES, PREFER_NOT, QUESTION_TYPES, choiceValues, isObject, isQuestionType, listQuestions, walkSurvey } from './questions.js'
import type { QuestionInfo } from './questions.js'

export type { Problem }
// Dimensions are stored as one code per response, so a multi-answer question cannot be one.
const singleAnswerTypes = new Set<string>(['radiogroup', 'dropdown', 'boolean'])

// Each of these either makes a question compulsory, adds free text that freeText cannot list, or adds
// a choice that is not written out in `choices` (so its code and its en/nb text could not be checked).
const forbiddenProperties: Record<string, string> = {
  isRequired: 'every question may be skipped',
  requiredIf: 'every question may be skipped',
  showOtherItem: 'an "other" item adds free text; add a plain "other" choice instead',
  hasOther: 'an "other" item adds free text; add a plain "other" choice instead',
  showCommentArea: 'a comment area adds free text',
  hasComment: 'a comment area adds free text',
  showNoneItem: 'list a "none" choice in choices instead',
  hasNone: 'list a "none" choice in choices instead',
  showSelectAllItem: 'list every choice in choices instead',
  hasSelectAll: 'list every choice in choices instead',
  showRefuseItem: `list a "${PREFER_NOT}" choice in choices instead`,
  showDontKnowItem: 'list the choice in choices instead',
  choicesByUrl: 'choices must be written out so answers can be checked',
  choicesFromQuestion: 'choices must be written out so answers can be checked'
}

// Properties SurveyJS shows to the respondent as text; wherever present they need both languages.
const localizableProperties = [
  'title', 'description', 'html', 'completedHtml', 'completedBeforeHtml', 'loadingHtml',
  'labelTrue', 'labelFalse', 'placeholder', 'completeText', 'pagePrevText', 'pageNextText',
  'startSurveyText', 'previewText', 'editText', 'noneText', 'otherText', 'selectAllText',
  'requiredErrorText', 'navigationTitle', 'navigationDescription'
]
const languages = ['en', 'nb']

const slugPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/

// Reported already, by jsonErrors (unknown property and type) or by the walk below (duplicate names).
const lintRulesReportedElsewhere = { 'property/unknown': 'off', 'element/unknown-type': 'off', 'name/duplicate': 'off' } as const

/**
 * Everything `npm run definitions:check` enforces for one definition; [] means it may be published.
 *
 * Booleans are exempt from the prefer_not rule: their answer is true or false and SurveyJS has no third
 * value, so "prefer not to say" on a boolean is skipping it (never required, counted as missing). Because
 * an indicator condition compares codes, a boolean can only appear in one if it sets string
 * valueTrue/valueFalse codes. The first instrument uses yes/no/prefer_not radiogroups instead.
 */
export function checkDefinition (def: SurveyDefinition): Problem[] {
  const problems: Problem[] = []
  problems.push(...surveyCoreProblems(def.survey, def.files.survey))
  const walk = checkSurvey(def.survey, def.files.survey)
  problems.push(...walk.problems)
  if (!slugPattern.test(def.slug)) {
    problems.push({ file: def.files.survey, problem: `folder name "${def.slug}" is not a lower-case slug (letters, digits and single hyphens)` })
  }
  problems.push(...checkIndicatorMap(def.indicatorMap, walk, def.files))
  problems.push(...checkRules(def))
  return problems
}

/**
 * The instrument's rules as this version resolves them (survey-definitions/instrument.ts): the privacy
 * check must come before a page the version has, or the kiosk would never ask it; a headline indicator
 * must be in the version's map and a response breakdown among its dimensions, or a release would lead
 * with a table the version cannot fill.
 */
function checkRules (def: SurveyDefinition): Problem[] {
  const file = def.files.instrument
  const where = `(for ${def.slug} v${def.version})`
  const surveyFile = basename(def.files.survey)
  const indicatorsFile = basename(def.files.indicators)
  // Uploads bring their rules from outside the loader, so the shape is checked here too.
  if (!Value.Check(VersionRulesSchema, def.rules)) return [{ file, problem: `the rules ${where} do not match the instrument schema` }]
  const rules: VersionRules = def.rules
  const problems: Problem[] = []
  const pages = Array.isArray(def.survey.pages) ? def.survey.pages : []
  const pageNames = pages.map((page) => (isObject(page) && typeof page.name === 'string' ? page.name : undefined))
  if (!pageNames.includes(rules.privacyCheckBefore)) {
    problems.push({
      file,
      problem: `privacyCheckBefore names page "${rules.privacyCheckBefore}", which ${surveyFile} does not have ${where}; ` +
        `state the page of this version under versions.${def.version}.privacyCheckBefore`,
    })
  }
  for (const name of rules.headline.indicators) {
    if (def.indicatorMap.indicators[name] === undefined) {
      problems.push({ file, problem: `headline indicator "${name}" is not in ${indicatorsFile} ${where}; state this version's under versions.${def.version}.headline` })
    }
  }
  for (const dimension of new Set(rules.headline.breakdowns.flat())) {
    if (RESPONSE_BREAKDOWNS.has(dimension) && def.indicatorMap.dimensions[dimension] === undefined) {
      problems.push({ file, problem: `headline breakdown "${dimension}" is not a dimension of ${indicatorsFile} ${where}` })
    }
  }
  return problems
}

export interface DefinitionReport {
  slug: string
  version: number
  files: DefinitionFiles
  /** Undefined when the files could not be loaded; the reasons are then in problems. */
  definition?: SurveyDefinition
  questionCount: number
  indicatorCount: number
  problems: Problem[]
  /** What the check says without failing: a translation that will have no read-aloud (audioNotes). */
  notes: Problem[]
}

export interface DirCheck {
  reports: DefinitionReport[]
  /** Every problem, including those of the folder itself (unreadable, or holding no definitions). */
  problems: Problem[]
}

/** Loads and checks every definition under dir; a definition that cannot be loaded becomes problems, not a throw. */
export function checkDefinitionsDir (dir: string = definitionsDir): DirCheck {
  let locations: DefinitionLocation[]
  try {
    locations = findDefinitions(dir)
  } catch (error) {
    return { reports: [], problems: [{ file: dir, problem: `cannot read the folder: ${errorMessage(error)}` }] }
  }
  const reports = locations.map((location): DefinitionReport => {
    const base = { slug: location.slug, version: location.version, files: location.files }
    try {
      const definition = readDefinition(location)
      return {
        ...base,
        definition,
        questionCount: listQuestions(definition.survey).filter((question) => question.type !== 'html').length,
        indicatorCount: Object.keys(definition.indicatorMap.indicators).length,
        // Every translation complete (survey-definitions/languages.ts); the read-aloud clips still read this
        // definition's texts (survey-definitions/audio-manifest.ts).
        problems: [...checkDefinition(definition), ...checkTranslations(definition.survey, definition.files.survey, definition.version).problems, ...checkAudio(definition)],
        notes: audioNotes(definition),
      }
    } catch (error) {
      const problems = error instanceof DefinitionLoadError
        ? error.problems.map((problem) => ({ file: error.file, problem }))
        : [{ file: location.files.survey, problem: `cannot be loaded: ${errorMessage(error)}` }]
      return { ...base, questionCount: 0, indicatorCount: 0, problems, notes: [] }
    }
  })
  for (const problem of unknownVersionProblems(locations)) {
    // Reported with the instrument's first version, so that it is no longer "OK".
    reports.find((report) => report.files.instrument === problem.file)?.problems.push(problem)
  }
  const problems = reports.flatMap((report) => report.problems)
  if (reports.length === 0) problems.push({ file: dir, problem: 'holds no <slug>/v<N>.survey.json definitions' })
  problems.push(...helpResourcesFileProblems(join(dir, 'help-resources.json')))
  return { reports, problems }
}

/** An instrument file stating rules for a version that has no files is a typo (or a version not written yet). */
function unknownVersionProblems (locations: readonly DefinitionLocation[]): Problem[] {
  const problems: Problem[] = []
  for (const slug of new Set(locations.map((location) => location.slug))) {
    const ofSlug = locations.filter((location) => location.slug === slug)
    const file = ofSlug[0]?.files.instrument
    if (file === undefined) continue
    let stated: string[]
    try {
      stated = Object.keys(readInstrument(file).versions ?? {})
    } catch {
      continue // reported with each version already
    }
    const versions = new Set(ofSlug.map((location) => String(location.version)))
    for (const version of stated.filter((v) => !versions.has(v))) {
      problems.push({ file, problem: `versions.${version} states rules for ${slug} v${version}, which has no v${version}.survey.json` })
    }
  }
  return problems
}

/** The kiosk's help resources, when the folder has them (survey-definitions/ must: the API serves them). */
function helpResourcesFileProblems (file: string): Problem[] {
  if (!existsSync(file)) return []
  try {
    loadHelpResources(file)
    return []
  } catch (error) {
    return error instanceof HelpResourcesError
      ? error.problems.map((problem) => ({ file, problem }))
      : [{ file, problem: `cannot be loaded: ${errorMessage(error)}` }]
  }
}

interface SurveyWalk {
  questions: QuestionInfo[]
  /** Names of questions already reported for a type the platform does not allow. */
  rejected: Set<string>
  problems: Problem[]
}

function checkSurvey (survey: JsonObject, file: string): SurveyWalk {
  const problems: Problem[] = []
  const report = (problem: string, question?: string): void => {
    problems.push(question === undefined ? { file, problem } : { file, question, problem })
  }

  if (survey.clearInvisibleValues !== 'onHidden') report('clearInvisibleValues must be "onHidden" (the server refuses answers to hidden questions)')
  if (survey.title === undefined) report('the survey has no title')
  for (const message of localizedTextProblems(survey)) report(`survey ${message}`)

  const rejected = new Set<string>()
  const seen = new Set<string>()
  walkSurvey(survey, {
    malformed: (problem) => { report(problem) },
    container: (container, where) => {
      for (const message of forbiddenProblems(container)) report(`${where}: ${message}`)
      for (const message of localizedTextProblems(container)) report(`${where}: ${message}`)
    },
    element: (element, where) => {
      const name = typeof element.name === 'string' && element.name !== '' ? element.name : undefined
      const at = name ?? where
      const type = typeof element.type === 'string' ? element.type : undefined
      if (name === undefined) report(`${where}: a question has no name`)
      else if (seen.has(name)) report('the question name is used more than once', name)
      else seen.add(name)
      if (!isQuestionType(type)) {
        report(`question type "${String(type)}" is not allowed (allowed: ${[...QUESTION_TYPES].join(', ')})`, at)
        if (name !== undefined) rejected.add(name)
        return
      }
      for (const message of forbiddenProblems(element)) report(message, at)
      for (const message of localizedTextProblems(element)) report(message, at)
      if (type === 'html') {
        if (element.html === undefined) report('an html element has no html', at)
      } else if (element.title === undefined) {
        report('the question has no title (SurveyJS would show its name)', at)
      }
      if (type === 'boolean') {
        for (const key of ['labelTrue', 'labelFalse']) {
          if (element[key] === undefined) report(`a boolean needs ${key} in en and nb`, at)
        }
      }
      if (CHOICE_TYPES.has(type)) choiceProblems(element, (message) => report(message, at))
    },
  })
  const questions = listQuestions(survey)
  return { questions, rejected, problems }
}

function surveyCoreProblems (survey: JsonObject, file: string): Problem[] {
  const problems: Problem[] = []
  try {
    // jsonErrors is null, not [], when there is nothing to report.
    for (const error of new Model(survey).jsonErrors ?? []) {
      const owner: unknown = error.jsonObj
      const name = isObject(owner) && typeof owner.name === 'string' ? owner.name : undefined
      const problem = `survey-core: ${error.message}`
      problems.push(name === undefined ? { file, problem } : { file, question: name, problem })
    }
    // The linter catches what jsonErrors does not: broken expressions, references to unknown
    // questions, values compared with choices that do not exist, duplicate names.
    for (const finding of lintSurvey(survey, { rules: lintRulesReportedElsewhere }).findings) {
      if (finding.severity === 'info') continue
      const problem = `survey-core lint ${finding.ruleId}: ${finding.message}`
      problems.push(finding.elementName === undefined ? { file, problem } : { file, question: finding.elementName, problem })
    }
  } catch (error) {
    problems.push({ file, problem: `survey-core cannot load the survey: ${errorMessage(error)}` })
  }
  return problems
}

function forbiddenProblems (element: JsonObject): string[] {
  return Object.entries(forbiddenProperties)
    .filter(([key]) => element[key] !== undefined && element[key] !== false)
    .map(([key, why]) => `${key} is not allowed: ${why}`)
}

function localizedTextProblems (element: JsonObject): string[] {
  return localizableProperties
    .filter((key) => element[key] !== undefined)
    .flatMap((key) => localizedProblems(element[key]).map((message) => `${key} ${message}`))
}

function localizedProblems (text: JsonValue | undefined): string[] {
  if (!isObject(text)) return ['must be an object with "en" and "nb" texts']
  return languages
    .filter((language) => {
      const value = text[language]
      return typeof value !== 'string' || value.trim() === ''
    })
    .map((language) => `has no ${language} text`)
}

/** Reports what is wrong with a choice question's choices (the codes themselves: choiceValues). */
function choiceProblems (question: JsonObject, report: (message: string) => void): void {
  const choices = question.choices
  if (!Array.isArray(choices) || choices.length === 0) {
    report('has no choices')
    return
  }
  const seen: string[] = []
  for (const choice of choices) {
    if (!isObject(choice)) {
      report(`choice ${JSON.stringify(choice)} has no en/nb text (write it as { "value": ..., "text": { "en": ..., "nb": ... } })`)
      continue
    }
    const value = choice.value
    if (typeof value !== 'string' || !CODE_PATTERN.test(value)) {
      report(`choice value ${JSON.stringify(value)} is not a lower-case snake_case code`)
      continue
    }
    if (seen.includes(value)) report(`choice value "${value}" is used more than once`)
    seen.push(value)
    if (choice.text === undefined) report(`choice "${value}" has no en/nb text`)
    else for (const message of localizedProblems(choice.text)) report(`choice "${value}" text ${message}`)
  }
  if (!choiceValues(question).includes(PREFER_NOT)) report(`has no "${PREFER_NOT}" choice (every answerable question offers "Prefer not to say")`)
}

function checkIndicatorMap (map: IndicatorMap, { questions, rejected }: SurveyWalk, files: DefinitionFiles): Problem[] {
  const file = files.indicators
  const schemaErrors = indicatorMapErrors(map)
  // Definitions may also come from the database, not only through the loader, so validate again here;
  // the rules below assume the shape, so they wait until it is right.
  if (schemaErrors.length > 0) return schemaErrors.map((error) => ({ file, problem: `does not match the indicator map schema at ${error}` }))

  const problems: Problem[] = []
  const byName = new Map(questions.map((question) => [question.name, question]))
  const missing = new Set(map.missingValues)
  if (!missing.has(PREFER_NOT)) problems.push({ file, problem: `missingValues must include "${PREFER_NOT}"` })

  const checkValues = (owner: string, questionName: string, values: string[], types: Set<string>): void => {
    const question = byName.get(questionName)
    // Its type was already reported; saying it "does not exist" as well would only mislead.
    if (rejected.has(questionName)) return
    if (question === undefined) {
      problems.push({ file, question: questionName, problem: `${owner} names a question that does not exist` })
      return
    }
    if (!types.has(question.type)) {
      problems.push({ file, question: questionName, problem: `${owner} cannot use a ${question.type} question` })
      return
    }
    if (question.type === 'boolean' && question.values.length === 0) {
      problems.push({ file, question: questionName, problem: `${owner} uses a boolean without string valueTrue/valueFalse codes` })
      return
    }
    for (const value of values) {
      if (missing.has(value)) {
        problems.push({ file, question: questionName, problem: `${owner} uses "${value}", which is a missing-value code` })
      } else if (!question.values.includes(value)) {
        problems.push({ file, question: questionName, problem: `${owner} uses "${value}", which is not a choice of the question (choices: ${question.values.join(', ')})` })
      }
    }
  }

  for (const [name, dimension] of Object.entries(map.dimensions)) {
    checkValues(`dimension "${name}"`, dimension.question, dimension.values, singleAnswerTypes)
  }
  if (map.attendance !== undefined) {
    const { visits, repeat } = map.attendance
    checkValues('attendance "visits"', visits.question, Object.keys(visits.values), singleAnswerTypes)
    checkValues('attendance "repeat"', repeat.question, repeat.values, singleAnswerTypes)
  }
  const answerable = new Set([...CHOICE_TYPES, 'boolean'])
  for (const [name, rule] of Object.entries(map.indicators)) {
    for (const condition of rule.anyOf) checkValues(`indicator "${name}"`, condition.question, condition.values, answerable)
  }

  const listed = new Set(map.freeText)
  for (const name of listed) {
    const question = byName.get(name)
    if (question === undefined || !FREE_TEXT_TYPES.has(question.type)) {
      problems.push({ file, question: name, problem: 'freeText lists a question that is not a text or comment question' })
    }
  }
  for (const question of questions) {
    if (FREE_TEXT_TYPES.has(question.type) && !listed.has(question.name)) {
      problems.push({ file: files.survey, question: question.name, problem: `a ${question.type} question is free text and must be listed under freeText in the indicator map` })
    }
  }
  return problems
}

function errorMessage (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
