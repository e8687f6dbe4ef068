import { describe, expect, it } from 'vitest'
import { buildResultsTable } from '../../../analysis/results-table.js'
import type { ResultRow } from '../../../analysis/results-table.js'
import type { SiteCellCounts } from '../../../api/db/queries/results.js'
import { clusterCellRows } from '../../../api/services/attendance-weights.js'
import { fixtureRows } from './fixtures/clustered-counts.js'

// Expected values from R 4.2.2, survey 4.1-1 (fixtures/reference-values.R, "bands"): respondent i (from 1)
// of each site-and-gender row of the fixture answers the visits band ((i − 1) mod 5) of once, 2_3, 4_6,
// 7_plus, don't know (1, 2.5, 5, 7 visits, unknown), w = 1/visits and 1 for "don't know", and
//   db <- svydesign(ids = ~site, strata = ~county, weights = ~wb, data = respondents)
//   svyciprop(~y, db, method = "logit"); nchs_kg(db) (svyciprop(method = "beta") with the NCHS cap)
// The pipeline sees what the database gives: counts per site, gender and band (visits), never a respondent.

const BAND_VISITS: ReadonlyArray<number | null> = [1, 2.5, 5, 7, null]

/** The fixture as the grouped query returns it with byVisits: one row per site, gender and band. */
function countsByBand (): SiteCellCounts[] {
  const rows = new Map<string, SiteCellCounts>()
  for (const row of fixtureRows) {
    for (let i = 0; i < row.n; i++) {
      const visits = BAND_VISITS[i % 5] ?? null
      const key = `${row.site}|${row.gender}|${String(visits)}`
      const entry = rows.get(key) ?? { site: row.site, stratum: row.county, group: { gender: row.gender }, counts: [{ n: 0, yes: 0 }], visits }
      const c = entry.counts[0] as { n: number, yes: number }
      entry.counts[0] = { n: c.n + 1, yes: c.yes + (i < row.yes ? 1 : 0) }
      rows.set(key, entry)
    }
  }
  return [...rows.values()]
}

const strata = Object.fromEntries(fixtureRows.map((row) => [row.site, row.county]))
const TOLERANCE = 1e-6
let largest = 0
function near (actual: number | undefined, expected: number): void {
  expect(actual).toBeTypeOf('number')
  largest = Math.max(largest, Math.abs((actual as number) - expected))
  expect(Math.abs((actual as number) - expected)).toBeLessThan(TOLERANCE)
}

function table (method: 'cluster' | 'korn-graubard', stratified: boolean): ResultRow[] {
  return buildResultsTable({
    indicators: ['y'],
    breakdowns: [[], ['gender']],
    rows: clusterCellRows(countsByBand(), 'attendance'),
    method,
    weighted: true,
    suppress: false,
    ...(stratified ? { strata } : {}),
  })
}
const row = (rows: readonly ResultRow[], gender?: string): ResultRow => {
  const found = rows.find((r) => gender === undefined ? Object.keys(r.group).length === 0 : r.group.gender === gender)
  if (found === undefined) throw new Error(`no row for ${gender ?? 'everyone'}`)
  return found
}

describe('weighted results tables from counts per site and attendance band, against R', () => {
  it('stratified, everyone: the weighted p, logit and Korn–Graubard intervals equal R; n and count stay unweighted', () => {
    const logit = row(table('cluster', true))
    near(logit.estimate, 0.343673469387755)
    near(logit.ci_low, 0.258418210945244)
    near(logit.ci_high, 0.440353712535099)
    near(logit.deff, 1.18084121891736)
    expect(logit.df).toBe(6)
    expect(logit.weighted).toBe(true)
    expect(logit.n).toBe(fixtureRows.reduce((s, r) => s + r.n, 0))
    expect(logit.count).toBe(fixtureRows.reduce((s, r) => s + r.yes, 0))
    const beta = row(table('korn-graubard', true))
    near(beta.effective_n, 160.055388457122604)
    near(beta.ci_low, 0.253301112809899)
    near(beta.ci_high, 0.443203079536098)
  })

  it('stratified, women and men as domains (subset): logit equals R, Korn–Graubard the capped NCHS interval', () => {
    const logit = table('cluster', true)
    near(row(logit, 'woman').estimate, 0.413568166992825)
    near(row(logit, 'woman').ci_low, 0.295974530511106)
    near(row(logit, 'woman').ci_high, 0.541919608003656)
    expect(row(logit, 'woman').df).toBe(5)
    near(row(logit, 'man').estimate, 0.293650793650794)
    near(row(logit, 'man').ci_low, 0.217136682659222)
    near(row(logit, 'man').ci_high, 0.383905052240183)
    const beta = table('korn-graubard', true)
    expect(row(beta, 'woman').effective_n).toBe(78)
    near(row(beta, 'woman').ci_low, 0.271639529987110)
    near(row(beta, 'woman').ci_high, 0.566841691851256)
    expect(row(beta, 'man').effective_n).toBe(112)
    near(row(beta, 'man').ci_low, 0.188334753480184)
    near(row(beta, 'man').ci_high, 0.418046821007872)
  })

  it('unstratified: everyone and women equal R', () => {
    const logit = table('cluster', false)
    near(row(logit).ci_low, 0.270473256547610)
    near(row(logit).ci_high, 0.425139495581428)
    near(row(logit, 'woman').ci_low, 0.314400478702164)
    near(row(logit, 'woman').ci_high, 0.520278352218871)
    const beta = table('korn-graubard', false)
    near(row(beta).ci_low, 0.265259516761247)
    near(row(beta).ci_high, 0.428906426065203)
    near(row(beta, 'woman').ci_low, 0.282751851809570)
    near(row(beta, 'woman').ci_high, 0.553968209894922)
    console.log(`attendance bands through the results table: largest deviation from R ${largest.toExponential(2)}`)
  })

  it('with every respondent in the band "once" (weight 1) a weighted table equals the unweighted one', () => {
    const once = countsByBand().map((r) => ({ ...r, visits: 1 }))
    const weighted = buildResultsTable({ indicators: ['y'], breakdowns: [['gender']], rows: clusterCellRows(once, 'attendance'), method: 'korn-graubard', weighted: true, suppress: false, strata })
    const plain = buildResultsTable({ indicators: ['y'], breakdowns: [['gender']], rows: clusterCellRows(once, 'none'), method: 'korn-graubard', suppress: false, strata })
    weighted.forEach((w, i) => {
      const p = plain[i] as ResultRow
      near(w.estimate, p.estimate as number)
      near(w.ci_low, p.ci_low as number)
      near(w.ci_high, p.ci_high as number)
    })
  })

  it('refuses weights with a method that has no design, and rows without weighted totals', () => {
    expect(() => buildResultsTable({ indicators: ['y'], breakdowns: [[]], rows: clusterCellRows(countsByBand(), 'attendance'), method: 'wilson', weighted: true }))
      .toThrow(/design-based methods/)
    expect(() => buildResultsTable({ indicators: ['y'], breakdowns: [[]], rows: clusterCellRows(countsByBand(), 'none'), method: 'cluster', weighted: true }))
      .toThrow(/lacks weight/)
  })
})
