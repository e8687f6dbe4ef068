import type { Kysely } from 'kysely'
import { checkDefinition } from '../../survey-definitions/check.js'
import { loadDefinitions } from '../../survey-definitions/index.js'
import type { SurveyDefinition } from '../../survey-definitions/index.js'
import type { Database } from '../db/database.js'
import { publishSurveyVersion } from '../db/queries/survey-versions.js'
import type { PublishOutcome } from '../db/queries/survey-versions.js'

export class DefinitionRejectedError extends Error {
  override name = 'DefinitionRejectedError'
}

export interface PublishResult {
  slug: string
  version: number
  outcome: PublishOutcome
}

/**
 * Publishes every definition in the folder that is not in the database yet. A definition that fails
 * `definitions:check`, or that changed under a published version number, stops the run with its reason.
 */
export async function publishDefinitions (db: Kysely<Database>, definitions: SurveyDefinition[] = loadDefinitions()): Promise<PublishResult[]> {
  for (const def of definitions) {
    const problems = checkDefinition(def)
    if (problems.length > 0) {
      throw new DefinitionRejectedError(problems.map((p) => `${p.file}: ${p.question === undefined ? '' : `question ${p.question}: `}${p.problem}`).join('\n'))
    }
  }
  const results: PublishResult[] = []
  for (const def of definitions) {
    results.push({ slug: def.slug, version: def.version, outcome: await publishSurveyVersion(db, def) })
  }
  return results
}
