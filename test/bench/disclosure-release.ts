/**
 * Information loss and time of disclosure control on a results release, as `computeReleaseTables`
 * runs it (atom model, Gaussian-elimination suppression, audit by HiGHS): releases of 30, 60, 300,
 * 1,000 and 5,000 synthetic responses over 5 sites, with the overview tables (13 headline
 * indicators overall and by gender, "who answered" by gender, age group, site kind and county) plus
 * each headline indicator by gender × county.
 *
 * Then the same sizes with a fine crossing added (raped in the last 12 months by gender × age group ×
 * county, any violence by county × gender, strangled by municipality and by county), and a release of
 * 1,500 with that crossing superseded by one of 1,502 (two late responses), as in the API test.
 *
 * Prints per release: cells, the share suppressed (primary; secondary: the cells hidden beyond those
 * the primary rule hides, of all cells and of the indicators' cells), respondent counts withheld,
 * whether the audit passed, its narrowest interval of a suppressed count (an n published as "who
 * answered" left out), LPs solved in the last audit, repair rounds, and wall and CPU time.
 *
 *   npm run bench:disclosure [-- sizes=30,60,300,1000,5000] [fine=no]
 */
import { performance } from 'node:perf_hooks'
import { highsSolver } from '../../analysis/disclosure-control/highs-solver.js'
import { protectLinkedRelease } from '../../analysis/disclosure-control/protect-linked-release.js'
import type { FamilyInput, LinkedReleaseInput } from '../../analysis/disclosure-control/atom-model.js'
import type { LinkedRelease } from '../../analysis/disclosure-control/protect-linked-release.js'
import { mulberry32 } from '../../api/synthetic/rng.js'

const sizes = (process.argv.find((a) => a.startsWith('sizes='))?.slice(6) ?? '30,60,300,1000,5000').split(',').map(Number)
/** `fine=no` leaves out the fine crossing's rows. */
const fine = !process.argv.includes('fine=no')
const SUPERSEDED = 1500

const SITES = [
  { id: 'oslo-lav', attributes: { county: '03', municipality: '0301', site_kind: 'municipal_low_threshold', centrality: '1' } },
  { id: 'oslo-tsb', attributes: { county: '03', municipality: '0301', site_kind: 'specialist_treatment', centrality: '1' } },
  { id: 'bergen-lav', attributes: { county: '46', municipality: '4601', site_kind: 'municipal_low_threshold', centrality: '2' } },
  { id: 'bergen-bolig', attributes: { county: '46', municipality: '4601', site_kind: 'housing', centrality: '2' } },
  { id: 'bodo-ute', attributes: { county: '18', municipality: '1804', site_kind: 'street_outreach', centrality: '3' } },
]
const SITE_WEIGHTS = [0.3, 0.2, 0.25, 0.1, 0.15]
const GENDERS = ['woman', 'man', 'other', 'unknown']
const GENDER_WEIGHTS = [0.36, 0.57, 0.03, 0.04]
const AGES = ['18_24', '25_34', '35_44', '45_54', '55_plus', 'unknown']
const AGE_WEIGHTS = [0.12, 0.3, 0.27, 0.18, 0.1, 0.03]

/** Headline indicators and how a respondent's answers make them: items first, then the "any" ones they imply. */
const ITEMS_12M = ['strangled_12m', 'raped_12m', 'psychological_12m', 'pushed_12m']
const HEADLINE = [
  'any_violence_12m', 'any_violence_ever', 'any_physical_12m', 'any_physical_ever', 'any_sexual_12m', 'any_sexual_ever',
  'strangled_12m', 'strangled_ever', 'raped_12m', 'raped_ever', 'psychological_12m', 'psychological_ever', 'turned_away_crisis_centre',
]
const IMPLICATIONS = [
  ['strangled_12m', 'any_physical_12m'], ['any_physical_12m', 'any_violence_12m'], ['raped_12m', 'any_sexual_12m'],
  ['any_sexual_12m', 'any_violence_12m'], ['psychological_12m', 'any_violence_12m'],
  ['strangled_ever', 'any_physical_ever'], ['any_physical_ever', 'any_violence_ever'], ['raped_ever', 'any_sexual_ever'],
  ['any_sexual_ever', 'any_violence_ever'], ['psychological_ever', 'any_violence_ever'],
].map(([from, to]) => ({ from: from as string, to: to as string }))

