/**
 * Times disclosure control on a release of the size a study plans: 60 indicators × 10 tables,
 * the largest about 500 cells (age group × municipality), with municipality → county implied;
 * then a superseding release of the same wave with a few late responses.
 *
 *   npx tsx test/bench/disclosure-control.ts [respondents=3000] [late=25]
 */
import { performance } from 'node:perf_hooks'
import { auditSuppression, suppressRelease } from '../../analysis/index.js'
import { mulberry32 } from '../../api/synthetic/rng.js'
import type { ControlledTable, ImpliedDimension, ReleaseTable } from '../../analysis/index.js'

const random = mulberry32(20240601)
const respondents = Number(process.argv[2] ?? 3000)
const late = Number(process.argv[3] ?? 25)
const INDICATORS = 60
const genders = ['woman', 'man', 'other', 'unknown']
const genderWeights = [0.35, 0.58, 0.03, 0.04]
const ages = ['18-24', '25-34', '35-44', '45-54', '55-64', '65+']
const counties = ['03', '11', '15', '18', '31', '32', '33', '34', '39', '40', '42', '46', '50', '55', '56'].slice(0, 11)
// 80 municipalities, sizes falling off like a Zipf law, spread over the counties.
const municipalities = Array.from({ length: 80 }, (_, i) => ({ code: `m${String(i).padStart(2, '0')}`, county: counties[i % counties.length] as string, weight: 1 / (i + 1) }))
const totalWeight = municipalities.reduce((s, m) => s + m.weight, 0)
const implied: ImpliedDimension[] = [{ from: 'municipality', to: 'county', values: Object.fromEntries(municipalities.map((m) => [m.code, m.county])) }]
const prevalence = Array.from({ length: INDICATORS }, () => 0.05 + 0.65 * random())
const missing = Array.from({ length: INDICATORS }, () => 0.02 + 0.15 * random())

function pick<T> (values: readonly T[], weights: readonly number[]): T {
  let u = random() * weights.reduce((s, w) => s + w, 0)
  for (let i = 0; i < values.length; i++) {
    u -= weights[i] as number
    if (u <= 0) return values[i] as T
  }
  return values[values.length - 1] as T
}

interface Person { gender: string, age: string, municipality: string, county: string, answers: Array<0 | 1 | null> }

function person (): Person {
  const m = pick(municipalities, municipalities.map((x) => x.weight / totalWeight))
  return {
    gender: pick(genders, genderWeights),
    age: pick(ages, [0.12, 0.25, 0.25, 0.2, 0.13, 0.05]),
    municipality: m.code,
    county: m.county,
    answers: prevalence.map((p, j) => (random() < (missing[j] as number) ? null : random() < p ? 1 : 0)),
  }
}

const breakdowns: string[][] = [[], ['gender'], ['age'], ['county'], ['gender', 'age'], ['gender', 'county'], ['age', 'county'],
  ['gender', 'age', 'county'], ['municipality'], ['age', 'municipality']]

function count (people: readonly Person[]): ReleaseTable[] {
  const tables: ReleaseTable[] = []
  for (let j = 0; j < INDICATORS; j++) {
    for (const breakdown of breakdowns) {
      const cells = new Map<string, { group: Record<string, string>, n: number, yes: number }>()
      for (const p of people) {
        const answer = p.answers[j]
        if (answer === null || answer === undefined) continue
        const group = Object.fromEntries(breakdown.map((d) => [d, p[d as 'gender' | 'age' | 'municipality' | 'county']]))
        const key = JSON.stringify(group)
        const cell = cells.get(key) ?? { group, n: 0, yes: 0 }
        cell.n++
        cell.yes += answer
        cells.set(key, cell)
      }
      tables.push({ indicator: `indicator_${String(j).padStart(2, '0')}`, breakdown, cells: [...cells.values()] })
    }
  }
  return tables
}

function summary (released: readonly ControlledTable[]): string {
  let cells = 0
  let primary = 0
  let secondary = 0
  for (const t of released) {
    for (const c of t.cells) {
      cells++
      if (c.suppressed && c.reason === 'primary') primary++
      if (c.suppressed && c.reason === 'secondary') secondary++
    }
  }
  return `${cells} cells, ${primary} primary (${(100 * primary / cells).toFixed(1)} %), ${secondary} secondary (${(100 * secondary / cells).toFixed(1)} %)`
}

function time<T> (label: string, run: () => T): T {
  const start = performance.now()
  const cpu = process.cpuUsage()
  const result = run()
  const used = process.cpuUsage(cpu)
  console.log(`${label}: ${((performance.now() - start) / 1000).toFixed(2)} s (CPU ${((used.user + used.system) / 1e6).toFixed(2)} s)`)
  return result
}

const people = Array.from({ length: respondents }, person)
const first = count(people)
const largest = Math.max(...first.map((t) => t.cells.length))
console.log(`release 1: ${respondents} respondents, ${INDICATORS} indicators × ${breakdowns.length} tables, largest table ${largest} cells`)
const released1 = time('suppressRelease, release 1', () => suppressRelease(first, { impliedDimensions: implied }))
console.log(`  ${summary(released1)}`)
const audit1 = time('auditSuppression, release 1', () => auditSuppression(first, released1, { impliedDimensions: implied }))
console.log(`  audit: ${audit1.safe ? 'safe' : `${audit1.findings.length} findings`}`)

const second = count([...people, ...Array.from({ length: late }, person)])
const options = { impliedDimensions: implied, previouslyPublished: [released1] }
const released2 = time(`suppressRelease, release 2 (+${late} late responses, superseding release 1)`, () => suppressRelease(second, options))
console.log(`  ${summary(released2)}`)
const audit2 = time('auditSuppression, release 2', () => auditSuppression(second, released2, options))
console.log(`  audit: ${audit2.safe ? 'safe' : `${audit2.findings.length} findings`}`)
