/**
 * The audit's solver: HiGHS (University of Edinburgh), compiled to WebAssembly by the `highs`
 * package (MIT). One persistent model per audit: only the objective changes between bounds, so
 * each solve starts from the last optimal basis (a few simplex iterations instead of a solve
 * from scratch). Where the LP optimum is fractional and the model is small enough, the same
 * bound is taken again with integrality (branch and bound), as an attacker with a MIP solver would;
 * when that hits its time limit, HiGHS's proven MIP dual bound is used, which is still a bound
 * the attacker cannot beat.
 *
 * Chosen over GLPK (glpk.js): HiGHS is the faster LP/MIP solver, actively released, MIT licensed
 * (GLPK is GPL-3.0), and its persistent API allows the warm starts the audit relies on.
 * @see https://highs.dev
 */
import { performance } from 'node:perf_hooks'
import highsModule from 'highs'
import type { Highs, InitOptions } from 'highs'
import type { Bound, BoundSolver, LinearProgram, LoadedProgram, PointPool } from './bound-solver.js'

/** Models with more columns than this get LP bounds only (rounded inward to whole numbers). */
export const MIP_COLUMN_LIMIT = Number(process.env.MIP_LIMIT ?? 4000)
const MIP_TIME_LIMIT_SECONDS = 0.5
/** Integer programming per audit, in seconds; past it, bounds are the LP's (still bounds, maybe not the tightest). */
export const MIP_BUDGET_SECONDS = 1.5
const EPS = 1e-6
/** Points kept for reuse: enough to hold the optima of a round's cells that other cells can reuse. */
const POOL_SIZE = 256

const wholeNumbers = (x: readonly number[]): boolean => x.every((v) => Math.abs(v - Math.round(v)) < EPS)

/** Whether x satisfies every row of the program (x ≥ 0 holds for every point the solver returns). */
function feasibleAt (program: LinearProgram, x: readonly number[]): boolean {
  for (let r = 0; r < program.rowLower.length; r++) {
    let v = 0
    for (let e = program.rowStarts[r] as number; e < (program.rowStarts[r + 1] as number); e++) v += (program.values[e] as number) * (x[program.indices[e] as number] ?? 0)
    if (v < (program.rowLower[r] as number) - EPS || v > (program.rowUpper[r] as number) + EPS) return false
  }
  return true
}

let runtime: Promise<Highs> | undefined

// The package's types describe its CommonJS build, whose module object holds the loader as
// `default`; its ES build (the one Node imports) exports the loader itself.
type Loader = (options?: InitOptions) => Promise<Highs>
const loadHighs: Loader = typeof highsModule === 'function' ? highsModule as Loader : (highsModule as { default: Loader }).default

/** Loads HiGHS once per process. */
export async function highsSolver (): Promise<BoundSolver> {
  runtime ??= loadHighs()
  const highs = await runtime
  return { name: `HiGHS ${highs.version.major}.${highs.version.minor}.${highs.version.patch} (highs-js)`, load: (program, pool) => loadProgram(highs, program, pool) }
}

