import { describe, expect, it } from 'vitest'
import { compileSurvey } from '../../../api/intake/compile-survey.js'
import type { Facts } from '../../../api/intake/types.js'
import { featureMap, featureSurvey, hverdag, violenceTypes } from './fixtures.js'

const compiled = compileSurvey(hverdag())

/** Facts of answers that must first pass validation, as intake does. */
function facts (answers: Record<string, unknown>): Facts {
  const result = compiled.validateAndDerive(answers)
  if (result.problem !== null) throw new Error(`test answers are invalid: ${result.problem.message}`)
  expect(compiled.deriveFacts(answers)).toEqual(result.facts)
  return result.facts
}

/** Every `<type>_ever` answered with `value`, except those given in `rest`. */
function allEver (value: string, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...Object.fromEntries(violenceTypes.map((type) => [`${type}_ever`, value])), ...rest }
}

describe('deriveFacts on hverdag v1, worked by hand', () => {
  it('a gate answered "no" gives no for the follow-up periods', () => {
    const { indicators } = facts({ pushed_ever: 'no' })
    expect([indicators.pushed_ever, indicators.pushed_12m, indicators.pushed_1m]).toEqual([false, false, false])
  })

  it('"yes" ever and "no" in the last 12 months gives no for the last month', () => {
    const { indicators } = facts({ pushed_ever: 'several', pushed_12m: 'no' })
    expect([indicators.pushed_ever, indicators.pushed_12m, indicators.pushed_1m]).toEqual([true, false, false])
  })

  it('prefer_not gives missing, and ever = prefer_not makes 12m and 1m missing', () => {
    const { indicators } = facts({ pushed_ever: 'prefer_not' })
    expect([indicators.pushed_ever, indicators.pushed_12m, indicators.pushed_1m]).toEqual([null, null, null])
    expect(facts({ pushed_ever: 'once', pushed_12m: 'once', pushed_1m: 'prefer_not' }).indicators.pushed_1m).toBeNull()
  })

  it('a skipped question gives missing, and so do the questions it gates', () => {
    const { indicators } = facts({})
    expect(Object.values(indicators).every((value) => value === null)).toBe(true)
    // Shown (ever = once) but skipped: 12m missing; 1m hidden behind a missing answer: missing.
    const gated = facts({ pushed_ever: 'once' }).indicators
    expect([gated.pushed_ever, gated.pushed_12m, gated.pushed_1m]).toEqual([true, null, null])
  })

  it('"once" and "several" are both yes; repeated_* is yes for "several" only', () => {
    expect(facts({ kicked_ever: 'once' }).indicators.kicked_ever).toBe(true)
    expect(facts(allEver('no', { kicked_ever: 'once' })).indicators.repeated_ever).toBe(false)
    expect(facts(allEver('no', { kicked_ever: 'several' })).indicators.repeated_ever).toBe(true)
  })

  it('any_violence is yes when one type is yes, whatever the others are', () => {
    const { indicators } = facts(allEver('no', { kicked_ever: 'once', raped_ever: 'prefer_not' }))
    expect(indicators.any_violence_ever).toBe(true)
    expect(indicators.any_physical_ever).toBe(true)
    // raped_ever missing, forced_sexual_ever no: missing, not no.
    expect(indicators.any_sexual_ever).toBeNull()
    const oneSkipped = allEver('no')
    delete oneSkipped.kicked_ever
    expect(facts(oneSkipped).indicators.any_violence_ever).toBeNull()
  })

  it('with no violence at all, any_violence and every follow-up (perpetrator, consequences, periods) are no', () => {
    const { indicators } = facts(allEver('no'))
    for (const name of ['any_violence_ever', 'any_violence_12m', 'any_violence_1m', 'perpetrator_partner', 'perpetrator_stranger', 'injured', 'hospital', 'raped_1m']) {
      expect(indicators[name], name).toBe(false)
    }
  })

  it('perpetrator_partner is missing when one _ever is skipped and the rest are no', () => {
    const answers = allEver('no')
    delete answers.hit_object_ever
    const { indicators } = facts(answers)
    expect(indicators.perpetrator_partner).toBeNull()
    expect(indicators.injured).toBeNull()
    expect(indicators.any_violence_ever).toBeNull()
    expect(indicators.pushed_12m).toBe(false)
  })

  it('the perpetrator checkbox: a chosen value is yes, another no, prefer_not or skipped missing', () => {
    const shown = allEver('no', { kicked_ever: 'once' })
    const chosen = facts({ ...shown, perpetrator: ['family', 'co_user'] }).indicators
    expect([chosen.perpetrator_family, chosen.perpetrator_co_user, chosen.perpetrator_partner]).toEqual([true, true, false])
    expect(facts({ ...shown, perpetrator: ['prefer_not'] }).indicators.perpetrator_partner).toBeNull()
    expect(facts(shown).indicators.perpetrator_partner).toBeNull()
  })

  it('a gate two levels up: crisis centre outcome follows sought_crisis_centre', () => {
    expect(facts({ sought_crisis_centre: 'no' }).indicators.turned_away_crisis_centre).toBe(false)
    expect(facts({ sought_crisis_centre: 'prefer_not' }).indicators.turned_away_crisis_centre).toBeNull()
    expect(facts({ sought_crisis_centre: 'yes' }).indicators.turned_away_crisis_centre).toBeNull()
    expect(facts({ sought_crisis_centre: 'yes', crisis_centre_outcome: 'got_place' }).indicators.turned_away_crisis_centre).toBe(false)
    expect(facts({ sought_crisis_centre: 'yes', crisis_centre_outcome: 'turned_away' }).indicators.turned_away_crisis_centre).toBe(true)
  })

  it('dimensions: the answer when it is one of the values, null for prefer_not or no answer', () => {
    expect(facts({ gender: 'woman', age_group: '25_34' }).dimensions).toEqual({ gender: 'woman', age_group: '25_34' })
    expect(facts({ gender: 'prefer_not', age_group: 'prefer_not' }).dimensions).toEqual({ gender: null, age_group: null })
    expect(facts({}).dimensions).toEqual({ gender: null, age_group: null })
  })

  it('lists every indicator in map order', () => {
    expect(Object.keys(facts({}).indicators)).toEqual(compiled.indicatorNames)
  })
})

