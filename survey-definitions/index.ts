import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { indicatorMapErrors } from './indicator-map.js'
import type { IndicatorMap } from './indicator-map.js'
import { instrumentErrors, rulesOfVersion } from './instrument.js'
import type { Instrument, VersionRules } from './instrument.js'

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject
export type JsonObject = { [key: string]: JsonValue }

export interface DefinitionFiles {
  survey: string
  indicators: string
  /** The instrument's rules, shared by its versions (survey-definitions/instrument.ts). */
  instrument: string
}

export interface SurveyDefinition {
  slug: string
  version: number
  survey: JsonObject
  indicatorMap: IndicatorMap
  /** This version's rules from the instrument file; not in the checksum, so the published files' hashes stay. */
  rules: VersionRules
  /** sha256 hex of canonicalJson({ survey, indicatorMap }); what publishing compares against the database. */
  checksum: string
  files: DefinitionFiles
}

/** Where a definition's files are expected, whether or not both exist. */
export interface DefinitionLocation {
  slug: string
  version: number
  files: DefinitionFiles
}

// import.meta.dirname arrived in Node 20.11; this form works on every Node 20.
export const definitionsDir = fileURLToPath(new URL('.', import.meta.url))

/** Each instrument folder's rules file (survey-definitions/instrument.ts). */
export const INSTRUMENT_FILE = 'instrument.json'

const definitionFile = /^v([1-9][0-9]*)\.(survey|indicators)\.json$/

/** A definition file that cannot be read or is not what it must be; `problems` lists every reason. */
export class DefinitionLoadError extends Error {
  readonly file: string
  readonly problems: string[]

  constructor (file: string, problems: string[]) {
    super(problems.map((problem) => `${file}: ${problem}`).join('\n'))
    this.name = 'DefinitionLoadError'
    this.file = file
    this.problems = problems
  }
}

/**
 * Every `<slug>/v<N>.survey.json` / `v<N>.indicators.json` pair under dir, sorted by slug then version.
 * A pair is listed when either file exists, so that a missing partner surfaces when it is read.
 */
export function findDefinitions (dir: string = definitionsDir): DefinitionLocation[] {
  const locations = new Map<string, DefinitionLocation>()
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const slug = entry.name
    for (const file of readdirSync(join(dir, slug))) {
      const match = definitionFile.exec(file)
      if (match === null) continue
      const version = Number(match[1])
      const key = `${slug}\u0000${version}`
      if (!locations.has(key)) {
        locations.set(key, {
          slug,
          version,
          files: {
            survey: join(dir, slug, `v${version}.survey.json`),
            indicators: join(dir, slug, `v${version}.indicators.json`),
            instrument: join(dir, slug, INSTRUMENT_FILE)
          }
        })
      }
    }
  }
  return [...locations.values()].sort((a, b) => compareText(a.slug, b.slug) || a.version - b.version)
}

/** Reads and parses one pair; throws DefinitionLoadError naming the file that is missing or wrong. */
export function readDefinition (location: DefinitionLocation): SurveyDefinition {
  const { files } = location
  for (const file of [files.survey, files.indicators]) {
    if (!existsSync(file)) throw new DefinitionLoadError(file, ['file is missing (each version needs both a .survey.json and an .indicators.json)'])
  }
  const survey = readJsonObject(files.survey)
  const indicatorMap = readJsonObject(files.indicators)
  // The loader hands out a typed IndicatorMap, so a map that does not match the schema must not get through.
  const errors = indicatorMapErrors(indicatorMap)
  if (errors.length > 0) throw new DefinitionLoadError(files.indicators, errors.map((error) => `does not match the indicator map schema at ${error}`))
  const map = indicatorMap as IndicatorMap
  return {
    slug: location.slug,
    version: location.version,
    survey,
    indicatorMap: map,
    rules: rulesOfVersion(readInstrument(files.instrument), location.version),
    checksum: definitionChecksum(survey, map),
    files
  }
}

/** Reads an instrument's rules file; throws DefinitionLoadError naming it when it is missing or wrong. */
export function readInstrument (file: string): Instrument {
  if (!existsSync(file)) {
    throw new DefinitionLoadError(file, ['file is missing (each instrument folder needs one: its privacy-check page and headline indicators, see survey-definitions/README.md)'])
  }
  const instrument = readJsonObject(file)
  const errors = instrumentErrors(instrument)
  if (errors.length > 0) throw new DefinitionLoadError(file, errors.map((error) => `does not match the instrument schema at ${error}`))
  return instrument as Instrument
}

/** Every definition under dir, sorted by slug then version; throws on the first one that cannot be loaded. */
export function loadDefinitions (dir: string = definitionsDir): SurveyDefinition[] {
  return findDefinitions(dir).map(readDefinition)
}

export function definitionChecksum (survey: JsonObject, indicatorMap: IndicatorMap): string {
  return createHash('sha256').update(canonicalJson({ survey, indicatorMap })).digest('hex')
}

/**
 * JSON with object keys sorted (by UTF-16 code units) and no whitespace, so the checksum does not change
 * when a file is only reformatted or its keys reordered. Array order is kept: it is meaningful.
 */
export function canonicalJson (value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`)
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => compareText(a, b))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`)
    return `{${entries.join(',')}}`
  }
  throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`)
}

function readJsonObject (file: string): JsonObject {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new DefinitionLoadError(file, [`is not valid JSON: ${error instanceof Error ? error.message : String(error)}`])
  }
  if (!isJsonObject(parsed)) throw new DefinitionLoadError(file, ['must contain a JSON object'])
  return parsed
}

// JSON.parse only yields JSON values, so an object that is not an array is a JsonObject.
function isJsonObject (value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// Plain code-unit order rather than localeCompare, so the order (and the checksum) never depends on the host's locale.
function compareText (a: string, b: string): number {
  if (a < b) return -1
  return a > b ? 1 : 0
}
