import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { FamilyInput, LinkedReleaseInput } from '../../../../analysis/disclosure-control/atom-model.js'
import type { BoundSolver } from '../../../../analysis/disclosure-control/bound-solver.js'
import { highsSolver } from '../../../../analysis/disclosure-control/highs-solver.js'
import { protectLinkedRelease } from '../../../../analysis/disclosure-control/protect-linked-release.js'
import type { LinkedRelease } from '../../../../analysis/disclosure-control/protect-linked-release.js'
import { attacker } from './support/lp-attack.js'
import type { AttackSite, PublishedTable } from './support/lp-attack.js'

interface Person { site: string, gender: string, answers: Record<string, boolean | null> }

const K = 5
let solver: BoundSolver
beforeAll(async () => { solver = await highsSolver() })

function input (sites: AttackSite[], people: readonly Person[], indicators: Record<string, string[][]>, respondentTables: string[][],
  implications: Array<{ from: string, to: string }> = [], earlier: LinkedRelease[] = []): LinkedReleaseInput {
  const atoms = (value: (p: Person) => boolean | null | 'count'): FamilyInput['atoms'] => {
    const cells = new Map<string, { site: string, group: Record<string, string>, n: number, yes: number }>()
    for (const p of people) {
      const key = `${p.site}|${p.gender}`
      const cell = cells.get(key) ?? { site: p.site, group: { gender: p.gender }, n: 0, yes: 0 }
      const x = value(p)
      if (x !== null) cell.n++
      if (x === true) cell.yes++
      cells.set(key, cell)
    }
    return [...cells.values()]
  }
  const families: FamilyInput[] = Object.entries(indicators).map(([name, tables]) => ({ name, kind: 'proportion', weight: 1, tables, atoms: atoms((p) => p.answers[name] ?? null) }))
  families.push({ name: 'resp', kind: 'count', weight: 16, tables: respondentTables, atoms: atoms(() => 'count') })
  return {
    k: K,
    sites,
    families,
    implications,
    respondents: 'resp',
    earlier: earlier.map((release) => release.tables.map((t) => ({
      family: t.family,
      breakdown: t.breakdown,
      cells: t.cells.map((c) => ({ group: c.group, suppressed: c.rule !== null, ...(c.rule === null ? { n: c.n, yes: c.yes } : {}) })),
    }))),
  }
}

/** What a funder sees of a release. */
const published = (release: LinkedRelease): PublishedTable[] => release.tables.map((t) => ({
  family: t.family,
  breakdown: [...t.breakdown],
  kind: t.family === 'resp' ? 'count' : 'proportion',
  cells: t.cells.map((c) => (c.rule === null ? { group: { ...c.group }, n: c.n, yes: c.yes } : { group: { ...c.group } })),
}))

/** The (site, gender) pairs a group covers, as one string: two cells with the same string count the same people. */
function covers (sites: AttackSite[], genders: string[], group: Record<string, string>): string {
  return sites.flatMap((site) => genders.map((gender) => ({ site: site.id, gender, ...site.attributes })))
    .filter((atom) => Object.entries(group).every(([d, v]) => (atom as Record<string, string>)[d] === v))
    .map((atom) => `${atom.site}|${atom.gender}`).sort().join(',')
}

/**
 * Every suppressed cell checked by the independent attack: a count below k (or its change since the
 * earlier release, when that published it) cannot be proven below k, no count is proven 0 that is not,
 * and no cell is pinned to its counts.
 */
