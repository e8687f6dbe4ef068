/**
 * Random respondents and the tables counted from them, for the randomized disclosure tests:
 * few respondents over skewed categories, so that many cells are small.
 */
import type { ReleaseTable } from '../../../../../analysis/index.js'
import { integer, shuffled } from './mulberry32.js'

export const DIMENSIONS: Readonly<Record<string, readonly string[]>> = {
  gender: ['woman', 'man', 'other'],
  county: ['03', '11', '46'],
  age: ['18-34', '35+'],
}

export interface Respondent {
  readonly group: Readonly<Record<string, string>>
  /** Per indicator: 1 yes, 0 no, null missing. */
  readonly answers: ReadonlyArray<0 | 1 | null>
}

/** Municipalities and their counties, for tests of implied dimensions. */
export const MUNICIPALITY_COUNTY: Readonly<Record<string, string>> = { '0301': '03', 3201: '32', 3203: '32', 4601: '46', 4602: '46' }

/** Dimensions with a municipality (its county is derived from it). */
export const GEO_DIMENSIONS: Readonly<Record<string, readonly string[]>> = {
  gender: ['woman', 'man'],
  municipality: Object.keys(MUNICIPALITY_COUNTY),
}

/** `count` respondents with skewed category weights and per-indicator prevalence and missingness. */
export function randomRespondents (
  random: () => number,
  count: number,
  indicators: number,
  dimensions: Readonly<Record<string, readonly string[]>> = DIMENSIONS
): Respondent[] {
  const weights = Object.fromEntries(Object.entries(dimensions).map(([d, values]) => [d, values.map(() => 0.05 + random())]))
  const prevalence = Array.from({ length: indicators }, () => random())
  const missing = Array.from({ length: indicators }, () => 0.2 * random())
  const pick = (d: string): string => {
    const w = weights[d] as number[]
    let u = random() * w.reduce((s, x) => s + x, 0)
    const values = dimensions[d] as readonly string[]
    for (let i = 0; i < values.length; i++) {
      u -= w[i] as number
      if (u <= 0) return values[i] as string
    }
    return values[values.length - 1] as string
  }
  return Array.from({ length: count }, () => {
    const group: Record<string, string> = Object.fromEntries(Object.keys(dimensions).map((d) => [d, pick(d)]))
    if (group.municipality !== undefined) group.county = MUNICIPALITY_COUNTY[group.municipality] as string
    return { group, answers: prevalence.map((p, j) => (random() < (missing[j] as number) ? null : random() < p ? 1 : 0)) }
  })
}

/** Every subset of the dimensions, as breakdowns (never municipality with county, which it implies). */
export function allBreakdowns (dims: readonly string[] = Object.keys(DIMENSIONS)): string[][] {
  const out: string[][] = []
  for (let mask = 0; mask < 1 << dims.length; mask++) out.push(dims.filter((_, i) => (mask & (1 << i)) !== 0))
  return out.filter((b) => !(b.includes('municipality') && b.includes('county')))
}

/** 2 to 5 random breakdowns (always including at least one with two dimensions). */
export function randomBreakdowns (random: () => number, dims: readonly string[] = Object.keys(DIMENSIONS)): string[][] {
  const chosen = shuffled(random, allBreakdowns(dims)).slice(0, integer(random, 2, 5))
  if (!chosen.some((b) => b.length >= 2)) chosen.push([dims[0] as string, dims[1] as string])
  return chosen
}

/** The tables counted from respondents: per indicator and breakdown, the non-empty cells. */
export function countTables (people: readonly Respondent[], indicators: number, breakdowns: readonly string[][]): ReleaseTable[] {
  const tables: ReleaseTable[] = []
  for (let j = 0; j < indicators; j++) {
    for (const breakdown of breakdowns) {
      const cells = new Map<string, { group: Record<string, string>, n: number, yes: number }>()
      for (const p of people) {
        const answer = p.answers[j]
        if (answer === null || answer === undefined) continue
        const group = Object.fromEntries(breakdown.map((d) => [d, p.group[d] as string]))
        const key = JSON.stringify(group)
        const cell = cells.get(key) ?? { group, n: 0, yes: 0 }
        cell.n++
        cell.yes += answer
        cells.set(key, cell)
      }
      tables.push({ indicator: `indicator_${j}`, breakdown, cells: [...cells.values()] })
    }
  }
  return tables
}
