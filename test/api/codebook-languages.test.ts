import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { Codebook } from '../../api/schemas/exports.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { definitionsDir, loadDefinitions } from '../../survey-definitions/index.js'
import type { JsonObject } from '../../survey-definitions/index.js'
import { sourceTexts, translationFileName } from '../../survey-definitions/languages.js'
import type { TranslationFile } from '../../survey-definitions/languages.js'
import { buildTestApp } from '../helpers/build-app.js'
import { sessionsByRole } from '../helpers/console-roles.js'
import type { Sessions } from '../helpers/console-roles.js'
import { createWave, siteFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

/** A made-up Polish translation of hverdag v1 with every key; a few texts in (made-up) Polish of their own. */
function madeUpPolish (survey: JsonObject): TranslationFile {
  const strings = Object.fromEntries(sourceTexts(survey, 'pl').map((source, i) => [source.key, source.kind === 'kiosk' ? `${source.en} (pl)` : `Tekst numer ${i + 1}`]))
  Object.assign(strings, {
    'q.gender.title': 'Jaka jest twoja płeć?',
    'q.gender.choice.woman': 'Kobieta',
    'q.gender.choice.prefer_not': 'Wolę nie odpowiadać',
  })
  return { code: 'pl', name: 'Polski', direction: 'ltr', status: 'draft', source: 'en', strings }
}

describe('the codebook in each language of the version', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sessions: Sessions
  const waves: Record<1 | 2, string> = { 1: '', 2: '' }

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    // hverdag published from a copy of the shipped definitions with a Polish translation beside v1 (and, for
    // v2, whatever survey-definitions/ has): publishing stores the translation with the version.
    const dir = mkdtempSync(join(tmpdir(), 'prevalens-codebook-lang-'))
    try {
      cpSync(join(definitionsDir, 'hverdag'), join(dir, 'hverdag'), { recursive: true, filter: (path) => !path.includes('/audio') })
      const survey = JSON.parse(readFileSync(join(dir, 'hverdag', 'v1.survey.json'), 'utf8')) as JsonObject
      writeFileSync(join(dir, 'hverdag', translationFileName(1, 'pl')), JSON.stringify(madeUpPolish(survey)))
      await publishDefinitions(database.db, loadDefinitions(dir))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const site = await createSite(database.db, siteFixture())
    const today = studyToday('Europe/Oslo')
    for (const number of [1, 2] as const) {
      const version = await findSurveyVersion(database.db, 'hverdag', number)
      if (version === undefined) throw new Error(`hverdag v${number} was not published`)
      const wave = await createWave(database.db, {
        name: `Wave of v${number}`, survey_version_id: version.id, opens_on: addDays(today, -10), closes_on: addDays(today, 30), status: 'open',
      }, [{ siteId: site.id }])
      waves[number] = wave.id
    }
    sessions = await sessionsByRole(app, database.db, site.id)
  }, 60_000)
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  async function download (file: string, version: 1 | 2 = 1): Promise<string> {
    const reply = await app.inject({ method: 'GET', url: `/api/exports/waves/${waves[version]}/${file}`, headers: sessions.researcher.headers })
    expect(reply.statusCode, reply.body.slice(0, 300)).toBe(200)
    return reply.body
  }

  it("gives a question's text and each of its codes under the translation's language code, and lists the language", async () => {
    const codebook = JSON.parse(await download('codebook.json')) as Codebook
    expect(codebook.languages).toEqual([
      { code: 'nb', name: 'Norsk (bokmål)', direction: 'ltr', status: 'reviewed' },
      { code: 'en', name: 'English', direction: 'ltr', status: 'reviewed' },
      { code: 'pl', name: 'Polski', direction: 'ltr', status: 'draft' },
    ])
    const answer = codebook.columns.find((column) => column.name === 'q_gender')!
    expect(answer.label).toEqual({ nb: 'Hva er kjønnet ditt?', en: 'What is your gender?', pl: 'Jaka jest twoja płeć?' })
    expect(answer.values.find((value) => value.code === 'woman')?.label).toEqual({ nb: 'Kvinne', en: 'Woman', pl: 'Kobieta' })
    // "Prefer not to say" is a missing code in the SPSS and Stata files: its label follows.
    expect(answer.missingCodes?.find((code) => code.code === 'prefer_not')?.label.pl).toBe('Wolę nie odpowiadać')
    // The analysis dimension reads the same question.
    expect(codebook.columns.find((column) => column.name === 'gender')?.label.pl).toBe('Jaka jest twoja płeć?')
    // The indicator map's labels and the codebook's own words have no translation.
    const indicator = codebook.columns.find((column) => column.kind === 'indicator')!
    expect(Object.keys(indicator.label)).toEqual(['nb', 'en'])
  })

  it('shows the translated labels in the Markdown and the R script', async () => {
    const markdown = await download('codebook.md')
    expect(markdown).toContain('- pl: Jaka jest twoja płeć?')
    expect(markdown).toContain('| code | number (SPSS/Stata) | en | nb | pl |')
    expect(markdown).toMatch(/\| `woman` \| 1 \| Woman \| Kvinne \| Kobieta \|/)
    expect(markdown).toContain('pl (Polski, draft translation / utkast')
    const script = await download('read-microdata.R')
    expect(script).toContain('stopifnot(language %in% c("nb", "en", "pl"))')
    expect(script).toContain('"Kobieta"')
  })

  // R is not on every developer's machine (.ci/run installs it); where it is, the script must label in Polish.
  it.runIf(existsSync('/usr/bin/Rscript'))('the R script labels the columns and codes in the translation when asked for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prevalens-r-lang-'))
    try {
      // One row is enough to see a label: a made-up row of codes the codebook knows.
      const codebook = JSON.parse(await download('codebook.json')) as Codebook
      const header = (await download('microdata.csv')).split('\n')[0]!.split(',')
      const row = header.map((name) => name === 'q_gender' ? 'woman' : codebook.columns.find((column) => column.name === name)?.values[0]?.code ?? '')
      writeFileSync(join(dir, 'wave.csv'), `${header.join(',')}\n${row.join(',')}\n`)
      writeFileSync(join(dir, 'read.R'), await download('read-microdata.R'))
      writeFileSync(join(dir, 'probe.R'), [
        'args <- commandArgs(trailingOnly = TRUE); csv_file <- args[[1]]; language <- "pl"',
        'source(args[[2]])',
        'cat(paste0("value:", as.character(microdata$q_gender[1]), "\\n")); cat(paste0("label:", attr(microdata$q_gender, "label"), "\\n"))',
      ].join('\n'))
      const { stdout } = await promisify(execFile)('Rscript', [join(dir, 'probe.R'), join(dir, 'wave.csv'), join(dir, 'read.R')])
      expect(stdout.split('\n')).toEqual(expect.arrayContaining(['value:Kobieta', 'label:Jaka jest twoja płeć?']))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('labels a version in nb and en only when no other language is stored with it', async () => {
    const stored = await database.db.selectFrom('survey_version_languages').select('code')
      .where('survey_version_id', '=', (await findSurveyVersion(database.db, 'hverdag', 2))!.id).execute()
    const codebook = JSON.parse(await download('codebook.json', 2)) as Codebook
    expect(codebook.languages.map(({ code }) => code)).toEqual(['nb', 'en', ...stored.map(({ code }) => code).sort()])
    if (stored.length > 0) return
    expect(Object.keys(codebook.columns.find((column) => column.name === 'q_gender')!.label)).toEqual(['nb', 'en'])
    expect(await download('codebook.md', 2)).toContain('| code | number (SPSS/Stata) | en | nb |\n')
  })
})
