/**
 * Secondary suppression by Gaussian elimination, in the manner of Statistics Norway's
 * GaussSuppression (Langsrud 2024): every publishable cell is a column over the inner cells (here
 * the atoms of each release); columns known anyway (earlier releases' published cells, combinations
 * a table leaves out) are put into the published span first, then the candidates are taken in
 * order, most worth publishing first. A candidate whose column, added to the published span, would
 * eliminate a primary column completely (make it a combination of published cells, so computable)
 * is suppressed instead; every other candidate is published. So no primary cell, and no virtual
 * primary (see below), depends linearly on the published cells.
 *
 * Exact: columns are sparse integer vectors reduced fraction-free (p·v − a·w, divided by the gcd),
 * kept in reduced echelon form, so "eliminated completely" is an exact zero, never a tolerance.
 *
 * @see https://cran.r-project.org/package=GaussSuppression (vignettes: small-count tables, linked tables)
 * @see Langsrud, Ø. (2024), "Secondary cell suppression by Gaussian elimination: an algorithm suitable
 *   for handling issues with zeros and singletons", Privacy in Statistical Databases, LNCS 14915, 83–98
 */

export type SparseColumn = ReadonlyMap<number, number>

export interface GaussInput {
  /** Columns known to the attacker whatever is decided (published before, or known empty). */
  readonly known: readonly SparseColumn[]
  /** Columns that must not become computable: primary cells and virtual primaries. */
  readonly primary: readonly SparseColumn[]
  /** Candidates, most worth publishing first. */
  readonly candidates: readonly SparseColumn[]
}

export interface GaussResult {
  /** Per candidate: true when it must be suppressed. */
  readonly suppress: readonly boolean[]
  /** Per primary column: true when the known columns alone already determine it (nothing can help). */
  readonly revealedByKnown: readonly boolean[]
}

function gcd (a: number, b: number): number {
  a = Math.abs(a)
  b = Math.abs(b)
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

function checked (x: number): number {
  if (!Number.isSafeInteger(x)) throw new Error('gauss suppression: a coefficient outgrew the safe integers')
  return x
}

/** p·v − a·w, normalised by the gcd of its entries. */
function combine (v: Map<number, number>, p: number, a: number, w: ReadonlyMap<number, number>): Map<number, number> {
  const out = new Map<number, number>()
  for (const [i, x] of v) out.set(i, checked(p * x))
  for (const [i, y] of w) {
    const next = checked((out.get(i) ?? 0) - a * y)
    if (next === 0) out.delete(i)
    else out.set(i, next)
  }
  let g = 0
  for (const x of out.values()) g = gcd(g, x)
  if (g > 1) for (const [i, x] of out) out.set(i, x / g)
  return out
}

/** Reduced echelon basis of the published span: pivot inner cell → basis vector. */
class Basis {
  readonly rows = new Map<number, Map<number, number>>()

  reduce (column: SparseColumn): Map<number, number> {
    let v = new Map(column)
    for (const i of [...v.keys()].sort((a, b) => a - b)) {
      const row = this.rows.get(i)
      const a = v.get(i)
      if (row === undefined || a === undefined) continue
      v = combine(v, row.get(i) as number, a, row)
    }
    return v
  }

  /** The pivot to use for a reduced non-zero vector: an entry ±1 if any, lowest index. */
  static pivotOf (v: ReadonlyMap<number, number>): number {
    let best = -1
    for (const [i, x] of v) {
      const unit = Math.abs(x) === 1
      if (best < 0 || (unit && Math.abs(v.get(best) as number) !== 1) || (unit === (Math.abs(v.get(best) as number) === 1) && i < best)) best = i
    }
    return best
  }

  add (v: Map<number, number>, pivot: number): void {
    const p = v.get(pivot) as number
    for (const [q, row] of this.rows) {
      const a = row.get(pivot)
      if (a !== undefined) this.rows.set(q, combine(row, p, a, v))
    }
    this.rows.set(pivot, v)
  }
}

/**
 * Runs the elimination.
 * @example
 * // a total of two inner cells, both published; inner cell 0 is primary:
 * gaussSuppression({ known: [], primary: [new Map([[0, 1]])], candidates: [new Map([[0, 1], [1, 1]]), new Map([[1, 1]])] })
 * // → { suppress: [false, true] }: the total is published, the other cell is suppressed
 */
export function gaussSuppression (input: GaussInput): GaussResult {
  const basis = new Basis()
  for (const column of input.known) {
    const v = basis.reduce(column)
    if (v.size > 0) basis.add(v, Basis.pivotOf(v))
  }
  // Primary columns, kept reduced against the basis.
  const primaries = input.primary.map((column) => basis.reduce(column))
  const revealedByKnown = primaries.map((q) => q.size === 0)
  const live = primaries.map((q, i) => ({ q, i })).filter(({ q }) => q.size > 0)

  const suppress = input.candidates.map((column) => {
    const v = basis.reduce(column)
    if (v.size === 0) return false // already computable: publishing it tells nothing new
    const pivot = Basis.pivotOf(v)
    const p = v.get(pivot) as number
    const next = live.map(({ q }) => {
      const a = q.get(pivot)
      return a === undefined ? q : combine(q, p, a, v)
    })
    if (next.some((q) => q.size === 0)) return true
    basis.add(v, pivot)
    next.forEach((q, j) => { (live[j] as { q: Map<number, number> }).q = q })
    return false
  })
  return { suppress, revealedByKnown }
}
