import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteRow } from '../../api/db/database.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { PublicLinkReply, ReleaseDetail, RespondentRow } from '../../api/schemas/releases.js'
import type { ResultRowReply } from '../../api/schemas/results.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { loadContextStudies } from '../../survey-definitions/context-studies.js'
import { TEST_PASSWORD, createTestAccount, loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { siteFixture, FIVE_SITES, createWave } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

/** Five sites of four kinds in three counties, so "who answered" has something to break down. */
const SITES = FIVE_SITES
/** The later wave's own tables: a crossing fine enough that some of its cells must be suppressed. */
const LATER_TABLES = [
  { indicators: ['any_violence_12m', 'raped_12m'], by: ['gender', 'age_group'] },
  { indicators: ['any_violence_12m'], by: ['county'] },
  { indicators: ['strangled_ever'], by: ['site_kind'] },
]
const SUPPRESSED = { nb: 'skjult', en: 'suppressed' } as const

type Lang = 'nb' | 'en'
const locale = (lang: Lang) => lang === 'nb' ? 'nb-NO' : 'en-GB'
const oneDecimal = (lang: Lang, value: number) => new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value * 100)
/** How a published cell must read on the page: the API's numbers, formatted for the reader. */
function expectedCells (lang: Lang, row: ResultRowReply): Record<string, string> {
  return {
    n: row.n === undefined ? '–' : new Intl.NumberFormat(locale(lang)).format(row.n),
    count: row.count === undefined ? '–' : new Intl.NumberFormat(locale(lang)).format(row.count),
    estimate: row.estimate === undefined ? '–' : `${oneDecimal(lang, row.estimate)}\u00a0%`,
    interval: row.ci_low === undefined || row.ci_high === undefined ? '–' : `${oneDecimal(lang, row.ci_low)}–${oneDecimal(lang, row.ci_high)}\u00a0%`,
  }
}
const keyOf = (group: Readonly<Record<string, string>>) => JSON.stringify(Object.fromEntries(Object.keys(group).sort().map((d) => [d, group[d]])))

interface PageRow { indicator: string, group: string, wave: string | null, suppressed: string | null, fields: Record<string, string>, suppressedCells: string[] }

/** Every row of the results tables on the page, with the data attributes that say which API cell it shows. */
async function pageRows (page: Page, scope = 'main'): Promise<PageRow[]> {
  return await page.locator(`${scope} table.results:not(.differences) tbody tr[data-indicator]`).evaluateAll((rows) => rows.map((row) => ({
    indicator: row.getAttribute('data-indicator') ?? '',
    group: row.getAttribute('data-group') ?? '',
    wave: row.getAttribute('data-wave'),
    suppressed: row.getAttribute('data-suppressed'),
    fields: Object.fromEntries(Array.from(row.querySelectorAll('td[data-field]')).map((cell) => [cell.getAttribute('data-field') ?? '', cell.textContent ?? ''])),
    suppressedCells: Array.from(row.querySelectorAll('td.suppressed')).map((cell) => cell.textContent ?? ''),
  })))
}

/** Each page row equals its API row: the same numbers, or, for a suppressed cell, the word and no number. */
function expectRowsMatch (lang: Lang, shown: readonly PageRow[], api: readonly ResultRowReply[]): void {
  for (const row of shown) {
    const source = api.find((candidate) => candidate.indicator === row.indicator && keyOf(candidate.group) === row.group)
    expect(source, `${row.indicator} ${row.group} is in the API's rows`).toBeDefined()
    if (source === undefined) continue
    expect(row.suppressed).toBe(String(source.suppressed))
    if (source.suppressed) {
      expect(row.fields).toEqual({})
      expect(row.suppressedCells).toEqual(Array(4).fill(SUPPRESSED[lang]))
    } else {
      expect(row.suppressedCells).toEqual([])
      expect(row.fields).toEqual(expectedCells(lang, source))
    }
  }
}

