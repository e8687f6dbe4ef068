/**
 * Exact sparse Gauss–Jordan elimination over the integers, for the audit of a suppression
 * pattern: the unknowns are the cells an attacker does not know, the equations are the additive
 * relations between tables with the known cells substituted.
 *
 * Fraction-free: a row is combined as p·row − a·pivotRow and divided by the gcd of its entries,
 * so every entry stays an integer and nothing is rounded. The relations of nested tables have
 * coefficients 0/±1 and pivots are chosen ±1 where there is one, so the entries stay small; they
 * are JavaScript numbers, checked to stay safe integers, and the whole elimination is redone
 * with BigInt if one would not. Pivot order is Markowitz-like (shortest row first, then the
 * column in the fewest rows) to keep the rows sparse, with ties broken by index so that the
 * result never depends on iteration order.
 * @see https://en.wikipedia.org/wiki/Bareiss_algorithm (fraction-free elimination)
 */

import { MinHeap } from './min-heap.js'

/** One equation Σ coefficient · x[variable] = rhs[m], with one right-hand side per measure m. */
export interface LinearEquation {
  readonly variables: readonly number[]
  readonly coefficients: readonly number[]
  readonly rhs: readonly number[]
}

/** The reduction of a vector u of coefficients against the equations. */
export interface Reduction {
  /** True when u·x is determined by the equations (u lies in their row space). */
  readonly determined: boolean
  /** The value of u·x per right-hand side, when determined. */
  readonly value: readonly bigint[] | null
  /**
   * When determined and elimination kept provenance: multipliers λ (equation index → λ) with
   * Σ λ·equation = scale·u over the unknowns, so the published cells that determine u·x are those
   * whose coefficients in Σ λ·(full equation) are not 0.
   */
  readonly certificate: ReadonlyMap<number, bigint> | null
}

/** The equations after elimination. */
export interface ReducedSystem {
  /** False when the equations contradict each other (0 = c ≠ 0). */
  readonly consistent: boolean
  /** True when x[variable] is determined by the equations. */
  isDetermined (variable: number): boolean
  /** Reduces a vector u (variable → coefficient): is u·x determined, and to what. */
  reduce (vector: ReadonlyMap<number, number>): Reduction
}

/** Options of `eliminate`. */
export interface EliminationOptions {
  /** Number of right-hand sides of every equation. */
  readonly rhsCount: number
  /** Keep, per row, the combination of the original equations it is (for certificates). */
  readonly provenance?: boolean
}

interface Arithmetic<T> {
  readonly zero: T
  readonly one: T
  from (x: number): T
  isZero (a: T): boolean
  isUnit (a: T): boolean
  mul (a: T, b: T): T
  sub (a: T, b: T): T
  gcd (a: T, b: T): T
  div (a: T, b: T): T
  big (a: T): bigint
}

class CoefficientOverflow extends Error {}

function safe (x: number): number {
  if (!Number.isSafeInteger(x)) throw new CoefficientOverflow()
  return x
}

const numbers: Arithmetic<number> = {
  zero: 0,
  one: 1,
  from: (x) => x,
  isZero: (a) => a === 0,
  isUnit: (a) => a === 1 || a === -1,
  mul: (a, b) => safe(a * b),
  sub: (a, b) => safe(a - b),
  gcd: (a, b) => {
    let x = Math.abs(a)
    let y = Math.abs(b)
    while (y !== 0) [x, y] = [y, x % y]
    return x
  },
  div: (a, b) => a / b,
  big: (a) => BigInt(a),
}

const bigints: Arithmetic<bigint> = {
  zero: 0n,
  one: 1n,
  from: (x) => BigInt(x),
  isZero: (a) => a === 0n,
  isUnit: (a) => a === 1n || a === -1n,
  mul: (a, b) => a * b,
  sub: (a, b) => a - b,
  gcd: (a, b) => {
    let x = a < 0n ? -a : a
    let y = b < 0n ? -b : b
    while (y !== 0n) [x, y] = [y, x % y]
    return x
  },
  div: (a, b) => a / b,
  big: (a) => a,
}

interface Row<T> {
  readonly cols: Map<number, T>
  readonly rhs: T[]
  readonly prov: Map<number, T> | null
}

