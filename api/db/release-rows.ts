/**
 * How a release's result rows are stored: a format of their own, numbered, and not the API's reply type.
 * A release is frozen when it is made and read for years after; the reply (api/schemas/results.ts) may
 * change in that time. Each stored format is written out here and never changes; reading converts the
 * stored rows to today's reply, so a change to the reply is a change to the converter, and the test of a
 * committed format-1 release (test/unit/release-rows.test.ts) says when one is needed.
 * `results_releases.result_rows_format` names the format of each row's `result_rows`, and of the whole release
 * row: the release's other frozen columns are read by the same number (api/db/release-content.ts).
 */
import type { ResultRowReply } from '../schemas/results.js'

/** Format 1: the rows as releases stored them until formats were numbered (migration 2026-12-04T1100). */
export interface StoredReleaseRowV1 {
  indicator: string
  /** dimension → value; "unknown" where the value is missing */
  group: Record<string, string>
  n?: number
  count?: number
  estimate?: number
  ci_low?: number
  ci_high?: number
  method: 'wilson' | 'clopper-pearson' | 'design-logit' | 'korn-graubard'
  deff?: number
  df?: number
  effective_n?: number
  reliability?: {
    flags: Array<'effective_n_below_30' | 'ci_width_30_or_more' | 'relative_width_above_130' | 'no_interval' |
      'df_below_8' | 'complement_relative_width_above_130' | 'estimate_0_or_100'>
    publish: 'yes' | 'flag' | 'no'
    withheld?: boolean
    explanation?: { nb: string, en: string }
  }
  suppressed: boolean
  rule?: 'n_below_k' | 'yes_below_k' | 'no_below_k' | 'change_below_k' | 'complementary'
  reason?: string
}

/** Format 2: format 1 and whether the estimate is weighted by attendance (README, "Attendance weights"). */
export interface StoredReleaseRowV2 extends StoredReleaseRowV1 {
  weighted?: boolean
}

/** The format new releases are written in. */
export const RELEASE_ROWS_FORMAT = 2

/** A release's rows as stored, with the format they are in. */
export interface StoredReleaseRows {
  formatVersion: typeof RELEASE_ROWS_FORMAT
  rows: StoredReleaseRowV2[]
}

/** Thrown for a format this code does not know: a release written by a newer version of Prevalens. */
export class UnknownReleaseFormatError extends Error {
  override name = 'UnknownReleaseFormatError'
}

/** The rows in today's storage format. */
export function storeResultRows (rows: readonly ResultRowReply[]): StoredReleaseRows {
  return { formatVersion: RELEASE_ROWS_FORMAT, rows: rows.map(toStoredV2) }
}

/**
 * Stored rows of any known format, as today's reply.
 * @throws {UnknownReleaseFormatError} for a format this code does not read
 */
export function readResultRows (formatVersion: number, rows: readonly unknown[]): ResultRowReply[] {
  // The column is written only through storeResultRows, so format 1 rows have the format-1 shape.
  if (formatVersion === 1) return (rows as readonly StoredReleaseRowV1[]).map(fromStoredV1)
  if (formatVersion === 2) return (rows as readonly StoredReleaseRowV2[]).map(fromStoredV2)
  throw new UnknownReleaseFormatError(`release rows in format ${formatVersion}: this version of Prevalens reads formats 1 and 2 only`)
}

/**
 * Every field of the reply, each marked as kept by the stored format: a field added to the reply fails to compile
 * here until the format keeps it (in a new format) or says why it need not.
 */
const STORED_FIELDS: Readonly<Record<keyof ResultRowReply, boolean>> = {
  indicator: true,
  group: true,
  n: true,
  count: true,
  estimate: true,
  ci_low: true,
  ci_high: true,
  method: true,
  weighted: true,
  deff: true,
  df: true,
  effective_n: true,
  reliability: true,
  suppressed: true,
  rule: true,
  reason: true,
  // Not stored: read from the frozen reason whenever a release is served (api/services/release-notes.ts).
  notes: false,
}
export const STORED_REPLY_FIELDS = Object.entries(STORED_FIELDS).filter(([, kept]) => kept).map(([name]) => name)

function toStoredV2 (row: ResultRowReply): StoredReleaseRowV2 {
  return { ...toStoredV1(row), ...(row.weighted === undefined ? {} : { weighted: row.weighted }) }
}

function fromStoredV2 (row: StoredReleaseRowV2): ResultRowReply {
  return { ...fromStoredV1(row), ...(row.weighted === undefined ? {} : { weighted: row.weighted }) }
}

// Field by field in both directions, so that a field added to the reply is not stored unnoticed (and a
// field renamed there fails to compile here rather than vanishing from frozen releases).
function toStoredV1 (row: ResultRowReply): StoredReleaseRowV1 {
  return {
    indicator: row.indicator,
    group: { ...row.group },
    ...(row.n === undefined ? {} : { n: row.n }),
    ...(row.count === undefined ? {} : { count: row.count }),
    ...(row.estimate === undefined ? {} : { estimate: row.estimate }),
    ...(row.ci_low === undefined ? {} : { ci_low: row.ci_low }),
    ...(row.ci_high === undefined ? {} : { ci_high: row.ci_high }),
    method: row.method,
    ...(row.deff === undefined ? {} : { deff: row.deff }),
    ...(row.df === undefined ? {} : { df: row.df }),
    ...(row.effective_n === undefined ? {} : { effective_n: row.effective_n }),
    ...(row.reliability === undefined ? {} : { reliability: reliabilityV1(row.reliability) }),
    suppressed: row.suppressed,
    ...(row.rule === undefined ? {} : { rule: row.rule }),
    ...(row.reason === undefined ? {} : { reason: row.reason }),
  }
}

function fromStoredV1 (row: StoredReleaseRowV1): ResultRowReply {
  return {
    indicator: row.indicator,
    group: { ...row.group },
    ...(row.n === undefined ? {} : { n: row.n }),
    ...(row.count === undefined ? {} : { count: row.count }),
    ...(row.estimate === undefined ? {} : { estimate: row.estimate }),
    ...(row.ci_low === undefined ? {} : { ci_low: row.ci_low }),
    ...(row.ci_high === undefined ? {} : { ci_high: row.ci_high }),
    method: row.method,
    ...(row.deff === undefined ? {} : { deff: row.deff }),
    ...(row.df === undefined ? {} : { df: row.df }),
    ...(row.effective_n === undefined ? {} : { effective_n: row.effective_n }),
    ...(row.reliability === undefined ? {} : { reliability: reliabilityV1(row.reliability) }),
    suppressed: row.suppressed,
    ...(row.rule === undefined ? {} : { rule: row.rule }),
    ...(row.reason === undefined ? {} : { reason: row.reason }),
  }
}

type ReliabilityV1 = NonNullable<StoredReleaseRowV1['reliability']>

/** The same shape in both today; a copy, so neither side shares arrays with the other. */
function reliabilityV1 (reliability: ReliabilityV1): ReliabilityV1 {
  return {
    flags: [...reliability.flags],
    publish: reliability.publish,
    ...(reliability.withheld === undefined ? {} : { withheld: reliability.withheld }),
    ...(reliability.explanation === undefined ? {} : { explanation: { nb: reliability.explanation.nb, en: reliability.explanation.en } }),
  }
}
