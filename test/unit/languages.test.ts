import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Model } from 'survey-core'
import { afterAll, describe, expect, it } from 'vitest'
import { checkDefinitionsDir } from '../../survey-definitions/check.js'
import { definitionsDir, loadDefinitions } from '../../survey-definitions/index.js'
import { kioskStrings, pluralCategories, sourceTexts, translationKeys, translationProblems, withTranslation } from '../../survey-definitions/languages.js'
import type { TranslationFile } from '../../survey-definitions/languages.js'
import { scriptDirection, translationChecksum, translationShapeProblems } from '../../survey-definitions/translation-files.js'

const hverdag = loadDefinitions().find((definition) => definition.slug === 'hverdag' && definition.version === 2)!
const complete = (code: string): Record<string, string> =>
  Object.fromEntries(sourceTexts(hverdag.survey, code).map((text) => [text.key, `[${code}] ${text.en}`]))

describe('languages as data: the keys of a version\'s texts', () => {
  it('gives every text a unique key named by where it is: the survey, a page, a question, a choice, the kiosk', () => {
    const keys = translationKeys(hverdag.survey, 'pl')
    expect(new Set(keys).size).toBe(keys.length)
    expect(keys).toEqual(expect.arrayContaining(['survey.title', 'q.gender.title', 'q.gender.choice.woman', 'q.gender.choice.prefer_not', 'kiosk.quickExit', 'kiosk.progress']))
    // Every localisable text of the SurveyJS JSON has a key: as many as the bokmål texts in it.
    const nbTexts = (JSON.stringify(hverdag.survey).match(/"nb":/g) ?? []).length
    expect(sourceTexts(hverdag.survey, 'pl').filter((text) => text.kind === 'survey')).toHaveLength(nbTexts)
  })

  it('asks a plural in every form the language has: two for English, four for Polish, six for Arabic', () => {
    expect(pluralCategories('en')).toEqual(['one', 'other'])
    expect(pluralCategories('pl')).toEqual(['one', 'few', 'many', 'other'])
    expect(pluralCategories('ar')).toEqual(['zero', 'one', 'two', 'few', 'many', 'other'])
    expect(translationKeys(hverdag.survey, 'ar').filter((key) => key.startsWith('kiosk.deletedIn.'))).toHaveLength(6)
  })

  it('adds a translation under its code, so survey-core shows it with model.locale', () => {
    const model = new Model(withTranslation(hverdag.survey, 'pl', complete('pl')))
    model.locale = 'pl'
    expect(model.getQuestionByName('gender').title).toBe('[pl] What is your gender?')
    model.locale = 'nb'
    expect(model.getQuestionByName('gender').title).toBe('Hva er kjønnet ditt?')
  })

  it('names each key that is missing, empty, unknown or lacks a placeholder', () => {
    const strings = complete('pl')
    delete strings['q.gender.title']
    strings['q.gender.choice.woman'] = ' '
    strings['q.nonexistent.title'] = 'x'
    strings['kiosk.progress'] = 'ukończono'
    strings['kiosk.checked'] = 'sprawdzono {date} {time}'
    // survey-core would fill {raped_ever} with that answer: a translation may not show answers the source does not.
    strings['q.age_group.title'] = 'Ile masz lat? ({raped_ever})'
    strings['q.age_group.choice.18_24'] = '18\u000124'
    expect(translationProblems(hverdag.survey, { code: 'pl', strings })).toEqual([
      { key: 'q.gender.title', problem: 'is not translated (missing)' },
      { key: 'q.gender.choice.woman', problem: 'is empty' },
      { key: 'q.age_group.title', problem: 'has the unknown placeholder {raped_ever}' },
      { key: 'q.age_group.choice.18_24', problem: 'has a control character (other than tab and line break)' },
      { key: 'kiosk.progress', problem: 'lacks the placeholder {percent}' },
      { key: 'kiosk.checked', problem: 'has the unknown placeholder {time}' },
      { key: 'q.nonexistent.title', problem: 'is not a text of this version (unknown key)' },
    ])
    expect(translationProblems(hverdag.survey, { code: 'pl', strings: complete('pl') })).toEqual([])
  })

  it('gives the kiosk its words in a translated language, plurals gathered back, English where one is missing', () => {
    const strings = complete('pl')
    delete strings['kiosk.help']
    const words = kioskStrings('pl', strings)
    expect(words.quickExit).toBe('[pl] Quick exit')
    expect(words.help).toBe('Help')
    expect(words.deletedIn).toEqual({ one: '[pl] The answers will be deleted in {seconds} second.', few: '[pl] The answers will be deleted in {seconds} seconds.', many: '[pl] The answers will be deleted in {seconds} seconds.', other: '[pl] The answers will be deleted in {seconds} seconds.' })
  })
})

describe('translation files', () => {
  const file = (overrides: Partial<TranslationFile> = {}): TranslationFile =>
    ({ code: 'ar', name: 'العربية', direction: 'rtl', status: 'draft', source: 'en', strings: {}, ...overrides })

  it('takes the direction from language data and refuses a file that states the other one', () => {
    expect(scriptDirection('ar')).toBe('rtl')
    expect(scriptDirection('pl')).toBe('ltr')
    expect(translationShapeProblems(file())).toEqual([])
    expect(translationShapeProblems(file({ direction: 'ltr' }))).toEqual(['direction is "ltr", but ar is written right to left (Intl.Locale)'])
  })

  it('asks who reviewed a reviewed translation and when, and refuses bokmål or English as a translation', () => {
    expect(translationShapeProblems(file({ status: 'reviewed' }))).toEqual(['a reviewed translation says who reviewed it and when: "review": { "by": "…", "on": "YYYY-MM-DD" }'])
    expect(translationShapeProblems(file({ status: 'reviewed', review: { by: 'A. Reviewer', on: '2026-02-30' } }))).toEqual(['review.on "2026-02-30" is not a calendar date'])
    expect(translationShapeProblems(file({ code: 'en', direction: 'ltr' }))[0]).toContain('"en" is in the survey file itself')
  })

  it('hashes what a review vouches for: the words, not the status', () => {
    const draft = file({ strings: { 'survey.title': 'x' } })
    expect(translationChecksum({ ...draft, status: 'reviewed' } as TranslationFile)).toBe(translationChecksum(draft))
    expect(translationChecksum({ ...draft, strings: { 'survey.title': 'y' } })).not.toBe(translationChecksum(draft))
  })

  const dir = mkdtempSync(join(tmpdir(), 'prevalens-languages-'))
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

  it('definitions:check names the file and each key a translation lacks', () => {
    cpSync(join(definitionsDir, 'hverdag'), join(dir, 'hverdag'), { recursive: true })
    const strings = complete('pl')
    delete strings['q.gender.title']
    delete strings['kiosk.deletedIn.few']
    const translation = join(dir, 'hverdag', 'v2.lang.pl.json')
    writeFileSync(translation, JSON.stringify(file({ code: 'pl', name: 'Polski', direction: 'ltr', strings })))
    const problems = checkDefinitionsDir(dir).problems.filter((problem) => problem.file === translation)
    expect(problems.map((problem) => problem.problem)).toEqual(['q.gender.title is not translated (missing)', 'kiosk.deletedIn.few is not translated (missing)'])
  })
})