describe('deriveFacts with page, panel and unusual conditions', () => {
  const features = compileSurvey({ survey: featureSurvey, indicatorMap: featureMap })
  const derive = (answers: Record<string, unknown>): Facts => {
    const result = features.validateAndDerive(answers)
    if (result.problem !== null) throw new Error(`test answers are invalid: ${result.problem.message}`)
    return result.facts
  }

  it('a question hidden by its page, panel and own visibleIf is no only when every one of them reads known answers', () => {
    // coded: ({gate} = 'yes') and ({multi} contains 'a') and ({num} > 2); num sits on the page gate hides.
    expect(derive({ gate: 'no', multi: ['b'] }).indicators.coded_yes).toBe(false)
    expect(derive({ gate: 'yes', multi: ['b'], num: 4 }).indicators.coded_yes).toBe(false)
    expect(derive({ gate: 'yes', multi: ['a'], num: 1 }).indicators.coded_yes).toBe(false)
    // The combined visibleIf reads multi, so an unanswered multi leaves it missing even though gate alone hides the page.
    expect(derive({ gate: 'no' }).indicators.coded_yes).toBeNull()
    expect(derive({ gate: 'yes', multi: ['a'] }).indicators.coded_yes).toBeNull()
    expect(derive({ gate: 'yes', multi: ['a'], num: 3, coded: 'yes' }).indicators.coded_yes).toBe(true)
  })

  it('an "or" gate: after is no only when both coded and follow are known', () => {
    expect(derive({ gate: 'no', multi: ['c'] }).indicators.after_p).toBe(false)
    expect(derive({ gate: 'yes', follow: 'b', multi: ['a'], num: 1 }).indicators.after_p).toBe(false)
    expect(derive({ gate: 'yes', follow: 'b', multi: ['a'], num: 3 }).indicators.after_p).toBeNull()
    expect(derive({ gate: 'yes', follow: 'a', after: ['p', 'q'] }).indicators.after_p).toBe(true)
  })

  it('visible: false without a visibleIf is never shown, so no; with one, the visibleIf decides', () => {
    expect(derive({}).indicators.never_x).toBe(false)
    expect(derive({ gate: 'yes', multi: ['a'], flag: false }).indicators.overridden_x).toBe(false)
    expect(derive({ gate: 'yes', multi: ['a'], flag: true }).indicators.overridden_x).toBeNull()
    expect(derive({ gate: 'yes', multi: ['a'], flag: true, overridden: 'x' }).indicators.overridden_x).toBe(true)
  })

  it('a question whose visibleIf reads itself is missing while hidden (the cycle is not known), yes when answered', () => {
    expect(derive({}).indicators.selfref_x).toBeNull()
    expect(derive({ selfref: 'x' }).indicators.selfref_x).toBe(true)
  })

  it('a boolean with valueTrue/valueFalse codes gives its code as a dimension', () => {
    expect(derive({ gate: 'yes', multi: ['a'], num: 3, coded: 'no' }).dimensions).toEqual({ coded: 'no' })
    expect(derive({}).dimensions).toEqual({ coded: null })
  })
})
