/**
 * An attack written independently of analysis/disclosure-control, for the randomized tests.
 *
 * It knows nothing of lattices or relations between tables: every cell of every table is the sum
 * of "atoms", the cells of the full cross-classification by all the dimensions of an indicator,
 * whose counts the attacker does not know. A published cell is a known row (its atom indicator
 * vector and its counts); so is a combination a table leaves out (it is 0). A cell is recovered
 * when its atom vector lies in the span of the known rows: dense fraction-free elimination over
 * BigInt, nothing shared with the code under test.
 *
 * Earlier releases: a cell (or any margin) whose vector lies in the span of an earlier release's
 * known rows has a value known from it; when the current count equals it, the attacker who
 * assumes "no change" is right, so it is a known row of the new release too.
 */
import type { ControlledTable, ImpliedDimension, ReleaseTable } from '../../../../../analysis/index.js'

type Group = Readonly<Record<string, string>>

interface Basis {
  /** Rows in echelon form: atom coefficients, then n, then yes. */
  readonly rows: bigint[][]
  readonly pivots: number[]
  readonly width: number
}

const newBasis = (width: number): Basis => ({ rows: [], pivots: [], width })

/** Reduces v (atoms, n, yes) against the basis; returns the remainder and the scale s (remainder = s·v − Σ μ·rows). */
function reduce (basis: Basis, v: readonly bigint[]): { rest: bigint[], scale: bigint } {
  let rest = [...v]
  let scale = 1n
  basis.rows.forEach((row, i) => {
    const p = basis.pivots[i] as number
    const c = rest[p] as bigint
    if (c === 0n) return
    const a = row[p] as bigint
    rest = rest.map((x, j) => a * x - c * (row[j] as bigint))
    scale *= a
  })
  return { rest, scale }
}

function addRow (basis: Basis, v: readonly bigint[]): void {
  const { rest } = reduce(basis, v)
  const p = rest.findIndex((x, j) => j < basis.width && x !== 0n)
  if (p < 0) {
    if (rest[basis.width] !== 0n || rest[basis.width + 1] !== 0n) throw new Error('atom attack: the known counts contradict each other')
    return
  }
  basis.rows.push(rest)
  basis.pivots.push(p)
}

/** The counts of a combination of atoms, if the known rows determine them. */
function solve (basis: Basis, vector: readonly bigint[]): readonly [number, number] | undefined {
  const { rest, scale } = reduce(basis, [...vector, 0n, 0n])
  if (rest.slice(0, basis.width).some((x) => x !== 0n)) return undefined
  const n = -(rest[basis.width] as bigint)
  const yes = -(rest[basis.width + 1] as bigint)
  if (n % scale !== 0n || yes % scale !== 0n) throw new Error('atom attack: a non-integer solution')
  return [Number(n / scale), Number(yes / scale)]
}

const fails = (n: number, yes: number, k: number): boolean => n > 0 && Math.min(n, yes, n - yes) < k

export interface AtomAttackResult {
  /** Suppressed cells whose counts the attacker computes exactly. */
  readonly recoveredCells: string[]
  /** Margins over any set of dimensions whose counts are computed and fail the rule. */
  readonly disclosiveMargins: string[]
  /** Cells or margins whose change since an earlier release is computed and is a group below k. */
  readonly disclosiveChanges: string[]
  /** Published cells that fail the rule. */
  readonly publishedBelowK: string[]
}

/**
 * Attacks a release (and the earlier releases) with atoms.
 * @param counted the tables as counted now (used only to tell which cells did not change)
 */
