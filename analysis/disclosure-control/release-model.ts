/**
 * A release as counted, per indicator: its lattice of cells with their counts (implicit margins
 * summed from the tables), checked to add up.
 */
import { AnalysisInputError } from '../errors.js'
import { assertYesOfN } from '../internal/validate.js'
import { buildLattice } from './lattice.js'
import type { Lattice, LatticeCell } from './lattice.js'
import { closedUnder, countsOk, describeGroup, shapeTable } from './table-shape.js'
import type { Implications, ShapedTable } from './table-shape.js'
import type { ReleaseCell, ReleaseTable } from './types.js'

/** One indicator of a release: its cells, their counts, and where each table cell came from. */
export interface IndicatorModel {
  readonly indicator: string
  readonly lattice: Lattice
  readonly tables: ReadonlyArray<ShapedTable<ReleaseCell>>
  readonly n: readonly number[]
  readonly yes: readonly number[]
}

/** A release as counted, indicator by indicator (sorted by name). */
export interface ReleaseModel {
  readonly indicators: readonly IndicatorModel[]
  /** Indicator → dimension keys of its tables. */
  readonly tableKeys: ReadonlyMap<string, ReadonlySet<string>>
}

function fail (message: string): never {
  throw new AnalysisInputError('invalid_count', message)
}

/** Sorted unique strings, compared by code unit so the order never depends on the locale. */
export function byCodeUnit (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Validates the tables of a release and builds its per-indicator lattices with counts.
 * @throws {AnalysisInputError} for malformed tables, bad counts, duplicate tables, or tables of
 * one indicator that do not add up to each other
 */
export function buildReleaseModel (tables: readonly ReleaseTable[], implications: Implications): ReleaseModel {
  if (!Array.isArray(tables)) throw new AnalysisInputError('invalid_parameter', 'tables must be an array of tables')
  const byIndicator = new Map<string, Array<ShapedTable<ReleaseCell>>>()
  tables.forEach((table, i) => {
    const shaped = shapeTable<ReleaseCell>(table, i, implications, `tables[${i}]`)
    for (const c of shaped.cells) {
      if (!countsOk(c.source.n, c.source.yes)) assertYesOfN(c.source.yes, c.source.n, `tables[${i}] cell ${describeGroup(c.group)}`)
    }
    const list = byIndicator.get(shaped.indicator) ?? []
    const twin = list.find((t) => t.dimsKey === shaped.dimsKey)
    if (twin !== undefined) {
      throw new AnalysisInputError('invalid_parameter',
        `tables[${twin.position}] and tables[${i}] are the same table (${shaped.indicator} by [${shaped.dims.join(', ')}], with implied dimensions)`)
    }
    list.push(shaped)
    byIndicator.set(shaped.indicator, list)
  })

  const indicators = [...byIndicator.keys()].sort(byCodeUnit).map((indicator): IndicatorModel => {
    const shaped = (byIndicator.get(indicator) as Array<ShapedTable<ReleaseCell>>).sort((a, b) => byCodeUnit(a.dimsKey, b.dimsKey))
    const lattice = buildLattice(shaped, closedUnder(implications))
    const n = new Array<number>(lattice.cells.length).fill(0)
    const yes = new Array<number>(lattice.cells.length).fill(0)
    const valued = new Array<boolean>(lattice.cells.length).fill(false)
    for (const t of shaped) {
      for (const c of t.cells) {
        const i = lattice.indexOf.get(c.key) as number
        n[i] = c.source.n
        yes[i] = c.source.yes
        valued[i] = true
      }
    }
    // Implicit margins: from a covering set, finer sets first so the children are valued.
    const order = lattice.cells.map((_, i) => i).filter((i) => !valued[i])
      .sort((a, b) => (lattice.cells[b] as LatticeCell).dims.length - (lattice.cells[a] as LatticeCell).dims.length || a - b)
    for (const i of order) {
      const relation = (lattice.relationsOf[i] ?? []).map((e) => lattice.relations[e]).find((r) => r?.margin === i)
      for (const c of relation?.children ?? []) {
        n[i] = (n[i] as number) + (n[c] as number)
        yes[i] = (yes[i] as number) + (yes[c] as number)
      }
    }
    for (const r of lattice.relations) {
      let sn = 0
      let sy = 0
      for (const c of r.children) {
        sn += n[c] as number
        sy += yes[c] as number
      }
      const mn = r.margin === null ? 0 : n[r.margin] as number
      const my = r.margin === null ? 0 : yes[r.margin] as number
      if (mn !== sn || my !== sy) {
        const child = lattice.cells[r.children[0] ?? -1]
        const margin = r.margin === null ? undefined : lattice.cells[r.margin]
        const where = margin === undefined
          ? `a cell absent from the table by [${(child?.dims ?? []).join(', ')}]`
          : `${describeGroup(margin.group)}${margin.implicit ? ' (a margin implied by the tables)' : ''}`
        fail(`${indicator}: ${where} has n = ${mn}, yes = ${my}, but the cells that refine it by ` +
          `[${(child?.dims ?? []).join(', ')}] add up to n = ${sn}, yes = ${sy}; every table of an indicator must count the same ` +
          'respondents (give a missing dimension value a category of its own, and list every non-empty cell)')
      }
    }
    return { indicator, lattice, tables: shaped, n, yes }
  })
  const tableKeys = new Map(indicators.map((m) => [m.indicator, new Set(m.tables.map((t) => t.dimsKey))]))
  return { indicators, tableKeys }
}