/** Parses our CSV (RFC 4180 quoting) into objects by header. */
function parseCsv (text: string): Array<Record<string, string>> {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') { field += '"'; i += 1 } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') { record.push(field); field = '' } else if (char === '\n') { record.push(field.replace(/\r$/, '')); records.push(record); record = []; field = '' } else field += char
  }
  const [header, ...body] = records
  return body.map((values) => Object.fromEntries((header ?? []).map((name, i) => [name, values[i] ?? ''])))
}

async function download (page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()])
  return readFileSync(await file.path())
}

describe('the results app in a browser', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let browser: Browser
  let funder: BrowserContext
  let page: Page
  let researcher: TestSession
  let funderEmail: string
  const waves = { earlier: '', later: '', unreleased: '' }
  let later: ReleaseDetail
  let earlier: ReleaseDetail
  let publicLink: PublicLinkReply
  const cspViolations: string[] = []

  async function makeWave (name: string, sites: readonly SiteRow[], opensDaysAgo: number, responses: number, seed: number): Promise<string> {
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    if (version === undefined) throw new Error('hverdag v1 was not published')
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name, survey_version_id: version.id, opens_on: addDays(today, -opensDaysAgo), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    const surveys = new CompiledSurveyCache(database.db)
    if (responses > 0) await seedSyntheticResponses({ db: database.db, surveys, timeZone: 'Europe/Oslo' }, { waveId: wave.id, responses, seed })
    return wave.id
  }

  async function release (waveId: string, tables: typeof LATER_TABLES): Promise<ReleaseDetail> {
    const reply = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: researcher.headers, payload: { tables } })
    if (reply.statusCode !== 201) throw new Error(`release failed: ${reply.statusCode} ${reply.body}`)
    return reply.json<ReleaseDetail>()
  }

  /** The release as the results API serves it to a funder, for comparing with the page. */
  async function apiRelease (id: string): Promise<ReleaseDetail> {
    const reply = await app.inject({ method: 'GET', url: `/api/releases/${id}`, headers: researcher.headers })
    expect(reply.statusCode).toBe(200)
    return reply.json<ReleaseDetail>()
  }

  async function newContext (viewport = { width: 1440, height: 900 }): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport, acceptDownloads: true })
    // Any script or style the Content-Security-Policy blocks (a chart's <style>, an inline style attribute) shows up here.
    await context.exposeFunction('reportCspViolation', (text: string) => { cspViolations.push(text) })
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`)
      })
    })
    return context
  }

  async function ready (target: Page, kind = 'release'): Promise<void> {
    await target.locator(`#app[data-ready="${kind}"]`).waitFor({ timeout: 20_000 }).catch(async (error: unknown) => {
      throw new Error(`the app did not get ready (${kind}): ${error instanceof Error ? error.message : String(error)}\nthe page shows: ${await target.locator('body').innerText()}`)
    })
  }

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    await publishDefinitions(database.db)
    const sites: SiteRow[] = []
    for (const site of SITES) sites.push(await createSite(database.db, siteFixture(site)))
    waves.earlier = await makeWave('Vår 2026', sites, 60, 800, 3)
    waves.later = await makeWave('Høst 2026', sites, 10, 5000, 5)
    waves.unreleased = await makeWave('Vinter 2026', sites, 2, 0, 0)
    researcher = await loginAs(app, database.db, 'researcher')
    earlier = await release(waves.earlier, [{ indicators: ['any_violence_12m'], by: ['county'] }])
    later = await release(waves.later, LATER_TABLES)
    const link = await app.inject({ method: 'POST', url: `/api/releases/${later.release.id}/public-link`, headers: researcher.headers })
    expect(link.statusCode).toBe(201)
    publicLink = link.json<PublicLinkReply>()
    funderEmail = (await createTestAccount(database.db, 'funder')).email
    browser = await launchChromium()
    funder = await newContext()
    page = await funder.newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  it('asks a reader to log in, and a funder logs in with e-mail and password', async () => {
    await page.goto(`${origin}/results/`)
    await ready(page, 'login')
    await page.getByLabel('E-post').fill(funderEmail)
    await page.getByLabel('Passord').fill('wrong password 1')
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await expect.poll(async () => await page.getByTestId('login-error').textContent()).toMatch(/stemmer ikke/)
    await page.getByLabel('Passord').fill(TEST_PASSWORD)
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await ready(page)
    // The newest release comes first: the later wave's.
    expect(await page.locator('main').getAttribute('data-release')).toBe(later.release.id)
  })

  it('shows the overview: who answered, every headline chart with its table equal to the API\'s, suppressed cells as suppressed', async () => {
    const api = await apiRelease(later.release.id)
    expect(api.release.respondents).toBe(5000)
    await page.goto(`${origin}/results/?release=${later.release.id}&lang=nb&view=overview`)
    await ready(page)

    // Who answered: every published count, and suppressed groups say so.
    const respondents = await page.locator('[data-section="respondents"] tbody tr').evaluateAll((rows) => rows.map((row) => ({
      group: row.getAttribute('data-group') ?? '', suppressed: row.getAttribute('data-suppressed'), n: row.querySelector('[data-field="n"]')?.textContent ?? null,
    })))
    const byDimension = api.respondents.filter((row: RespondentRow) => Object.keys(row.group).length === 1)
    expect(respondents.map((row) => row.group).sort()).toEqual(byDimension.map((row) => keyOf(row.group)).sort())
    for (const row of byDimension) {
      const shown = respondents.find((candidate) => candidate.group === keyOf(row.group))
      expect(shown?.suppressed).toBe(String(row.suppressed))
      expect(shown?.n).toBe(row.suppressed ? null : new Intl.NumberFormat('nb-NO').format(row.n ?? -1))
    }

    // One figure per headline indicator (both periods together), each with a chart and a table.
    const headline = api.indicators.filter((indicator) => indicator.headline).map((indicator) => indicator.name)
    const concepts = [...new Set(headline.map((name) => name.replace(/_(12m|ever)$/, '')))]
    expect(await page.locator('.headline .figure-block').evaluateAll((blocks) => blocks.map((block) => block.getAttribute('data-figure')))).toEqual(concepts)
    for (const concept of concepts) {
      const block = page.locator(`.figure-block[data-figure="${concept}"]`)
      expect(await block.locator('svg[role="img"] rect').count()).toBeGreaterThan(0)
      expect(await block.locator('table caption').first().textContent()).not.toBe('')
    }
    const shown = await pageRows(page, '.headline')
    const expected = api.rows.filter((row) => headline.includes(row.indicator) && Object.keys(row.group).every((d) => d === 'gender'))
    expect(shown.map((row) => `${row.indicator} ${row.group}`).sort()).toEqual(expected.map((row) => `${row.indicator} ${keyOf(row.group)}`).sort())
    expectRowsMatch('nb', shown, api.rows)

    // A whisker for every published interval in the charts: Plot draws one line per interval.
    const intervals = expected.filter((row) => row.ci_low !== undefined).length
    expect(await page.locator('.headline figure svg g.interval line').count()).toBe(intervals)

    // Women minus men as the release froze them, and the other studies beside their indicator, marked as such.
    const differences = api.differences.filter((difference) => difference.kind === 'women_minus_men' && difference.difference !== undefined)
    expect(differences.length).toBeGreaterThan(0)
    for (const difference of differences) {
      const row = page.locator(`tr[data-kind="women_minus_men"][data-indicator="${difference.indicator}"]`)
      expect(await row.locator('td').nth(1).textContent()).toBe(new Intl.NumberFormat('nb-NO', { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format((difference.difference ?? 0) * 100))
    }
    const studies = loadContextStudies().studies
    for (const study of studies) {
      const item = page.locator(`.figure-block[data-figure="${study.shownWith}"] aside.other-studies li[data-study="${study.id}"]`)
      expect(await item.textContent()).toContain(`${study.percent}\u00a0%`)
    }
    expect(await page.locator('aside.other-studies h4').first().textContent()).toMatch(/Andre studier/)

    expect(await seriousAxeViolations(page)).toEqual([])
    await screenshot(page, 'results-overview-1440x900')
    await page.setViewportSize({ width: 800, height: 1280 })
    await screenshot(page, 'results-overview-800x1280')
    await page.setViewportSize({ width: 1440, height: 900 })
    expect(cspViolations).toEqual([])
  })

  it('shows suppressed cells of a released crossing as suppressed, never with a number', async () => {
    const api = await apiRelease(later.release.id)
    const crossing = api.rows.filter((row) => row.indicator === 'raped_12m' && Object.keys(row.group).sort().join() === 'age_group,gender')
    expect(crossing.filter((row) => row.suppressed).length).toBeGreaterThan(0)
    expect(crossing.filter((row) => !row.suppressed).length).toBeGreaterThan(0)
    await page.goto(`${origin}/results/?release=${later.release.id}&lang=en&view=explore&indicator=raped_12m&by=gender,age_group`)
    await ready(page)
    const shown = await pageRows(page, '.explore-result')
    expect(shown.map((row) => row.group).sort()).toEqual(crossing.map((row) => keyOf(row.group)).sort())
    expectRowsMatch('en', shown, api.rows)
    expect(await page.locator('.explore .suppressed-note').textContent()).toMatch(/^Suppressed cells: .*fewer than 5/)
    expect(cspViolations).toEqual([])
  })

  it('downloads a table as CSV with exactly the API\'s figures, suppressed cells marked and without numbers', async () => {
    const api = await apiRelease(later.release.id)
    for (const [url, block, expected] of [
      [`?release=${later.release.id}&lang=nb&view=overview`, '.figure-block[data-figure="any_violence"]',
        api.rows.filter((row) => row.indicator.startsWith('any_violence_') && Object.keys(row.group).every((d) => d === 'gender'))],
      [`?release=${later.release.id}&lang=nb&view=explore&indicator=raped_12m&by=gender,age_group`, '.explore-result .figure-block',
        api.rows.filter((row) => row.indicator === 'raped_12m' && Object.keys(row.group).sort().join() === 'age_group,gender')],
    ] as const) {
      await page.goto(`${origin}/results/${url}`)
      await ready(page)
      const csv = parseCsv((await download(page, async () => { await page.locator(`${block} button[data-download="csv"]`).click() })).toString('utf8'))
      expect(csv).toHaveLength(expected.length)
      const dimensions = [...new Set(expected.flatMap((row) => Object.keys(row.group)))]
      for (const row of expected) {
        // A row without a dimension (the overall figure) says "all" in that column.
        const line = csv.find((record) => record.indicator === row.indicator && dimensions.every((d) => record[d] === (row.group[d] ?? 'all')))
        expect(line, `${row.indicator} ${keyOf(row.group)} is in the CSV`).toBeDefined()
        expect(line?.suppressed).toBe(String(row.suppressed))
        for (const field of ['n', 'count', 'estimate', 'ci_low', 'ci_high'] as const) {
          expect(line?.[field]).toBe(row[field] === undefined ? '' : String(row[field]))
          if (row.suppressed) expect(line?.[field]).toBe('')
        }
        expect(line?.rule).toBe(row.rule ?? '')
      }
    }
  })

  it('downloads every chart as SVG (with Plot\'s styles) and as PNG at twice its size', async () => {
    await page.goto(`${origin}/results/?release=${later.release.id}&lang=en&view=overview`)
    await ready(page)
    const block = page.locator('.figure-block[data-figure="strangled"]')
    const svg = (await download(page, async () => { await block.locator('button[data-download="svg"]').click() })).toString('utf8')
    expect(svg).toMatch(/^<\?xml[^>]*>\n<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(svg).toContain('<style>:where(.prevalens-plot)')
    expect(svg).toContain('<title>Strangled')
    // The file is the chart with its title above and its caption below: its own size, at least the chart's.
    const [, width, height] = (/<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg) ?? []).map(Number)
    expect(width).toBeGreaterThanOrEqual(Number(await block.locator('figure svg').getAttribute('width')))
    expect(height).toBeGreaterThan(Number(await block.locator('figure svg').getAttribute('height')))
    const png = await download(page, async () => { await block.locator('button[data-download="png"]').click() })
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * (width ?? 0), 2 * (height ?? 0)])
    expect(cspViolations).toEqual([])
  })

  it('reproduces an explore view from its link, and compares waves over time with each release\'s figures', async () => {
    await page.goto(`${origin}/results/?release=${later.release.id}&lang=en&view=overview`)
    await ready(page)
    await page.getByRole('link', { name: 'Explore' }).click()
    await ready(page)
    await page.getByLabel('Indicator').selectOption('any_violence_12m')
    await page.getByLabel('Breakdown').selectOption('county')
    await page.getByLabel('Compare waves over time').check()
    await page.locator('.explore-result tr[data-wave]').first().waitFor()
    const link = page.url()
    expect(new URL(link).search).toBe(`?release=${later.release.id}&lang=en&view=explore&indicator=any_violence_12m&by=county&compare=1`)
    const before = await pageRows(page, '.explore-result')

    const again = await funder.newPage()
    await again.goto(link)
    await ready(again)
    await again.locator('.explore-result tr[data-wave]').first().waitFor()
    expect(await again.getByLabel('Indicator').inputValue()).toBe('any_violence_12m')
    expect(await again.getByLabel('Breakdown').inputValue()).toBe('county')
    expect(await again.getByLabel('Compare waves over time').isChecked()).toBe(true)
    expect(await pageRows(again, '.explore-result')).toEqual(before)
    expect(await seriousAxeViolations(again)).toEqual([])
    await screenshot(again, 'results-explore-over-time')
    await again.close()

    // Both waves, each row equal to its own release's figures.
    const releases = { [waves.earlier]: await apiRelease(earlier.release.id), [waves.later]: await apiRelease(later.release.id) }
    expect([...new Set(before.map((row) => row.wave))].sort()).toEqual([waves.earlier, waves.later].sort())
    for (const [waveId, detail] of Object.entries(releases)) {
      const rows = before.filter((row) => row.wave === waveId)
      const expected = detail.rows.filter((row) => row.indicator === 'any_violence_12m' && Object.keys(row.group).join() === 'county')
      expect(rows.map((row) => row.group).sort()).toEqual(expected.map((row) => keyOf(row.group)).sort())
      expectRowsMatch('en', rows, detail.rows)
    }
    // A table the release did not publish is never computed: the link falls back to a published one and says so.
    await page.goto(`${origin}/results/?release=${later.release.id}&lang=en&view=explore&indicator=raped_12m&by=municipality`)
    await ready(page)
    expect(await page.getByTestId('not-published').textContent()).toMatch(/was not released/)
    expect(await page.getByLabel('Breakdown').inputValue()).not.toBe('municipality')
  })

  it('lays out a printable report with numbered figures, source and method, in bokmål and English', async () => {
    for (const lang of ['nb', 'en'] as const) {
      await page.goto(`${origin}/results/?release=${later.release.id}&lang=${lang}&view=overview`)
      await ready(page)
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)
      await page.emulateMedia({ media: 'print' })
      expect(await page.locator('header.bar').isVisible()).toBe(false)
      expect(await page.locator('button[data-download]').first().isVisible()).toBe(false)
      const titles = await page.locator('.headline .figure-block h3').allTextContents()
      expect(titles[0]).toMatch(lang === 'nb' ? /^Figur 1\. Vold/ : /^Figure 1\. Any violence/)
      expect(titles.map((title) => Number(/\d+/.exec(title)?.[0]))).toEqual(titles.map((_, i) => i + 1))
      const first = page.locator('.headline .figure-block').first()
      expect(await first.locator('.source').textContent()).toMatch(lang === 'nb' ? /^Kilde: Prevalens, Høst 2026/ : /^Source: Prevalens, Høst 2026/)
      expect(await first.locator('.method').textContent()).toMatch(lang === 'nb' ? /Korn–Graubard-intervaller, som tar hensyn til at svar fra samme sted ligner hverandre/ : /Korn–Graubard intervals, which allow for answers from the same place being alike/)
      await screenshot(page, `results-print-${lang}`)
      await page.emulateMedia({ media: 'screen' })
    }
    // The language switch keeps the view.
    await page.getByTestId('language').click()
    await ready(page)
    expect(new URL(page.url()).searchParams.get('lang')).toBe('nb')
    expect(await page.locator('h1').textContent()).toBe('Høst 2026: oversikt')
  })

  it('opens a public link without a login, and refuses a bad link and a wave that has no release', async () => {
    const visitor = await newContext()
    const open = await visitor.newPage()
    const token = publicLink.path.split('/').pop() ?? ''
    await open.goto(`${origin}/results/?link=${token}&lang=en`)
    await ready(open)
    expect(await open.locator('h1').textContent()).toBe('Høst 2026: overview')
    expect(await open.locator('.headline .figure-block').count()).toBeGreaterThan(0)
    await open.getByRole('link', { name: 'Explore' }).click()
    await ready(open)
    expect(await open.getByLabel('Compare waves over time').isDisabled()).toBe(true)
    expect(await seriousAxeViolations(open)).toEqual([])

    await open.goto(`${origin}/results/?link=${token.slice(0, -2)}xx&lang=en`)
    await ready(open, 'refused')
    expect(await open.getByTestId('refusal').textContent()).toBe('This results link does not exist or was revoked. Ask whoever sent it for a new one.')
    expect(await open.locator('table').count()).toBe(0)
    await visitor.close()

    await page.goto(`${origin}/results/?wave=${waves.unreleased}&lang=en`)
    await ready(page, 'refused')
    expect(await page.getByTestId('refusal').textContent()).toBe('This wave has no released results. Only released results are shown here.')
    expect(await page.locator('table').count()).toBe(0)
    expect(await seriousAxeViolations(page)).toEqual([])
    expect(cspViolations).toEqual([])
  })

  it('keeps the strict CSP: Chromium refuses the <style> element Plot makes, and the charts carry none', async () => {
    await page.goto(`${origin}/results/?release=${later.release.id}&lang=en&view=overview`)
    await ready(page)
    expect(await page.locator('main svg').count()).toBeGreaterThan(0)
    expect(await page.locator('main svg style').count()).toBe(0)
    expect(cspViolations).toEqual([])
    // What Plot would add to each chart if it were left in: the policy (style-src 'self') refuses it.
    await page.evaluate(() => {
      const style = document.createElementNS('http://www.w3.org/2000/svg', 'style')
      style.textContent = ':where(.prevalens-plot) { display: block; }'
      document.querySelector('main svg')?.append(style)
    })
    await expect.poll(() => cspViolations.length).toBe(1)
    expect(cspViolations.splice(0)).toEqual(['style-src-elem inline'])
  })

  it('refuses an account whose role may not read results', async () => {
    const { email } = await createTestAccount(database.db, 'site_staff')
    const context = await newContext()
    const staffPage = await context.newPage()
    await staffPage.goto(`${origin}/results/?lang=en`)
    await ready(staffPage, 'login')
    await staffPage.getByLabel('E-mail').fill(email)
    await staffPage.getByLabel('Password').fill(TEST_PASSWORD)
    await staffPage.getByRole('button', { name: 'Log in' }).click()
    await ready(staffPage, 'refused')
    expect(await staffPage.getByTestId('refusal').textContent()).toMatch(/^Your account has no access to the results/)
    await context.close()
  })
})