/** Sets map[key] = value, or deletes it at 0, keeping the column index in step. */
function put<T> (ar: Arithmetic<T>, map: Map<number, T>, key: number, value: T, index?: Map<number, Set<number>>, row?: number): void {
  if (ar.isZero(value)) {
    if (map.delete(key) && index !== undefined && row !== undefined) index.get(key)?.delete(row)
  } else {
    if (!map.has(key) && index !== undefined && row !== undefined) {
      let rows = index.get(key)
      if (rows === undefined) index.set(key, (rows = new Set()))
      rows.add(row)
    }
    map.set(key, value)
  }
}

/** Divides a row by the gcd of all its entries (coefficients, right-hand sides, provenance). */
function normalise<T> (ar: Arithmetic<T>, row: Row<T>): void {
  let g = ar.zero
  for (const v of row.cols.values()) g = ar.gcd(g, v)
  for (const v of row.rhs) g = ar.gcd(g, v)
  if (row.prov !== null) for (const v of row.prov.values()) g = ar.gcd(g, v)
  if (ar.isZero(g) || ar.isUnit(g)) return
  for (const [c, v] of row.cols) row.cols.set(c, ar.div(v, g))
  for (let i = 0; i < row.rhs.length; i++) row.rhs[i] = ar.div(row.rhs[i] as T, g)
  if (row.prov !== null) for (const [e, v] of row.prov) row.prov.set(e, ar.div(v, g))
}

