/**
 * The audit of a suppression pattern by exact optimisation: for every suppressed count, the least
 * and greatest value an attacker can prove from everything published, by linear (and, where the
 * size allows, integer) programming over the atom model.
 *
 * The attacker's model, per release r of the wave (earlier ones and this one), atom a, family f:
 * - unknowns n[r,f,a] and yes[r,f,a] (indicators), or the count c[r,a] (who answered), all ≥ 0;
 * - yes ≤ n; an indicator's n ≤ the respondents of its atom (Σ of the finer count atoms);
 * - yes[from] ≤ yes[to] for every implication between indicators (raped ⇒ any sexual violence);
 * - across releases nothing is taken away: yes, no = n − yes and c never fall, and an atom's n
 *   grows by at most the respondents it gained;
 * - every published cell (and every combination a table leaves out, = 0) is an equation.
 * Indicators linked by implications share one atom level (site × the response-level dimensions of
 * their tables); indicators of another such group may be coarser, and the counts may be finer. A
 * group touches the rest of the model only through its n ≤ respondents (and the gains), so splitting
 * each of its atoms in proportion to its count atoms (release by release, the gains by the gains;
 * every indicator of the group by the same ratios, which keeps its implications and yes ≤ n) lifts
 * any solution to one at the finest level with the same cells: the LP bounds are exactly those of
 * the model at the finest level, while a gender × age × county table of one indicator makes only its
 * group fine, not every indicator.
 *
 * A suppressed cell is safe (the protection interval of τ-ARGUS's frequency rule) when
 * - no count of it (n, yes or no) is pinned to one value: not only a cell whose counts are all
 *   determined, but one count exactly known while the others stay open tells that count; the
 *   exceptions are counts published anyway: an n that "who answered" publishes for the same
 *   respondents (see `publishedAsRespondents`), and the counts of a cell an earlier release of the
 *   wave published that have not changed since;
 * - every count that is below k (n, yes or no, or its change since an earlier release that
 *   published the cell) has an interval reaching k above the published baseline;
 * - no count is proven 0 while it is not (a greatest value of 0).
 * @see Hundepool et al. (2012), Statistical Disclosure Control, Wiley, §4.2 (protection intervals, audit)
 */
import { sameDims } from './atom-model.js'
import type { AtomModel, ModelCell, ModelFamily } from './atom-model.js'
import type { BoundSolver, LinearProgram, PointPool } from './bound-solver.js'
import type { CellGroup, SuppressionRule } from './types.js'

/** The decision on every cell of the current release: per family, per table, per cell. */
export type CellStatus = ReadonlyArray<ReadonlyArray<ReadonlyArray<SuppressionRule | null>>>

/** [least, greatest] an attacker can prove; the greatest may be Infinity. */
export type Interval = readonly [number, number]

export interface AuditedCell {
  readonly family: string
  readonly breakdown: readonly string[]
  readonly group: CellGroup
  readonly rule: SuppressionRule
  readonly n: Interval
  /** Absent for a count (who answered). */
  readonly yes?: Interval
  readonly no?: Interval
  /** Why the cell is not protected; absent when it is. */
  readonly problem?: string
  /** When not protected: the published cells (`cellId`) whose equations bind the failing bounds. */
  readonly blockers?: readonly string[]
}

/** The id of a current cell: family, table and cell index in the model. */
export const cellId = (f: number, t: number, c: number): string => `${f}:${t}:${c}`

export interface IntervalAudit {
  readonly safe: boolean
  readonly solver: string
  readonly cells: readonly AuditedCell[]
  /**
   * Least interval width over every suppressed count (null when nothing is suppressed), leaving out counts
   * published anyway (an n equal to a published respondent count of the same respondents; the unchanged
   * counts of a cell an earlier release published).
   */
  readonly minWidth: number | null
  readonly linearPrograms: number
  readonly integerPrograms: number
}

/** Variable layout of the LP. */
export interface Layout {
  readonly numCols: number
  /** Column of n (or c) of family f at release r, atom a. */
  nCol (r: number, f: number, a: number): number
  /** Column of yes of family f at release r, atom a (proportion families only). */
  yesCol (r: number, f: number, a: number): number
}

function layoutOf (model: AtomModel): Layout {
  const offsets: number[][] = []
  let next = 0
  for (let r = 0; r < model.releases; r++) {
    offsets.push(model.families.map((f) => {
      const at = next
      next += f.atomN.length * (f.kind === 'proportion' ? 2 : 1)
      return at
    }))
  }
  const kind = model.families.map((f) => f.kind)
  return {
    numCols: next,
    nCol: (r, f, a) => (offsets[r]?.[f] as number) + (kind[f] === 'proportion' ? 2 * a : a),
    yesCol: (r, f, a) => (offsets[r]?.[f] as number) + 2 * a + 1,
  }
}

