import { extname } from 'node:path'
import { parseArgs } from 'node:util'
import { AnalysisInputError } from '../../analysis/errors.js'
import { flatFileCounts } from '../../analysis/flat-file-counts.js'
import { parseFlatFile } from '../../analysis/flat-file.js'
import type { FlatFileFormat } from '../../analysis/flat-file.js'
import { RESULTS_METHODS, buildResultsTable, isDesignMethod } from '../../analysis/results-table.js'
import type { ResultsMethod } from '../../analysis/results-table.js'

export const ANALYZE_USAGE = `usage: npm run -s analyze -- --input FILE [--by a,b]... [--indicators x,y]
         [--method wilson|clopper-pearson|cluster|korn-graubard] [--cluster COLUMN] [--strata COLUMN]
         [--weight COLUMN] [--exclude COLUMN] [--level 0.95] [--k 5] [--no-suppress]

Reads a flat respondent-level file (.csv with a header row, or .jsonl with one object per line):
one column per dimension and one per indicator (1 yes, 0 no, empty or null missing), and prints a
JSON array with one object per cell: {indicator, group, n, count, estimate, ci_low, ci_high,
method, deff?, df?, effective_n?, suppressed, reliability?, reason?}. Without --by it gives the
overall figure of each indicator. reliability is the NCHS presentation standard's verdict: {flags,
publish: yes | flag | no}.

  --by          a breakdown (columns, comma-separated); repeat it for several tables, which then
                pass disclosure control together (--by '' is the overall figure)
  --indicators  default: every column whose values are all 1, 0 or empty (with at least one 1 or 0),
                except the --by, --cluster and --strata columns and the export's dimension columns
  --method      wilson (default), clopper-pearson, cluster (design-based logit) or korn-graubard
                (design-based Korn–Graubard, effective sample size capped at n); the last two need --cluster
  --cluster     the column naming each respondent's cluster (site)
  --strata      the column naming each cluster's stratum (county); design-based methods only
  --weight      a column of weights (the export's w: attendance weights), as svydesign(weights = ~w);
                design-based methods only; n and count stay unweighted
  --exclude     a 1/0 column whose rows with 1 are left out (the export's answered_before: releases
                leave those respondents out unless they count them)
  --k           disclosure-control threshold, default 5, never below 3
  --no-suppress publish every cell: only for your own microdata, never for a release

Exit status: 0 on success, 2 for bad arguments, 1 for a file that cannot be read or analysed.`

export interface AnalyzeIo {
  readFile: (path: string) => string
  stdout: (text: string) => void
  stderr: (text: string) => void
}

class UsageError extends Error {}

const FORMATS: Readonly<Record<string, FlatFileFormat>> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' }
const names = (text: string | undefined): string[] | undefined =>
  text === undefined ? undefined : text.split(',').map((item) => item.trim()).filter((item) => item !== '')

/**
 * The analyze command: flat file in, results rows out, through the same `buildResultsTable` as
 * `GET /api/results`. Returns the exit status; writes the JSON to stdout and any problem to stderr.
 */
export function runAnalyze (args: readonly string[], io: AnalyzeIo): number {
  let options: ReturnType<typeof parseOptions>
  try {
    options = parseOptions(args)
  } catch (error) {
    io.stderr(`analyze: ${error instanceof Error ? error.message : String(error)}\n\n${ANALYZE_USAGE}\n`)
    return 2
  }
  if (options === 'help') {
    io.stdout(`${ANALYZE_USAGE}\n`)
    return 0
  }

  let text: string
  try {
    text = io.readFile(options.input)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : error instanceof Error ? error.message : String(error)
    io.stderr(`analyze: cannot read ${options.input}: ${why}\n`)
    return 1
  }
  try {
    const counts = flatFileCounts(parseFlatFile(text, options.format), {
      ...(options.indicators === undefined ? {} : { indicators: options.indicators }),
      by: [...new Set(options.breakdowns.flat())],
      ...(options.cluster === undefined ? {} : { cluster: options.cluster }),
      ...(options.strata === undefined ? {} : { strata: options.strata }),
      ...(options.weight === undefined ? {} : { weight: options.weight }),
      ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
    })
    const rows = buildResultsTable({
      indicators: counts.indicators,
      breakdowns: options.breakdowns,
      rows: counts.rows,
      method: options.method,
      level: options.level,
      suppress: options.suppress,
      weighted: options.weight !== undefined,
      ...(options.k === undefined ? {} : { k: options.k }),
      ...(counts.strata === undefined ? {} : { strata: counts.strata }),
    })
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`)
    return 0
  } catch (error) {
    if (error instanceof AnalysisInputError) {
      io.stderr(`analyze: ${options.input}: ${error.message}\n`)
      return 1
    }
    throw error
  }
}

function parseOptions (args: readonly string[]) {
  let parsed
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        input: { type: 'string' },
        by: { type: 'string', multiple: true },
        indicators: { type: 'string' },
        method: { type: 'string' },
        cluster: { type: 'string' },
        strata: { type: 'string' },
        weight: { type: 'string' },
        exclude: { type: 'string' },
        level: { type: 'string' },
        k: { type: 'string' },
        'no-suppress': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const { values } = parsed
  if (values.help === true) return 'help' as const
  if (values.input === undefined || values.input === '') throw new UsageError('--input FILE is required')
  const format = FORMATS[extname(values.input).toLowerCase()]
  if (format === undefined) throw new UsageError(`cannot tell the format of ${values.input}: the file must end in .csv or .jsonl`)

  const method = values.method ?? 'wilson'
  if (!(RESULTS_METHODS as readonly string[]).includes(method)) throw new UsageError(`unknown method "${method}": use ${RESULTS_METHODS.join(', ')}`)
  const design = isDesignMethod(method as ResultsMethod)
  if (design && values.cluster === undefined) throw new UsageError(`--method ${method} needs --cluster COLUMN (the column naming each respondent's site)`)
  if (!design && values.cluster !== undefined) throw new UsageError(`--cluster applies to --method cluster or korn-graubard only, not ${method}`)
  if (values.strata !== undefined && !design) throw new UsageError(`--strata applies to --method cluster or korn-graubard only, not ${method}`)
  if (values.weight !== undefined && !design) throw new UsageError(`--weight applies to --method cluster or korn-graubard only, not ${method}`)

  let level = 0.95
  if (values.level !== undefined) {
    level = /^(0?\.\d+)$/.test(values.level) ? Number(values.level) : NaN
    if (!(level > 0 && level < 1)) throw new UsageError(`--level must be a number strictly between 0 and 1, such as 0.95; got "${values.level}"`)
  }
  let k: number | undefined
  if (values.k !== undefined) {
    k = /^\d+$/.test(values.k) ? Number(values.k) : NaN
    if (!Number.isSafeInteger(k) || k < 3) throw new UsageError(`--k must be a whole number of at least 3; got "${values.k}"`)
  }
  const suppress = values['no-suppress'] !== true
  if (!suppress && k !== undefined) throw new UsageError('--k has no effect with --no-suppress')

  return {
    input: values.input,
    format,
    breakdowns: (values.by ?? ['']).map((text) => names(text) ?? []),
    indicators: names(values.indicators)?.length === 0 ? undefined : names(values.indicators),
    method: method as ResultsMethod,
    cluster: values.cluster,
    strata: values.strata,
    weight: values.weight,
    exclude: values.exclude,
    level,
    k,
    suppress,
  }
}
