/**
 * One linear model of everything a results release publishes, at the level an attacker reasons on:
 * atoms, the finest cross-classification the tables allow (site × every released value of the
 * response-level dimensions such as gender and age group). Every cell of every table, of this
 * release and of the wave's earlier ones, is a sum of atoms; site-level dimensions (municipality,
 * county, site kind, centrality, …) come from the sites' public attributes, so tables by county and
 * by site kind are sums over the same sites, as an attacker who knows the sites sees them.
 *
 * This file only builds the model (atoms, cells and which atoms each cell adds up); the primary
 * rule, secondary suppression and the audit read it.
 * @see ARCHITECTURE.md, anonymity rules 6 and 9
 */
import { AnalysisInputError } from '../errors.js'
import { primaryRuleOf } from './primary-rule.js'
import { changeRuleOf } from './change-rule.js'
import type { CellGroup, PrimaryRule } from './types.js'

/** A site of the release with its public attributes (`{ county: '46', site_kind: 'housing', … }`). */
export interface ReleaseSite {
  readonly id: string
  readonly attributes: Readonly<Record<string, string>>
}

/** Counts of one atom: a site and the response-level dimension values of its respondents. */
export interface AtomCounts {
  readonly site: string
  readonly group: CellGroup
  readonly n: number
  /** For a `count` family, ignored (taken as 0). */
  readonly yes: number
}

/**
 * A family of tables over the same respondents: an indicator (`proportion`: n and yes per cell) or
 * "who answered" (`count`: a count per cell, in n).
 */
export interface FamilyInput {
  readonly name: string
  readonly kind: 'proportion' | 'count'
  /** Cost of suppressing its cells, relative to others (headline indicators and respondent counts higher). */
  readonly weight: number
  readonly tables: ReadonlyArray<readonly string[]>
  readonly atoms: readonly AtomCounts[]
}

/** A cell of an earlier release as it was published. */
export interface EarlierCell {
  readonly group: CellGroup
  readonly suppressed: boolean
  readonly n?: number
  readonly yes?: number
}

/** A table of an earlier release. */
export interface EarlierTable {
  readonly family: string
  readonly breakdown: readonly string[]
  readonly cells: readonly EarlierCell[]
}

/** Everything disclosure control of a release reads. */
export interface LinkedReleaseInput {
  /** Threshold k ≥ 3. */
  readonly k: number
  readonly sites: readonly ReleaseSite[]
  readonly families: readonly FamilyInput[]
  /** Every yes of `from` is a yes of `to` (e.g. raped ⇒ any sexual violence), per respondent. */
  readonly implications?: ReadonlyArray<{ readonly from: string, readonly to: string }>
  /** The `count` family whose atoms bound every indicator's n (an indicator counts only respondents). */
  readonly respondents?: string
  /** The wave's earlier releases, oldest first; each of their tables must be among this release's. */
  readonly earlier?: ReadonlyArray<readonly EarlierTable[]>
}

/** A cell of a table: its group, the atoms it adds up, its counts, and what the primary rule says. */
export interface ModelCell {
  readonly group: CellGroup
  readonly key: string
  readonly atoms: readonly number[]
  readonly n: number
  readonly yes: number
  /** Listed in the table (false: a combination the table leaves out, known to be empty). */
  readonly listed: boolean
}

export interface ModelTable {
  readonly breakdown: readonly string[]
  readonly weight: number
  readonly cells: readonly ModelCell[]
}

/** An earlier release's table with its cells matched to atoms. */
export interface ModelEarlierTable {
  readonly breakdown: readonly string[]
  readonly cells: ReadonlyArray<{ readonly key: string, readonly atoms: readonly number[], readonly value: readonly [number, number] | null }>
}

export interface ModelFamily {
  readonly name: string
  readonly kind: 'proportion' | 'count'
  /** The atoms of this family: an indicator's are shared by every indicator linked to it by implications. */
  readonly space: AtomSpace
  /** An indicator's atoms: per atom, the count atoms (of `countSpace`) it is made of. */
  readonly refinement: ReadonlyArray<readonly number[]>
  /** Counts per atom of `space`. */
  readonly atomN: readonly number[]
  readonly atomYes: readonly number[]
  readonly tables: readonly ModelTable[]
  /** Per earlier release, its tables of this family. */
  readonly earlier: ReadonlyArray<readonly ModelEarlierTable[]>
}

