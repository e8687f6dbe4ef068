/**
 * Types of disclosure control: the tables of a results release as counted, the same tables as
 * published (each cell published or suppressed, with why), and the audit of a suppression pattern.
 * @see ARCHITECTURE.md, anonymity rule 6, and the README's "Results releases"
 */

/**
 * The breakdown values that define a cell, e.g. `{ gender: 'woman', county: '46' }`; `{}` is the
 * total. Every value is a string; a missing dimension value needs a category of its own
 * (e.g. `'unknown'`), so that every table of an indicator counts the same respondents.
 */
export type CellGroup = Readonly<Record<string, string>>

/** One cell as counted: respondents with a known value of the indicator (n) and those with yes. */
export interface ReleaseCell {
  readonly group: CellGroup
  readonly n: number
  readonly yes: number
}

/**
 * One table of a release: an indicator broken down by a list of dimensions (`[]` for the total,
 * `['gender', 'county']` for gender × county). A cell that is absent counts as n = 0, as a
 * grouped query leaves out empty groups.
 */
export interface ReleaseTable {
  readonly indicator: string
  readonly breakdown: readonly string[]
  readonly cells: readonly ReleaseCell[]
}

/** Why a cell is suppressed by the primary rule. */
export type PrimaryRule =
  /** fewer than k respondents with a known value (and at least one) */
  | 'n_below_k'
  /** fewer than k answered yes: they are few enough to be singled out, or (at 0) the group answered alike */
  | 'yes_below_k'
  /** fewer than k answered no */
  | 'no_below_k'
  /** the cell changed since an earlier release by fewer than k in n, yes or no: subtracting the releases would single out the late respondents */
  | 'change_below_k'

/** Why a cell is suppressed: a primary rule, or `complementary` (secondary suppression). */
export type SuppressionRule = PrimaryRule | 'complementary'

/** A published cell: the counts (no = n − yes). n = 0 is published as a cell without respondents. */
export interface PublishedCell {
  readonly group: CellGroup
  readonly suppressed: false
  readonly n: number
  readonly yes: number
  readonly no: number
}

/** A cell suppressed because its own counts would disclose. */
export interface PrimarySuppressedCell {
  readonly group: CellGroup
  readonly suppressed: true
  readonly reason: 'primary'
  readonly rule: PrimaryRule
}

/** A cell suppressed so that a primary cell cannot be recovered from the published ones. */
export interface SecondarySuppressedCell {
  readonly group: CellGroup
  readonly suppressed: true
  readonly reason: 'secondary'
  readonly rule: 'complementary'
}

/** A suppressed cell: no numbers, only that it is suppressed and why. */
export type SuppressedCell = PrimarySuppressedCell | SecondarySuppressedCell

/** A cell as released. */
export type ControlledCell = PublishedCell | SuppressedCell

/** A table as released: the input table's cells, in the input order, each published or suppressed. */
export interface ControlledTable {
  readonly indicator: string
  readonly breakdown: readonly string[]
  readonly cells: readonly ControlledCell[]
}

/**
 * A dimension whose value determines another's, e.g. municipality → county or municipality →
 * centrality. Anyone can add up the municipalities of a county, so a county table and a
 * municipality table of the same indicator are linked; declaring the implication lets disclosure
 * control see that link.
 */
export interface ImpliedDimension {
  /** The finer dimension, e.g. `'municipality'`. */
  readonly from: string
  /** The dimension it determines, e.g. `'county'`. */
  readonly to: string
  /** The `to` value of every `from` value, e.g. `{ '0301': '03', '4601': '46' }`. */
  readonly values: Readonly<Record<string, string>>
}

/** Settings of the disclosure control of one release. */
export interface DisclosureOptions {
  /** Threshold k: a whole number ≥ 3; default 5 (ARCHITECTURE.md, anonymity rule 6). */
  readonly k?: number
  /**
   * The releases already published for the same wave, one array of tables per release, as
   * `suppressRelease` returned them. Every table in them must be in the new release too.
   */
  readonly previouslyPublished?: ReadonlyArray<readonly ControlledTable[]>
  /** Dimensions determined by others (municipality → county, …). */
  readonly impliedDimensions?: readonly ImpliedDimension[]
}

/**
 * A cell named by its dimensions (sorted, with the dimensions they imply) and its group; a
 * margin no table publishes is named the same way.
 */
export interface CellReference {
  readonly breakdown: readonly string[]
  readonly group: CellGroup
}

/**
 * What the audit found:
 * - `published_below_k`: a published cell fails the primary rule;
 * - `cell_recovered`: a suppressed cell's counts follow exactly from what is published, or a
 *   margin that no table publishes does and fails the primary rule;
 * - `group_recovered`: the suppressed cells of one line of a table (one row, one column, …) add
 *   up to a known total that fails the primary rule, e.g. yes = 0, so each of them has yes = 0;
 * - `change_recovered`: a cell's change since an earlier release follows from the two releases
 *   and is a group of fewer than k.
 */
export type AuditFindingKind = 'published_below_k' | 'cell_recovered' | 'group_recovered' | 'change_recovered'

/** One disclosure found by the audit, with the counts an attacker can compute. */
export interface AuditFinding {
  readonly kind: AuditFindingKind
  readonly indicator: string
  /** The cell, or for `group_recovered` the cells whose sum is known. */
  readonly cells: readonly CellReference[]
  /** The counts recovered (for `change_recovered`, the change since that earlier release). */
  readonly n: number
  readonly yes: number
  readonly no: number
  /** For `change_recovered`: the index of the earlier release in `previouslyPublished`. */
  readonly release?: number
  readonly message: string
}

/** Result of `auditSuppression`: safe when nothing could be recovered. */
export interface SuppressionAudit {
  readonly safe: boolean
  readonly findings: readonly AuditFinding[]
}
