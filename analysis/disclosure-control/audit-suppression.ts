import { AnalysisInputError } from '../errors.js'
import { changeRuleOf } from './change-rule.js'
import { assertControlledCell, cellHistory, earlierKnowledge } from './earlier-releases.js'
import { eliminate } from './integer-elimination.js'
import { relationEquations } from './lattice.js'
import type { LatticeCell } from './lattice.js'
import { primaryRuleOf, resolveThreshold } from './primary-rule.js'
import { buildReleaseModel } from './release-model.js'
import { describeGroup, resolveImplications, shapeTable } from './table-shape.js'
import type {
  AuditFinding,
  CellReference,
  ControlledCell,
  ControlledTable,
  DisclosureOptions,
  ReleaseTable,
  SuppressionAudit,
} from './types.js'

const ref = (cell: LatticeCell): CellReference => ({ breakdown: cell.dims, group: cell.group })

/**
 * Audits a suppression pattern the way an attacker would attack it: with every published number
 * of this release and of the earlier releases of the wave, and the additive relations between an
 * indicator's tables, which counts follow exactly?
 *
 * Per indicator, the unknowns are the cells not published now (suppressed cells and margins no
 * table publishes), except those whose counts an earlier release published or let anyone derive
 * and that have not changed (the counts are used to tell which: an attacker who guesses "no
 * change" is right for those). Each relation Σ finer cells − coarser cell = 0, with the known
 * cells substituted, is an equation over the unknowns, and exact integer Gaussian elimination
 * (fraction-free; see `eliminate`) decides for every unknown cell x whether e_x lies in the row
 * space, i.e. whether x is determined, and computes its counts. Reported (see `AuditFinding`):
 * published cells that fail the primary rule; determined suppressed cells; determined unpublished
 * margins that fail the primary rule; per line (a margin and its finer cells), a determined sum
 * of the suppressed cells that fails the primary rule; and determined changes since an earlier
 * release that fail the change rule. Only exact recovery is audited, not the bounds an attacker
 * gets from non-negativity (the interval attack), except that sums of lines catch a line whose
 * suppressed cells add up to 0.
 *
 * Reference: Hundepool et al. (2012), Statistical Disclosure Control, Wiley, §5.3 (auditing a
 * suppression pattern); Cox (1980), JASA 75, 377–385.
 *
 * @param tables the tables as counted (as given to `suppressRelease`)
 * @param released the same tables as they would be published
 * @param options the same options as given to `suppressRelease`
 * @returns `{ safe, findings }`; per indicator (sorted), the findings of each kind in the order of
 *   `AuditFindingKind`, each kind in cell order (coarser cells first)
 * @throws {AnalysisInputError} for invalid tables or options (as `suppressRelease`), a released
 *   table or cell that the counted tables lack, or a published number that is not the count
 * @example
 * const tables = [
 *   { indicator: 'x', breakdown: [], cells: [{ group: {}, n: 40, yes: 14 }] },
 *   { indicator: 'x', breakdown: ['gender'], cells: [
 *     { group: { gender: 'woman' }, n: 37, yes: 12 }, { group: { gender: 'man' }, n: 3, yes: 2 }] },
 * ]
 * auditSuppression(tables, suppressRelease(tables))            // { safe: true, findings: [] }
 * // with only the man suppressed, it finds him: 40 − 37 = 3, 14 − 12 = 2
 */
