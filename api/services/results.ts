import type { Kysely } from 'kysely'
import { AnalysisInputError } from '../../analysis/errors.js'
import { RESULTS_METHODS, buildResultsTable, isDesignMethod } from '../../analysis/results-table.js'
import type { ResultRow, ResultsMethod } from '../../analysis/results-table.js'
import type { Database } from '../db/database.js'
import {
  RESULT_DIMENSIONS, SITE_DIMENSIONS, countCellsBySite, findIndicators, findResultsWaves, indicatorsOfSurveyVersions,
  isResultDimension, isSiteDimension,
} from '../db/queries/results.js'
import type { IndicatorRef, ResultDimension, SiteDimension } from '../db/queries/results.js'
import { AppError } from '../errors.js'
import { UUID_PATTERN } from '../schemas/common.js'
import { clusterCellRows, parseRepeatPolicy, parseWeighting } from './attendance-weights.js'

export interface ResultsRequest {
  /** Comma-separated lists, as the query string has them. */
  waves: string
  indicators?: string | undefined
  /** One breakdown per table, each a comma-separated list; none or [''] for the overall figure. */
  by?: readonly string[] | undefined
  method?: string | undefined
  strata?: string | undefined
  level?: number | undefined
  k?: number | undefined
  /** 'none' (default) or 'attendance' (design-based methods only). */
  weights?: string | undefined
  /** Respondents who said they had already answered in this round: 'exclude' (default) or 'include'. */
  repeats?: string | undefined
}

/** What survey-definitions/indicator-map.ts allows an indicator to be called. */
const INDICATOR_NAME = /^[a-z][a-z0-9_]*$/
const list = (text: string | undefined): string[] =>
  [...new Set((text ?? '').split(',').map((item) => item.trim()).filter((item) => item !== ''))]
const quoted = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ')
const badRequest = (message: string): AppError => new AppError(400, 'bad_request', message)

/**
 * The rows of `GET /api/results`: checks every name in the request (waves, indicators, dimensions,
 * method, strata) and refuses an unknown one by name, counts the waves' facts per site and cell of
 * all the breakdowns' dimensions in one grouped query, and builds every table (indicator ×
 * breakdown) with disclosure control across all of them (always on here).
 * @throws {AppError} 400 naming an unknown indicator, dimension, method or option; 404 naming a wave that does not exist
 */
export async function computeResults (db: Kysely<Database>, request: ResultsRequest): Promise<ResultRow[]> {
  const method = parseMethod(request.method)
  const breakdowns = parseBreakdowns(request.by)
  const dimensions = [...new Set(breakdowns.flat())]
  const stratum = parseStratum(request.strata, method)
  const weighting = parseWeighting(request.weights)
  if (weighting === 'attendance' && !isDesignMethod(method)) throw badRequest(`weights=attendance needs a design-based method (cluster, korn-graubard), not ${method}`)
  const answeredBefore = parseRepeatPolicy(request.repeats)
  const waveIds = await checkedWaves(db, request.waves)
  const indicators = await checkedIndicators(db, request.indicators, waveIds.versionIds)

  const counts = await countCellsBySite(db, {
    waveIds: waveIds.ids, indicators, dimensions, byVisits: weighting === 'attendance', answeredBefore, ...(stratum === undefined ? {} : { stratum }),
  })
  const strata = stratum === undefined ? undefined : Object.fromEntries(counts.map((row) => [row.site, row.stratum ?? '']))
  try {
    return buildResultsTable({
      indicators: indicators.map((indicator) => indicator.name),
      breakdowns,
      rows: clusterCellRows(counts, weighting),
      method,
      weighted: weighting === 'attendance',
      ...(request.level === undefined ? {} : { level: request.level }),
      ...(request.k === undefined ? {} : { k: request.k }),
      ...(strata === undefined ? {} : { strata }),
    })
  } catch (error) {
    // The names and options were checked above; what is left is a level or k out of range.
    if (error instanceof AnalysisInputError) throw badRequest(error.message)
    throw error
  }
}

