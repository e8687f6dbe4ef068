/**
 * What earlier releases of the same wave already told everyone: per cell, the counts an earlier
 * release published, or that follow exactly from what it published (solved with the same exact
 * elimination as the audit).
 */
import { AnalysisInputError } from '../errors.js'
import { changeRuleOf } from './change-rule.js'
import { assertYesOfN } from '../internal/validate.js'
import { eliminate } from './integer-elimination.js'
import { buildLattice, relationEquations } from './lattice.js'
import { byCodeUnit } from './release-model.js'
import type { IndicatorModel, ReleaseModel } from './release-model.js'
import { closedUnder, countsOk, describeGroup, shapeTable } from './table-shape.js'
import type { Implications, ShapedTable } from './table-shape.js'
import type { ControlledCell, ControlledTable } from './types.js'

/** Counts of a cell known from earlier release number `release` (index in previouslyPublished). */
export interface EarlierValue {
  readonly release: number
  readonly n: number
  readonly yes: number
}

/** Indicator → cell key → the counts earlier releases published or let anyone derive. */
export type EarlierKnowledge = ReadonlyMap<string, ReadonlyMap<string, readonly EarlierValue[]>>

const RULES = new Set(['n_below_k', 'yes_below_k', 'no_below_k', 'change_below_k'])

/**
 * Checks a released cell: published with n, yes and no = n − yes, or suppressed with a reason
 * and a rule and nothing else to read.
 * @throws {AnalysisInputError} for anything else
 */
export function assertControlledCell (cell: ControlledCell, label: () => string): void {
  if (cell.suppressed === false) {
    if (countsOk(cell.n, cell.yes) && cell.no === cell.n - cell.yes) return
    assertYesOfN(cell.yes, cell.n, label())
    throw new AnalysisInputError('invalid_count', `${label()}: no (${String(cell.no)}) must be n − yes (${cell.n - cell.yes})`)
  }
  const ok = cell.suppressed === true &&
    ((cell.reason === 'primary' && RULES.has(cell.rule)) || (cell.reason === 'secondary' && cell.rule === 'complementary'))
  if (!ok) throw new AnalysisInputError('invalid_parameter', `${label()} must be published ({ suppressed: false, n, yes, no }) or suppressed with a reason and a rule`)
}

/**
 * Reads the earlier releases: validates them, checks that each of their tables is in the new
 * release, and solves each release for every cell it determines.
 * @throws {AnalysisInputError} for malformed releases, a table the new release lacks, or
 * published counts that do not add up
 */
export function earlierKnowledge (
  previouslyPublished: ReadonlyArray<readonly ControlledTable[]> | undefined,
  model: ReleaseModel,
  implications: Implications
): EarlierKnowledge {
  const knowledge = new Map<string, Map<string, EarlierValue[]>>()
  if (previouslyPublished === undefined) return knowledge
  if (!Array.isArray(previouslyPublished)) {
    throw new AnalysisInputError('invalid_parameter', 'previouslyPublished must be an array of releases, each an array of tables')
  }
  previouslyPublished.forEach((release, r) => {
    if (!Array.isArray(release)) throw new AnalysisInputError('invalid_parameter', `previouslyPublished[${r}] must be an array of tables`)
    const byIndicator = new Map<string, Array<ShapedTable<ControlledCell>>>()
    release.forEach((table, i) => {
      const label = `previouslyPublished[${r}][${i}]`
      const shaped = shapeTable<ControlledCell>(table, i, implications, label)
      for (const c of shaped.cells) assertControlledCell(c.source, () => `${label} cell ${describeGroup(c.group)}`)
      if (model.tableKeys.get(shaped.indicator)?.has(shaped.dimsKey) !== true) {
        throw new AnalysisInputError('invalid_parameter',
          `${label} (${shaped.indicator} by [${shaped.dims.join(', ')}]) is not in the new release: a release that supersedes ` +
          'another must include every table already published for the wave, so that the change of each published cell can be checked')
      }
      const list = byIndicator.get(shaped.indicator) ?? []
      if (list.some((t) => t.dimsKey === shaped.dimsKey)) {
        throw new AnalysisInputError('invalid_parameter', `${label} repeats a table of the same release`)
      }
      list.push(shaped)
      byIndicator.set(shaped.indicator, list)
    })
    for (const indicator of [...byIndicator.keys()].sort(byCodeUnit)) {
      const tables = byIndicator.get(indicator) as Array<ShapedTable<ControlledCell>>
      const lattice = buildLattice(tables, closedUnder(implications))
      const known = new Map<number, readonly [number, number]>()
      for (const t of tables) {
        for (const c of t.cells) {
          if (c.source.suppressed === false) known.set(lattice.indexOf.get(c.key) as number, [c.source.n, c.source.yes])
        }
      }
      const system = eliminate(relationEquations(lattice, (cell) => known.get(cell)), { rhsCount: 2 })
      if (!system.consistent) {
        throw new AnalysisInputError('invalid_count', `previouslyPublished[${r}], ${indicator}: the published counts of its tables do not add up to each other`)
      }
      const cells = knowledge.get(indicator) ?? new Map<string, EarlierValue[]>()
      lattice.cells.forEach((cell, i) => {
        let value = known.get(i)
        if (value === undefined && system.isDetermined(i)) {
          const solved = system.reduce(new Map([[i, 1]])).value
          if (solved !== null) value = [Number(solved[0]), Number(solved[1])]
        }
        if (value === undefined) return
        const list = cells.get(cell.key) ?? []
        list.push({ release: r, n: value[0], yes: value[1] })
        cells.set(cell.key, list)
      })
      knowledge.set(indicator, cells)
    }
  })
  return knowledge
}

/** Per cell of an indicator: what earlier releases told, and how the cell changed since. */
export interface CellHistory {
  readonly earlier: ReadonlyArray<readonly EarlierValue[]>
  /** The current counts equal counts an earlier release told: an attacker who assumes no change is right. */
  readonly unchanged: readonly boolean[]
  /** Changed, and the change from some earlier value discloses (the change rule). */
  readonly changeDiscloses: readonly boolean[]
}

/** The history of each cell of one indicator of the new release. */
export function cellHistory (
  indicator: IndicatorModel,
  knowledge: EarlierKnowledge,
  k: number
): CellHistory {
  const known = knowledge.get(indicator.indicator)
  const earlier = indicator.lattice.cells.map((c) => known?.get(c.key) ?? [])
  const unchanged = earlier.map((values, i) => values.some((v) => v.n === indicator.n[i] && v.yes === indicator.yes[i]))
  const changeDiscloses = earlier.map((values, i) => !(unchanged[i] as boolean) &&
    values.some((v) => changeRuleOf(indicator.n[i] as number, indicator.yes[i] as number, v.n, v.yes, k)))
  return { earlier, unchanged, changeDiscloses }
}