async function expectProtected (sites: AttackSite[], genders: string[], indicators: string[], implications: Array<{ from: string, to: string }>, releases: LinkedRelease[]): Promise<number> {
  const attack = await attacker({ sites, genders, indicators, implications, releases: releases.map(published) })
  const current = releases[releases.length - 1] as LinkedRelease
  const before = releases.length > 1 ? releases[releases.length - 2] : undefined
  let checked = 0
  for (const t of current.tables) {
    for (const c of t.cells) {
      if (c.rule === null) continue
      const kind = t.family === 'resp' ? 'count' : 'proportion'
      const old = before?.tables.find((x) => x.family === t.family && x.breakdown.join() === t.breakdown.join())?.cells
        .find((x) => JSON.stringify(x.group) === JSON.stringify(c.group))
      const base = old !== undefined && old.rule === null ? { n: old.n, yes: old.yes, no: old.n - old.yes } : undefined
      const truth = { n: c.n, yes: c.yes, no: c.n - c.yes }
      const names = kind === 'count' ? ['n'] as const : ['n', 'yes', 'no'] as const
      const got = Object.fromEntries(names.map((name) => [name, attack.bounds(t.family, c.group, name, kind)]))
      const where = `${t.family} [${t.breakdown.join(', ')}] ${JSON.stringify(c.group)} ${c.rule}`
      if (kind === 'count' || c.yes === undefined) expect(got.n?.[0] !== got.n?.[1] || c.rule === 'complementary', where).toBe(true)
      else expect(got.n?.[0] !== got.n?.[1] || got.yes?.[0] !== got.yes?.[1], `${where}: determined`).toBe(true)
      // The strict rule: no count pinned, except an n equal to a published "who answered" count of the same people.
      const nPublished = kind === 'proportion' && c.n >= K && current.tables.some((x) => x.family === 'resp' &&
        x.cells.some((r) => r.rule === null && r.n === c.n && covers(sites, genders, r.group) === covers(sites, genders, c.group)))
      for (const name of names) {
        const [lo, hi] = got[name] as [number, number]
        const republished = base !== undefined && base.n === truth.n && base.yes === truth.yes
        if (kind === 'proportion' && !republished && !(name === 'n' && nPublished)) expect(hi - lo, `${where}: ${name} pinned to ${lo}`).toBeGreaterThanOrEqual(1)
        if (truth[name] > 0) expect(hi, `${where}: ${name} proven 0`).toBeGreaterThan(0)
        if (c.rule === 'complementary') continue
        const changed = base !== undefined && (base.n !== truth.n || base.yes !== truth.yes)
        const baseline = base?.[name] ?? 0
        const below = base === undefined ? truth[name] < K : changed && truth[name] - baseline < K
        if (below) expect(hi - baseline, `${where}: ${name} = ${truth[name]} (baseline ${baseline})`).toBeGreaterThanOrEqual(K)
      }
      checked++
    }
  }
  return checked
}

const OSLO_BERGEN: AttackSite[] = [
  { id: 'oslo-lav', attributes: { county: 'oslo', site_kind: 'low_threshold', centrality: '1' } },
  { id: 'oslo-tsb', attributes: { county: 'oslo', site_kind: 'specialist', centrality: '1' } },
  { id: 'bergen-lav', attributes: { county: 'bergen', site_kind: 'low_threshold', centrality: '2' } },
  { id: 'bergen-bolig', attributes: { county: 'bergen', site_kind: 'housing', centrality: '2' } },
]

function people (spec: Array<[site: string, gender: string, count: number, yes: number]>, indicator = 'turned_away'): Person[] {
  return spec.flatMap(([site, gender, count, yes]) => Array.from({ length: count }, (_, i) => ({ site, gender, answers: { [indicator]: i < yes } })))
}

