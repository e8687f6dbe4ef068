import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteRow } from '../../api/db/database.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { ReleaseDetail } from '../../api/schemas/releases.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { createTestAccount, loginAs, TEST_PASSWORD } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { siteFixture, FIVE_SITES, createWave } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

// A funder reads a gender × county table released in two waves (five sites in three counties, so some
// counties have one site and their figures carry a note), in bokmål and English.

type Lang = 'nb' | 'en'
const LANGS: readonly Lang[] = ['nb', 'en']
const TABLES = [{ indicators: ['any_violence_12m'], by: ['gender', 'county'] }]
const VIEWPORTS = [{ width: 800, height: 1280 }, { width: 1440, height: 900 }] as const
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
/** Words of English prose and of the statistician's notes that a bokmål page must not show. */
const ENGLISH = /\b(the|and|of|with|which|are|is|from|respondents|cluster|clusters|suppressed|withheld|source|deff|interval|estimate|degrees|freedom|used|ignores|score|svyciprop|NaN)\b/i
/** Jargon no reader should meet in either language. */
const JARGON = /svyciprop|NaN|\bcluster\b|degrees of freedom|\bdeff\b|\bPSU\b/i
const DATE_NB = /\b\d{1,2}\.\d{2}\.\d{4}\b/g
const locale = (lang: Lang) => lang === 'nb' ? 'nb-NO' : 'en-GB'
const oneDecimal = (lang: Lang, value: number) => new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value * 100)

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

/** The words of a downloaded SVG a reader sees: its title and every text element. */
function svgWords (svg: string): string[] {
  return [...svg.matchAll(/<(title|text)[^>]*>([^<]*)<\/\1>/g)].map((match) => (match[2] ?? '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'))
}

/**
 * Every string on the page a reader can see or hear: the text (citations of other studies keep their
 * original titles and are left out), and the labels and titles read out by a screen reader.
 */
async function visibleStrings (page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement
    for (const element of Array.from(clone.querySelectorAll('.citation, script, style'))) element.remove()
    document.body.append(clone)
    clone.hidden = false
    const text = clone.innerText
    clone.remove()
    const labels = Array.from(document.querySelectorAll('[aria-label], [title], [alt], svg title'))
      .flatMap((element) => [element.getAttribute('aria-label'), element.getAttribute('title'), element.getAttribute('alt'), element.tagName.toLowerCase() === 'title' ? element.textContent : null])
      .filter((value): value is string => value !== null && value !== '')
    return [...text.split('\n'), ...labels].map((line) => line.trim()).filter((line) => line !== '')
  })
}

/** What a bokmål string must not contain: English words, a decimal point (dates aside), an id. */
function expectReaderString (lang: Lang, text: string, where: string): void {
  expect(text, `${where}: an internal id`).not.toMatch(UUID)
  expect(text, `${where}: statistician's jargon`).not.toMatch(JARGON)
  if (lang === 'nb') {
    expect(text, `${where}: English on the bokmål page`).not.toMatch(ENGLISH)
    expect(text.replace(DATE_NB, ''), `${where}: a decimal point among decimal commas`).not.toMatch(/\d\.\d/)
  } else {
    expect(text, `${where}: a decimal comma in English`).not.toMatch(/\d,\d{1,2}(?!\d)/)
  }
}

/** Runs in the page: tables that scroll sideways, a page wider than the window, notes that end past it. */
function cutOff (): { scrolling: number, page: number, notes: number } {
  return {
    scrolling: Array.from(document.querySelectorAll('.table-wrap')).filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1).length,
    page: document.documentElement.scrollWidth - window.innerWidth,
    notes: Array.from(document.querySelectorAll('td.note, .figure-notes p')).filter((cell) => cell.getBoundingClientRect().right > window.innerWidth + 1).length,
  }
}