function pick (random: () => number, weights: readonly number[]): number {
  let u = random()
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number
    if (u <= 0) return i
  }
  return weights.length - 1
}

interface Person { site: number, gender: string, age: string, answers: Map<string, boolean | null> }

function person (random: () => number): Person {
  const answers = new Map<string, boolean | null>()
  const item = (p: number): boolean | null => (random() < 0.04 ? null : random() < p)
  const twelve = new Map(ITEMS_12M.map((name, i) => [name, item([0.15, 0.1, 0.45, 0.4][i] as number)]))
  const ever = new Map(ITEMS_12M.map((name) => [name.replace('_12m', '_ever'), twelve.get(name) === true ? true : item(0.25)]))
  const any = (values: Array<boolean | null | undefined>): boolean | null => (values.some((v) => v === true) ? true : values.some((v) => v == null) ? null : false)
  for (const [suffix, source] of [['12m', twelve], ['ever', ever]] as const) {
    const get = (name: string): boolean | null | undefined => source.get(`${name}_${suffix}`)
    const physical = any([get('strangled'), get('pushed')])
    const sexual = any([get('raped')])
    answers.set(`strangled_${suffix}`, get('strangled') ?? null)
    answers.set(`raped_${suffix}`, get('raped') ?? null)
    answers.set(`psychological_${suffix}`, get('psychological') ?? null)
    answers.set(`any_physical_${suffix}`, physical)
    answers.set(`any_sexual_${suffix}`, sexual)
    answers.set(`any_violence_${suffix}`, any([physical, sexual, get('psychological')]))
  }
  answers.set('turned_away_crisis_centre', random() < 0.5 ? null : random() < 0.3)
  return { site: pick(random, SITE_WEIGHTS), gender: GENDERS[pick(random, GENDER_WEIGHTS)] as string, age: AGES[pick(random, AGE_WEIGHTS)] as string, answers }
}

/** The release's input as computeReleaseTables builds it from the grouped counts (per site, gender and age group). */
export function releaseInput (people: readonly Person[], k = 5, extra: ReadonlyArray<{ indicator: string, by: string[] }> = [], earlier: LinkedReleaseInput['earlier'] = []): LinkedReleaseInput {
  const atomsOf = (value: (p: Person) => boolean | null | 'count'): FamilyInput['atoms'] => {
    const cells = new Map<string, { site: string, group: Record<string, string>, n: number, yes: number }>()
    for (const p of people) {
      const v = value(p)
      const key = `${p.site}|${p.gender}|${p.age}`
      const cell = cells.get(key) ?? { site: (SITES[p.site] as { id: string }).id, group: { gender: p.gender, age_group: p.age }, n: 0, yes: 0 }
      if (v !== null) cell.n++
      if (v === true) cell.yes++
      cells.set(key, cell)
    }
    return [...cells.values()]
  }
  const families: FamilyInput[] = HEADLINE.map((name) => ({
    name,
    kind: 'proportion',
    weight: 4,
    tables: [[], ['gender'], ['gender', 'county'], ...extra.filter((t) => t.indicator === name).map((t) => t.by)],
    atoms: atomsOf((p) => p.answers.get(name) ?? null),
  }))
  families.push({ name: '(respondents)', kind: 'count', weight: 16, tables: [[], ['gender'], ['age_group'], ['site_kind'], ['county']], atoms: atomsOf(() => 'count') })
  return { k, sites: SITES, families, implications: IMPLICATIONS, respondents: '(respondents)', earlier }
}

export function synthetic (size: number, seed = 20261203): Person[] {
  const random = mulberry32(seed + size)
  return Array.from({ length: size }, () => person(random))
}