function parseMethod (text: string | undefined): ResultsMethod {
  const method = text ?? 'wilson'
  if (!(RESULTS_METHODS as readonly string[]).includes(method)) {
    throw new AppError(400, 'unknown_method', `unknown method "${method}": use ${RESULTS_METHODS.join(', ')}`)
  }
  return method as ResultsMethod
}

function parseBreakdowns (texts: readonly string[] | undefined): ResultDimension[][] {
  const breakdowns = (texts === undefined || texts.length === 0 ? [''] : texts).map(parseDimensions)
  const keys = breakdowns.map((dims) => [...dims].sort().join(','))
  const twice = keys.find((key, i) => keys.indexOf(key) !== i)
  if (twice !== undefined) throw badRequest(`the breakdown by [${twice}] is requested twice`)
  return breakdowns
}

function parseDimensions (text: string): ResultDimension[] {
  const names = text.split(',').map((item) => item.trim()).filter((item) => item !== '')
  const unknown = names.filter((name) => !isResultDimension(name))
  if (unknown.length > 0) {
    throw new AppError(400, 'unknown_dimension', `unknown dimension ${quoted(unknown)} in by: use any of ${RESULT_DIMENSIONS.join(', ')}`)
  }
  const repeated = names.filter((name, i) => names.indexOf(name) !== i)
  if (repeated.length > 0) throw badRequest(`dimension ${quoted(repeated)} is named twice in by=${text}`)
  return names as ResultDimension[]
}

function parseStratum (text: string | undefined, method: ResultsMethod): SiteDimension | undefined {
  if (text === undefined || text === '') return undefined
  if (!isSiteDimension(text)) {
    throw new AppError(400, 'unknown_dimension', `unknown strata dimension "${text}": strata are a site dimension, one of ${SITE_DIMENSIONS.join(', ')}`)
  }
  if (!isDesignMethod(method)) throw badRequest(`strata apply to the design-based methods (cluster, korn-graubard) only, not ${method}`)
  return text
}

async function checkedWaves (db: Kysely<Database>, text: string): Promise<{ ids: string[], versionIds: number[] }> {
  const ids = list(text).map((id) => id.toLowerCase())
  if (ids.length === 0) throw badRequest('waves must name at least one wave id')
  const malformed = ids.filter((id) => !UUID_PATTERN.test(id))
  if (malformed.length > 0) throw new AppError(404, 'wave_not_found', `wave ${quoted(malformed)} does not exist (a wave id is a UUID)`)
  const found = await findResultsWaves(db, ids)
  const missing = ids.filter((id) => !found.some((wave) => wave.id === id))
  if (missing.length > 0) throw new AppError(404, 'wave_not_found', `wave ${quoted(missing)} does not exist`)
  return { ids, versionIds: [...new Set(found.map((wave) => wave.surveyVersionId))] }
}

async function checkedIndicators (db: Kysely<Database>, text: string | undefined, versionIds: readonly number[]): Promise<IndicatorRef[]> {
  const names = list(text)
  if (names.length === 0) {
    const all = await indicatorsOfSurveyVersions(db, versionIds)
    if (all.length === 0) throw badRequest('the waves\' survey versions define no indicators')
    return all
  }
  // Only a well-formed name can be in the table; others (a NUL among them, which PostgreSQL refuses as text
  // and answered with a 500, found by fuzzing) are unknown without asking the database.
  const found = await findIndicators(db, names.filter((name) => INDICATOR_NAME.test(name)))
  const unknown = names.filter((name) => !found.has(name))
  if (unknown.length > 0) throw new AppError(400, 'unknown_indicator', `unknown indicator ${quoted(unknown)}: no published survey version defines it`)
  return names.map((name) => found.get(name) as IndicatorRef)
}