function gaussJordan<T> (ar: Arithmetic<T>, equations: readonly LinearEquation[], options: EliminationOptions): ReducedSystem {
  const rows: Row<T>[] = []
  const colRows = new Map<number, Set<number>>()
  const active = new Set<number>()
  let consistent = true

  for (const [e, equation] of equations.entries()) {
    const row: Row<T> = {
      cols: new Map(),
      rhs: Array.from({ length: options.rhsCount }, (_, m) => ar.from(equation.rhs[m] ?? 0)),
      prov: options.provenance === true ? new Map([[e, ar.one]]) : null,
    }
    const r = rows.length
    rows.push(row)
    equation.variables.forEach((v, i) => {
      // existing + coefficient (a variable may be listed twice)
      put(ar, row.cols, v, ar.sub(row.cols.get(v) ?? ar.zero, ar.from(-(equation.coefficients[i] ?? 0))), colRows, r)
    })
    if (row.cols.size > 0) active.add(r)
    else if (row.rhs.some((x) => !ar.isZero(x))) consistent = false
  }

  // Shortest active row first (ties: lowest index), from a heap with lazy deletion: a row is
  // pushed again whenever its length changes, and stale entries are skipped when popped.
  const heap = new MinHeap()
  for (const r of active) heap.push((rows[r] as Row<T>).cols.size, r)
  const pivotRowOf = new Map<number, number>()
  for (;;) {
    const top = heap.pop()
    if (top === undefined) break
    const [size, best] = top
    if (!active.has(best) || (rows[best] as Row<T>).cols.size !== size) continue
    active.delete(best)
    const pivot = rows[best] as Row<T>
    let col = -1
    let colUnit = false
    let colCount = Infinity
    for (const [c, v] of pivot.cols) {
      const unit = ar.isUnit(v)
      const count = colRows.get(c)?.size ?? 0
      if ((unit && !colUnit) || (unit === colUnit && (count < colCount || (count === colCount && c < col)))) {
        col = c
        colUnit = unit
        colCount = count
      }
    }
    pivotRowOf.set(col, best)
    const p = pivot.cols.get(col) as T
    const targets = [...(colRows.get(col) ?? [])].filter((j) => j !== best).sort((x, y) => x - y)
    for (const j of targets) {
      const target = rows[j] as Row<T>
      const a = target.cols.get(col) as T
      // target := target − (a·p)·pivot when p = ±1, else p·target − a·pivot, then / gcd.
      let factor = a
      if (ar.isUnit(p)) {
        factor = ar.mul(a, p)
      } else {
        for (const [c, v] of target.cols) target.cols.set(c, ar.mul(v, p))
        for (let m = 0; m < target.rhs.length; m++) target.rhs[m] = ar.mul(target.rhs[m] as T, p)
        if (target.prov !== null) for (const [q, v] of target.prov) target.prov.set(q, ar.mul(v, p))
      }
      for (const [c, w] of pivot.cols) put(ar, target.cols, c, ar.sub(target.cols.get(c) ?? ar.zero, ar.mul(factor, w)), colRows, j)
      for (let m = 0; m < target.rhs.length; m++) target.rhs[m] = ar.sub(target.rhs[m] as T, ar.mul(factor, pivot.rhs[m] as T))
      if (target.prov !== null && pivot.prov !== null) {
        for (const [q, w] of pivot.prov) put(ar, target.prov, q, ar.sub(target.prov.get(q) ?? ar.zero, ar.mul(factor, w)))
      }
      if (!ar.isUnit(p) || !ar.isUnit(a)) normalise(ar, target)
      if (target.cols.size === 0) {
        active.delete(j)
        if (target.rhs.some((x) => !ar.isZero(x))) consistent = false
      } else if (active.has(j)) {
        heap.push(target.cols.size, j)
      }
    }
  }

  const isDetermined = (variable: number): boolean => {
    const r = pivotRowOf.get(variable)
    return r !== undefined && (rows[r] as Row<T>).cols.size === 1
  }

  const reduce = (vector: ReadonlyMap<number, number>): Reduction => {
    const cur = new Map<number, bigint>()
    for (const [v, c] of vector) if (c !== 0) cur.set(v, BigInt(c))
    let scale = 1n
    const acc = Array.from({ length: options.rhsCount }, () => 0n)
    const comb: Map<number, bigint> | null = options.provenance === true ? new Map() : null
    for (const col of [...cur.keys()].sort((x, y) => x - y)) {
      const r = pivotRowOf.get(col)
      const c = cur.get(col)
      if (r === undefined || c === undefined) continue
      const row = rows[r] as Row<T>
      const p = ar.big(row.cols.get(col) as T)
      if (p !== 1n) {
        for (const [k, v] of cur) cur.set(k, v * p)
        scale *= p
        for (let m = 0; m < acc.length; m++) acc[m] = (acc[m] as bigint) * p
        if (comb !== null) for (const [k, v] of comb) comb.set(k, v * p)
      }
      for (const [k, w] of row.cols) {
        const next = (cur.get(k) ?? 0n) - c * ar.big(w)
        if (next === 0n) cur.delete(k)
        else cur.set(k, next)
      }
      for (let m = 0; m < acc.length; m++) acc[m] = (acc[m] as bigint) + c * ar.big(row.rhs[m] as T)
      if (comb !== null && row.prov !== null) {
        for (const [k, w] of row.prov) {
          const next = (comb.get(k) ?? 0n) + c * ar.big(w)
          if (next === 0n) comb.delete(k)
          else comb.set(k, next)
        }
      }
    }
    if (cur.size > 0) return { determined: false, value: null, certificate: null }
    const value = acc.map((a) => {
      if (a % scale !== 0n) throw new Error(`integer elimination: ${a}/${scale} is not a whole number; the equations have no integer solution`)
      return a / scale
    })
    if (comb === null) return { determined: true, value, certificate: null }
    return { determined: true, value, certificate: comb }
  }

  return { consistent, isDetermined, reduce }
}

/**
 * Eliminates a system of integer linear equations exactly.
 *
 * @param equations the equations over variables (any non-negative integers as ids)
 * @param options number of right-hand sides; whether to keep provenance for certificates
 * @returns the reduced system: consistency, determinacy of each variable, reduction of vectors
 * @example
 * // x0 + x1 = 7 and x1 = 3: x0 is determined (4)
 * const system = eliminate([
 *   { variables: [0, 1], coefficients: [1, 1], rhs: [7] },
 *   { variables: [1], coefficients: [1], rhs: [3] },
 * ], { rhsCount: 1 })
 * system.reduce(new Map([[0, 1]]))   // { determined: true, value: [4n], certificate: null }
 */
export function eliminate (equations: readonly LinearEquation[], options: EliminationOptions): ReducedSystem {
  try {
    return gaussJordan(numbers, equations, options)
  } catch (error) {
    if (!(error instanceof CoefficientOverflow)) throw error
    return gaussJordan(bigints, equations, options)
  }
}
