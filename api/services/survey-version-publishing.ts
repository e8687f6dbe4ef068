import { join, relative } from 'node:path'
import type { Kysely } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database } from '../db/database.js'
import { findSurveyVersionId, publishedChecksums } from '../db/queries/console-survey-versions.js'
import { publishSurveyVersionIn } from '../db/queries/survey-versions.js'
import type { PublishOutcome } from '../db/queries/survey-versions.js'
import { AppError } from '../errors.js'
import type { DefinitionProblem } from '../schemas/survey-versions.js'
import { recordAudit } from './audit-log.js'
import { checkDefinition } from '../../survey-definitions/check.js'
import { DefinitionLoadError, definitionChecksum, definitionsDir, findDefinitions, readDefinition } from '../../survey-definitions/index.js'
import type { JsonObject, SurveyDefinition } from '../../survey-definitions/index.js'
import { indicatorMapErrors } from '../../survey-definitions/indicator-map.js'
import type { IndicatorMap } from '../../survey-definitions/indicator-map.js'

/** A definition that fails `definitions:check`: every problem, each naming its file and question. */
export class DefinitionInvalidError extends Error {
  override name = 'DefinitionInvalidError'
  constructor (readonly problems: DefinitionProblem[]) {
    super(problems.map(formatProblem).join('; '))
  }
}

export function formatProblem ({ file, question, problem }: DefinitionProblem): string {
  return question === undefined ? `${file}: ${problem}` : `${file}: question ${question}: ${problem}`
}

/**
 * An uploaded definition in the shape the loader gives, named as if it were the files
 * `<slug>/v<N>.survey.json` and `v<N>.indicators.json`, so that problems name a file as the CLI's do.
 * @throws {DefinitionInvalidError} when the indicator map does not match its schema
 */
export function uploadedDefinition (slug: string, version: number, survey: Record<string, unknown>, indicatorMap: Record<string, unknown>): SurveyDefinition {
  const files = { survey: `${slug}/v${version}.survey.json`, indicators: `${slug}/v${version}.indicators.json` }
  const mapErrors = indicatorMapErrors(indicatorMap)
  if (mapErrors.length > 0) throw new DefinitionInvalidError(mapErrors.map((error) => ({ file: files.indicators, problem: `does not match the indicator map schema at ${error}` })))
  // Both came from JSON.parse, so they hold JSON values only.
  const surveyJson = survey as JsonObject
  const map = indicatorMap as IndicatorMap
  return { slug, version, survey: surveyJson, indicatorMap: map, checksum: definitionChecksum(surveyJson, map), files }
}

/**
 * One definition from survey-definitions/ (or `dir`).
 * @throws {AppError} 404 when the folder has no such version; {DefinitionInvalidError} when it cannot be read
 */
export function shippedDefinition (slug: string, version: number, dir?: string): SurveyDefinition {
  const location = findDefinitions(dir).find((entry) => entry.slug === slug && entry.version === version)
  if (location === undefined) throw new AppError(404, 'not_found', `survey-definitions/ has no ${slug} v${version}`)
  try {
    const def = readDefinition(location)
    return { ...def, files: { survey: shownPath(def.files.survey), indicators: shownPath(def.files.indicators) } }
  } catch (error) {
    if (error instanceof DefinitionLoadError) throw new DefinitionInvalidError(error.problems.map((problem) => ({ file: shownPath(error.file), problem })))
    throw error
  }
}

/** A file as the repository names it ('survey-definitions/hverdag/v1.survey.json'): answers never carry a server path. */
function shownPath (file: string): string {
  return join('survey-definitions', relative(definitionsDir, file))
}

export interface Published {
  outcome: PublishOutcome
  id: number
}

/**
 * Runs exactly the checks of `npm run definitions:check` (checkDefinition), then publishes and records it
 * in the audit log in one transaction (an unchanged re-publication is a no-op and not recorded).
 * @throws {DefinitionInvalidError} naming every problem; {AppError} 409 when the number is taken by other content
 */
export async function publishChecked (db: Kysely<Database>, def: SurveyDefinition, actor: Account, source: 'survey-definitions' | 'upload'): Promise<Published> {
  const problems = checkDefinition(def)
  if (problems.length > 0) throw new DefinitionInvalidError(problems)
  const outcome = await db.transaction().execute(async (trx) => {
    const result = await publishSurveyVersionIn(trx, def)
    if (result === 'published') {
      const id = await findSurveyVersionId(trx, def.slug, def.version)
      await recordAudit(trx, {
        actor,
        action: 'survey_version.publish',
        objectType: 'survey_version',
        objectId: String(id),
        detail: { slug: def.slug, version: def.version, checksum: def.checksum, source },
      })
    }
    return result
  })
  const id = await findSurveyVersionId(db, def.slug, def.version)
  if (id === undefined) throw new Error(`${def.slug} v${def.version} was published but cannot be found`)
  return { outcome, id }
}

export interface AvailableDefinition {
  slug: string
  version: number
  status: 'new' | 'published' | 'changed' | 'invalid'
  checksum?: string
  problems: DefinitionProblem[]
}

/** The definitions in survey-definitions/ and how each stands against the database. */
export async function availableDefinitions (db: Kysely<Database>, dir?: string): Promise<AvailableDefinition[]> {
  const published = await publishedChecksums(db)
  return findDefinitions(dir).map((location): AvailableDefinition => {
    const base = { slug: location.slug, version: location.version }
    let def: SurveyDefinition
    try {
      def = readDefinition(location)
    } catch (error) {
      if (!(error instanceof DefinitionLoadError)) throw error
      return { ...base, status: 'invalid', problems: error.problems.map((problem) => ({ file: shownPath(error.file), problem })) }
    }
    const stored = published.get(`${def.slug}/${def.version}`)
    if (stored !== undefined) return { ...base, checksum: def.checksum, status: stored === def.checksum ? 'published' : 'changed', problems: [] }
    const problems = checkDefinition(def).map((problem) => ({ ...problem, file: shownPath(problem.file) }))
    return { ...base, checksum: def.checksum, status: problems.length > 0 ? 'invalid' : 'new', problems }
  })
}
