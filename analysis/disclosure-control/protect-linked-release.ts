/**
 * Disclosure control of a results release on the atom model: primary rule, secondary suppression
 * by Gaussian elimination, then the audit by exact optimisation, repeated until the audit passes or
 * nothing more can be done (ARCHITECTURE.md, anonymity rules 6 and 9).
 *
 * 1. Primary: a listed cell with 0 < min(n, yes, no) < k (a count: 0 < c < k), or whose change since
 *    an earlier release that published it is a group below k (see `primaryOfCell`).
 * 2. Secondary, per family (an indicator, or who answered), by `gaussSuppression`:
 *    - known columns: earlier releases' published cells, combinations a table leaves out (empty),
 *      and cells the audit found determined anyway;
 *    - primary columns: the primary cells, cells the audit asked to hide, and per singleton atom
 *      (one respondent) of a primary cell, the cell without that respondent: the respondent knows
 *      their own answer, so the rest of the cell must not be computable either (the singleton
 *      problem);
 *    - candidates by cost, most worth publishing first: empty cells (nothing to protect, and a
 *      suppressed zero protects nothing: zeros are published), then by (n + 1) × weight, where
 *      totals weigh 1000 times a breakdown cell and the family's weight favours headline
 *      indicators and respondent counts; ties by the number of atoms a cell covers.
 * 3. Audit (`auditIntervals`), on LP bounds while repairing and with integer programming at the end. Where it finds a suppressed cell determined but not disclosive (a
 *    complementary cell, or a respondent count another table gives away), that cell is published
 *    instead: hiding what anyone can compute hides nothing. Where it finds a protection interval too
 *    narrow, the cheapest published cell of the same family that shares atoms with it is hidden
 *    too (as a primary column, so Gaussian elimination keeps it uncomputable) and the round starts
 *    again. After `MAX_ROUNDS` rounds the last audit stands, and a release whose audit is not safe
 *    is refused by the caller with the cells named.
 */
import { buildAtomModel, primaryOfCell } from './atom-model.js'
import type { AtomModel, LinkedReleaseInput, ModelCell } from './atom-model.js'
import type { BoundSolver, PointPool } from './bound-solver.js'
import { gaussSuppression } from './gauss-suppression.js'
import type { SparseColumn } from './gauss-suppression.js'
import { auditIntervals, cellId } from './interval-audit.js'
import type { AuditedCell, CellStatus, IntervalAudit } from './interval-audit.js'
import { resolveThreshold } from './primary-rule.js'
import type { CellGroup, SuppressionRule } from './types.js'

export const MAX_ROUNDS = 8

export interface LinkedCell {
  readonly group: CellGroup
  readonly n: number
  readonly yes: number
  /** null: published. */
  readonly rule: SuppressionRule | null
}

export interface LinkedTable {
  readonly family: string
  readonly breakdown: readonly string[]
  /** The listed cells (combinations with respondents), in a fixed order. */
  readonly cells: readonly LinkedCell[]
}

export interface LinkedRelease {
  readonly tables: readonly LinkedTable[]
  readonly audit: IntervalAudit
  readonly rounds: number
  readonly counts: { readonly cells: number, readonly primary: number, readonly secondary: number }
}

/**
 * Protects a release.
 * @param input the counts per site and atom of every family, the tables, the sites' attributes,
 *   the implications between indicators and the earlier releases of the wave
 * @param solver the LP solver the audit uses (`highsSolver()`)
 * @throws {AnalysisInputError} for malformed input (see `buildAtomModel`) or k < 3
 */
export function protectLinkedRelease (input: LinkedReleaseInput, solver: BoundSolver): LinkedRelease {
  resolveThreshold(input.k)
  const model = buildAtomModel(input)
  const primary = model.families.map((f) => f.tables.map((t, ti) => t.cells.map((c) => primaryOfCell(f, ti, c, model.k))))
  const hide = new Set<string>()
  const show = new Set<string>()
  let status = suppress(model, primary, hide, show)
  // Rounds of repair on LP bounds (fast), then the final audit with integer programming too.
  let integer = false
  // Optima of one round's solves, reused by the next rounds where still feasible (they differ by a few cells).
  const pool: PointPool = []
  let audit = auditIntervals(model, status, solver, integer, pool)
  let rounds = 1
  for (;;) {
    if (audit.safe && !integer) {
      integer = true
      audit = auditIntervals(model, status, solver, integer, pool)
    }
    if (audit.safe || rounds >= MAX_ROUNDS) break
    let changed = false
    for (const cell of audit.cells) {
      if (cell.problem === undefined) continue
      const at = locate(model, cell)
      if (at === undefined) continue
      const [fi, ti, ci] = at
      const determinedOnly = /^(its counts are|n is) determined/.test(cell.problem) && !cell.problem.includes(';')
      if (determinedOnly && (cell.rule === 'complementary' || (model.families[fi]?.kind === 'count' && cell.n[0] >= model.k))) {
        if (!show.has(cellId(fi, ti, ci))) {
          show.add(cellId(fi, ti, ci))
          changed = true
        }
        continue
      }
      const extra = cellToHide(model, status, at, cell.blockers ?? [], show)
      if (extra !== undefined && !hide.has(extra)) {
        hide.add(extra)
        changed = true
      }
    }
    if (!changed) break
    status = suppress(model, primary, hide, show)
    integer = false
    audit = auditIntervals(model, status, solver, integer, pool)
    rounds++
  }

  let cells = 0
  let primaryCount = 0
  let secondary = 0
  const tables = model.families.flatMap((f, fi) => f.tables.map((t, ti): LinkedTable => ({
    family: f.name,
    breakdown: t.breakdown,
    cells: t.cells.flatMap((c, ci) => {
      if (!c.listed) return []
      const rule = status[fi]?.[ti]?.[ci] ?? null
      cells++
      if (rule === 'complementary') secondary++
      else if (rule !== null) primaryCount++
      return [{ group: c.group, n: c.n, yes: c.yes, rule }]
    }),
  })))
  return { tables, audit, rounds, counts: { cells, primary: primaryCount, secondary } }
}

