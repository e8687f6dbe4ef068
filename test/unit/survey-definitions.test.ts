import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Model } from 'survey-core'
import { describe, it, expect } from 'vitest'
import { checkDefinition, checkDefinitionsDir } from '../../survey-definitions/check.js'
import { listQuestions } from '../../survey-definitions/questions.js'
import type { Problem } from '../../survey-definitions/check.js'
import { canonicalJson, definitionChecksum, DefinitionLoadError, loadDefinitions } from '../../survey-definitions/index.js'
import type { JsonObject, SurveyDefinition } from '../../survey-definitions/index.js'
import { helpResourcesProblems, loadHelpResources } from '../../survey-definitions/help-resources.js'
import type { IndicatorMap } from '../../survey-definitions/indicator-map.js'
import { BREAKDOWN_DIMENSIONS, instrumentErrors, rulesOfVersion } from '../../survey-definitions/instrument.js'
import { RESULT_DIMENSIONS } from '../../api/db/queries/results.js'

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const brokenDir = join(root, 'test/fixtures/definitions-broken')

const violenceTypes = [
  'pushed', 'hair_pulled', 'grabbed_throat', 'strangled', 'hit_fist', 'kicked', 'hit_object',
  'threatened_weapon', 'stabbed_cut', 'attempted_murder', 'forced_sexual', 'raped', 'psychological'
]
const periods = ['ever', '12m', '1m']

function hverdag (): SurveyDefinition {
  const def = loadDefinitions().find((d) => d.slug === 'hverdag' && d.version === 1)
  if (def === undefined) throw new Error('hverdag v1 is not shipped')
  return def
}

// A copy that a test may change freely without touching the loaded files.
function copy<T> (value: T): T {
  return structuredClone(value)
}