/** The atoms of a granularity: site × values of some response-level dimensions. */
export interface AtomSpace {
  readonly responseDims: readonly string[]
  readonly atoms: ReadonlyArray<{ readonly site: string, readonly group: CellGroup }>
  readonly indexOf: ReadonlyMap<string, number>
}

export interface AtomModel {
  readonly k: number
  readonly sites: readonly ReleaseSite[]
  /** Atoms of the respondent counts (a refinement of every indicator's atoms). */
  readonly countSpace: AtomSpace
  readonly families: readonly ModelFamily[]
  readonly implications: ReadonlyArray<readonly [number, number]>
  readonly respondents: number | null
  readonly releases: number
}

const fail = (message: string): never => { throw new AnalysisInputError('invalid_parameter', message) }
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Whether two breakdowns name the same dimensions. */
export const sameDims = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((d) => b.includes(d))

/** A key for a group restricted to some dimensions, independent of key order. */
export function groupKey (group: CellGroup, dims: readonly string[]): string {
  return JSON.stringify([...dims].sort(byCode).map((d) => [d, group[d] ?? null]))
}

function space (sites: readonly ReleaseSite[], responseDims: readonly string[], values: ReadonlyMap<string, readonly string[]>): AtomSpace {
  let groups: Array<Record<string, string>> = [{}]
  for (const d of responseDims) {
    groups = groups.flatMap((g) => (values.get(d) ?? []).map((v) => ({ ...g, [d]: v })))
  }
  const atoms = sites.flatMap((s) => groups.map((group) => ({ site: s.id, group })))
  const indexOf = new Map(atoms.map((a, i) => [`${a.site}|${groupKey(a.group, responseDims)}`, i]))
  return { responseDims, atoms, indexOf }
}

/**
 * Builds the atom model of a release.
 * @throws {AnalysisInputError} `invalid_parameter` for a table dimension that is neither a site
 *   attribute nor in the family's atoms, an unknown site, an earlier table this release lacks; `invalid_count` for bad counts
 */