export function atomAttack (
  counted: readonly ReleaseTable[],
  released: readonly ControlledTable[],
  k: number,
  previouslyPublished: ReadonlyArray<readonly ControlledTable[]> = [],
  impliedDimensions: readonly ImpliedDimension[] = []
): AtomAttackResult {
  const result: AtomAttackResult = { recoveredCells: [], disclosiveMargins: [], disclosiveChanges: [], publishedBelowK: [] }
  const indicators = [...new Set(counted.map((t) => t.indicator))]
  for (const indicator of indicators) {
    const ofIndicator = <T extends { indicator: string }>(list: readonly T[]): T[] => list.filter((t) => t.indicator === indicator)
    const all = [...ofIndicator(counted), ...ofIndicator(released), ...previouslyPublished.flatMap(ofIndicator)]
    const dims = [...new Set(all.flatMap((t) => t.breakdown))].sort()
    const values = new Map(dims.map((d) => [d, [...new Set(all.flatMap((t) => t.cells.map((c) => c.group[d])).filter((v): v is string => v !== undefined))].sort()]))
    let atoms: Array<Record<string, string>> = [{}]
    for (const d of dims) atoms = atoms.flatMap((a) => (values.get(d) as string[]).map((v) => ({ ...a, [d]: v })))
    // Combinations an implied dimension rules out (municipality 4601 in county 03) hold nobody.
    atoms = atoms.filter((a) => impliedDimensions.every(({ from, to, values: map }) => a[from] === undefined || a[to] === undefined || map[a[from] as string] === a[to]))
    // A group over the implying dimension alone also fixes the implied one.
    const complete = (group: Group): Group => {
      const out: Record<string, string> = { ...group }
      for (const { from, to, values: map } of impliedDimensions) if (out[from] !== undefined && dims.includes(to)) out[to] = map[out[from] as string] as string
      return out
    }
    const vectorOf = (group: Group): bigint[] => atoms.map((a) => (Object.entries(complete(group)).every(([d, v]) => a[d] === v) ? 1n : 0n))
    const combos = (breakdown: readonly string[]): Group[] => {
      let out: Array<Record<string, string>> = [{}]
      for (const d of breakdown) out = out.flatMap((g) => (values.get(d) as string[]).map((v) => ({ ...g, [d]: v })))
      return out
    }
    const name = (group: Group): string => `${indicator} ${JSON.stringify(Object.fromEntries(Object.entries(group).sort()))}`
    // Every margin: every combination over every subset of the dimensions.
    const margins: Group[] = []
    for (let mask = 0; mask < 1 << dims.length; mask++) margins.push(...combos(dims.filter((_, i) => (mask & (1 << i)) !== 0)))
    const truth = new Map<string, readonly [number, number]>()
    for (const margin of margins) {
      // The true count of any margin: from a counted table that refines it.
      const table = ofIndicator(counted).find((t) => Object.keys(margin).every((d) => t.breakdown.includes(d)))
      if (table === undefined) continue
      let n = 0
      let yes = 0
      for (const c of table.cells) {
        if (Object.entries(margin).every(([d, v]) => c.group[d] === v)) {
          n += c.n
          yes += c.yes
        }
      }
      truth.set(name(margin), [n, yes])
    }

    const knownRows = (tables: readonly ControlledTable[]): Basis => {
      const basis = newBasis(atoms.length)
      for (const t of tables) {
        const present = new Set(t.cells.map((c) => name(c.group)))
        for (const c of t.cells) {
          if (!c.suppressed) addRow(basis, [...vectorOf(c.group), BigInt(c.n), BigInt(c.yes)])
        }
        for (const g of combos(t.breakdown)) if (!present.has(name(g))) addRow(basis, [...vectorOf(g), 0n, 0n])
      }
      return basis
    }
    const earlier = previouslyPublished.map((release) => knownRows(ofIndicator(release)))
    const now = knownRows(ofIndicator(released))
    // Cells told before and unchanged are known now too.
    for (const margin of margins) {
      const current = truth.get(name(margin))
      if (current === undefined) continue
      if (earlier.some((b) => { const v = solve(b, vectorOf(margin)); return v !== undefined && v[0] === current[0] && v[1] === current[1] })) {
        addRow(now, [...vectorOf(margin), BigInt(current[0]), BigInt(current[1])])
      }
    }
    for (const t of ofIndicator(released)) {
      for (const c of t.cells) {
        if (!c.suppressed) {
          if (fails(c.n, c.yes, k)) result.publishedBelowK.push(name(c.group))
          continue
        }
        const got = solve(now, vectorOf(c.group))
        const current = truth.get(name(c.group))
        const unchanged = earlier.some((b) => { const v = solve(b, vectorOf(c.group)); return v !== undefined && current !== undefined && v[0] === current[0] && v[1] === current[1] })
        if (got !== undefined && !unchanged) result.recoveredCells.push(`${name(c.group)} = ${got[0]}/${got[1]}`)
      }
    }
    for (const margin of margins) {
      const got = solve(now, vectorOf(margin))
      if (got === undefined) continue
      if (fails(got[0], got[1], k) && !ofIndicator(released).some((t) => t.breakdown.length === Object.keys(margin).length && Object.keys(margin).every((d) => t.breakdown.includes(d)))) {
        result.disclosiveMargins.push(`${name(margin)} = ${got[0]}/${got[1]}`)
      }
      for (const b of earlier) {
        const before = solve(b, vectorOf(margin))
        if (before === undefined || got[0] === 0) continue
        const dn = got[0] - before[0]
        const dy = got[1] - before[1]
        if ((dn !== 0 || dy !== 0) && Math.min(Math.abs(dn), Math.abs(dy), Math.abs(dn - dy)) < k) {
          result.disclosiveChanges.push(`${name(margin)}: ${before[0]}/${before[1]} → ${got[0]}/${got[1]}`)
        }
      }
    }
  }
  return result
}
