import { ConditionRunner } from 'survey-core'
import { describe, expect, it } from 'vitest'
import { compileSurvey, UnsupportedSurveyError } from '../../../api/intake/compile-survey.js'
import type { JsonObject } from '../../../survey-definitions/index.js'
import type { IndicatorMap } from '../../../survey-definitions/indicator-map.js'
import { featureMap, featureSurvey, hverdag } from './fixtures.js'
import { SurveyCoreOracle } from './oracle.js'

const emptyMap: IndicatorMap = { missingValues: ['prefer_not'], dimensions: {}, freeText: [], indicators: {} }

function surveyWith (elements: JsonObject[], extra: JsonObject = {}): JsonObject {
  return { clearInvisibleValues: 'onHidden', ...extra, pages: [{ name: 'p', elements }] }
}

describe('compileSurvey', () => {
  it('lists the answerable questions, indicators, dimensions and free-text questions of hverdag v1', () => {
    const def = hverdag()
    const compiled = compileSurvey(def)
    expect(compiled.questionNames).toHaveLength(56)
    expect(compiled.questionNames).not.toContain('consent_info')
    expect(compiled.questionNames.slice(0, 3)).toEqual(['gender', 'age_group', 'lives_in_municipality'])
    expect(compiled.indicatorNames).toEqual(Object.keys(def.indicatorMap.indicators))
    expect(compiled.dimensionNames).toEqual(['gender', 'age_group'])
    expect(compiled.freeTextQuestions).toEqual([])
    expect(compiled.question('substances_1m')?.exclusive).toEqual(new Set(['none', 'prefer_not']))
  })

  it('compiles a repeated visibleIf once, so it runs once per response', () => {
    const compiled = compileSurvey(hverdag())
    const ids = ['perpetrator', 'injured', 'emergency_clinic', 'hospital'].map((name) => compiled.question(name)?.conditions.map((c) => c.id))
    expect(new Set(ids.map((id) => JSON.stringify(id))).size).toBe(1)
    expect(compiled.question('injured')?.dependsOn).toHaveLength(13)
  })

  it('combines the visibleIf of the page, the panels and the question', () => {
    const compiled = compileSurvey({ survey: featureSurvey, indicatorMap: featureMap })
    const coded = compiled.question('coded')
    expect(coded?.visibleIf).toBe("({gate} = 'yes') and ({multi} contains 'a') and ({num} > 2)")
    expect(coded?.dependsOn).toEqual(['gate', 'multi', 'num'])
    expect(coded?.choices).toEqual(['yes', 'no'])
    expect(compiled.question('flag')?.choices).toEqual([true, false])
    expect(compiled.question('num')?.choices).toEqual([1, 2, 3, 4])
    expect(compiled.question('note')?.maxLength).toBe(50)
    expect(compiled.question('early')?.maxLength).toBe(2000)
    // {Gate} reads question gate: survey-core resolves names in expressions without regard to case.
    expect(compiled.question('follow')?.dependsOn).toEqual(['gate'])
    expect(compiled.freeTextQuestions).toEqual(['early', 'note'])
  })

  it('honours visible: false only where no visibleIf overrides it, as survey-core does', () => {
    const compiled = compileSurvey({ survey: featureSurvey, indicatorMap: featureMap })
    const never = compiled.question('never')
    const overridden = compiled.question('overridden')
    if (never === undefined || overridden === undefined) throw new Error('the feature survey changed')
    expect(never.neverShown).toBe(true)
    expect(overridden.neverShown).toBe(false)
    const answers = { gate: 'yes', multi: ['a'], flag: true }
    expect(compiled.isShown(never, answers)).toBe(false)
    expect(compiled.isShown(overridden, answers)).toBe(true)
    expect(new SurveyCoreOracle(featureSurvey).shownQuestions(answers).has('overridden')).toBe(true)
  })

  it('liveSkipLogic re-evaluates a condition only after an answer it reads changed', () => {
    const compiled = compileSurvey(hverdag())
    const pushed12m = compiled.question('pushed_12m')
    if (pushed12m === undefined) throw new Error('hverdag changed')
    const answers: Record<string, unknown> = {}
    const skip = compiled.liveSkipLogic(answers)
    expect(skip.shown(pushed12m)).toBe(false)
    answers.pushed_ever = 'once'
    expect(skip.shown(pushed12m)).toBe(false)
    skip.changed('pushed_ever')
    expect(skip.shown(pushed12m)).toBe(true)
    answers.pushed_ever = 'no'
    skip.changed('pushed_ever')
    expect(skip.shown(pushed12m)).toBe(false)
  })

  const radio = (name: string, extra: JsonObject = {}): JsonObject => ({ type: 'radiogroup', name, choices: ['yes', 'no', 'prefer_not'], ...extra })
  const refused: Array<[string, JsonObject, RegExp]> = [
    ['a question type the platform does not allow', surveyWith([{ type: 'rating', name: 'r' }]), /type "rating"/],
    ['valueName', surveyWith([radio('a', { valueName: 'b' })]), /valueName/],
    ['defaultValue', surveyWith([radio('a', { defaultValue: 'yes' })]), /defaultValue/],
    ['validators', surveyWith([radio('a', { validators: [{ type: 'expression', expression: 'true' }] })]), /validators/],
    ['showNoneItem', surveyWith([{ type: 'checkbox', name: 'c', choices: ['x', 'prefer_not'], showNoneItem: true }]), /showNoneItem/],
    ['a conditional choice', surveyWith([{ type: 'radiogroup', name: 'c', choices: [{ value: 'x', visibleIf: 'true' }, 'prefer_not'] }]), /conditional choices/],
    ['inputType number', surveyWith([{ type: 'text', name: 't', inputType: 'number' }]), /inputType "number"/],
    ['triggers', surveyWith([radio('a')], { triggers: [{ type: 'setvalue', expression: "{a} = 'yes'", setToName: 'a', setValue: 'no' }] }), /triggers/],
    ['a visibleIf that reads something other than a question', surveyWith([radio('a', { visibleIf: "{locale} = 'en'" })]), /reads \{locale\}/],
    ['a visibleIf that reads an html element', surveyWith([{ type: 'html', name: 'h', html: 'x' }, radio('a', { visibleIf: '{h} notempty' })]), /reads \{h\}/],
    ['a visibleIf that does not parse', surveyWith([radio('a'), radio('b', { visibleIf: "{a} = 'yes" })]), /not a valid survey-core expression/]
  ]
  for (const [what, survey, reason] of refused) {
    it(`refuses ${what} rather than disagree with survey-core`, () => {
      expect(() => compileSurvey({ survey, indicatorMap: emptyMap })).toThrow(UnsupportedSurveyError)
      expect(() => compileSurvey({ survey, indicatorMap: emptyMap })).toThrow(reason)
    })
  }

  it('refuses an indicator on a question the survey does not have', () => {
    const indicatorMap: IndicatorMap = { ...emptyMap, indicators: { x: { label: { en: 'x', nb: 'x' }, anyOf: [{ question: 'nope', values: ['yes'] }] } } }
    expect(() => compileSurvey({ survey: surveyWith([radio('a')]), indicatorMap })).toThrow(/indicator "x" names question "nope"/)
  })

  it('hverdag v1 has no question survey-core could drop on model.data (so both judge the submitted answers)', () => {
    // survey-core (clearInvisibleValues "onHidden") clears an answer when its question goes from shown to
    // hidden; on a fresh model that can only be a question whose own visibleIf holds when nothing is answered.
    for (const question of compileSurvey(hverdag()).questions) {
      const visibleIf = question.info.json.visibleIf
      if (typeof visibleIf === 'string') expect(new ConditionRunner(visibleIf).runValues({}), question.name).toBe(false)
    }
  })

  it('names a different question than survey-core where survey-core drops a hidden answer before judging (documented divergence)', () => {
    // x is shown while nothing is answered; g = "no" hides it, so survey-core drops x's answer, which hides y
    // (and drops its answer too). The compiled validator judges the answers as submitted: y is shown (x = "a")
    // and x is hidden. Both refuse the response; they name different questions.
    const survey = surveyWith([
      radio('g'),
      { type: 'radiogroup', name: 'y', visibleIf: "{x} = 'a'", choices: ['1', '2', 'prefer_not'] },
      { type: 'radiogroup', name: 'x', visibleIf: "{g} != 'no'", choices: ['a', 'b', 'prefer_not'] }
    ])
    const answers = { g: 'no', x: 'a', y: '1' }
    expect(compileSurvey({ survey, indicatorMap: emptyMap }).validate(answers)?.question).toBe('x')
    expect(new SurveyCoreOracle(survey).judge(answers)).toEqual({ valid: false, kind: 'hidden_by_skip_logic', question: 'y' })
  })
})