describe('the results app as a funder reads it: their language, plain notes, readable charts', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let researcher: TestSession
  let earlier: ReleaseDetail
  let later: ReleaseDetail

  async function makeWave (name: string, sites: readonly SiteRow[], opensDaysAgo: number, responses: number, seed: number): Promise<string> {
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    if (version === undefined) throw new Error('hverdag v1 was not published')
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name, survey_version_id: version.id, opens_on: addDays(today, -opensDaysAgo), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' }, { waveId: wave.id, responses, seed })
    return wave.id
  }

  async function release (waveId: string): Promise<ReleaseDetail> {
    const reply = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: researcher.headers, payload: { tables: TABLES } })
    if (reply.statusCode !== 201) throw new Error(`release failed: ${reply.statusCode} ${reply.body}`)
    return reply.json<ReleaseDetail>()
  }

  async function ready (target: Page): Promise<void> {
    await target.locator('#app[data-ready="release"]').waitFor({ timeout: 30_000 })
  }

  async function open (lang: Lang, view: string, target: Page = page): Promise<void> {
    await target.goto(`${origin}/results/?release=${later.release.id}&lang=${lang}&${view}`)
    await ready(target)
  }

  const overTime = 'view=explore&indicator=any_violence_12m&by=gender,county&compare=1'

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    await publishDefinitions(database.db)
    const sites: SiteRow[] = []
    for (const site of FIVE_SITES) sites.push(await createSite(database.db, siteFixture(site)))
    const spring = await makeWave('Vår 2026', sites, 60, 700, 13)
    const autumn = await makeWave('Høst 2026', sites, 10, 1500, 17)
    researcher = await loginAs(app, database.db, 'researcher')
    earlier = await release(spring)
    later = await release(autumn)
    const funderEmail = (await createTestAccount(database.db, 'funder')).email
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
    page = await context.newPage()
    await page.goto(`${origin}/results/`)
    await page.locator('#app[data-ready="login"]').waitFor()
    await page.getByLabel('E-post').fill(funderEmail)
    await page.getByLabel('Passord').fill(TEST_PASSWORD)
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await ready(page)
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  it('states the share exposed to any violence in the last 12 months, by gender, in one sentence at the top', async () => {
    expect(later.lead).toBe('any_violence_12m')
    const rows = later.rows.filter((row) => row.indicator === later.lead && Object.keys(row.group).join() === 'gender')
    expect(rows.length).toBeGreaterThan(2)
    for (const lang of LANGS) {
      await open(lang, 'view=overview')
      const sentence = page.getByTestId('lead-sentence')
      // The sentence is the overview's first line.
      expect(await page.locator('.overview > *').first().getAttribute('data-testid')).toBe('lead-sentence')
      const text = await sentence.innerText()
      const label = later.indicators.find((indicator) => indicator.name === later.lead)?.label[lang] ?? ''
      expect(text.startsWith(label)).toBe(true)
      expect(text.split(/[.!?](\s|$)/).filter((part) => part.trim() !== '').length, text).toBe(1)
      for (const row of rows) {
        if (row.estimate === undefined) continue
        expect(text).toContain(`${oneDecimal(lang, row.estimate)}\u00a0%`)
        if (row.ci_low !== undefined && row.ci_high !== undefined) expect(text).toContain(`${oneDecimal(lang, row.ci_low)}–${oneDecimal(lang, row.ci_high)}\u00a0%`)
      }
      // A group without a figure is said so in words, and no figure stands for it.
      const hidden = rows.filter((row) => row.estimate === undefined)
      expect(hidden.length, 'the fixture has a gender group without a figure').toBeGreaterThan(0)
      expect(text).toMatch(lang === 'nb' ? /skjult|for usikkert/ : /suppressed|hidden|too uncertain/)
      // Each figure twice (the share, the interval's upper end with its sign); none for a group without one.
      expect((text.match(/\d+[.,]\d\s%/g) ?? []).length).toBe(rows.filter((row) => row.estimate !== undefined).length * 2)
      expectReaderString(lang, text, 'the lead sentence')
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport)
        await screenshot(page, `results-lead-${lang}-${viewport.width}x${viewport.height}`)
      }
      await page.setViewportSize({ width: 1440, height: 900 })
    }
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  it('words every note, method and source line in the reader\'s language, with no id, on the page, on paper and in the downloads', async () => {
    // The county table has counties with one site: their figures carry a note, which the API keeps as a code.
    const noted = later.rows.filter((row) => row.notes?.some((note) => note.code === 'one_site'))
    expect(noted.length).toBeGreaterThan(0)
    for (const lang of LANGS) {
      for (const view of ['view=overview', 'view=explore&indicator=any_violence_12m&by=gender,county', overTime]) {
        await open(lang, view)
        if (view === overTime) await page.locator('.explore-result tr[data-wave]').first().waitFor()
        for (const media of ['screen', 'print'] as const) {
          await page.emulateMedia({ media })
          for (const text of await visibleStrings(page)) expectReaderString(lang, text, `${lang} ${view} (${media})`)
        }
        await page.emulateMedia({ media: 'screen' })
        const sources = await page.locator('.source, .report-source').allInnerTexts()
        expect(sources.length).toBeGreaterThan(1)
        for (const source of sources) expect(source).toMatch(lang === 'nb' ? /^Kilde: Prevalens/ : /^Source: Prevalens/)
        // Every design effect is written as the reader writes decimals.
        for (const note of await page.locator('td.note').allInnerTexts()) {
          const deff = lang === 'nb' ? /designeffekt (\d+)(.)(\d\d)/.exec(note) : /design effect (\d+)(.)(\d\d)/.exec(note)
          if (deff !== null) expect(deff[2]).toBe(lang === 'nb' ? ',' : '.')
        }
        // The one-site note, in words, on the county table.
        if (view !== 'view=overview') expect((await page.locator('td.note').allInnerTexts()).join(' ')).toMatch(lang === 'nb' ? /kommer fra ett sted/ : /come from one place/)

        const block = page.locator(view === 'view=overview' ? '.figure-block' : '.explore-result .figure-block').first()
        const csv = parseCsv((await download(page, async () => { await block.locator('button[data-download="csv"]').click() })).toString('utf8'))
        expect(csv.length).toBeGreaterThan(0)
        for (const line of csv) {
          expectReaderString(lang, `${line.indicator_label ?? ''} ${line.note ?? ''}`, `${lang} ${view} CSV`)
          expect(Object.values(line).join(' ')).not.toMatch(UUID)
        }
        const svg = (await download(page, async () => { await block.locator('button[data-download="svg"]').click() })).toString('utf8')
        for (const text of svgWords(svg)) expectReaderString(lang, text, `${lang} ${view} SVG`)
      }
    }
    await open('nb', 'view=overview')
    const respondents = parseCsv((await download(page, async () => { await page.locator('[data-section="respondents"] button[data-download="csv"]').click() })).toString('utf8'))
    expect(respondents.length).toBeGreaterThan(5)
    for (const line of respondents) {
      expectReaderString('nb', line.note ?? '', '"who answered" CSV')
      expect(line.note === '').toBe(line.suppressed === 'false')
    }
  }, 240_000)

  it('reads a release as it was frozen (the analysis\'s English sentences, a site\'s id in them) in the reader\'s words', async () => {
    const stored = await database.db.selectFrom('results_releases').select(['result_rows']).where('id', '=', earlier.release.id).executeTakeFirstOrThrow()
    expect(stored.result_rows.filter((row) => 'notes' in row)).toEqual([])
    expect(stored.result_rows.some((row) => UUID.test(row.reason ?? ''))).toBe(true)
    for (const lang of LANGS) {
      await page.goto(`${origin}/results/?release=${earlier.release.id}&lang=${lang}&view=explore&indicator=any_violence_12m&by=gender,county`)
      await ready(page)
      const notes = (await page.locator('.explore-result td.note').allInnerTexts()).join(' ')
      expect(notes).toMatch(lang === 'nb' ? /kommer fra ett sted/ : /come from one place/)
      expectReaderString(lang, notes, `${lang} notes of the earlier release`)
    }
  })

  it('compares a gender × county table over time with no overlapping label, and cuts off nothing there or on the overview, at 800×1280 and 1440×900', async () => {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      for (const lang of LANGS) {
        await open(lang, overTime)
        await page.locator('.explore-result tr[data-wave]').first().waitFor()
        const chart = page.locator('.explore-result figure svg')
        // One band per group of the table, both waves in each.
        const groups = later.rows.filter((row) => row.indicator === 'any_violence_12m' && Object.keys(row.group).sort().join() === 'county,gender').length
        expect(groups).toBeGreaterThan(8)
        const measured = await chart.evaluate((svg) => {
          const boxes = Array.from(svg.querySelectorAll('text')).map((text) => ({ text: text.textContent ?? '', box: text.getBoundingClientRect() }))
            .filter(({ box, text }) => box.width > 0 && text.trim() !== '')
          const overlaps: string[] = []
          for (let i = 0; i < boxes.length; i += 1) {
            for (let j = i + 1; j < boxes.length; j += 1) {
              const a = (boxes[i] as typeof boxes[number]).box
              const b = (boxes[j] as typeof boxes[number]).box
              const x = Math.min(a.right, b.right) - Math.max(a.left, b.left)
              const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)
              if (x > 1 && y > 1) overlaps.push(`"${boxes[i]?.text ?? ''}" × "${boxes[j]?.text ?? ''}"`)
            }
          }
          const frame = svg.getBoundingClientRect()
          const outside = boxes.filter(({ box }) => box.left < frame.left - 1 || box.right > frame.right + 1).map(({ text }) => text)
          return { overlaps, outside, texts: boxes.length, width: frame.width, height: frame.height, smallest: Math.min(...boxes.map(({ box }) => box.height)) }
        })
        expect(measured.overlaps, `${lang} ${viewport.width}x${viewport.height}`).toEqual([])
        expect(measured.outside).toEqual([])
        expect(measured.texts).toBeGreaterThan(groups)
        // Labels stay readable: a line of text at least 11 px high on screen.
        expect(measured.smallest).toBeGreaterThanOrEqual(11)
        // Nothing is cut off: no table scrolls sideways and every note ends inside the window.
        const cut = await page.evaluate(cutOff)
        expect(cut).toEqual({ scrolling: 0, page: 0, notes: 0 })
        await screenshot(page, `results-over-time-${lang}-${viewport.width}x${viewport.height}`)
        // The overview's tables, beside or under their charts, fit too.
        await open(lang, 'view=overview')
        expect(await page.evaluate(cutOff), `${lang} overview ${viewport.width}x${viewport.height}`).toEqual({ scrolling: 0, page: 0, notes: 0 })
      }
      expect(await seriousAxeViolations(page)).toEqual([])
    }
    await page.setViewportSize({ width: 1440, height: 900 })
  }, 180_000)

  it('downloads charts that carry their title, source, interval and suppression legend, as SVG and as a PNG that renders', async () => {
    for (const lang of LANGS) {
      await open(lang, overTime)
      await page.locator('.explore-result tr[data-wave]').first().waitFor()
      const block = page.locator('.explore-result .figure-block')
      const title = await block.locator('h3').innerText()
      const svg = (await download(page, async () => { await block.locator('button[data-download="svg"]').click() })).toString('utf8')
      const words = svgWords(svg)
      const all = words.join(' ')
      // The title, wrapped onto lines at spaces, reads whole.
      expect(all).toContain(title.replace(/\s+/g, ' ').trim())
      expect(all).toMatch(lang === 'nb' ? /Kilde: Prevalens, Høst 2026/ : /Source: Prevalens, Høst 2026/)
      expect(all).toMatch(lang === 'nb' ? /Streken viser 95 % konfidensintervall/ : /The line shows the 95 % confidence interval/)
      expect(all).toMatch(lang === 'nb' ? /«skjult»: færre enn 5/ : /"suppressed": fewer than 5/)
      // Whether the figures are weighted, as the release says it.
      expect(all).toMatch(lang === 'nb' ? /Uvektet: alle som svarte teller likt/ : /Unweighted: every respondent counts alike/)
      // Both waves named in the legend, as on the page.
      expect(words).toEqual(expect.arrayContaining(['Vår 2026', 'Høst 2026']))
      const size = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg)
      expect(size).not.toBeNull()
      const [width, height] = [Number(size?.[1]), Number(size?.[2])]
      const chartHeight = Number(await block.locator('figure svg').getAttribute('height'))
      expect(height).toBeGreaterThan(chartHeight + 80)

      const png = await download(page, async () => { await block.locator('button[data-download="png"]').click() })
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * width, 2 * height])
      // It renders: drawn in the browser, it has ink in the title's band, the chart's and the caption's.
      const ink = await page.evaluate(async (base64) => {
        const image = new Image()
        image.src = `data:image/png;base64,${base64}`
        await image.decode()
        const canvas = document.createElement('canvas')
        canvas.width = image.naturalWidth
        canvas.height = image.naturalHeight
        const context = canvas.getContext('2d') as CanvasRenderingContext2D
        context.drawImage(image, 0, 0)
        const band = (from: number, to: number): number => {
          const data = context.getImageData(0, Math.floor(from * canvas.height), canvas.width, Math.max(1, Math.floor((to - from) * canvas.height))).data
          let dark = 0
          for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 128 && (data[i + 1] ?? 255) < 128 && (data[i + 2] ?? 255) < 128) dark += 1
          return dark
        }
        return { top: band(0, 0.05), middle: band(0.3, 0.7), bottom: band(0.9, 1) }
      }, png.toString('base64'))
      expect(ink.top).toBeGreaterThan(100)
      expect(ink.middle).toBeGreaterThan(100)
      expect(ink.bottom).toBeGreaterThan(100)
      if (lang === 'nb') {
        const { writeFileSync, mkdirSync } = await import('node:fs')
        const artifacts = new URL('./artifacts/', import.meta.url)
        mkdirSync(artifacts, { recursive: true })
        writeFileSync(new URL('results-download-over-time-nb.png', artifacts), png)
      }
    }
  })
})
