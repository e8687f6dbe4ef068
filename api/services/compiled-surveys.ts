import type { Kysely } from 'kysely'
import { compileSurvey } from '../intake/compile-survey.js'
import type { CompiledSurvey } from '../intake/compile-survey.js'
import type { Database } from '../db/database.js'
import { findSurveyVersionById, indicatorOrdinals } from '../db/queries/survey-versions.js'
import { findWaveSurveyVersionId } from '../db/queries/waves.js'

export interface CompiledVersion {
  surveyVersionId: number
  survey: CompiledSurvey
  /** For each of survey.indicatorNames, its index in response_facts.indicator_values. */
  ordinals: number[]
}

/**
 * Survey versions are immutable once published, so each is compiled once per process and kept: building a
 * survey-core model per request would cap intake at a few hundred responses a second (measured: about 22 ms per response for a new Model and validate()).
 */
export class CompiledSurveyCache {
  readonly #versions = new Map<number, Promise<CompiledVersion>>()
  /** Wave id → its survey version id. Intake re-checks the pair in SQL, so a stale entry is caught, not trusted. */
  readonly #waves = new Map<string, number>()

  constructor (private readonly db: Kysely<Database>) {}

  /** The compiled survey version of a wave; undefined when there is no such wave. */
  async forWave (waveId: string): Promise<CompiledVersion | undefined> {
    let versionId = this.#waves.get(waveId)
    if (versionId === undefined) {
      versionId = await findWaveSurveyVersionId(this.db, waveId)
      if (versionId === undefined) return undefined
      this.#waves.set(waveId, versionId)
    }
    return await this.get(versionId)
  }

  forgetWave (waveId: string): void {
    this.#waves.delete(waveId)
  }

  get (surveyVersionId: number): Promise<CompiledVersion> {
    let version = this.#versions.get(surveyVersionId)
    if (version === undefined) {
      version = this.#compile(surveyVersionId)
      // A failed load (say the database was away) must not stay cached.
      version.catch(() => this.#versions.delete(surveyVersionId))
      this.#versions.set(surveyVersionId, version)
    }
    return version
  }

  async #compile (surveyVersionId: number): Promise<CompiledVersion> {
    const row = await findSurveyVersionById(this.db, surveyVersionId)
    if (row === undefined) throw new Error(`survey version ${surveyVersionId} does not exist`)
    const survey = compileSurvey({ survey: row.definition, indicatorMap: row.indicator_map })
    const known = await indicatorOrdinals(this.db, survey.indicatorNames)
    const ordinals = survey.indicatorNames.map((name) => {
      const ordinal = known.get(name)
      if (ordinal === undefined) throw new Error(`indicator ${name} of survey version ${surveyVersionId} is not registered`)
      return ordinal
    })
    return { surveyVersionId, survey, ordinals }
  }
}

/** Facts as stored: indicator values placed at their ordinals, null where this version has no such indicator. */
export function indicatorValueArray (version: CompiledVersion, values: Record<string, boolean | null>): Array<boolean | null> {
  const array: Array<boolean | null> = new Array<boolean | null>(Math.max(0, ...version.ordinals)).fill(null)
  version.survey.indicatorNames.forEach((name, index) => {
    array[(version.ordinals[index] ?? 0) - 1] = values[name] ?? null
  })
  return array
}
