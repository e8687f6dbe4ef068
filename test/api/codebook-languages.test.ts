import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CodebookSchema } from '../../api/schemas/exports.js'
import type { Codebook } from '../../api/schemas/exports.js'
import { buildCodebook } from '../../api/services/codebook.js'
import { codebookMarkdown, rScript } from '../../api/services/codebook-formats.js'
import { codebookTranslations } from '../../api/services/codebook-languages.js'
import { waveExportSource } from '../../api/services/microdata-export.js'
import type { ExportSource } from '../../api/services/microdata-export.js'
import { definitionsDir } from '../../survey-definitions/index.js'
import type { JsonObject } from '../../survey-definitions/index.js'
import { sourceTexts, translationFileName } from '../../survey-definitions/languages.js'
import type { TranslationFile } from '../../survey-definitions/languages.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
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
  let study: StudyFixture
  let dir: string
  let source: ExportSource

  beforeAll(async () => {
    database = await openTestDatabase()
    study = await createStudy(database.db)
    // A copy of the shipped definitions (no audio) with a translation beside hverdag v1.
    dir = mkdtempSync(join(tmpdir(), 'prevalens-codebook-lang-'))
    cpSync(join(definitionsDir, 'hverdag'), join(dir, 'hverdag'), { recursive: true, filter: (path) => !path.includes('/audio') })
    const survey = JSON.parse(readFileSync(join(dir, 'hverdag', 'v1.survey.json'), 'utf8')) as JsonObject
    writeFileSync(join(dir, 'hverdag', translationFileName(1, 'pl')), JSON.stringify(madeUpPolish(survey)))
    source = await waveExportSource(database.db, study.wave.id, dir)
  }, 60_000)
  afterAll(async () => {
    await database?.close()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it("gives a question's text and each of its codes under the translation's language code, and lists the language", () => {
    const codebook = buildCodebook(source)
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

  it('keeps the translated labels on the wire (the reply schema) and shows them in the Markdown and the R script', async () => {
    const codebook = buildCodebook(source)
    const app = Fastify()
    app.get('/codebook', { schema: { response: { 200: CodebookSchema } } }, () => codebook)
    const reply = await app.inject({ method: 'GET', url: '/codebook' })
    await app.close()
    const sent = reply.json<Codebook>()
    expect(sent.columns.find((column) => column.name === 'q_gender')?.label.pl).toBe('Jaka jest twoja płeć?')
    expect(sent.languages.map(({ code }) => code)).toEqual(['nb', 'en', 'pl'])

    const markdown = codebookMarkdown(codebook)
    expect(markdown).toContain('- pl: Jaka jest twoja płeć?')
    expect(markdown).toContain('| code | number (SPSS/Stata) | en | nb | pl |')
    expect(markdown).toMatch(/\| `woman` \| 1 \| Woman \| Kvinne \| Kobieta \|/)
    expect(markdown).toContain('pl (Polski, draft translation / utkast')
    const script = rScript(codebook)
    expect(script).toContain('stopifnot(language %in% c("nb", "en", "pl"))')
    expect(script).toContain('"Kobieta"')
  })

  it('stays in nb and en for a version without translations, and when the files no longer hold the version as published', () => {
    const plain = buildCodebook({ ...source, translations: [] })
    expect(plain.languages.map(({ code }) => code)).toEqual(['nb', 'en'])
    expect(Object.keys(plain.columns.find((column) => column.name === 'q_gender')!.label)).toEqual(['nb', 'en'])
    expect(codebookMarkdown(plain)).toContain('| code | number (SPSS/Stata) | en | nb |\n')

    expect(codebookTranslations(source.version, dir).map(({ code }) => code)).toEqual(['pl'])
    const file = join(dir, 'hverdag', 'v1.survey.json')
    const survey = JSON.parse(readFileSync(file, 'utf8')) as JsonObject
    writeFileSync(file, JSON.stringify({ ...survey, title: { nb: 'Endret', en: 'Changed' } }))
    expect(codebookTranslations(source.version, dir)).toEqual([])
  })
})
