/**
 * Secondary (complementary) suppression for one indicator: suppress published cells until no
 * suppressed cell, no disclosive implicit margin and no disclosive group of suppressed cells in a
 * line can be computed exactly from what is known.
 *
 * What is known: the cells published now, and every cell whose current counts equal counts an
 * earlier release published or let anyone derive (an attacker who assumes that cell did not
 * change is right). Hence a cell published before and unchanged is never chosen as a complement:
 * suppressing it would hide nothing.
 *
 * The heuristic, deterministic throughout (cells are ordered by their canonical key):
 * 1. Lines: while a relation (a row, a column, a margin and its cells) has exactly one unknown
 *    cell and that cell must stay hidden, suppress the best other cell of that relation; and
 *    while a relation with a known margin has unknown cells whose sum fails the primary rule
 *    (e.g. their yes adds up to 0), suppress the best published cell of it.
 * 2. Exact check: Gaussian elimination over each connected set of unknown cells finds what is
 *    still determined. For each such cell (or group), the certificate of the elimination (which
 *    relations combine to give it) names the published cells it is computed from; suppress the
 *    best of those. Back to 1, until the check finds nothing.
 * "Best" = a cell never published before, then one published before that has changed, then an
 * empty cell; within that the smallest n, then the canonical order.
 */
import { AnalysisInputError } from '../errors.js'
import { eliminate } from './integer-elimination.js'
import type { LinearEquation } from './integer-elimination.js'
import { termsOf } from './lattice.js'
import type { CellHistory } from './earlier-releases.js'
import { primaryRuleOf } from './primary-rule.js'
import type { IndicatorModel } from './release-model.js'
import { describeGroup } from './table-shape.js'

export const PUBLISHED = 0
export const PRIMARY = 1
export const SECONDARY = 2
export const IMPLICIT = 3

/** The state of one indicator while it is being protected; `status` is updated in place. */
export interface ProtectionState {
  readonly model: IndicatorModel
  readonly history: CellHistory
  readonly k: number
  /** Per lattice cell: PUBLISHED, PRIMARY, SECONDARY or IMPLICIT. */
  readonly status: Uint8Array
}

interface Violation {
  readonly vector: ReadonlyMap<number, number>
  readonly label: string
}

