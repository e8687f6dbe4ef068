import type { Kysely } from 'kysely'
import { FLAT_DESIGN_COLUMNS, FLAT_DIMENSION_COLUMNS, formatCsvRow } from '../../analysis/flat-file.js'
import { multiplicityWeight } from '../../analysis/weighted-design-proportion.js'
import type { FlatFileFormat } from '../../analysis/flat-file.js'
import type { Database } from '../db/database.js'
import { findWaveExportSource, streamMicrodata } from '../db/queries/microdata.js'
import type { MicrodataRow, WaveExportSource } from '../db/queries/microdata.js'
import { createDtaWriter } from '../stat-files/dta-writer.js'
import { createSavWriter } from '../stat-files/sav-writer.js'
import { MULTIPLE_SEPARATOR, buildCodebook, exportedQuestions } from './codebook.js'
import type { CodebookSource, ExportedQuestion } from './codebook.js'
import { codebookTranslations } from './codebook-languages.js'
import { planStatVariables, rowEncoder, statDictionary } from './stat-variables.js'
import type { Language } from './stat-variables.js'
import type { StatCell, StatDictionary } from '../stat-files/dictionary.js'
import type { Codebook } from '../schemas/exports.js'
import { notFound } from '../errors.js'

export type { WaveExportSource }

/** A wave's export source with its version's translations (codebook-languages.ts), whose labels the codebook adds. */
export type ExportSource = WaveExportSource & Required<Pick<CodebookSource, 'translations'>>

/** What every export of a wave is built from: its survey version, indicators and the version's translations. @throws {AppError} 404 */
export async function waveExportSource (db: Kysely<Database>, waveId: string): Promise<ExportSource> {
  const found = await findWaveExportSource(db, waveId)
  if (found === undefined) throw notFound(`wave ${waveId}`)
  return { ...found, translations: await codebookTranslations(db, found.version.id) }
}

export interface MicrodataOptions {
  format: FlatFileFormat
  /** Free-text answers too (anonymity rule 4: only when a researcher asks). */
  freeText: boolean
  batchSize?: number
}

/**
 * Writes a wave's anonymised microdata: one row per response in a fresh random order, the flat format
 * `npm run analyze` reads (dimension columns, the weight `w` and `answered_before`, then one 1/0/empty column
 * per indicator) followed by each
 * exported question's coded answer as `q_<question>`. Never a response id, a device or a date.
 * @param write receives the text in order, a batch at a time; its promise is awaited (back-pressure)
 */
export async function writeMicrodata (
  db: Kysely<Database>,
  source: WaveExportSource,
  options: MicrodataOptions,
  write: (chunk: string) => void | Promise<void>
): Promise<{ columns: string[], rows: number }> {
  const columns = microdataColumns(source, options.freeText)
  const line = options.format === 'csv'
    ? (cells: MicrodataCell[]) => `${formatCsvRow(cells.map((cell) => cell === null ? '' : String(cell)))}\n`
    : (cells: MicrodataCell[]) => `${JSON.stringify(Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? null])))}\n`
  if (options.format === 'csv') await write(`${formatCsvRow(columns)}\n`)
  const rows = await streamMicrodataCells(db, source, options, async (batch) => { await write(batch.map(line).join('')) })
  return { columns, rows }
}

/** A wave's SPSS or Stata file, planned and checked before its first byte. */
export interface PreparedStatFile {
  format: 'sav' | 'dta'
  codebook: Codebook
  dictionary: StatDictionary
  encode: (cells: readonly string[]) => StatCell[]
}

/**
 * Plans the variables of a wave's SPSS or Stata file from its codebook, labelled in one language
 * (`planStatVariables`; never free text), and checks that the format can hold them.
 * @throws {Error} naming the variable the format cannot hold (a name too long for Stata, say)
 */
export function prepareStatFile (source: CodebookSource, format: 'sav' | 'dta', language: Language): PreparedStatFile {
  const codebook = buildCodebook(source, false)
  const planned = planStatVariables(codebook, language)
  const dictionary = statDictionary(codebook, planned)
  if (format === 'sav') createSavWriter(dictionary, 0)
  else createDtaWriter(dictionary, 0)
  return { format, codebook, dictionary, encode: rowEncoder(codebook, planned) }
}