function locate (model: AtomModel, cell: AuditedCell): readonly [number, number, number] | undefined {
  const fi = model.families.findIndex((f) => f.name === cell.family)
  const f = model.families[fi]
  if (f === undefined) return undefined
  const ti = f.tables.findIndex((t) => t.breakdown === cell.breakdown)
  const ci = f.tables[ti]?.cells.findIndex((c) => c.group === cell.group) ?? -1
  return ci < 0 ? undefined : [fi, ti, ci]
}

const cost = (cell: ModelCell, weight: number): number => (cell.n === 0 ? Infinity : (cell.n + 1) * weight)

/**
 * The cell to hide for a cell the audit found unprotected: of the published cells whose equations
 * bind its failing bounds (any family: a respondent count can bound an indicator's n), the one
 * that costs least; failing that, the cheapest published cell of its family that shares atoms with it.
 */
function cellToHide (model: AtomModel, status: CellStatus, at: readonly [number, number, number], blockers: readonly string[], show: ReadonlySet<string>): string | undefined {
  const [fi, ti, ci] = at
  const priceOf = (id: string): number => {
    const [f, t, c] = id.split(':').map(Number) as [number, number, number]
    const table = model.families[f]?.tables[t]
    const cell = table?.cells[c]
    if (table === undefined || cell === undefined || !cell.listed || status[f]?.[t]?.[c] != null || show.has(id)) return Infinity
    // An empty cell can bind too (an empty any-violence cell proves its raped cell 0), so it may be hidden here.
    return (cell.n + 1) * table.weight
  }
  const cheapest = (ids: Iterable<string>): string | undefined => {
    let best: { id: string, price: number } | undefined
    for (const id of ids) {
      const price = priceOf(id)
      if (price < Infinity && (best === undefined || price < best.price)) best = { id, price }
    }
    return best?.id
  }
  const fromDuals = cheapest(blockers)
  if (fromDuals !== undefined) return fromDuals
  const f = model.families[fi]
  const atoms = new Set(f?.tables[ti]?.cells[ci]?.atoms ?? [])
  return cheapest((f?.tables ?? []).flatMap((t, tj) => t.cells.flatMap((c, cj) => (c.atoms.some((a) => atoms.has(a)) ? [cellId(fi, tj, cj)] : []))))
}

/** Gaussian-elimination suppression of every family, with the audit's additions. */
function suppress (
  model: AtomModel,
  primary: ReadonlyArray<ReadonlyArray<ReadonlyArray<SuppressionRule | null>>>,
  hide: ReadonlySet<string>,
  show: ReadonlySet<string>
): CellStatus {
  const last = model.releases - 1
  return model.families.map((f, fi) => {
    const atoms = f.atomN.length
    const column = (release: number, cellAtoms: readonly number[], minus?: number): SparseColumn => {
      const v = new Map<number, number>()
      for (let r = 0; r <= release; r++) for (const a of cellAtoms) if (a !== minus) v.set(r * atoms + a, 1)
      return v
    }
    const known: SparseColumn[] = []
    f.earlier.forEach((tables, r) => {
      for (const t of tables) for (const c of t.cells) if (c.value !== null) known.push(column(r, c.atoms))
    })
    const primaries: SparseColumn[] = []
    const candidates: Array<{ t: number, c: number, cell: ModelCell, weight: number }> = []
    const out = f.tables.map((t, ti) => t.cells.map((c, ci): SuppressionRule | null => {
      const id = cellId(fi, ti, ci)
      const rule = primary[fi]?.[ti]?.[ci] ?? null
      if (!c.listed || (show.has(id) && (rule === null || f.kind === 'count'))) {
        known.push(column(last, c.atoms))
        return null
      }
      if (rule !== null) {
        primaries.push(column(last, c.atoms))
        // The singleton problem: one respondent of the cell knows their own answer.
        for (const a of c.atoms) if (f.atomN[a] === 1 && c.n > 1) primaries.push(column(last, c.atoms, a))
        return rule
      }
      if (hide.has(id)) {
        primaries.push(column(last, c.atoms))
        return 'complementary'
      }
      candidates.push({ t: ti, c: ci, cell: c, weight: t.weight })
      return null
    }))
    // Most worth publishing first: the highest cost of suppression first.
    candidates.sort((a, b) => {
      const ca = cost(a.cell, a.weight)
      const cb = cost(b.cell, b.weight)
      return (ca === cb ? 0 : ca > cb ? -1 : 1) || b.cell.atoms.length - a.cell.atoms.length || a.t - b.t || a.c - b.c
    })
    const result = gaussSuppression({ known, primary: primaries, candidates: candidates.map((x) => column(last, x.cell.atoms)) })
    result.suppress.forEach((s, i) => {
      const x = candidates[i]
      if (s && x !== undefined) (out[x.t] as Array<SuppressionRule | null>)[x.c] = 'complementary'
    })
    return out
  })
}
