/** Small helpers to write hand-worked tables and read released patterns in tests. */
import type { ControlledCell, ControlledTable, ReleaseCell, ReleaseTable } from '../../../../../analysis/index.js'

/** A table of one indicator: `table('x', ['gender'], [{ gender: 'woman' }, 12, 5], …)`. */
export function table (indicator: string, breakdown: string[], ...cells: Array<[Record<string, string>, number, number]>): ReleaseTable {
  return { indicator, breakdown, cells: cells.map(([group, n, yes]): ReleaseCell => ({ group, n, yes })) }
}

/** A short name of a released cell's status: 'pub', a primary rule, or 'comp'. */
export function statusOf (cell: ControlledCell): string {
  if (!cell.suppressed) return 'pub'
  return cell.reason === 'primary' ? cell.rule : 'comp'
}

/** The pattern of a release: `indicator [dims] group-values → status`, sorted, independent of order. */
export function pattern (released: readonly ControlledTable[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const t of released) {
    const dims = [...t.breakdown].sort()
    for (const c of t.cells) out[`${t.indicator} ${dims.map((d) => `${d}=${c.group[d] ?? ''}`).join(',') || 'total'}`] = statusOf(c)
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** The released cell of a group in the table with these breakdown dimensions. */
export function cellOf (released: readonly ControlledTable[], breakdown: string[], group: Record<string, string>): ControlledCell {
  const t = released.find((x) => [...x.breakdown].sort().join() === [...breakdown].sort().join())
  const c = t?.cells.find((x) => Object.keys(group).length === Object.keys(x.group).length && Object.entries(group).every(([d, v]) => x.group[d] === v))
  if (c === undefined) throw new Error(`no cell ${JSON.stringify(group)} in [${breakdown.join(', ')}]`)
  return c
}

/** A copy of a release with the given cells published with their counts (to build naive patterns). */
export function publish (released: readonly ControlledTable[], counted: readonly ReleaseTable[], which: (cell: ControlledCell) => boolean): ControlledTable[] {
  return released.map((t, i) => ({
    ...t,
    cells: t.cells.map((c, j) => {
      if (!which(c)) return c
      const source = counted[i]?.cells[j] as ReleaseCell
      return { group: c.group, suppressed: false, n: source.n, yes: source.yes, no: source.n - source.yes }
    }),
  }))
}