describe('disclosure control on the atom model, attacked by an independent LP', () => {
  it('keeps "turned away" of Oslo (17/4) and Bergen (13/4) out of reach of differencing site kind, centrality and county', async () => {
    const crowd = people([
      ['oslo-lav', 'woman', 6, 2], ['oslo-lav', 'man', 5, 1], ['oslo-tsb', 'woman', 3, 1], ['oslo-tsb', 'man', 3, 0],
      ['bergen-lav', 'woman', 4, 2], ['bergen-lav', 'man', 5, 1], ['bergen-bolig', 'woman', 2, 1], ['bergen-bolig', 'man', 2, 0],
    ])
    const tables = [[], ['county'], ['site_kind'], ['centrality'], ['gender']]
    const release = protectLinkedRelease(input(OSLO_BERGEN, crowd, { turned_away: tables }, [[], ['gender'], ['county'], ['site_kind']]), solver)
    const byCounty = release.tables.find((t) => t.family === 'turned_away' && t.breakdown.join() === 'county')
    expect(byCounty?.cells.map((c) => [c.group.county, c.n, c.yes, c.rule])).toEqual([['bergen', 13, 4, 'yes_below_k'], ['oslo', 17, 4, 'yes_below_k']])
    expect(release.audit.safe).toBe(true)
    // Centrality and site kind would each give the counties away; the attack must find neither.
    expect(await expectProtected(OSLO_BERGEN, ['woman', 'man'], ['turned_away'], [], [release])).toBeGreaterThanOrEqual(2)
  }, 60_000)

  it('does not let the late respondents of a second release (60 → 63) be found by subtracting the first', async () => {
    const first = people([
      ['oslo-lav', 'woman', 10, 4], ['oslo-lav', 'man', 10, 5], ['oslo-tsb', 'woman', 8, 3], ['oslo-tsb', 'man', 7, 3],
      ['bergen-lav', 'woman', 8, 4], ['bergen-lav', 'man', 9, 4], ['bergen-bolig', 'woman', 4, 2], ['bergen-bolig', 'man', 4, 1],
    ])
    const late = people([['bergen-lav', 'woman', 1, 1], ['oslo-lav', 'man', 2, 0]])
    const tables = [[], ['county'], ['gender']]
    const spec = { turned_away: tables }
    const r1 = protectLinkedRelease(input(OSLO_BERGEN, first, spec, [[], ['gender'], ['county']]), solver)
    expect(r1.audit.safe).toBe(true)
    const r2 = protectLinkedRelease(input(OSLO_BERGEN, [...first, ...late], spec, [[], ['gender'], ['county']], [], [r1]), solver)
    expect(r2.audit.safe).toBe(true)
    const total = r2.tables.find((t) => t.family === 'turned_away' && t.breakdown.length === 0)?.cells[0]
    expect(total).toMatchObject({ n: 63, rule: 'change_below_k' })
    expect(await expectProtected(OSLO_BERGEN, ['woman', 'man'], ['turned_away'], [], [r1, r2])).toBeGreaterThan(0)
  }, 60_000)

  it('never leaves a suppressed count narrower than the rule on random sites, tables and implications (fast-check)', async () => {
    const site = fc.record({ county: fc.constantFrom('03', '46', '18'), kind: fc.constantFrom('low', 'spec') })
    const answer = fc.constantFrom<boolean | null>(true, false, false, null)
    const person = fc.record({ site: fc.nat(3), gender: fc.constantFrom('woman', 'man', 'other'), a: answer, b: answer })
    const tablePool = [['county'], ['site_kind'], ['gender'], ['gender', 'county']]
    await fc.assert(fc.asyncProperty(
      fc.array(site, { minLength: 2, maxLength: 4 }),
      fc.array(person, { minLength: 8, maxLength: 70 }),
      fc.subarray(tablePool),
      fc.boolean(),
      async (siteSpecs, crowd, extra, implied) => {
        const sites: AttackSite[] = siteSpecs.map((s, i) => ({ id: `s${i}`, attributes: { county: s.county, site_kind: s.kind } }))
        // With the implication, b is "any" of a: every yes of a is a yes of b.
        const who: Person[] = crowd.map((p) => ({
          site: `s${p.site % sites.length}`,
          gender: p.gender,
          answers: { a: p.a, b: implied && p.a === true ? true : p.b },
        }))
        const tables = [[], ...extra]
        const implications = implied ? [{ from: 'a', to: 'b' }] : []
        const release = protectLinkedRelease(input(sites, who, { a: tables, b: tables }, [[], ['gender'], ['county']], implications), solver)
        if (!release.audit.safe) return // refused by the service: nothing is published
        await expectProtected(sites, ['woman', 'man', 'other'], ['a', 'b'], implications, [release])
      }
    ), { numRuns: 12, seed: 20261203 })
  }, 300_000)
})