export function buildAtomModel (input: LinkedReleaseInput): AtomModel {
  const { k, sites } = input
  const siteIds = new Set(sites.map((s) => s.id))
  const siteAttrs = new Set(sites.flatMap((s) => Object.keys(s.attributes)))
  const siteOf = new Map(sites.map((s) => [s.id, s]))
  const families = [...input.families].sort((a, b) => byCode(a.name, b.name))
  if (new Set(families.map((f) => f.name)).size !== families.length) fail('a family is given twice')

  // Response-level dimensions: of the indicators' tables, and of the counts' tables and atoms.
  const responseDimsOf = (f: FamilyInput): string[] => [...new Set(f.tables.flat().filter((d) => !siteAttrs.has(d)))]
  const indicatorDims = [...new Set(families.filter((f) => f.kind === 'proportion').flatMap(responseDimsOf))].sort(byCode)
  const countFamily = input.respondents === undefined ? undefined : families.find((f) => f.name === input.respondents && f.kind === 'count')
  if (input.respondents !== undefined && countFamily === undefined) fail(`respondents names no count family: ${input.respondents}`)
  const countDims = [...new Set([...indicatorDims, ...families.filter((f) => f.kind === 'count').flatMap(responseDimsOf)])].sort(byCode)

  const values = new Map<string, Set<string>>()
  for (const f of families) {
    for (const a of f.atoms) {
      if (!siteIds.has(a.site)) fail(`${f.name}: an atom names site ${a.site}, which is not among the release's sites`)
      if (!Number.isSafeInteger(a.n) || a.n < 0 || (f.kind === 'proportion' && (!Number.isSafeInteger(a.yes) || a.yes < 0 || a.yes > a.n))) {
        throw new AnalysisInputError('invalid_count', `${f.name}: an atom of site ${a.site} has n = ${a.n}, yes = ${a.yes}`)
      }
      for (const d of responseDimsOf(f)) {
        const v = a.group[d]
        if (v === undefined) fail(`${f.name}: its atoms lack dimension ${d} of its tables`)
        const set = values.get(d) ?? new Set<string>()
        set.add(v as string)
        values.set(d, set)
      }
    }
  }
  const sortedValues = new Map([...values].map(([d, s]) => [d, [...s].sort(byCode)]))
  const countSpace = space(sites, countDims, sortedValues)
  // Indicators linked by implications (directly or through others) share one atom level: that of all
  // their tables' dimensions. Indicators in different such groups are tied only through the respondent
  // counts, so each group takes only the dimensions its own tables need (see interval-audit.ts for why
  // the bounds stay those of the finest level).
  const group = new Map(families.filter((f) => f.kind === 'proportion').map((f) => [f.name, f.name]))
  const root = (name: string): string => {
    let r = name
    while (group.get(r) !== r) r = group.get(r) as string
    return r
  }
  for (const { from, to } of input.implications ?? []) {
    if (group.has(from) && group.has(to)) group.set(root(from), root(to))
  }
  const dimsOfGroup = new Map<string, Set<string>>()
  for (const f of families) {
    if (f.kind !== 'proportion') continue
    const dims = dimsOfGroup.get(root(f.name)) ?? new Set<string>()
    for (const d of responseDimsOf(f)) dims.add(d)
    dimsOfGroup.set(root(f.name), dims)
  }
  const spaces = new Map<string, { space: AtomSpace, refinement: number[][] }>()
  const spaceOf = (f: FamilyInput): { space: AtomSpace, refinement: number[][] } => {
    if (f.kind === 'count') return { space: countSpace, refinement: countSpace.atoms.map((_, j) => [j]) }
    const dims = [...(dimsOfGroup.get(root(f.name)) ?? [])].sort(byCode)
    const key = JSON.stringify(dims)
    const known = spaces.get(key)
    if (known !== undefined) return known
    const sp = space(sites, dims, sortedValues)
    const refinement = sp.atoms.map(() => [] as number[])
    countSpace.atoms.forEach((a, j) => {
      const i = sp.indexOf.get(`${a.site}|${groupKey(a.group, dims)}`) as number
      refinement[i]?.push(j)
    })
    const made = { space: sp, refinement }
    spaces.set(key, made)
    return made
  }

  const valueOf = (atom: { site: string, group: CellGroup }, d: string): string =>
    siteAttrs.has(d) ? (siteOf.get(atom.site)?.attributes[d] ?? '') : (atom.group[d] ?? '')
  const earlier = input.earlier ?? []

  const modelFamilies = families.map((f): ModelFamily => {
    const { space: sp, refinement } = spaceOf(f)
    const atomN = new Array<number>(sp.atoms.length).fill(0)
    const atomYes = new Array<number>(sp.atoms.length).fill(0)
    const present = new Array<boolean>(sp.atoms.length).fill(false)
    for (const a of f.atoms) {
      const i = sp.indexOf.get(`${a.site}|${groupKey(a.group, sp.responseDims)}`)
      if (i === undefined) fail(`${f.name}: an atom's dimensions do not match the release's (${JSON.stringify(a.group)})`)
      atomN[i as number] = (atomN[i as number] as number) + a.n
      atomYes[i as number] = (atomYes[i as number] as number) + (f.kind === 'proportion' ? a.yes : 0)
      present[i as number] = true
    }
    const cellsOf = (breakdown: readonly string[]): Map<string, { group: Record<string, string>, atoms: number[], listed: boolean }> => {
      for (const d of breakdown) if (!siteAttrs.has(d) && !sp.responseDims.includes(d)) fail(`${f.name}: dimension ${d} is neither a site attribute nor in its atoms`)
      const cells = new Map<string, { group: Record<string, string>, atoms: number[], listed: boolean }>()
      sp.atoms.forEach((atom, i) => {
        const group = Object.fromEntries(breakdown.map((d) => [d, valueOf(atom, d)]))
        const key = groupKey(group, breakdown)
        const cell = cells.get(key) ?? { group, atoms: [], listed: false }
        cell.atoms.push(i)
        if (present[i] === true) cell.listed = true
        cells.set(key, cell)
      })
      return cells
    }
    const tables = f.tables.map((breakdown): ModelTable => {
      const cells = [...cellsOf(breakdown)].sort((a, b) => byCode(a[0], b[0])).map(([key, c]): ModelCell => {
        let n = 0
        let yes = 0
        for (const i of c.atoms) {
          n += atomN[i] as number
          yes += atomYes[i] as number
        }
        return { group: c.group, key, atoms: c.atoms, n, yes, listed: c.listed }
      })
      return { breakdown: [...breakdown], weight: f.weight * (breakdown.length === 0 ? 1000 : 1), cells }
    })
    const earlierTables = earlier.map((release, r) => release.filter((t) => t.family === f.name).map((t): ModelEarlierTable => {
      if (!f.tables.some((b) => sameDims(b, t.breakdown))) {
        fail(`earlier release ${r}: its table of ${f.name} by [${t.breakdown.join(', ')}] is not in this release; a release must include every table already published for the wave`)
      }
      const cells = cellsOf(t.breakdown)
      const listed = new Map(t.cells.map((c) => [groupKey(c.group, t.breakdown), c]))
      return {
        breakdown: t.breakdown,
        cells: [...cells].sort((a, b) => byCode(a[0], b[0])).map(([key, c]) => {
          const shown = listed.get(key)
          // A combination the earlier table did not list was empty then.
          if (shown === undefined) return { key, atoms: c.atoms, value: [0, 0] as const }
          if (shown.suppressed) return { key, atoms: c.atoms, value: null }
          return { key, atoms: c.atoms, value: [shown.n ?? 0, f.kind === 'count' ? 0 : shown.yes ?? 0] as const }
        }),
      }
    }))
    return { name: f.name, kind: f.kind, space: sp, refinement, atomN, atomYes, tables, earlier: earlierTables }
  })

  const indexOfFamily = new Map(modelFamilies.map((f, i) => [f.name, i]))
  const implications = (input.implications ?? []).flatMap(({ from, to }): Array<readonly [number, number]> => {
    const a = indexOfFamily.get(from)
    const b = indexOfFamily.get(to)
    // Linked indicators share their atoms (one group, one space), so atom a of one is atom a of the other.
    return a === undefined || b === undefined || modelFamilies[a]?.kind !== 'proportion' || modelFamilies[b]?.kind !== 'proportion' ? [] : [[a, b]]
  })
  return {
    k,
    sites,
    countSpace,
    families: modelFamilies,
    implications,
    respondents: countFamily === undefined ? null : indexOfFamily.get(countFamily.name) ?? null,
    releases: earlier.length + 1,
  }
}

/** The primary rule of a current cell, including the change since an earlier release that published it. */
export function primaryOfCell (family: ModelFamily, table: number, cell: ModelCell, k: number): PrimaryRule | null {
  if (!cell.listed) return null
  const yes = family.kind === 'count' ? cell.n : cell.yes
  const own = family.kind === 'count' ? (cell.n > 0 && cell.n < k ? 'n_below_k' : null) : primaryRuleOf(cell.n, cell.yes, k)
  if (own !== null) return own
  const t = family.tables[table] as ModelTable
  for (const release of family.earlier) {
    const same = release.find((e) => sameDims(e.breakdown, t.breakdown))
    const value = same?.cells.find((c) => c.key === cell.key)?.value
    if (value === undefined || value === null) continue
    const earlierYes = family.kind === 'count' ? value[0] : value[1]
    if (family.kind === 'count' ? cell.n !== value[0] && Math.abs(cell.n - value[0]) < k : changeRuleOf(cell.n, yes, value[0], earlierYes, k)) {
      return 'change_below_k'
    }
  }
  return null
}
