import type { Kysely } from 'kysely'
import { FLAT_DIMENSION_COLUMNS, formatCsvRow } from '../../analysis/flat-file.js'
import type { FlatFileFormat } from '../../analysis/flat-file.js'
import type { Database } from '../db/database.js'
import { streamMicrodata } from '../db/queries/microdata.js'
import type { MicrodataRow, WaveExportSource } from '../db/queries/microdata.js'
import { MULTIPLE_SEPARATOR, exportedQuestions } from './codebook.js'
import type { ExportedQuestion } from './codebook.js'

export interface MicrodataOptions {
  format: FlatFileFormat
  /** Free-text answers too (anonymity rule 4: only when a researcher asks). */
  freeText: boolean
  batchSize?: number
}

/**
 * Writes a wave's anonymised microdata: one row per response in a fresh random order, the flat format
 * `npm run analyze` reads (dimension columns, then one 1/0/empty column per indicator) followed by each
 * exported question's coded answer as `q_<question>`. Never a response id, a device or a date.
 * @param write receives the text in order, a batch at a time; its promise is awaited (back-pressure)
 */
export async function writeMicrodata (
  db: Kysely<Database>,
  source: WaveExportSource,
  options: MicrodataOptions,
  write: (chunk: string) => void | Promise<void>
): Promise<{ columns: string[], rows: number }> {
  const questions = exportedQuestions(source, options.freeText)
  const columns = [...FLAT_DIMENSION_COLUMNS, ...source.indicators.map((indicator) => indicator.name), ...questions.map((question) => question.column)]
  const cells = (row: MicrodataRow): Array<string | number | null> => [
    row.wave, row.site, row.site_kind, row.county, row.municipality, row.centrality, row.gender, row.age_group, row.iso_week,
    ...source.indicators.map(({ id }) => {
      const value = row.indicator_values[id - 1]
      return value === true ? 1 : value === false ? 0 : null
    }),
    ...questions.map((question, i) => answerCell(question, row[`a_${i}`])),
  ]
  const line = options.format === 'csv'
    ? (row: MicrodataRow) => `${formatCsvRow(cells(row).map((cell) => cell === null ? '' : String(cell)))}\n`
    : (row: MicrodataRow) => {
        const values = cells(row)
        return `${JSON.stringify(Object.fromEntries(columns.map((column, i) => [column, values[i] ?? null])))}\n`
      }
  if (options.format === 'csv') await write(`${formatCsvRow(columns)}\n`)
  const answerColumns = questions.map((question) => ({ question: question.info.name, json: question.info.type === 'checkbox' }))
  const rows = await streamMicrodata(db, source.wave.id, answerColumns, Math.max(1, Math.floor(options.batchSize ?? 1000)), async (batch) => {
    await write(batch.map(line).join(''))
  })
  return { columns, rows }
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
