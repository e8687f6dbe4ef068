/**
 * An attack written apart from analysis/disclosure-control: from the released tables only (what a
 * funder sees), the sites' attributes and the implications, it writes its own model in the LP file
 * format, one variable per site × gender × release × indicator, and asks HiGHS's one-shot solver
 * (not the persistent model the audit uses) for the least and greatest value of a cell.
 */
import highsModule from 'highs'
import type { Highs, InitOptions } from 'highs'

type Loader = (options?: InitOptions) => Promise<Highs>
const loadHighs: Loader = typeof highsModule === 'function' ? highsModule as Loader : (highsModule as { default: Loader }).default

export interface AttackSite { id: string, attributes: Record<string, string> }
export interface PublishedCell { group: Record<string, string>, n?: number, yes?: number }
export interface PublishedTable { family: string, breakdown: string[], cells: PublishedCell[], kind: 'proportion' | 'count' }

export interface AttackInput {
  sites: AttackSite[]
  genders: string[]
  indicators: string[]
  implications: Array<{ from: string, to: string }>
  /** Per release (oldest first), its tables as published (a suppressed cell has no n). */
  releases: PublishedTable[][]
}

const v = (what: string, r: number, family: string, site: string, gender: string): string => `${what}_${r}_${family}_${site}_${gender}`.replace(/[^A-Za-z0-9_]/g, '_')

function matches (input: AttackInput, site: AttackSite, gender: string, group: Record<string, string>): boolean {
  return Object.entries(group).every(([d, value]) => (d === 'gender' ? gender === value : site.attributes[d] === value))
}

function atomsOf (input: AttackInput, group: Record<string, string>): Array<[AttackSite, string]> {
  return input.sites.flatMap((s) => input.genders.filter((g) => matches(input, s, g, group)).map((g): [AttackSite, string] => [s, g]))
}

/** The constraints an attacker writes down. */
function constraints (input: AttackInput): string[] {
  const lines: string[] = []
  const R = input.releases.length
  for (let r = 0; r < R; r++) {
    for (const s of input.sites) {
      for (const g of input.genders) {
        for (const f of input.indicators) {
          lines.push(`${v('y', r, f, s.id, g)} - ${v('n', r, f, s.id, g)} <= 0`)
          lines.push(`${v('n', r, f, s.id, g)} - ${v('c', r, 'resp', s.id, g)} <= 0`)
          if (r > 0) {
            lines.push(`${v('y', r - 1, f, s.id, g)} - ${v('y', r, f, s.id, g)} <= 0`)
            lines.push(`${v('n', r - 1, f, s.id, g)} - ${v('y', r - 1, f, s.id, g)} - ${v('n', r, f, s.id, g)} + ${v('y', r, f, s.id, g)} <= 0`)
            lines.push(`${v('n', r, f, s.id, g)} - ${v('n', r - 1, f, s.id, g)} - ${v('c', r, 'resp', s.id, g)} + ${v('c', r - 1, 'resp', s.id, g)} <= 0`)
          }
        }
        if (r > 0) lines.push(`${v('c', r - 1, 'resp', s.id, g)} - ${v('c', r, 'resp', s.id, g)} <= 0`)
        for (const { from, to } of input.implications) lines.push(`${v('y', r, from, s.id, g)} - ${v('y', r, to, s.id, g)} <= 0`)
      }
    }
    for (const t of input.releases[r] ?? []) {
      const listed = new Set<string>()
      for (const cell of t.cells) {
        listed.add(JSON.stringify(t.breakdown.map((d) => cell.group[d])))
        if (cell.n === undefined) continue
        const atoms = atomsOf(input, cell.group)
        const what = t.kind === 'count' ? 'c' : 'n'
        const fam = t.kind === 'count' ? 'resp' : t.family
        lines.push(`${atoms.map(([s, g]) => v(what, r, fam, s.id, g)).join(' + ')} = ${cell.n}`)
        if (t.kind === 'proportion') lines.push(`${atoms.map(([s, g]) => v('y', r, fam, s.id, g)).join(' + ')} = ${cell.yes ?? 0}`)
      }
      // Combinations the table does not list are empty.
      const combos = new Map<string, Record<string, string>>()
      for (const s of input.sites) {
        for (const g of input.genders) {
          const group = Object.fromEntries(t.breakdown.map((d) => [d, d === 'gender' ? g : s.attributes[d] as string]))
          combos.set(JSON.stringify(t.breakdown.map((d) => group[d])), group)
        }
      }
      for (const [key, group] of combos) {
        if (listed.has(key)) continue
        const atoms = atomsOf(input, group)
        const what = t.kind === 'count' ? 'c' : 'n'
        const fam = t.kind === 'count' ? 'resp' : t.family
        lines.push(`${atoms.map(([s, g]) => v(what, r, fam, s.id, g)).join(' + ')} = 0`)
      }
    }
  }
  return lines
}

export interface Attacker {
  /** [least, greatest] whole numbers for a count of a cell of the last release ('no' = n − yes). */
  bounds (family: string, group: Record<string, string>, count: 'n' | 'yes' | 'no', kind?: 'proportion' | 'count'): [number, number]
}

export async function attacker (input: AttackInput): Promise<Attacker> {
  const highs = await loadHighs()
  const rows = constraints(input).map((line, i) => ` c${i}: ${line}`).join('\n')
  const last = input.releases.length - 1
  return {
    bounds (family, group, count, kind = 'proportion') {
      const atoms = atomsOf(input, group)
      const term = (s: AttackSite, g: string): string => {
        if (kind === 'count') return v('c', last, 'resp', s.id, g)
        if (count === 'n') return v('n', last, family, s.id, g)
        if (count === 'yes') return v('y', last, family, s.id, g)
        return `${v('n', last, family, s.id, g)} - ${v('y', last, family, s.id, g)}`
      }
      const objective = atoms.map(([s, g]) => term(s, g)).join(' + ').replace(/\+ -/g, '-')
      const solve = (sense: 'Maximize' | 'Minimize'): number => {
        const problem = `${sense}\n obj: ${objective}\nSubject To\n${rows}\nEnd`
        const result = highs.solve(problem, { output_flag: false })
        if (result.Status === 'Unbounded') return sense === 'Maximize' ? Infinity : -Infinity
        if (result.Status !== 'Optimal') throw new Error(`attack: ${result.Status}`)
        return sense === 'Maximize' ? Math.floor(result.ObjectiveValue + 1e-6) : Math.ceil(result.ObjectiveValue - 1e-6)
      }
      return [solve('Minimize'), solve('Maximize')]
    },
  }
}
