/**
 * How the rest of a frozen release is stored: its table list, who answered, its differences and its
 * disclosure audit, each in a format of its own and not the API's reply types (api/schemas/releases.ts),
 * for the same reason as the result rows (api/db/release-rows.ts): a release is read for years, the
 * replies may change meanwhile, and a change to a reply must be a change to a converter here, never a
 * silent change to what an old release says.
 *
 * `results_releases.result_rows_format` is the format of the whole release row: it names the format of
 * `result_rows` (release-rows.ts) and of the four columns here. Format 1 of each column here is exactly
 * the shape releases stored before formats were numbered; formats 1 and 2 of the row store these four
 * columns alike, as format 1 (format 2 changed only the result rows). A future format that changes one of
 * them adds a StoredXV2 here and a case to its reader. `test/unit/release-content.test.ts` reads committed
 * format-1 columns of a real release.
 */
import type { AuditedCellReply, Difference, DisclosureAudit, ReleaseTableSpec, RespondentRow } from '../schemas/releases.js'
import { UnknownReleaseFormatError } from './release-rows.js'

/** One table of a release, format 1. */
export interface StoredTableSpecV1 {
  indicator: string
  by: string[]
  overview: boolean
}

/** One cell of "who answered", format 1: a suppressed cell has no n. */
export interface StoredRespondentRowV1 {
  group: Record<string, string>
  n?: number
  suppressed: boolean
  rule?: string
  reason?: string
}

/** One side of a difference, format 1. */
export interface StoredDifferenceSideV1 {
  label: string
  waveId: string
  n?: number
  count?: number
  estimate?: number
}

/** A frozen difference of two published cells, format 1. */
export interface StoredDifferenceV1 {
  kind: 'women_minus_men' | 'wave_minus_previous'
  indicator: string
  group: Record<string, string>
  first: StoredDifferenceSideV1
  second: StoredDifferenceSideV1
  difference?: number
  ci_low?: number
  ci_high?: number
  method?: 'newcombe-hybrid' | 'design-linearised'
  level: number
  suppressed: boolean
  reason?: string
  note?: string
}

/** [least, greatest] provable count; null: no upper bound. */
export type StoredIntervalV1 = Array<number | null>

/** One suppressed cell as the audit saw it, format 1. */
export interface StoredAuditedCellV1 {
  indicator: string
  by: string[]
  group: Record<string, string>
  rule: string
  n: StoredIntervalV1
  yes?: StoredIntervalV1
  no?: StoredIntervalV1
  problem?: string
}

/** The disclosure audit of a release, format 1 (releases before migration 2026-12-03T0300 have none: null). */
export interface StoredDisclosureAuditV1 {
  safe: boolean
  solver: string
  cells: number
  primary: number
  secondary: number
  minWidth: number | null
  rounds: number
  linearPrograms: number
  seconds: number
  suppressed: StoredAuditedCellV1[]
}

/** The four columns as stored, in the format the row's result_rows_format names. */
export interface StoredReleaseContent {
  tableSpecs: StoredTableSpecV1[]
  respondentRows: StoredRespondentRowV1[]
  differences: StoredDifferenceV1[]
  disclosureAudit: StoredDisclosureAuditV1 | null
}

/** The four columns as today's replies. */
export interface ReleaseContent {
  tableSpecs: ReleaseTableSpec[]
  respondentRows: RespondentRow[]
  differences: Difference[]
  disclosureAudit: DisclosureAudit | null
}

/** The row formats whose four columns here are in format 1. */
const CONTENT_V1_ROW_FORMATS: readonly number[] = [1, 2]

/** The columns in today's storage format (the format storeResultRows writes names the row). */
export function storeReleaseContent (content: ReleaseContent): StoredReleaseContent {
  return {
    tableSpecs: content.tableSpecs.map(tableSpecV1),
    respondentRows: content.respondentRows.map(toRespondentRowV1),
    differences: content.differences.map(toDifferenceV1),
    disclosureAudit: content.disclosureAudit === null ? null : toAuditV1(content.disclosureAudit),
  }
}

/**
 * Stored columns of a release row of any known format, as today's replies.
 * @throws {UnknownReleaseFormatError} for a format this code does not read
 */
