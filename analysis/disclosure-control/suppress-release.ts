import { cellHistory, earlierKnowledge } from './earlier-releases.js'
import { primaryRuleOf, resolveThreshold } from './primary-rule.js'
import { buildReleaseModel } from './release-model.js'
import { IMPLICIT, PRIMARY, PUBLISHED, SECONDARY, protectIndicator } from './secondary-suppression.js'
import { resolveImplications } from './table-shape.js'
import type { ControlledCell, ControlledTable, DisclosureOptions, PrimaryRule, ReleaseTable } from './types.js'

/**
 * Disclosure control of a results release: decides, for every cell of every table, whether it is
 * published (n, yes, no) or suppressed, and why (ARCHITECTURE.md, anonymity rule 6).
 *
 * 1. Primary suppression, per cell with n > 0:  min(n, yes, no) < k  (`n_below_k`, `yes_below_k`,
 *    `no_below_k`; see `primarySuppressionRule`). Cells with n = 0 are published as empty.
 *    A cell that an earlier release of the wave published (or let anyone derive) and whose counts
 *    have since changed by a group of fewer than k is suppressed too (`change_below_k`; see
 *    `changeSuppressionRule`): subtracting the two releases would single out the late respondents.
 * 2. Secondary suppression (`complementary`), per indicator across all its tables. The tables are
 *    linked by their margins (Σ finer cells = coarser cell), including margins no table publishes
 *    (see lattice.ts). Known to an attacker: every cell published now, and every cell whose
 *    counts equal what an earlier release published or let anyone derive (guessing "no change"
 *    is right for it). Published cells are suppressed, the smallest n first and never one that is
 *    known anyway, until an exact Gaussian elimination over those relations determines
 *      - no suppressed cell (its n, yes and no),
 *      - no unpublished margin that fails the primary rule, or whose change discloses,
 *      - no sum of the suppressed cells of one line (row, column, …) that fails the primary rule
 *        (suppressed cells whose yes adds up to 0 would each be known to have yes = 0).
 *    Only exact recovery is guarded: the bounds an attacker derives from non-negativity (the
 *    interval attack) are not, beyond those sums of lines.
 *
 * The result is deterministic: cells are ordered by their dimensions and values (compared by code
 * unit), never by input order or object key order, so shuffled input gives the same pattern.
 * Indicators are independent (their denominators differ by item non-response), so each is
 * protected on its own.
 *
 * Reference: Hundepool et al. (2012), Statistical Disclosure Control, Wiley, chapter 5 (frequency
 * tables, linked tables, secondary suppression and its audit); L. H. Cox (1980), "Suppression
 * methodology and statistical disclosure control", JASA 75, 377–385.
 *
 * @param tables the tables of the release as counted; every table of an indicator must count the
 *   same respondents (a missing dimension value is a category of its own)
 * @param options k (default 5, ≥ 3), the releases already published for the wave (every table
 *   of theirs must be in this release), dimensions implied by others (municipality → county)
 * @returns the tables in input order, each cell in input order, published or suppressed
 * @throws {AnalysisInputError} `invalid_parameter` for k < 3 or not whole, malformed tables or
 *   groups, a table given twice, an earlier table missing from this release; `invalid_count` for
 *   bad counts or tables of one indicator that do not add up
 * @example
 * suppressRelease([
 *   { indicator: 'physical_12m', breakdown: [], cells: [{ group: {}, n: 40, yes: 14 }] },
 *   { indicator: 'physical_12m', breakdown: ['gender'], cells: [
 *     { group: { gender: 'woman' }, n: 37, yes: 12 },
 *     { group: { gender: 'man' }, n: 3, yes: 2 },
 *   ] },
 * ])
 * // total published; man: { suppressed: true, reason: 'primary', rule: 'n_below_k' };
 * // woman: { suppressed: true, reason: 'secondary', rule: 'complementary' } (else 40 − 37 = 3)
 */
export function suppressRelease (tables: readonly ReleaseTable[], options: DisclosureOptions = {}): ControlledTable[] {
  const k = resolveThreshold(options.k)
  const implications = resolveImplications(options.impliedDimensions)
  const model = buildReleaseModel(tables, implications)
  const knowledge = earlierKnowledge(options.previouslyPublished, model, implications)
  const out: ControlledCell[][] = tables.map((t) => new Array<ControlledCell>(t.cells.length))

  for (const indicator of model.indicators) {
    const { lattice, n, yes } = indicator
    const history = cellHistory(indicator, knowledge, k)
    const status = new Uint8Array(lattice.cells.length)
    const rules = new Array<PrimaryRule | undefined>(lattice.cells.length)
    lattice.cells.forEach((cell, i) => {
      if (cell.implicit) {
        status[i] = IMPLICIT
        return
      }
      const rule = primaryRuleOf(n[i] as number, yes[i] as number, k) ?? (history.changeDiscloses[i] === true ? 'change_below_k' : undefined)
      status[i] = rule === undefined ? PUBLISHED : PRIMARY
      rules[i] = rule
    })
    protectIndicator({ model: indicator, history, k, status })

    for (const table of indicator.tables) {
      const cells = out[table.position] as ControlledCell[]
      for (const cell of table.cells) {
        const i = lattice.indexOf.get(cell.key) as number
        const group = cell.source.group
        const s = status[i]
        const rule = rules[i]
        if (s === PRIMARY && rule !== undefined) cells[cell.position] = { group, suppressed: true, reason: 'primary', rule }
        else if (s === SECONDARY) cells[cell.position] = { group, suppressed: true, reason: 'secondary', rule: 'complementary' }
        else {
          const cn = n[i] as number
          const cy = yes[i] as number
          cells[cell.position] = { group, suppressed: false, n: cn, yes: cy, no: cn - cy }
        }
      }
    }
  }
  return tables.map((t, i) => ({ indicator: t.indicator, breakdown: [...t.breakdown], cells: out[i] as ControlledCell[] }))
}