/** The fine crossing a researcher may add, as the API test's later wave does. */
const FINE = [
  { indicator: 'raped_12m', by: ['gender', 'age_group', 'county'] },
  { indicator: 'any_violence_12m', by: ['county', 'gender'] },
  { indicator: 'strangled_ever', by: ['municipality'] },
  { indicator: 'strangled_ever', by: ['county'] },
]

/** A release's published tables as the next release of the wave reads them. */
const asEarlier = (release: LinkedRelease): NonNullable<LinkedReleaseInput['earlier']>[number] => release.tables.map((t) => ({
  family: t.family,
  breakdown: t.breakdown,
  cells: t.cells.map((c) => ({ group: c.group, suppressed: c.rule !== null, ...(c.rule === null ? { n: c.n, yes: c.yes } : {}) })),
}))

if (process.argv[1]?.endsWith('disclosure-release.ts') === true) await main()

async function main (): Promise<void> {
  const solver = await highsSolver()
  const pct = (x: number, of: number): string => `${(100 * x / of).toFixed(1)} %`
  /** Protects one release and prints a row; wall time and this process's CPU time (the machine is shared). */
  const run = (label: string, input: LinkedReleaseInput): LinkedRelease => {
    const started = performance.now()
    const cpu = process.cpuUsage()
    const release = protectLinkedRelease(input, solver)
    const seconds = (performance.now() - started) / 1000
    const used = process.cpuUsage(cpu)
    const { cells, primary, secondary } = release.counts
    const indicatorCells = release.tables.filter((t) => t.family !== '(respondents)').flatMap((t) => t.cells)
    const respondents = release.tables.filter((t) => t.family === '(respondents)').flatMap((t) => t.cells)
    const hiddenRespondents = respondents.filter((c) => c.rule !== null).length
    console.log(`${label.padEnd(26)} ${String(cells).padStart(5)} ${`${primary} (${pct(primary, cells)})`.padStart(13)} ` +
      `${`${secondary} (${pct(secondary, cells)})`.padStart(12)} ${pct(indicatorCells.filter((c) => c.rule === 'complementary').length, indicatorCells.length).padStart(8)} ` +
      `${`${hiddenRespondents}/${respondents.length}`.padStart(6)} ${(release.audit.safe ? 'safe' : 'NOT safe').padStart(8)} ${String(release.audit.minWidth ?? '—').padStart(5)} ` +
      `${String(release.audit.linearPrograms).padStart(5)} ${String(release.rounds).padStart(6)} ${seconds.toFixed(2).padStart(7)} ${((used.user + used.system) / 1e6).toFixed(2).padStart(7)}`)
    for (const c of release.audit.cells.filter((x) => x.problem !== undefined).slice(0, 5)) {
      console.log(`    ${c.family} [${c.breakdown.join(', ')}] ${JSON.stringify(c.group)}: ${c.problem ?? ''}`)
    }
    return release
  }
  console.log(`${'release'.padEnd(26)} cells ${'primary'.padStart(13)} ${'secondary'.padStart(12)} ${'2nd ind.'.padStart(8)} ${'resp.'.padStart(6)} ` +
    `${'audit'.padStart(8)} ${'width'.padStart(5)} ${'LPs'.padStart(5)} ${'rounds'.padStart(6)} ${'wall s'.padStart(7)} ${'CPU s'.padStart(7)}`)
  for (const size of sizes) run(`${size} overview`, releaseInput(synthetic(size)))
  if (!fine) return
  for (const size of sizes) run(`${size} + fine crossing`, releaseInput(synthetic(size), 5, FINE))
  // A release that supersedes another after 2 late responses, with the fine crossing: the API test's case.
  const people = synthetic(SUPERSEDED)
  const first = run(`${SUPERSEDED} fine, first`, releaseInput(people, 5, FINE))
  run(`${SUPERSEDED}+2 fine, superseding`, releaseInput([...people, ...synthetic(2, 99)], 5, FINE, [asEarlier(first)]))
}