class Rows {
  readonly lower: number[] = []
  readonly upper: number[] = []
  readonly starts: number[] = [0]
  readonly indices: number[] = []
  readonly values: number[] = []
  /** Per row, the current published cell it states (null for the model's other constraints). */
  readonly cells: Array<string | null> = []

  add (entries: ReadonlyMap<number, number>, lower: number, upper: number, cell: string | null = null): void {
    this.cells.push(cell)
    for (const [i, v] of [...entries].sort((a, b) => a[0] - b[0])) {
      if (v === 0) continue
      this.indices.push(i)
      this.values.push(v)
    }
    this.starts.push(this.indices.length)
    this.lower.push(lower)
    this.upper.push(upper)
  }
}

const sumOf = (cols: Iterable<number>, coefficient = 1, into = new Map<number, number>()): Map<number, number> => {
  for (const c of cols) into.set(c, (into.get(c) ?? 0) + coefficient)
  return into
}

/**
 * The attacker's linear program for a suppression pattern of the current release.
 * @returns the program and its layout
 */
export function attackerProgram (model: AtomModel, status: CellStatus): { program: LinearProgram, layout: Layout, rowCells: ReadonlyArray<string | null> } {
  const layout = layoutOf(model)
  const rows = new Rows()
  const last = model.releases - 1
  const resp = model.respondents
  for (let r = 0; r < model.releases; r++) {
    model.families.forEach((f, fi) => {
      for (let a = 0; a < f.atomN.length; a++) {
        const n = layout.nCol(r, fi, a)
        if (f.kind === 'proportion') {
          const y = layout.yesCol(r, fi, a)
          rows.add(new Map([[y, 1], [n, -1]]), -Infinity, 0)
          if (resp !== null) {
            const link = new Map([[n, 1]])
            for (const j of f.refinement[a] ?? []) link.set(layout.nCol(r, resp, j), -1)
            rows.add(link, -Infinity, 0)
            if (r > 0) {
              const gain = new Map([[n, 1], [layout.nCol(r - 1, fi, a), -1]])
              for (const j of f.refinement[a] ?? []) {
                gain.set(layout.nCol(r, resp, j), -1)
                gain.set(layout.nCol(r - 1, resp, j), 1)
              }
              rows.add(gain, -Infinity, 0)
            }
          }
          if (r > 0) {
            const py = layout.yesCol(r - 1, fi, a)
            const pn = layout.nCol(r - 1, fi, a)
            rows.add(new Map([[py, 1], [y, -1]]), -Infinity, 0)
            rows.add(new Map([[pn, 1], [py, -1], [n, -1], [y, 1]]), -Infinity, 0)
          }
        } else if (r > 0) {
          rows.add(new Map([[layout.nCol(r - 1, fi, a), 1], [n, -1]]), -Infinity, 0)
        }
      }
    })
    for (const [from, to] of model.implications) {
      const atoms = model.families[from]?.atomN.length ?? 0
      for (let a = 0; a < atoms; a++) rows.add(new Map([[layout.yesCol(r, from, a), 1], [layout.yesCol(r, to, a), -1]]), -Infinity, 0)
    }
    // Earlier releases' published cells.
    if (r < last) {
      model.families.forEach((f, fi) => {
        for (const t of f.earlier[r] ?? []) {
          for (const c of t.cells) {
            if (c.value === null) continue
            rows.add(sumOf(c.atoms.map((a) => layout.nCol(r, fi, a))), c.value[0], c.value[0])
            if (f.kind === 'proportion') rows.add(sumOf(c.atoms.map((a) => layout.yesCol(r, fi, a))), c.value[1], c.value[1])
          }
        }
      })
    }
  }
  // This release's published cells, and the combinations its tables leave out (= 0).
  model.families.forEach((f, fi) => {
    f.tables.forEach((t, ti) => {
      t.cells.forEach((c, ci) => {
        if (status[fi]?.[ti]?.[ci] != null) return
        const n = c.listed ? c.n : 0
        const id = c.listed ? cellId(fi, ti, ci) : null
        rows.add(sumOf(c.atoms.map((a) => layout.nCol(last, fi, a))), n, n, id)
        if (f.kind === 'proportion') {
          const yes = c.listed ? c.yes : 0
          rows.add(sumOf(c.atoms.map((a) => layout.yesCol(last, fi, a))), yes, yes, id)
        }
      })
    })
  })
  return {
    program: { numCols: layout.numCols, rowLower: rows.lower, rowUpper: rows.upper, rowStarts: rows.starts, indices: rows.indices, values: rows.values },
    layout,
    rowCells: rows.cells,
  }
}