export function readReleaseContent (formatVersion: number, stored: { tableSpecs: readonly unknown[], respondentRows: readonly unknown[], differences: readonly unknown[], disclosureAudit: unknown }): ReleaseContent {
  if (!CONTENT_V1_ROW_FORMATS.includes(formatVersion)) {
    throw new UnknownReleaseFormatError(`release in format ${formatVersion}: this version of Prevalens reads formats 1 and 2 only`)
  }
  // The columns are written only through storeReleaseContent, so they have the format-1 shapes.
  return {
    tableSpecs: (stored.tableSpecs as readonly StoredTableSpecV1[]).map(tableSpecV1),
    respondentRows: (stored.respondentRows as readonly StoredRespondentRowV1[]).map(fromRespondentRowV1),
    differences: (stored.differences as readonly StoredDifferenceV1[]).map(fromDifferenceV1),
    disclosureAudit: stored.disclosureAudit === null || stored.disclosureAudit === undefined ? null : fromAuditV1(stored.disclosureAudit as StoredDisclosureAuditV1),
  }
}

/*
 * Every field of each reply, each marked as kept by the stored format: a field added to a reply fails to
 * compile here until the format keeps it (in a new format) or says why it need not.
 */
const TABLE_SPEC_FIELDS: Readonly<Record<keyof ReleaseTableSpec, true>> = { indicator: true, by: true, overview: true }
const RESPONDENT_ROW_FIELDS: Readonly<Record<keyof RespondentRow, true>> = { group: true, n: true, suppressed: true, rule: true, reason: true }
const DIFFERENCE_FIELDS: Readonly<Record<keyof Difference, boolean>> = {
  kind: true,
  indicator: true,
  group: true,
  first: true,
  second: true,
  difference: true,
  ci_low: true,
  ci_high: true,
  method: true,
  level: true,
  suppressed: true,
  reason: true,
  note: true,
  // Not stored: read from the frozen reason whenever a release is served (api/services/release-notes.ts).
  notes: false,
}
const DIFFERENCE_SIDE_FIELDS: Readonly<Record<keyof Difference['first'] | keyof Difference['second'], true>> = { label: true, waveId: true, n: true, count: true, estimate: true }
const AUDIT_FIELDS: Readonly<Record<keyof DisclosureAudit, true>> = {
  safe: true, solver: true, cells: true, primary: true, secondary: true, minWidth: true, rounds: true, linearPrograms: true, seconds: true, suppressed: true,
}
const AUDITED_CELL_FIELDS: Readonly<Record<keyof AuditedCellReply, true>> = { indicator: true, by: true, group: true, rule: true, n: true, yes: true, no: true, problem: true }

/** The reply fields each stored format keeps, by reply type (for the tests). */
export const STORED_CONTENT_FIELDS = {
  tableSpec: Object.keys(TABLE_SPEC_FIELDS),
  respondentRow: Object.keys(RESPONDENT_ROW_FIELDS),
  difference: Object.entries(DIFFERENCE_FIELDS).filter(([, kept]) => kept).map(([name]) => name),
  differenceSide: Object.keys(DIFFERENCE_SIDE_FIELDS),
  audit: Object.keys(AUDIT_FIELDS),
  auditedCell: Object.keys(AUDITED_CELL_FIELDS),
}

// Field by field in both directions, so that a field added to a reply is not stored unnoticed and a field
// renamed there fails to compile here rather than vanishing from frozen releases. The table spec has the
// same shape in both, so one copying function serves both directions; it is typed on both sides.
function tableSpecV1 (spec: StoredTableSpecV1 & ReleaseTableSpec): StoredTableSpecV1 & ReleaseTableSpec {
  return { indicator: spec.indicator, by: [...spec.by], overview: spec.overview }
}

function toRespondentRowV1 (row: RespondentRow): StoredRespondentRowV1 {
  return {
    group: { ...row.group },
    ...(row.n === undefined ? {} : { n: row.n }),
    suppressed: row.suppressed,
    ...(row.rule === undefined ? {} : { rule: row.rule }),
    ...(row.reason === undefined ? {} : { reason: row.reason }),
  }
}

function fromRespondentRowV1 (row: StoredRespondentRowV1): RespondentRow {
  return {
    group: { ...row.group },
    ...(row.n === undefined ? {} : { n: row.n }),
    suppressed: row.suppressed,
    ...(row.rule === undefined ? {} : { rule: row.rule }),
    ...(row.reason === undefined ? {} : { reason: row.reason }),
  }
}