describe('shipped definitions', () => {
  const definitions = loadDefinitions()

  it('includes hverdag v1, sorted by slug then version', () => {
    expect(definitions.map((d) => `${d.slug} v${d.version}`)).toContain('hverdag v1')
    const keys = definitions.map((d) => [d.slug, d.version] as const)
    expect([...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))).toEqual(keys)
  })

  it.each(definitions.map((d) => [`${d.slug} v${d.version}`, d] as const))('%s loads in survey-core without jsonErrors and passes every check', (_label, def) => {
    expect(new Model(def.survey).jsonErrors ?? []).toEqual([])
    expect(checkDefinition(def)).toEqual([])
    expect(def.checksum).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('hverdag v1', () => {
  const def = hverdag()
  const questions = listQuestions(def.survey)
  const byName = new Map(questions.map((q) => [q.name, q]))

  it('asks ever, last 12 months and last month for each of the 13 violence types, gated on the period before', () => {
    for (const type of violenceTypes) {
      for (const period of periods) {
        const question = byName.get(`${type}_${period}`)
        expect(question?.type, `${type}_${period}`).toBe('radiogroup')
        expect(question?.values).toEqual(['no', 'once', 'several', 'prefer_not'])
      }
      expect(byName.get(`${type}_ever`)?.json.visibleIf).toBeUndefined()
      expect(byName.get(`${type}_12m`)?.json.visibleIf).toBe(`{${type}_ever} anyof ['once', 'several']`)
      expect(byName.get(`${type}_1m`)?.json.visibleIf).toBe(`{${type}_12m} anyof ['once', 'several']`)
    }
  })

  it('offers prefer_not on every answerable question and asks for nothing free-text', () => {
    for (const question of questions.filter((q) => q.type !== 'html')) {
      expect(question.values, question.name).toContain('prefer_not')
    }
    expect(questions.map((q) => q.type).filter((type) => type === 'text' || type === 'comment')).toEqual([])
    expect(def.indicatorMap.freeText).toEqual([])
  })

  it('follows the skip logic in survey-core', () => {
    const model = new Model(def.survey)
    const visible = (name: string): boolean => model.getQuestionByName(name).isVisible
    expect(visible('pushed_12m')).toBe(false)
    expect(visible('perpetrator')).toBe(false)
    expect(visible('injured')).toBe(false)
    model.setValue('pushed_ever', 'no')
    expect(visible('pushed_12m')).toBe(false)
    expect(visible('perpetrator')).toBe(false)
    model.setValue('raped_ever', 'several')
    expect(visible('raped_12m')).toBe(true)
    expect(visible('raped_1m')).toBe(false)
    expect(visible('perpetrator')).toBe(true)
    expect(visible('hospital')).toBe(true)
    model.setValue('sought_crisis_centre', 'yes')
    model.setValue('crisis_centre_outcome', 'turned_away')
    expect(visible('turned_away_reason')).toBe(true)
    model.setValue('sought_crisis_centre', 'no')
    expect(visible('crisis_centre_outcome')).toBe(false)
    // clearInvisibleValues "onHidden": the hidden answer is gone at once.
    expect(model.getValue('crisis_centre_outcome')).toBeUndefined()
  })

  it('defines the indicators the analysis needs', () => {
    const names = Object.keys(def.indicatorMap.indicators)
    const expected = [
      ...violenceTypes.flatMap((type) => periods.map((period) => `${type}_${period}`)),
      ...['any_physical', 'any_sexual', 'any_violence', 'repeated'].flatMap((group) => periods.map((period) => `${group}_${period}`)),
      'perpetrator_partner', 'perpetrator_drug_supplier', 'injured', 'emergency_clinic', 'hospital',
      'witnessed_1m', 'used_violence', 'sought_crisis_centre', 'turned_away_crisis_centre'
    ]
    expect(names).toEqual(expect.arrayContaining(expected))
    expect(def.indicatorMap.indicators.any_violence_12m?.anyOf).toHaveLength(13)
    expect(def.indicatorMap.indicators.any_physical_1m?.anyOf).toHaveLength(10)
    expect(def.indicatorMap.indicators.repeated_ever?.anyOf.every((c) => c.values.join() === 'several')).toBe(true)
    expect(Object.keys(def.indicatorMap.dimensions)).toEqual(['gender', 'age_group'])
  })
})

describe('checksum', () => {
  it('does not change when keys are reordered or the file is reformatted', () => {
    const def = hverdag()
    const reordered = Object.fromEntries(Object.entries(copy(def.survey)).reverse()) as JsonObject
    expect(definitionChecksum(reordered, copy(def.indicatorMap))).toBe(def.checksum)
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x' })).toBe('{"a":"x","b":[2,{"c":null,"d":1}]}')
  })

  it('changes when a text changes', () => {
    const def = hverdag()
    const changed = copy(def.survey)
    changed.title = { en: 'Everyday life', nb: 'Hverdag' }
    expect(definitionChecksum(changed, def.indicatorMap)).not.toBe(def.checksum)
  })
})

describe('broken fixtures', () => {
  const check = checkDefinitionsDir(brokenDir)
  const problemsOf = (slug: string): Problem[] => check.reports.find((r) => r.slug === slug)?.problems ?? []

  it.each([
    ['missing-nb', 'survey', /title has no nb text/],
    ['unknown-choice', 'indicators', /"sometimes", which is not a choice/],
    ['unknown-type', 'survey', /question type "yesno" is not allowed/],
    ['unknown-type', 'survey', /survey-core: .*type is incorrect/],
    ['disallowed-type', 'survey', /question type "matrixdropdown" is not allowed/],
    ['unknown-property', 'survey', /survey-core: Unknown property .*'colour'/],
    ['missing-prefer-not', 'survey', /no "prefer_not" choice/]
  ] as const)('%s: names the %s file and the question', (slug, kind, pattern) => {
    const file = join(brokenDir, slug, `v1.${kind}.json`)
    expect(problemsOf(slug)).toContainEqual({ file, question: 'pushed_ever', problem: expect.stringMatching(pattern) })
  })

  it.each([
    ['privacy-page-unknown', 'privacyCheckBefore names page "page_violence_intro", which v1.survey.json does not have (for privacy-page-unknown v1); ' +
      'state the page of this version under versions.1.privacyCheckBefore'],
    ['headline-unknown', 'headline indicator "any_violence_12m" is not in v1.indicators.json (for headline-unknown v1); state this version\'s under versions.1.headline'],
    ['headline-unknown', 'headline breakdown "age_group" is not a dimension of v1.indicators.json (for headline-unknown v1)'],
    ['version-rules-unknown', 'versions.2 states rules for version-rules-unknown v2, which has no v2.survey.json'],
  ] as const)('%s: names the instrument file and the problem', (slug, problem) => {
    expect(problemsOf(slug)).toEqual(expect.arrayContaining([{ file: join(brokenDir, slug, 'instrument.json'), problem }]))
  })

  it('instrument-missing: names the missing instrument file, and nothing else is wrong with it', () => {
    expect(problemsOf('instrument-missing')).toEqual([{ file: join(brokenDir, 'instrument-missing', 'instrument.json'), problem: expect.stringMatching(/^file is missing/) }])
  })

  it('every fixture is broken', () => {
    expect(check.reports.length).toBeGreaterThanOrEqual(10)
    for (const report of check.reports) expect(report.problems, report.slug).not.toEqual([])
  })
})

describe('instrument rules', () => {
  const instrument = {
    privacyCheckBefore: 'page_a',
    headline: { indicators: ['x_12m'], breakdowns: [[], ['gender']] as Array<Array<'gender'>> },
    versions: { 2: { privacyCheckBefore: 'page_b' } },
  }

  it('a version states its own rules under versions, and takes the instrument\'s otherwise', () => {
    expect(rulesOfVersion(instrument, 1)).toEqual({ privacyCheckBefore: 'page_a', headline: instrument.headline })
    expect(rulesOfVersion(instrument, 2)).toEqual({ privacyCheckBefore: 'page_b', headline: instrument.headline })
  })

  it('refuses an unknown breakdown, an unknown key and a version key that is not a number, by path', () => {
    expect(instrumentErrors({ ...instrument, headline: { indicators: ['x'], breakdowns: [['colour']] } })).toContainEqual(expect.stringMatching(/^\/headline\/breakdowns\/0\/0/))
    expect(instrumentErrors({ ...instrument, privacyCheck: 'page_a' })).toContainEqual(expect.stringMatching(/^\/privacyCheck/))
    expect(instrumentErrors({ ...instrument, versions: { v2: {} } })).not.toEqual([])
    expect(instrumentErrors(instrument)).toEqual([])
  })

  it('lists the breakdowns the results query knows, no more and no fewer', () => {
    expect([...BREAKDOWN_DIMENSIONS]).toEqual([...RESULT_DIMENSIONS])
  })

  it('hverdag v1 asks its privacy check before the violence section and leads releases with its headline indicators by gender', () => {
    const { rules } = hverdag()
    expect(rules.privacyCheckBefore).toBe('page_violence_intro')
    expect(rules.headline.breakdowns).toEqual([[], ['gender']])
    expect(rules.headline.indicators).toContain('any_violence_12m')
  })
})

describe('checkDefinition rules', () => {
  const text = (en: string, nb: string): { en: string, nb: string } => ({ en, nb })
  const preferNot = { value: 'prefer_not', text: text('Prefer not to say', 'Vil ikke svare') }
  const yes = { value: 'yes', text: text('Yes', 'Ja') }

  function definition (elements: JsonObject[], indicators: IndicatorMap['indicators'] = {}, extra: Partial<IndicatorMap> = {}): SurveyDefinition {
    const survey: JsonObject = { title: text('Everyday life and health', 'Hverdag og helse'), clearInvisibleValues: 'onHidden', pages: [{ name: 'p', elements }] }
    const indicatorMap: IndicatorMap = { missingValues: ['prefer_not'], dimensions: {}, freeText: [], indicators, ...extra }
    const rules = { privacyCheckBefore: 'p', headline: { indicators: Object.keys(indicators).slice(0, 1), breakdowns: [[]] } }
    return { slug: 'test', version: 1, survey, indicatorMap, rules, checksum: '', files: { survey: 's.json', indicators: 'i.json', instrument: 'r.json' } }
  }
  const radio = (name: string, extra: JsonObject = {}): JsonObject => ({ type: 'radiogroup', name, title: text('Q?', 'S?'), choices: [yes, preferNot], ...extra })
  const problems = (def: SurveyDefinition): string[] => checkDefinition(def).map((p) => `${p.file}|${p.question ?? ''}|${p.problem}`)

  it('accepts a minimal valid definition', () => {
    expect(checkDefinition(definition([radio('a')], { a_yes: { label: text('A', 'A'), anyOf: [{ question: 'a', values: ['yes'] }] } }))).toEqual([])
  })

  it('refuses required questions, "other" items and comment areas', () => {
    expect(problems(definition([radio('a', { isRequired: true })]))).toContainEqual(expect.stringMatching(/^s\.json\|a\|isRequired is not allowed/))
    expect(problems(definition([radio('a', { showOtherItem: true })]))).toContainEqual(expect.stringMatching(/^s\.json\|a\|showOtherItem is not allowed/))
    expect(problems(definition([radio('a', { showCommentArea: true })]))).toContainEqual(expect.stringMatching(/^s\.json\|a\|showCommentArea is not allowed/))
  })

  it('refuses choices without en/nb texts and duplicate question names', () => {
    expect(problems(definition([radio('a', { choices: ['yes', preferNot] })]))).toContainEqual(expect.stringMatching(/^s\.json\|a\|choice "yes" has no en\/nb text/))
    expect(problems(definition([radio('a'), radio('a')]))).toContainEqual('s.json|a|the question name is used more than once')
  })

  it('refuses free text not listed under freeText, and freeText naming a choice question', () => {
    const comment = { type: 'comment', name: 'c', title: text('C', 'C') }
    expect(problems(definition([comment]))).toContainEqual(expect.stringMatching(/^s\.json\|c\|a comment question is free text/))
    expect(checkDefinition(definition([comment], {}, { freeText: ['c'] }))).toEqual([])
    expect(problems(definition([radio('a')], {}, { freeText: ['a'] }))).toContainEqual(expect.stringMatching(/^i\.json\|a\|freeText lists/))
  })

  it('exempts booleans from prefer_not but needs string codes to use one in an indicator', () => {
    const boolean = { type: 'boolean', name: 'b', title: text('B?', 'B?'), labelTrue: text('Yes', 'Ja'), labelFalse: text('No', 'Nei') }
    const rule = { b_yes: { label: text('B', 'B'), anyOf: [{ question: 'b', values: ['yes'] }] } }
    expect(checkDefinition(definition([boolean]))).toEqual([])
    expect(problems(definition([boolean], rule))).toContainEqual(expect.stringMatching(/^i\.json\|b\|.*boolean without string valueTrue/))
    expect(checkDefinition(definition([{ ...boolean, valueTrue: 'yes', valueFalse: 'no' }], rule))).toEqual([])
  })

  it('checks the indicator map: schema, unknown questions, missing-value codes, dimensions', () => {
    const rule = (question: string, values: string[]): IndicatorMap['indicators'] => ({ x: { label: text('X', 'X'), anyOf: [{ question, values }] } })
    expect(problems(definition([radio('a')], rule('nope', ['yes'])))).toContainEqual('i.json|nope|indicator "x" names a question that does not exist')
    expect(problems(definition([radio('a')], rule('a', ['prefer_not'])))).toContainEqual(expect.stringMatching(/^i\.json\|a\|.*missing-value code/))
    expect(problems(definition([radio('a')], {}, { missingValues: [] }))).toContainEqual('i.json||missingValues must include "prefer_not"')
    expect(problems(definition([radio('a')], {}, { dimensions: { gender: { question: 'a', values: ['woman'] } } }))).toContainEqual(expect.stringMatching(/^i\.json\|a\|dimension "gender" uses "woman"/))
    const badMap = definition([radio('a')])
    Object.assign(badMap.indicatorMap.indicators, { 'Bad-Name': { label: { en: 'x' }, anyOf: [] } })
    expect(problems(badMap)).toContainEqual(expect.stringMatching(/^i\.json\|\|does not match the indicator map schema/))
  })

  it('reports skip logic that survey-core cannot run or that names unknown questions or choices', () => {
    expect(problems(definition([radio('a'), radio('b', { visibleIf: '{zz} = \'yes\'' })]))).toContainEqual(expect.stringMatching(/^s\.json\|b\|survey-core lint reference\/unknown/))
    expect(problems(definition([radio('a'), radio('b', { visibleIf: '{a} = \'yess\'' })]))).toContainEqual(expect.stringMatching(/^s\.json\|b\|survey-core lint expression\/unknown-choice/))
    expect(problems(definition([radio('a'), radio('b', { visibleIf: '{a} = ' })]))).toContainEqual(expect.stringMatching(/^s\.json\|b\|survey-core lint expression\/syntax/))
  })

  it('needs clearInvisibleValues "onHidden"', () => {
    const def = definition([radio('a')])
    delete def.survey.clearInvisibleValues
    expect(problems(def)).toContainEqual(expect.stringMatching(/^s\.json\|\|clearInvisibleValues must be "onHidden"/))
  })
})

describe('loadDefinitions', () => {
  it('throws an error naming a missing partner file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prevalens-definitions-'))
    try {
      mkdirSync(join(dir, 'lonely'))
      writeFileSync(join(dir, 'lonely', 'v1.survey.json'), '{}')
      const missing = join(dir, 'lonely', 'v1.indicators.json')
      expect(() => loadDefinitions(dir)).toThrow(DefinitionLoadError)
      expect(() => loadDefinitions(dir)).toThrow(missing)
      expect(checkDefinitionsDir(dir).problems).toContainEqual({ file: missing, problem: expect.stringMatching(/missing/) })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('npm run definitions:check', () => {
  const run = (...args: string[]): { status: number | null, output: string } => {
    const result = spawnSync('npx', ['tsx', 'api/cli/definitions-check.ts', ...args], { cwd: root, encoding: 'utf8' })
    return { status: result.status, output: `${result.stdout}${result.stderr}` }
  }

  it('exits 1 on the broken fixtures, naming file and question', () => {
    const { status, output } = run('--dir', 'test/fixtures/definitions-broken')
    expect(status).toBe(1)
    expect(output).toContain('test/fixtures/definitions-broken/missing-nb/v1.survey.json: question pushed_ever: title has no nb text')
    expect(output).toContain('unknown-choice/v1.indicators.json: question pushed_ever:')
  }, 60_000)

  it('exits 0 on the shipped definitions', () => {
    const { status, output } = run()
    expect(output).toMatch(/^OK hverdag v1 \(\d+ questions, \d+ indicators\)$/m)
    expect(status).toBe(0)
  }, 60_000)
})

describe('the help resources', () => {
  it('are valid as shipped, and a broken file is refused by name', () => {
    const resources = loadHelpResources()
    expect(helpResourcesProblems(resources)).toEqual([])
    const broken = {
      ...resources,
      lines: [{ ...resources.lines[0]!, checked: '2026-02-30' }],
      crisisCentres: [{ ...resources.crisisCentres[0]!, county: '99' }],
    }
    expect(helpResourcesProblems(broken)).toEqual(['/lines/0/checked: 2026-02-30 is not a date', '/crisisCentres/0/county: 99 is not in counties'])
    expect(helpResourcesProblems({ ...resources, note: { nb: 'x' } })[0]).toMatch(/^\/note/)
    const dir = mkdtempSync(join(tmpdir(), 'prevalens-help-'))
    try {
      writeFileSync(join(dir, 'help-resources.json'), JSON.stringify(broken))
      expect(checkDefinitionsDir(dir).problems).toContainEqual({ file: join(dir, 'help-resources.json'), problem: '/crisisCentres/0/county: 99 is not in counties' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