/** The baseline each count of a cell is compared with: 0, or what an earlier release published for it. */
function baselineOf (family: ModelFamily, breakdown: readonly string[], cell: ModelCell): readonly [number, number] | null {
  let found: readonly [number, number] | null = null
  for (const release of family.earlier) {
    const same = release.find((e) => sameDims(e.breakdown, breakdown))
    const value = same?.cells.find((c) => c.key === cell.key)?.value
    if (value !== undefined && value !== null) found = value
  }
  return found
}

/**
 * Whether a cell's n is published anyway: the release publishes "who answered" for the same respondents
 * (a cell over the same sites and groups, e.g. women, or centrality 1 where that is exactly one county)
 * and that count equals the cell's n (everyone in the group answered the item). An attacker who pins
 * such an n learns only a published figure, and the size of a group of k or more says nothing about
 * anyone's answer, so the strict rule (no suppressed count pinned) does not apply to it. An n below the
 * respondents is not exempt: pinning it would tell how many in the group skipped the question.
 */
export function publishedAsRespondents (model: AtomModel, status: CellStatus, family: ModelFamily, cell: ModelCell): boolean {
  const r = model.respondents
  const counts = r === null ? undefined : model.families[r]
  if (r === null || counts === undefined || family.kind !== 'proportion' || cell.n < model.k) return false
  const own = new Set(cell.atoms.flatMap((a) => family.refinement[a] ?? []))
  return counts.tables.some((t, ti) => t.cells.some((c, ci) =>
    c.listed && c.n === cell.n && status[r]?.[ti]?.[ci] == null && c.atoms.length === own.size && c.atoms.every((a) => own.has(a))))
}

/**
 * Audits a suppression pattern.
 * @param model the atom model of the release
 * @param status the decision on every current cell (null: published)
 * @param solver the LP solver
 * @param integer the final audit: a primary cell's greatest values tightened by integer programming, and
 *   every least value taken (while repairing, only where the greatest equals the truth)
 * @param pool points of earlier audits of the same model, reused while repairing (see below)
 * @returns the interval of every suppressed count and whether every suppressed cell is protected
 */