/**
 * Writes the wave's rows, in the CSV's shuffled order, as an SPSS system file or a Stata .dta file. Rows are
 * written as they are read; the number of rows, which both headers hold, is counted in the snapshot the
 * rows are read from.
 * @param write receives the bytes in order; its promise is awaited (back-pressure)
 */
export async function writeStatFile (
  db: Kysely<Database>,
  source: WaveExportSource,
  prepared: PreparedStatFile,
  write: (chunk: Uint8Array) => void | Promise<void>,
  batchSize?: number
): Promise<{ rows: number }> {
  const toStat = (batch: MicrodataCell[][]): StatCell[][] => batch.map((cells) => prepared.encode(cells.map((cell) => cell === null ? '' : String(cell))))
  let writer: { rows: (rows: StatCell[][]) => Buffer, tail: () => Buffer } | undefined
  const rows = await streamMicrodataCells(db, source, { freeText: false, batchSize }, async (batch) => {
    if (writer === undefined) throw new Error('rows arrived before their count')
    await write(writer.rows(toStat(batch)))
  }, async (count) => {
    if (prepared.format === 'sav') {
      const sav = createSavWriter(prepared.dictionary, count)
      writer = { rows: sav.cases, tail: () => { sav.end(); return Buffer.alloc(0) } }
      await write(sav.dictionary())
    } else {
      const dta = createDtaWriter(prepared.dictionary, count)
      writer = { rows: dta.rows, tail: dta.closing }
      await write(dta.opening())
    }
  })
  if (writer === undefined) throw new Error('the rows were never counted')
  const tail = writer.tail()
  if (tail.length > 0) await write(tail)
  return { rows }
}

/** The columns of the flat export, in file order. */
export function microdataColumns (source: WaveExportSource, freeText: boolean): string[] {
  return [...FLAT_DIMENSION_COLUMNS, ...FLAT_DESIGN_COLUMNS, ...source.indicators.map((indicator) => indicator.name), ...exportedQuestions(source, freeText).map((question) => question.column)]
}

type MicrodataCell = string | number | null

/** The wave's rows as cells in `microdataColumns` order: indicators 1/0/null, answers coded, null for empty. */
async function streamMicrodataCells (
  db: Kysely<Database>,
  source: WaveExportSource,
  options: { freeText: boolean, batchSize?: number },
  onBatch: (rows: MicrodataCell[][]) => Promise<void>,
  onCount?: (rows: number) => Promise<void>
): Promise<number> {
  const questions = exportedQuestions(source, options.freeText)
  const cells = (row: MicrodataRow): MicrodataCell[] => [
    row.wave, row.site, row.site_kind, row.county, row.municipality, row.centrality, row.gender, row.age_group, row.iso_week,
    // The weight the releases use (1 / visits, README "Attendance weights and repeat participation"), in full precision.
    multiplicityWeight(row.visits === null ? null : Number(row.visits)), row.answered_before ? 1 : 0,
    ...source.indicators.map(({ id }) => {
      const value = row.indicator_values[id - 1]
      return value === true ? 1 : value === false ? 0 : null
    }),
    ...questions.map((question, i) => answerCell(question, row[`a_${i}`])),
  ]
  const answerColumns = questions.map((question) => ({ question: question.info.name, json: question.info.type === 'checkbox' }))
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000))
  // A file with its row count in the header needs the count and the rows from one snapshot.
  const transaction = onCount === undefined ? db.transaction() : db.transaction().setIsolationLevel('repeatable read')
  return await transaction.execute(async (trx) => await streamMicrodata(trx, source.wave.id, answerColumns, batchSize, async (batch) => {
    await onBatch(batch.map(cells))
  }, onCount))
}

/** A question's answer as one cell: its code, a checkbox's codes in choice order joined by ';', or null. */
function answerCell ({ info }: ExportedQuestion, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null
  if (Array.isArray(value)) {
    const given = new Set(value.map(String))
    const ordered = [...info.values.filter((code) => given.has(code)), ...[...given].filter((code) => !info.values.includes(code)).sort()]
    return ordered.length === 0 ? null : ordered.join(MULTIPLE_SEPARATOR)
  }
  return typeof value === 'string' ? value : JSON.stringify(value)
}