function toDifferenceV1 (d: Difference): StoredDifferenceV1 {
  return {
    kind: d.kind,
    indicator: d.indicator,
    group: { ...d.group },
    first: toSideV1(d.first),
    second: toSideV1(d.second),
    ...(d.difference === undefined ? {} : { difference: d.difference }),
    ...(d.ci_low === undefined ? {} : { ci_low: d.ci_low }),
    ...(d.ci_high === undefined ? {} : { ci_high: d.ci_high }),
    ...(d.method === undefined ? {} : { method: d.method }),
    level: d.level,
    suppressed: d.suppressed,
    ...(d.reason === undefined ? {} : { reason: d.reason }),
    ...(d.note === undefined ? {} : { note: d.note }),
  }
}

function fromDifferenceV1 (d: StoredDifferenceV1): Difference {
  return {
    kind: d.kind,
    indicator: d.indicator,
    group: { ...d.group },
    first: fromSideV1(d.first),
    second: fromSideV1(d.second),
    ...(d.difference === undefined ? {} : { difference: d.difference }),
    ...(d.ci_low === undefined ? {} : { ci_low: d.ci_low }),
    ...(d.ci_high === undefined ? {} : { ci_high: d.ci_high }),
    ...(d.method === undefined ? {} : { method: d.method }),
    level: d.level,
    suppressed: d.suppressed,
    ...(d.reason === undefined ? {} : { reason: d.reason }),
    ...(d.note === undefined ? {} : { note: d.note }),
  }
}

type DifferenceSide = Difference['first']

function toSideV1 (side: DifferenceSide): StoredDifferenceSideV1 {
  return {
    label: side.label,
    waveId: side.waveId,
    ...(side.n === undefined ? {} : { n: side.n }),
    ...(side.count === undefined ? {} : { count: side.count }),
    ...(side.estimate === undefined ? {} : { estimate: side.estimate }),
  }
}

function fromSideV1 (side: StoredDifferenceSideV1): DifferenceSide {
  return {
    label: side.label,
    waveId: side.waveId,
    ...(side.n === undefined ? {} : { n: side.n }),
    ...(side.count === undefined ? {} : { count: side.count }),
    ...(side.estimate === undefined ? {} : { estimate: side.estimate }),
  }
}

function toAuditV1 (audit: DisclosureAudit): StoredDisclosureAuditV1 {
  return {
    safe: audit.safe,
    solver: audit.solver,
    cells: audit.cells,
    primary: audit.primary,
    secondary: audit.secondary,
    minWidth: audit.minWidth,
    rounds: audit.rounds,
    linearPrograms: audit.linearPrograms,
    seconds: audit.seconds,
    suppressed: audit.suppressed.map(toAuditedCellV1),
  }
}

function fromAuditV1 (audit: StoredDisclosureAuditV1): DisclosureAudit {
  return {
    safe: audit.safe,
    solver: audit.solver,
    cells: audit.cells,
    primary: audit.primary,
    secondary: audit.secondary,
    minWidth: audit.minWidth,
    rounds: audit.rounds,
    linearPrograms: audit.linearPrograms,
    seconds: audit.seconds,
    suppressed: audit.suppressed.map(fromAuditedCellV1),
  }
}

function toAuditedCellV1 (cell: AuditedCellReply): StoredAuditedCellV1 {
  return {
    indicator: cell.indicator,
    by: [...cell.by],
    group: { ...cell.group },
    rule: cell.rule,
    n: [...cell.n],
    ...(cell.yes === undefined ? {} : { yes: [...cell.yes] }),
    ...(cell.no === undefined ? {} : { no: [...cell.no] }),
    ...(cell.problem === undefined ? {} : { problem: cell.problem }),
  }
}

function fromAuditedCellV1 (cell: StoredAuditedCellV1): AuditedCellReply {
  return {
    indicator: cell.indicator,
    by: [...cell.by],
    group: { ...cell.group },
    rule: cell.rule,
    n: [...cell.n],
    ...(cell.yes === undefined ? {} : { yes: [...cell.yes] }),
    ...(cell.no === undefined ? {} : { no: [...cell.no] }),
    ...(cell.problem === undefined ? {} : { problem: cell.problem }),
  }
}