export function auditSuppression (
  tables: readonly ReleaseTable[],
  released: readonly ControlledTable[],
  options: DisclosureOptions = {}
): SuppressionAudit {
  const k = resolveThreshold(options.k)
  const implications = resolveImplications(options.impliedDimensions)
  const model = buildReleaseModel(tables, implications)
  const knowledge = earlierKnowledge(options.previouslyPublished, model, implications)
  if (!Array.isArray(released)) throw new AnalysisInputError('invalid_parameter', 'released must be an array of tables')

  // The released cell of every table cell, by indicator and cell key.
  const releasedCells = new Map<string, Map<string, ControlledCell>>()
  released.forEach((table, i) => {
    const shaped = shapeTable<ControlledCell>(table, i, implications, `released[${i}]`)
    if (model.tableKeys.get(shaped.indicator)?.has(shaped.dimsKey) !== true) {
      throw new AnalysisInputError('invalid_parameter', `released[${i}] (${shaped.indicator} by [${shaped.dims.join(', ')}]) is not among the counted tables`)
    }
    const cells = releasedCells.get(shaped.indicator) ?? new Map<string, ControlledCell>()
    for (const c of shaped.cells) {
      assertControlledCell(c.source, () => `released[${i}] cell ${describeGroup(c.group)}`)
      cells.set(c.key, c.source)
    }
    releasedCells.set(shaped.indicator, cells)
  })

  const findings: AuditFinding[] = []
  for (const indicator of model.indicators) {
    const { lattice, n, yes } = indicator
    const name = indicator.indicator
    const history = cellHistory(indicator, knowledge, k)
    const cells = releasedCells.get(name)
    for (const key of cells?.keys() ?? []) {
      const i = lattice.indexOf.get(key)
      if (i === undefined || lattice.cells[i]?.implicit === true) {
        throw new AnalysisInputError('invalid_parameter', `${name}: a released cell (${key}) is not among the counted cells`)
      }
    }
    // Known counts: published now, or told before and unchanged.
    const value: Array<readonly [number, number] | undefined> = lattice.cells.map((cell, i) => {
      if (cell.implicit) return history.unchanged[i] === true ? [n[i] as number, yes[i] as number] : undefined
      const shown = cells?.get(cell.key)
      if (shown === undefined) {
        throw new AnalysisInputError('invalid_parameter', `released tables lack the cell ${describeGroup(cell.group)} of ${name} by [${cell.dims.join(', ')}]`)
      }
      if (shown.suppressed) return history.unchanged[i] === true ? [n[i] as number, yes[i] as number] : undefined
      if (shown.n !== n[i] || shown.yes !== yes[i]) {
        throw new AnalysisInputError('invalid_count', `${name}, ${describeGroup(cell.group)}: released n = ${shown.n}, yes = ${shown.yes}, but the counts are n = ${n[i] as number}, yes = ${yes[i] as number}`)
      }
      if (primaryRuleOf(shown.n, shown.yes, k) !== null) {
        findings.push(finding('published_below_k', name, [ref(cell)], shown.n, shown.yes,
          `${name}, ${describeGroup(cell.group)} is published with n = ${shown.n}, yes = ${shown.yes}: below k = ${k}`))
      }
      return [shown.n, shown.yes]
    })

    // Known values are the true counts (checked above), so every relation among them holds.
    const system = eliminate(relationEquations(lattice, (cell) => value[cell]), { rhsCount: 2 })
    const solve = (vector: ReadonlyMap<number, number>): readonly [number, number] | undefined => {
      const r = system.reduce(vector)
      return r.value === null ? undefined : [Number(r.value[0]), Number(r.value[1])]
    }
    const current = (i: number): readonly [number, number] | undefined =>
      value[i] ?? (system.isDetermined(i) ? solve(new Map([[i, 1]])) : undefined)

    lattice.cells.forEach((cell, i) => {
      if (value[i] !== undefined) return
      const got = current(i)
      if (got === undefined) return
      if (!cell.implicit || primaryRuleOf(got[0], got[1], k) !== null) {
        const what = cell.implicit ? 'the margin (published in no table)' : 'the suppressed cell'
        findings.push(finding('cell_recovered', name, [ref(cell)], got[0], got[1],
          `${name}: ${what} ${describeGroup(cell.group)} can be recovered exactly: n = ${got[0]}, yes = ${got[1]}`))
      }
    })
    for (const relation of lattice.relations) {
      if (relation.margin === null) continue
      const group = relation.children.filter((c) => value[c] === undefined)
      if (group.length < 2) continue
      const got = solve(new Map(group.map((c) => [c, 1])))
      if (got === undefined || primaryRuleOf(got[0], got[1], k) === null) continue
      const margin = lattice.cells[relation.margin] as LatticeCell
      findings.push(finding('group_recovered', name, group.map((c) => ref(lattice.cells[c] as LatticeCell)), got[0], got[1],
        `${name}: the ${group.length} unpublished cells within ${describeGroup(margin.group)} add up to n = ${got[0]}, yes = ${got[1]}, below k = ${k}`))
    }
    lattice.cells.forEach((cell, i) => {
      if (history.unchanged[i] === true) return
      const got = current(i)
      if (got === undefined) return
      for (const earlier of history.earlier[i] ?? []) {
        if (!changeRuleOf(got[0], got[1], earlier.n, earlier.yes, k)) continue
        findings.push({
          ...finding('change_recovered', name, [ref(cell)], got[0] - earlier.n, got[1] - earlier.yes,
            `${name}, ${describeGroup(cell.group)}: its change since previouslyPublished[${earlier.release}] can be computed ` +
            `(n ${earlier.n} → ${got[0]}, yes ${earlier.yes} → ${got[1]}): a group below k = ${k}`),
          release: earlier.release,
        })
      }
    })
  }
  return { safe: findings.length === 0, findings }
}

function finding (kind: AuditFinding['kind'], indicator: string, cells: readonly CellReference[], n: number, yes: number, message: string): AuditFinding {
  return { kind, indicator, cells, n, yes, no: n - yes, message }
}