/** Protects one indicator: adds secondary suppressions to `state.status` until nothing discloses. */
export function protectIndicator (state: ProtectionState): void {
  const { model, history, k, status } = state
  const { lattice, n, yes } = model
  const relations = lattice.relations
  const cellCount = lattice.cells.length
  const terms = relations.map(termsOf)
  const cellsOf = terms.map((t) => t.map(([c]) => c))

  const known = (i: number): boolean => status[i] === PUBLISHED || (history.unchanged[i] as boolean)
  const fails = (sn: number, sy: number): boolean => primaryRuleOf(sn, sy, k) !== null
  const mustHide = (i: number): boolean => status[i] === PRIMARY || status[i] === SECONDARY ||
    fails(n[i] as number, yes[i] as number) || (history.changeDiscloses[i] as boolean)
  const tier = (i: number): number => {
    if (status[i] !== PUBLISHED || (history.unchanged[i] as boolean)) return 0
    if (n[i] === 0) return 3
    return (history.earlier[i] as readonly unknown[]).length > 0 ? 2 : 1
  }
  const better = (a: number, b: number): boolean => {
    if (b < 0) return true
    const ta = tier(a)
    const tb = tier(b)
    if (ta !== tb) return ta < tb
    if (n[a] !== n[b]) return (n[a] as number) < (n[b] as number)
    return a < b
  }
  const best = (cells: Iterable<number>, maxTier = 3): number => {
    let choice = -1
    for (const c of cells) {
      const t = tier(c)
      if (t > 0 && t <= maxTier && better(c, choice)) choice = c
    }
    return choice
  }

  const unknownCount = new Int32Array(relations.length)
  cellsOf.forEach((cells, e) => {
    for (const c of cells) if (!known(c)) unknownCount[e] = (unknownCount[e] as number) + 1
  })
  const queue: number[] = []
  const suppress = (y: number): void => {
    status[y] = SECONDARY
    for (const e of lattice.relationsOf[y] ?? []) {
      unknownCount[e] = (unknownCount[e] as number) + 1
      if (unknownCount[e] === 1) queue.push(e)
    }
  }

  /** Step 1: lines with a single unknown cell, and lines whose unknown cells form a small group. */
  const peel = (): void => {
    relations.forEach((_, e) => { if (unknownCount[e] === 1) queue.push(e) })
    let head = 0
    for (;;) {
      while (head < queue.length) {
        const e = queue[head++] as number
        if (unknownCount[e] !== 1) continue
        const line = cellsOf[e] as number[]
        const u = line.find((c) => !known(c)) as number
        if (!mustHide(u)) continue
        const y = best(line)
        if (y >= 0) suppress(y)
      }
      let fixed = false
      relations.forEach((r, e) => {
        if (r.margin === null || !known(r.margin) || (unknownCount[e] as number) < 2) return
        let sn = 0
        let sy = 0
        for (const c of r.children) {
          if (known(c)) continue
          sn += n[c] as number
          sy += yes[c] as number
        }
        if (!fails(sn, sy)) return
        let y = best(r.children, 2)
        if (y < 0) y = best([r.margin], 2)
        if (y >= 0) {
          suppress(y)
          fixed = true
        }
      })
      if (!fixed) break
    }
    queue.length = 0
  }

  /** Step 2: exact check per connected set of unknown cells; suppresses and returns true if it found anything. */
  const clean = new Set<string>()
  const checkExactly = (): boolean => {
    // Known-ness as the equations were built; suppressions made during this round change `known`.
    const wasKnown = Uint8Array.from({ length: cellCount }, (_, i) => (known(i) ? 1 : 0))
    const isKnown = (i: number): boolean => wasKnown[i] === 1
    const parent = Int32Array.from({ length: cellCount }, (_, i) => i)
    const find = (x: number): number => {
      while (parent[x] !== x) {
        parent[x] = parent[parent[x] as number] as number
        x = parent[x] as number
      }
      return x
    }
    cellsOf.forEach((line, e) => {
      if (unknownCount[e] === 0) return
      let first = -1
      for (const c of line) {
        if (isKnown(c)) continue
        if (first < 0) first = c
        else parent[find(c)] = find(first)
      }
    })
    const components = new Map<number, { cells: number[], relations: number[] }>()
    for (let i = 0; i < cellCount; i++) {
      if (isKnown(i)) continue
      const root = find(i)
      const comp = components.get(root) ?? { cells: [], relations: [] }
      comp.cells.push(i)
      components.set(root, comp)
    }
    cellsOf.forEach((line, e) => {
      if (unknownCount[e] === 0) return
      const c = line.find((cell) => !isKnown(cell))
      if (c !== undefined) components.get(find(c))?.relations.push(e)
    })
    let changed = false
    for (const comp of [...components.values()].sort((a, b) => (a.cells[0] as number) - (b.cells[0] as number))) {
      const signature = comp.cells.join(',')
      if (clean.has(signature)) continue
      const equations: LinearEquation[] = comp.relations.map((e) => {
        const unknown = (terms[e] as Array<readonly [number, number]>).filter(([c]) => !isKnown(c))
        return { variables: unknown.map(([c]) => c), coefficients: unknown.map(([, a]) => a), rhs: [] }
      })
      const system = eliminate(equations, { rhsCount: 0 })
      const violations: Violation[] = []
      for (const c of comp.cells) {
        if (mustHide(c) && system.isDetermined(c)) violations.push({ vector: new Map([[c, 1]]), label: describeGroup(lattice.cells[c]?.group ?? {}) })
      }
      for (const e of comp.relations) {
        const r = relations[e] as (typeof relations)[number]
        if (r.margin === null) continue
        const group = r.children.filter((c) => !isKnown(c))
        if (group.length < 2) continue
        let sn = 0
        let sy = 0
        for (const c of group) {
          sn += n[c] as number
          sy += yes[c] as number
        }
        if (!fails(sn, sy)) continue
        const vector = new Map(group.map((c) => [c, 1]))
        if (system.reduce(vector).determined) violations.push({ vector, label: `the suppressed cells within ${describeGroup(lattice.cells[r.margin]?.group ?? {})}` })
      }
      if (violations.length === 0) {
        clean.add(signature)
        continue
      }
      const traced = eliminate(equations, { rhsCount: 0, provenance: true })
      const chosen = new Set<number>()
      for (const violation of violations) {
        const certificate = traced.reduce(violation.vector).certificate
        const weight = new Map<number, bigint>()
        for (const [local, lambda] of certificate ?? []) {
          for (const [c, a] of terms[comp.relations[local] as number] ?? []) {
            if (isKnown(c)) weight.set(c, (weight.get(c) ?? 0n) + lambda * BigInt(a))
          }
        }
        const sources = [...weight].filter(([, w]) => w !== 0n).map(([c]) => c)
        if (sources.some((c) => chosen.has(c))) continue
        const y = best(sources)
        if (y < 0) {
          throw new AnalysisInputError('invalid_parameter',
            `${model.indicator}: ${violation.label} cannot be protected: it follows from cells that are published and cannot be hidden ` +
            '(published unchanged in an earlier release, or the only cells of their line)')
        }
        chosen.add(y)
        suppress(y)
        changed = true
      }
    }
    return changed
  }

  for (;;) {
    peel()
    if (!checkExactly()) break
  }
}