export function auditIntervals (model: AtomModel, status: CellStatus, solver: BoundSolver, integer = true, pool?: PointPool): IntervalAudit {
  const { program, layout, rowCells } = attackerProgram(model, status)
  const loaded = solver.load(program, pool)
  const k = model.k
  const last = model.releases - 1
  let linearPrograms = 0
  let integerPrograms = 0
  const cells: AuditedCell[] = []
  let minWidth: number | null = null
  try {
    if (!loaded.feasible) throw new Error('disclosure audit: the published figures contradict the model (a bug, or counts that changed under the release)')
    // Bounds of every count; the greatest values the rule reads (a primary cell's) with integrality.
    let binding: string[] = []
    // While repairing (integer false) the least value is taken only when the greatest equals the truth
    // (else the count is not determined, and the rules read only the greatest); the final audit takes both.
    // Only whether a count is protected decides: a greatest value of at least `enough` (above the truth, so
    // neither determined nor 0; and k above the baseline) protects it, and a known point of the polytope
    // where the count reaches that (a whole-number point where integrality counts) proves it without a solve.
    // The greatest value shown is then that point's: the attacker's bound is at least it (the interval shown
    // may be narrower than the attacker's, never wider).
    const interval = (objective: ReadonlyMap<number, number>, exact: boolean, truth: number, enough?: number, counted = true): Interval => {
      const hi = loaded.bound(objective, 'max', exact, enough)
      // Above the truth, the greatest value already shows the count undetermined; the least value then decides
      // nothing, and the least the count takes at the points found (LP optima over published figures only,
      // so it tells nothing the release does not) is shown: the attacker's least value is at most it.
      const seen = hi.value > truth ? Math.min(hi.value, Math.ceil(loaded.seen(objective) - 1e-6)) : Infinity
      // Points that never go below the greatest value show nothing about the least: then it is solved for.
      const solveLo = hi.value <= truth || (integer && !(seen < hi.value))
      const lo = solveLo ? loaded.bound(objective, 'min') : { value: integer ? seen : truth, integer: false, binding: [] }
      linearPrograms += (hi.reached === true ? 0 : 1) + (solveLo ? 1 : 0)
      if (lo.integer) integerPrograms++
      if (hi.integer) integerPrograms++
      if (integer && counted) minWidth = minWidth === null ? hi.value - lo.value : Math.min(minWidth, hi.value - lo.value)
      binding = [...lo.binding, ...hi.binding].flatMap((row) => rowCells[row] ?? [])
      return [lo.value, hi.value]
    }
    model.families.forEach((f, fi) => {
      f.tables.forEach((t, ti) => {
        t.cells.forEach((c, ci) => {
          const rule = status[fi]?.[ti]?.[ci]
          if (rule == null) return
          const exact = integer && rule !== 'complementary'
          const blockers = new Set<string>()
          const base = baselineOf(f, t.breakdown, c)
          const enough = (truth: number, baseline: number): number => (rule === 'complementary' ? truth + 1 : Math.max(truth + 1, baseline + k))
          const nObj = sumOf(c.atoms.map((a) => layout.nCol(last, fi, a)))
          // An earlier release published this cell with the counts it still has: pinning any of them tells
          // the attacker a published figure, and that nobody who came since is in the cell, which is no answer.
          const republished = base !== null && c.n === base[0] && (f.kind === 'count' || c.yes === base[1])
          const nPublished = republished || publishedAsRespondents(model, status, f, c)
          const n = interval(nObj, exact, c.n, enough(c.n, base?.[0] ?? 0), !nPublished)
          const nBinding = binding
          const problems: string[] = []
          const changed = base !== null && (c.n !== base[0] || (f.kind === 'proportion' && c.yes !== base[1]))
          const check = (name: string, truth: number, got: Interval, baseline: number, bindingRows: readonly string[]): void => {
            const before = problems.length
            if (truth > 0 && got[1] <= 0) problems.push(`${name} is proven to be 0`)
            if (rule === 'complementary') return
            // Published before with every count ≥ k, a cell can only fail by its change; else by its own counts.
            const below = base === null ? truth < k : changed && truth - baseline < k
            if (below && got[1] - baseline < k) {
              problems.push(base === null
                ? `${name} = ${truth} is below k = ${k} and the attacker can prove ${name} ≤ ${got[1]}`
                : `${name} changed by ${truth - baseline} since an earlier release, and the attacker can prove the change ≤ ${got[1] - baseline}`)
            }
            if (problems.length > before) for (const id of bindingRows) blockers.add(id)
          }
          const result = (extra: { yes?: Interval, no?: Interval }): AuditedCell => ({
            family: f.name,
            breakdown: t.breakdown,
            group: c.group,
            rule,
            n,
            ...extra,
            ...(problems.length > 0 ? { problem: problems.join('; '), blockers: [...blockers] } : {}),
          })
          if (f.kind === 'count') {
            if (n[0] === n[1]) {
              problems.push(`n is determined (${n[0]})`)
              for (const id of nBinding) blockers.add(id)
            }
            check('n', c.n, n, base?.[0] ?? 0, nBinding)
            cells.push(result({}))
            return
          }
          const yObj = sumOf(c.atoms.map((a) => layout.yesCol(last, fi, a)))
          const yes = interval(yObj, exact, c.yes, enough(c.yes, base?.[1] ?? 0), !republished)
          const yesBinding = binding
          const noObj = new Map(nObj)
          sumOf(c.atoms.map((a) => layout.yesCol(last, fi, a)), -1, noObj)
          const no = interval(noObj, exact, c.n - c.yes, enough(c.n - c.yes, base === null ? 0 : base[0] - base[1]), !republished)
          const noBinding = binding
          if (n[0] === n[1] && yes[0] === yes[1]) {
            problems.push(`its counts are determined (n = ${n[0]}, yes = ${yes[0]})`)
            for (const id of [...nBinding, ...yesBinding]) blockers.add(id)
          } else if (!republished) {
            // One count pinned while the others stay open still tells the attacker that count exactly.
            const pinned: Array<[string, Interval, readonly string[]]> = [['yes', yes, yesBinding], ['no', no, noBinding]]
            if (!nPublished) pinned.unshift(['n', n, nBinding])
            for (const [name, got, rows] of pinned) {
              if (got[0] !== got[1]) continue
              problems.push(`${name} is pinned to ${got[0]}`)
              for (const id of rows) blockers.add(id)
            }
          }
          // A cell whose own counts are all ≥ k (or that is empty) triggers nothing; a primary one is checked count by count.
          if (c.n > 0) {
            check('n', c.n, n, base?.[0] ?? 0, nBinding)
            check('yes', c.yes, yes, base?.[1] ?? 0, yesBinding)
            check('no', c.n - c.yes, no, base === null ? 0 : base[0] - base[1], noBinding)
          }
          cells.push(result({ yes, no }))
        })
      })
    })
  } finally {
    loaded.dispose()
  }
  return { safe: cells.every((c) => c.problem === undefined), solver: solver.name, cells, minWidth, linearPrograms, integerPrograms }
}
