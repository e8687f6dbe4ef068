/**
 * The cells of one indicator's tables and the additive relations between them.
 *
 * Every table of an indicator counts the same respondents, so a cell of a coarser table equals
 * the sum of the cells of a finer table that refine it (for n and for yes, and so for no). Two
 * tables that are not nested are still linked through their common margin (gender × county and
 * gender × age both add up to the gender margin), even when no table publishes that margin; and
 * any margin of a table (all 18–34 year olds, from county × age) is a group whose counts may
 * follow from the published cells. So every margin of every table is a cell of the lattice,
 * implicit when no table publishes it. Each dimension set is related to the sets that cover it
 * (no set in between), which generates every relation of nested sums: a chain of coverings
 * implies the longer relations.
 */
import type { LinearEquation } from './integer-elimination.js'
import { cellKeyOf, dimsKeyOf, project } from './table-shape.js'
import type { ShapedTable } from './table-shape.js'
import type { CellGroup } from './types.js'

/** A cell of the lattice: a table cell, or an implicit margin no table publishes. */
export interface LatticeCell {
  readonly key: string
  readonly dims: readonly string[]
  readonly group: CellGroup
  readonly implicit: boolean
}

/** margin = Σ children (margin null: the cell is absent from its table, so the sum is 0). */
export interface Relation {
  readonly margin: number | null
  readonly children: readonly number[]
}

/** The cells of one indicator (sorted by key, which is their index order) and their relations. */
export interface Lattice {
  readonly cells: readonly LatticeCell[]
  readonly indexOf: ReadonlyMap<string, number>
  readonly relations: readonly Relation[]
  /** For each cell, the relations it appears in. */
  readonly relationsOf: ReadonlyArray<readonly number[]>
}

const isSubset = (small: readonly string[], big: readonly string[]): boolean => small.every((d) => big.includes(d))

/**
 * Builds the lattice of one indicator's tables (distinct dimension sets).
 * @param isClosed whether a set of dimensions contains every dimension it implies
 */
export function buildLattice (tables: ReadonlyArray<ShapedTable<unknown>>, isClosed: (dims: readonly string[]) => boolean): Lattice {
  const members = new Map<string, readonly string[]>()
  const tableDims = new Set<string>()
  for (const t of tables) {
    members.set(t.dimsKey, t.dims)
    tableDims.add(t.dimsKey)
  }
  // Every margin of every table is a group someone may compute: add each subset of a table's
  // dimensions that is closed under the implied dimensions (this also closes under intersection).
  for (const t of tables) {
    for (let mask = 0; mask < 2 ** t.dims.length - 1; mask++) {
      const subset = t.dims.filter((_, i) => Math.floor(mask / 2 ** i) % 2 === 1)
      const key = dimsKeyOf(subset)
      if (!members.has(key) && isClosed(subset)) members.set(key, subset)
    }
  }

  const found = new Map<string, LatticeCell>()
  for (const t of tables) {
    for (const c of t.cells) found.set(c.key, { key: c.key, dims: t.dims, group: c.group, implicit: false })
  }
  for (const [key, dims] of members) {
    if (tableDims.has(key)) continue
    for (const t of tables) {
      if (!isSubset(dims, t.dims)) continue
      for (const c of t.cells) {
        const cellKey = cellKeyOf(dims, c.group, key)
        if (!found.has(cellKey)) found.set(cellKey, { key: cellKey, dims, group: project(c.group, dims), implicit: true })
      }
    }
  }
  const cells = [...found.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const indexOf = new Map(cells.map((c, i) => [c.key, i]))
  const cellsOf = new Map<string, number[]>()
  const dimsKeys = new Map<readonly string[], string>()
  cells.forEach((c, i) => {
    let key = dimsKeys.get(c.dims)
    if (key === undefined) dimsKeys.set(c.dims, (key = dimsKeyOf(c.dims)))
    const list = cellsOf.get(key) ?? []
    list.push(i)
    cellsOf.set(key, list)
  })

  const sets = [...members.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  const relations: Relation[] = []
  for (const [sKey, sDims] of sets) {
    for (const [tKey, tDims] of sets) {
      if (tDims.length <= sDims.length || !isSubset(sDims, tDims)) continue
      const between = sets.some(([, u]) => u.length > sDims.length && u.length < tDims.length && isSubset(sDims, u) && isSubset(u, tDims))
      if (between) continue
      const childrenOf = new Map<string, number[]>()
      for (const t of cellsOf.get(tKey) ?? []) {
        const key = cellKeyOf(sDims, (cells[t] as LatticeCell).group, sKey)
        const list = childrenOf.get(key) ?? []
        list.push(t)
        childrenOf.set(key, list)
      }
      for (const s of cellsOf.get(sKey) ?? []) {
        const key = (cells[s] as LatticeCell).key
        relations.push({ margin: s, children: childrenOf.get(key) ?? [] })
        childrenOf.delete(key)
      }
      for (const key of [...childrenOf.keys()].sort()) relations.push({ margin: null, children: childrenOf.get(key) as number[] })
    }
  }
  const relationsOf: number[][] = cells.map(() => [])
  relations.forEach((r, e) => {
    if (r.margin !== null) relationsOf[r.margin]?.push(e)
    for (const c of r.children) relationsOf[c]?.push(e)
  })
  return { cells, indexOf, relations, relationsOf }
}

/** The terms of a relation as (cell, coefficient): margin +1, children −1. */
export function termsOf (relation: Relation): Array<readonly [number, number]> {
  const terms: Array<readonly [number, number]> = relation.children.map((c) => [c, -1] as const)
  if (relation.margin !== null) terms.unshift([relation.margin, 1])
  return terms
}

/**
 * The lattice's relations as equations over the cells whose counts are not known, each known cell's
 * (n, yes) moved to the right-hand sides. A relation among known cells alone is kept only when it does
 * not hold (0 = nonzero), so that elimination reports the counts inconsistent.
 */
export function relationEquations (lattice: Lattice, known: (cell: number) => readonly [number, number] | undefined): LinearEquation[] {
  const equations: LinearEquation[] = []
  for (const relation of lattice.relations) {
    const variables: number[] = []
    const coefficients: number[] = []
    const rhs = [0, 0]
    for (const [cell, coefficient] of termsOf(relation)) {
      const value = known(cell)
      if (value === undefined) {
        variables.push(cell)
        coefficients.push(coefficient)
      } else {
        rhs[0] = (rhs[0] as number) - coefficient * value[0]
        rhs[1] = (rhs[1] as number) - coefficient * value[1]
      }
    }
    if (variables.length > 0 || rhs[0] !== 0 || rhs[1] !== 0) equations.push({ variables, coefficients, rhs })
  }
  return equations
}
