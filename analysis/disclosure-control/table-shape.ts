/**
 * Validation of tables and their canonical shape: the dimensions of a table, completed with the
 * dimensions they imply and sorted, and a key per cell that does not depend on the order of a
 * breakdown or of a group's object keys.
 */
import { AnalysisInputError } from '../errors.js'
import type { CellGroup, ImpliedDimension } from './types.js'

/** Implied dimensions by the dimension that implies them. */
export type Implications = ReadonlyMap<string, readonly ImpliedDimension[]>

/** A table with its dimensions completed and sorted, and its cells keyed. */
export interface ShapedTable<C> {
  readonly indicator: string
  /** The breakdown plus every dimension it implies, sorted. */
  readonly dims: readonly string[]
  readonly dimsKey: string
  /** Index of the table in the input array. */
  readonly position: number
  readonly cells: ReadonlyArray<ShapedCell<C>>
}

/** A cell with its group completed by the implied dimensions. */
export interface ShapedCell<C> {
  readonly key: string
  readonly group: CellGroup
  /** Index of the cell in its input table. */
  readonly position: number
  readonly source: C
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
/** The same check without narrowing, for values whose declared type must be kept. */
const isObject = (x: unknown): boolean => isRecord(x)

// Keys join length-prefixed strings ("6:gender"), which no dimension name or value can break;
// the number of dimensions comes first, so coarser cells sort first.

/** The canonical key of a set of dimensions (sorted). */
export function dimsKeyOf (dims: readonly string[]): string {
  let key = `${dims.length}|`
  for (const d of dims) key += `${d.length}:${d}`
  return key
}

/** The canonical key of a cell: its sorted dimensions and their values. */
export function cellKeyOf (dims: readonly string[], group: CellGroup, dimsKey = dimsKeyOf(dims)): string {
  let key = `${dimsKey}|`
  for (const d of dims) {
    const v = group[d] ?? ''
    key += `${v.length}:${v}`
  }
  return key
}

/** True for counts that need no further check: whole, ≥ 0, yes ≤ n. */
export function countsOk (n: unknown, yes: unknown): boolean {
  return Number.isSafeInteger(n) && Number.isSafeInteger(yes) && (yes as number) >= 0 && (yes as number) <= (n as number)
}

/** The group restricted to some dimensions. */
export function project (group: CellGroup, dims: readonly string[]): CellGroup {
  const out: Record<string, string> = {}
  for (const d of dims) out[d] = group[d] as string
  return out
}

/** Human-readable name of a cell for messages: `gender=woman, county=46` or `the total`. */
export function describeGroup (group: CellGroup): string {
  const keys = Object.keys(group).sort()
  return keys.length === 0 ? 'the total' : keys.map((d) => `${d}=${group[d] ?? ''}`).join(', ')
}

/**
 * Checks the implied dimensions and indexes them by the implying dimension.
 * @throws {AnalysisInputError} `invalid_parameter` for a malformed declaration
 */
export function resolveImplications (implied: readonly ImpliedDimension[] | undefined): Implications {
  const map = new Map<string, ImpliedDimension[]>()
  if (implied === undefined) return map
  if (!Array.isArray(implied)) throw new AnalysisInputError('invalid_parameter', 'impliedDimensions must be an array')
  for (const [i, item] of implied.entries()) {
    const raw: unknown = item
    if (!isRecord(raw) || typeof item.from !== 'string' || typeof item.to !== 'string' || item.from === item.to ||
      item.from === '' || item.to === '' || !isRecord(item.values) || Object.values(item.values).some((v) => typeof v !== 'string')) {
      throw new AnalysisInputError('invalid_parameter', `impliedDimensions[${i}] must be { from, to, values } with two different dimension names and string values`)
    }
    const list = map.get(item.from) ?? []
    list.push(item)
    map.set(item.from, list)
  }
  return map
}

/**
 * Validates one table's indicator, breakdown and cell groups and completes them with the implied
 * dimensions. Counts are checked by the caller (they differ between counted and released cells).
 * @throws {AnalysisInputError} `invalid_parameter` for a malformed table or group
 */
export function shapeTable<C extends { readonly group: CellGroup }> (
  table: { readonly indicator: string, readonly breakdown: readonly string[], readonly cells: readonly C[] },
  position: number,
  implications: Implications,
  label: string
): ShapedTable<C> {
  if (!isObject(table)) throw new AnalysisInputError('invalid_parameter', `${label} must be a table object`)
  const { indicator, breakdown, cells } = table
  if (typeof indicator !== 'string' || indicator === '') {
    throw new AnalysisInputError('invalid_parameter', `${label}.indicator must be a non-empty string`)
  }
  const name = `${label} (${indicator} by [${Array.isArray(breakdown) ? breakdown.join(', ') : ''}])`
  if (!Array.isArray(breakdown) || breakdown.some((d) => typeof d !== 'string' || d === '') || new Set(breakdown).size !== breakdown.length) {
    throw new AnalysisInputError('invalid_parameter', `${name}: breakdown must be a list of distinct dimension names`)
  }
  if (!Array.isArray(cells)) throw new AnalysisInputError('invalid_parameter', `${name}: cells must be an array`)
  const dimSet = new Set(breakdown)
  const closed = (group: Record<string, string>): void => {
    let added = true
    while (added) {
      added = false
      for (const [from, list] of implications) {
        const value = group[from]
        if (value === undefined) continue
        for (const { to, values } of list) {
          const implied = values[value]
          if (implied === undefined) {
            throw new AnalysisInputError('invalid_parameter', `${name}: impliedDimensions give no ${to} for ${from}=${value}`)
          }
          if (group[to] === undefined) {
            group[to] = implied
            added = true
          } else if (group[to] !== implied) {
            throw new AnalysisInputError('invalid_parameter', `${name}: ${from}=${value} implies ${to}=${implied}, but the cell has ${to}=${group[to]}`)
          }
        }
      }
    }
  }
  const closure = new Set(breakdown)
  let grown = true
  while (grown) {
    grown = false
    for (const [from, list] of implications) {
      if (!closure.has(from)) continue
      for (const { to } of list) {
        if (!closure.has(to)) {
          closure.add(to)
          grown = true
        }
      }
    }
  }
  const dims = [...closure].sort()
  const dimsKey = dimsKeyOf(dims)
  const seen = new Set<string>()
  const shaped = cells.map((cell, j): ShapedCell<C> => {
    const where = `${name}, cell ${j}`
    if (!isObject(cell) || !isObject(cell.group)) throw new AnalysisInputError('invalid_parameter', `${where} must have a group object`)
    const keys = Object.keys(cell.group)
    if (keys.length !== breakdown.length || keys.some((d) => !dimSet.has(d))) {
      throw new AnalysisInputError('invalid_parameter', `${where}: its group must have exactly the dimensions [${breakdown.join(', ')}], got [${keys.join(', ')}]`)
    }
    const group: Record<string, string> = {}
    for (const d of breakdown) {
      const value = cell.group[d]
      if (typeof value !== 'string') throw new AnalysisInputError('invalid_parameter', `${where}: ${d} must be a string, got ${String(value)}`)
      group[d] = value
    }
    closed(group)
    const key = cellKeyOf(dims, group, dimsKey)
    if (seen.has(key)) throw new AnalysisInputError('invalid_parameter', `${name}: the cell ${describeGroup(group)} is listed twice`)
    seen.add(key)
    return { key, group: project(group, dims), position: j, source: cell }
  })
  return { indicator, dims, dimsKey, position, cells: shaped }
}

/** Whether a set of dimensions contains every dimension its members imply. */
export function closedUnder (implications: Implications): (dims: readonly string[]) => boolean {
  return (dims) => dims.every((d) => (implications.get(d) ?? []).every(({ to }) => dims.includes(to)))
}