function loadProgram (highs: Highs, program: LinearProgram, pool: PointPool = []): LoadedProgram {
  const data = {
    numCols: program.numCols,
    numRows: program.rowLower.length,
    colCost: new Float64Array(program.numCols),
    colLower: new Float64Array(program.numCols),
    colUpper: new Float64Array(program.numCols).fill(highs.infinity),
    rowLower: program.rowLower.map((x) => (x === -Infinity ? -highs.infinity : x)),
    rowUpper: program.rowUpper.map((x) => (x === Infinity ? highs.infinity : x)),
    matrix: { format: 'csr' as const, numRows: program.rowLower.length, numCols: program.numCols, starts: program.rowStarts, indices: program.indices, values: program.values },
  }
  const lp = highs.createModel(data)
  // Only the objective changes between bounds, so the last optimal basis stays primal feasible: primal
  // simplex from it takes a few iterations (measured: 3.4 ms a bound against 18 ms with the default
  // strategy, on a 60-response overview); presolve would discard that basis.
  lp.options.set({ output_flag: false, presolve: 'off', simplex_strategy: 4 })
  let mip: ReturnType<Highs['createModel']> | undefined
  const all = program.numCols === 0 ? undefined : { kind: 'range' as const, from: 0, to: program.numCols - 1 }
  const status = highs.constants.modelStatus

  const setObjective = (model: ReturnType<Highs['createModel']>, objective: ReadonlyMap<number, number>, sense: 'min' | 'max'): void => {
    const cost = new Float64Array(program.numCols)
    for (const [i, c] of objective) cost[i] = c
    if (all !== undefined) model.changeColsCost(all, cost)
    model.changeObjectiveSense(sense === 'max' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize)
  }

  let feasible = true
  let mipSpent = 0
  /** The last LP optimum: a point of the polytope, reused to settle least values of 0 without a solve. */
  let point: ArrayLike<number> | undefined
  // Points of earlier programs that this one still admits.
  const known: number[][] = pool.filter((x) => x.length === program.numCols && feasibleAt(program, x))
  const remember = (x: ArrayLike<number>): void => {
    const copy = Array.from(x)
    known.push(copy)
    pool.push(copy)
    if (known.length > POOL_SIZE) known.shift()
    if (pool.length > POOL_SIZE) pool.shift()
  }
  if (all !== undefined) {
    lp.run()
    feasible = lp.getModelStatus() !== status.infeasible
    if (feasible) point = lp.getSolution().colValue
  }

  const bound = (objective: ReadonlyMap<number, number>, sense: 'min' | 'max', integer = false, atLeast?: number): Bound => {
    if (all === undefined) return { value: 0, integer: true, binding: [] }
    // A known point where the objective reaches atLeast proves the greatest value is at least that.
    if (sense === 'max' && atLeast !== undefined) {
      let best = -Infinity
      // With integrality asked for, only whole-number points count: the LP's may not be attainable.
      for (const x of integer ? known.filter(wholeNumbers) : known) {
        let at = 0
        for (const [i, c] of objective) at += c * (x[i] ?? 0)
        best = Math.max(best, at)
      }
      if (best >= atLeast - EPS) return { value: Math.max(atLeast, Math.floor(best + EPS)), integer, binding: [], reached: true }
    }
    // Every variable is ≥ 0, so a non-negative objective is at least 0; a known point of the polytope
    // where it is 0 proves its least value is exactly 0, and a solve would only confirm it.
    if (sense === 'min' && point !== undefined && [...objective.values()].every((c) => c >= 0)) {
      let at = 0
      for (const [i, c] of objective) at += c * (point[i] ?? 0)
      if (at <= EPS) return { value: 0, integer: false, binding: [] }
    }
    setObjective(lp, objective, sense)
    lp.run()
    const s = lp.getModelStatus()
    if (s === status.unbounded || s === status.unboundedOrInfeasible) return { value: sense === 'max' ? Infinity : -Infinity, integer: false, binding: [] }
    if (s !== status.optimal) throw new Error(`HiGHS: the audit's LP ended with status ${s}`)
    const value = lp.getObjectiveValue()
    const solution = lp.getSolution()
    point = solution.colValue
    if (sense === 'max') remember(solution.colValue)
    const binding: number[] = []
    solution.rowDual.forEach((d, i) => { if (Math.abs(d) > EPS) binding.push(i) })
    const integral = solution.colValue.every((v) => Math.abs(v - Math.round(v)) < EPS)
    const rounded = { value: sense === 'max' ? Math.floor(value + EPS) : Math.ceil(value - EPS), integer: integral, binding }
    if (integral || !integer || program.numCols > MIP_COLUMN_LIMIT || mipSpent > MIP_BUDGET_SECONDS * 1000) return rounded
    const started = performance.now()
    if (mip === undefined) {
      mip = highs.createModel({ ...data, integrality: new Int32Array(program.numCols).fill(1) })
      mip.options.set({ output_flag: false, time_limit: MIP_TIME_LIMIT_SECONDS })
    }
    setObjective(mip, objective, sense)
    mip.run()
    mipSpent += performance.now() - started
    const ms = mip.getModelStatus()
    if (ms === status.optimal) return { value: Math.round(mip.getObjectiveValue()), integer: true, binding }
    // Not proven optimal in time: the dual bound is what the attacker can at best prove.
    const dual = Number(mip.info.get('mip_dual_bound'))
    const safe = Number.isFinite(dual) ? dual : value
    return { value: sense === 'max' ? Math.floor(safe + EPS) : Math.ceil(safe - EPS), integer: false, binding }
  }

  const seen = (objective: ReadonlyMap<number, number>): number => {
    let least = Infinity
    for (const x of point === undefined ? known : [...known, Array.from(point)]) {
      let at = 0
      for (const [i, c] of objective) at += c * (x[i] ?? 0)
      least = Math.min(least, at)
    }
    return least
  }

  return {
    feasible,
    bound,
    seen,
    dispose: () => {
      lp.dispose()
      mip?.dispose()
    },
  }
}
