/**
 * Information loss and time of disclosure control on a results release, as `computeReleaseTables`
 * runs it (atom model, Gaussian-elimination suppression, audit by HiGHS): releases of 30, 60, 300,
 * 1,000 and 5,000 synthetic responses over 5 sites, with the overview tables (13 headline
 * indicators overall and by gender, "who answered" by gender, age group, site kind and county) plus
 * each headline indicator by gender × county.
 *
 * Prints per size: the share of cells suppressed (primary, secondary: the cells hidden beyond those
 * the primary rule hides), the audit's narrowest interval of a suppressed count, whether the audit
 * passed, and the time to protect and audit the release.
 *
 *   npm run bench:disclosure [-- sizes=30,60,300,1000,5000]
 */
import { performance } from 'node:perf_hooks'
import { highsSolver } from '../../analysis/disclosure-control/highs-solver.js'
import { protectLinkedRelease } from '../../analysis/disclosure-control/protect-linked-release.js'
import type { FamilyInput, LinkedReleaseInput } from '../../analysis/disclosure-control/atom-model.js'
import { mulberry32 } from '../../api/intake/rng.js'

const sizes = (process.argv.find((a) => a.startsWith('sizes='))?.slice(6) ?? '30,60,300,1000,5000').split(',').map(Number)

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
export function releaseInput (people: readonly Person[], k = 5): LinkedReleaseInput {
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
    tables: [[], ['gender'], ['gender', 'county']],
    atoms: atomsOf((p) => p.answers.get(name) ?? null),
  }))
  families.push({ name: '(respondents)', kind: 'count', weight: 16, tables: [[], ['gender'], ['age_group'], ['site_kind'], ['county']], atoms: atomsOf(() => 'count') })
  return { k, sites: SITES, families, implications: IMPLICATIONS, respondents: '(respondents)' }
}

export function synthetic (size: number, seed = 20261203): Person[] {
  const random = mulberry32(seed + size)
  return Array.from({ length: size }, () => person(random))
}

const solver = await highsSolver()
const pct = (x: number, of: number): string => `${(100 * x / of).toFixed(1)} %`
for (const size of sizes) {
  const input = releaseInput(synthetic(size))
  const started = performance.now()
  const release = protectLinkedRelease(input, solver)
  const seconds = (performance.now() - started) / 1000
  const { cells, primary, secondary } = release.counts
  const overview = release.tables.filter((t) => t.family !== '(respondents)')
  const respondents = release.tables.filter((t) => t.family === '(respondents)').flatMap((t) => t.cells)
  const hiddenRespondents = respondents.filter((c) => c.rule !== null).length
  console.log(`${String(size).padStart(5)} responses: ${cells} cells, primary ${primary} (${pct(primary, cells)}), ` +
    `secondary ${secondary} (${pct(secondary, cells)}; indicators' cells ${pct(overview.flatMap((t) => t.cells).filter((c) => c.rule === 'complementary').length, overview.flatMap((t) => t.cells).length)}), ` +
    `respondent counts withheld ${hiddenRespondents}/${respondents.length}, audit ${release.audit.safe ? 'safe' : 'NOT safe'}, ` +
    `min interval width ${release.audit.minWidth ?? '—'}, ${release.audit.linearPrograms} LPs, ${release.rounds} round(s), ${seconds.toFixed(2)} s`)
  for (const c of release.audit.cells.filter((x) => x.problem !== undefined).slice(0, 5)) {
    console.log(`    ${c.family} [${c.breakdown.join(', ')}] ${JSON.stringify(c.group)}: ${c.problem ?? ''}`)
  }
}
