/**
 * What the audit needs of a linear-programming solver: the least and greatest value of linear
 * objectives over one fixed polytope { x ≥ 0 : lower ≤ A·x ≤ upper }, for integer x where it can.
 * The interface keeps analysis/ free of the solver's loading (WebAssembly) and lets the tests
 * put their own, independently written solver beside it.
 */

/** A linear program with non-negative variables; rows in compressed sparse row form. */
export interface LinearProgram {
  readonly numCols: number
  readonly rowLower: readonly number[]
  readonly rowUpper: readonly number[]
  /** rowStarts[i]..rowStarts[i+1] index the entries of row i. */
  readonly rowStarts: readonly number[]
  readonly indices: readonly number[]
  readonly values: readonly number[]
}

/** The attacker's bound of one objective: the value, and whether integrality was used (MIP). */
export interface Bound {
  readonly value: number
  /**
   * True when no solve was made because a known point of the polytope already reaches the `atLeast`
   * asked for: `value` is then only a value the objective takes, so the true bound is at least it.
   */
  readonly reached?: boolean
  readonly integer: boolean
  /** Rows whose constraint binds the LP optimum (non-zero dual): relaxing one of them moves the bound. */
  readonly binding: readonly number[]
}

export interface LoadedProgram {
  /** False when the constraints contradict each other (the model is wrong, never the attacker). */
  readonly feasible: boolean
  /**
   * The least ('min') or greatest ('max') value of Σ coefficient·x over the polytope (+∞ when
   * unbounded), rounded inward to a whole number; with `integer`, over whole-number x where the
   * solver can (else the LP bound).
   */
  bound (objective: ReadonlyMap<number, number>, sense: 'min' | 'max', integer?: boolean, atLeast?: number): Bound
  /** The least value the objective takes at the points found so far (Infinity when none): the least bound is at most it. */
  seen (objective: ReadonlyMap<number, number>): number
  dispose (): void
}

/**
 * Points (one value per column) found by earlier solves, kept across programs over the same columns:
 * a point still feasible for a new program shows values its objectives take without solving.
 */
export type PointPool = number[][]

export interface BoundSolver {
  readonly name: string
  /** `pool`: points to reuse where still feasible, and to which this program's optima are added. */
  load (program: LinearProgram, pool?: PointPool): LoadedProgram
}
