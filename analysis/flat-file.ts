/**
 * The flat respondent-level file: one row per respondent, one column per dimension and one per
 * indicator (1 yes, 0 no, empty missing), as CSV or JSON lines. The microdata export writes it and
 * the analyze CLI reads it, so anyone can recompute a published figure. Parsing and formatting
 * strings only: reading and writing files is the caller's business.
 */
import { AnalysisInputError } from './errors.js'

export type FlatFileFormat = 'csv' | 'jsonl'

/**
 * The dimension columns the microdata export writes, in order, before one column per indicator.
 * They are never taken for indicators by default, even where every value happens to be 1 or 0
 * (a study whose sites all have centrality 1).
 */
export const FLAT_DIMENSION_COLUMNS = ['wave', 'site', 'site_kind', 'county', 'municipality', 'centrality', 'gender', 'age_group', 'iso_week'] as const

/**
 * The design columns the export writes after the dimensions: `w`, the attendance weight (1 / visits to the
 * site in 7 days, 1 where unknown), and `answered_before` (1 when the respondent said they had already
 * answered in this round). Never taken for indicators either.
 */
export const FLAT_DESIGN_COLUMNS = ['w', 'answered_before'] as const

/** A parsed flat file: every value as a string, '' for empty or null. */
export interface FlatTable {
  readonly columns: readonly string[]
  readonly rows: ReadonlyArray<readonly string[]>
  /** The line each row starts on (1-based, the header being line 1 in CSV), for messages. */
  readonly lines: readonly number[]
}

const fail = (message: string): never => { throw new AnalysisInputError('invalid_file', message) }

/**
 * Parses a flat file in the given format.
 * @throws {AnalysisInputError} `invalid_file` naming the line and the problem
 */
export function parseFlatFile (text: string, format: FlatFileFormat): FlatTable {
  return format === 'csv' ? parseCsv(text) : parseJsonLines(text)
}

/**
 * Parses CSV as RFC 4180 writes it: a header row, comma-separated fields, fields in double quotes
 * where they hold a comma, a quote (doubled) or a line break; CRLF or LF line ends; a leading
 * byte-order mark is ignored, and so are empty lines.
 * @throws {AnalysisInputError} `invalid_file` for an unterminated quote, text after a closing
 *   quote, a quote inside an unquoted field, a row with the wrong number of fields, or a header
 *   with an empty or repeated name
 * @example
 * parseCsv('gender,hit\nwoman,1\n"man, or other",\n')
 * // { columns: ['gender', 'hit'], rows: [['woman', '1'], ['man, or other', '']], lines: [2, 3] }
 */
export function parseCsv (text: string): FlatTable {
  const records: Array<{ fields: string[], line: number }> = []
  let fields: string[] = []
  let field = ''
  let line = 1
  let recordLine = 1
  let atFieldStart = true
  let recordHasContent = false
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0

  const endRecord = (): void => {
    fields.push(field)
    if (recordHasContent) records.push({ fields, line: recordLine })
    fields = []
    field = ''
    atFieldStart = true
    recordHasContent = false
  }

  while (i < text.length) {
    const ch = text[i] as string
    if (ch === '"' && atFieldStart) {
      const start = line
      i++
      for (;;) {
        if (i >= text.length) fail(`line ${start}: a quoted field is never closed`)
        const q = text[i] as string
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        if (q === '\n') line++
        field += q
        i++
      }
      atFieldStart = false
      recordHasContent = true
      const next = text[i]
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        fail(`line ${line}: unexpected ${JSON.stringify(next)} after a closing quote (a quote inside a quoted field is written "")`)
      }
    } else if (ch === ',') {
      fields.push(field)
      field = ''
      atFieldStart = true
      recordHasContent = true
      i++
    } else if (ch === '\n' || ch === '\r') {
      endRecord()
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
      recordLine = line
    } else if (ch === '"') {
      fail(`line ${line}: a quote inside an unquoted field (quote the whole field and double the quote: "a ""b""")`)
    } else {
      field += ch
      atFieldStart = false
      recordHasContent = true
      i++
    }
  }
  if (recordHasContent) endRecord()

  const header = records.shift()
  if (header === undefined) fail('the file is empty: a header row naming the columns is needed')
  const columns = checkedColumns((header as { fields: string[] }).fields)
  for (const record of records) {
    if (record.fields.length !== columns.length) {
      fail(`line ${record.line}: ${record.fields.length} field(s), but the header has ${columns.length} column(s)`)
    }
  }
  return { columns, rows: records.map((r) => r.fields), lines: records.map((r) => r.line) }
}

/**
 * Parses JSON lines: one JSON object per line, its keys the columns (their union over the file,
 * in order of first appearance). A number is read as its decimal text, null or an absent key as
 * empty; objects and arrays are refused. Empty lines are ignored.
 * @throws {AnalysisInputError} `invalid_file` naming the line that is not a flat JSON object
 * @example
 * parseJsonLines('{"gender":"woman","hit":1}\n{"gender":null,"hit":0}\n')
 * // { columns: ['gender', 'hit'], rows: [['woman', '1'], ['', '0']], lines: [1, 2] }
 */
export function parseJsonLines (text: string): FlatTable {
  const columns: string[] = []
  const index = new Map<string, number>()
  const objects: Array<{ values: Map<number, string>, line: number }> = []
  const lines = text.split('\n')
  lines.forEach((raw, l) => {
    const source = (l === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).trim()
    if (source === '') return
    let parsed: unknown
    try {
      parsed = JSON.parse(source)
    } catch (error) {
      fail(`line ${l + 1}: not valid JSON (${error instanceof Error ? error.message : String(error)})`)
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(`line ${l + 1}: each line must hold one JSON object`)
    const values = new Map<number, string>()
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      let c = index.get(key)
      if (c === undefined) {
        if (key === '') fail(`line ${l + 1}: an empty key`)
        c = columns.length
        columns.push(key)
        index.set(key, c)
      }
      values.set(c, cellText(value, key, l + 1))
    }
    objects.push({ values, line: l + 1 })
  })
  if (objects.length === 0 && columns.length === 0) fail('the file is empty: at least one JSON object is needed')
  return {
    columns,
    rows: objects.map(({ values }) => columns.map((_, c) => values.get(c) ?? '')),
    lines: objects.map(({ line }) => line),
  }
}

function cellText (value: unknown, key: string, line: number): string {
  if (value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return fail(`line ${line}: "${key}" holds ${Array.isArray(value) ? 'an array' : 'an object'}; a flat file holds only strings, numbers or null`)
}

function checkedColumns (names: readonly string[]): string[] {
  const seen = new Set<string>()
  for (const [c, name] of names.entries()) {
    if (name === '') fail(`line 1: column ${c + 1} of the header has no name`)
    if (seen.has(name)) fail(`line 1: the header names "${name}" twice`)
    seen.add(name)
  }
  return [...names]
}

/** One CSV line (without its line break), quoting the fields that need it. */
export function formatCsvRow (values: readonly string[]): string {
  return values.map((v) => /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v).join(',')
}
