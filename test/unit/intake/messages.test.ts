import { describe, expect, it } from 'vitest'
import { compileSurvey } from '../../../api/intake/compile-survey.js'
import type { AnswerProblemCode } from '../../../api/intake/types.js'
import { featureMap, featureSurvey, hverdag } from './fixtures.js'

const compiled = compileSurvey(hverdag())
const features = compileSurvey({ survey: featureSurvey, indicatorMap: featureMap })

describe('validate() names the problem and the question', () => {
  it('accepts a plain valid response and an empty one', () => {
    expect(compiled.validate({})).toBeNull()
    expect(compiled.validate({ gender: 'woman', pushed_ever: 'once', pushed_12m: 'no', substances_1m: ['alcohol', 'heroin'] })).toBeNull()
  })

  it('gives the messages of the brief word for word', () => {
    expect(compiled.validate({ pushed_ever: 'no', pushed_12m: 'once' })).toEqual({
      code: 'hidden_by_skip_logic',
      question: 'pushed_12m',
      message: 'question "pushed_12m" was hidden by skip logic ({pushed_ever} anyof [\'once\', \'several\']) but has an answer'
    })
    expect(compiled.validate({ gender: 'womn' })).toEqual({
      code: 'not_a_choice',
      question: 'gender',
      message: 'question "gender": "womn" is not one of its choices (woman, man, other, prefer_not)'
    })
  })

  const cases: Array<[AnswerProblemCode, unknown, string | undefined, RegExp]> = [
    ['not_an_object', ['gender', 'woman'], undefined, /the answers must be an object .* not an array/],
    ['not_an_object', null, undefined, /not null/],
    ['not_an_object', 'gender=woman', undefined, /not a string/],
    ['unknown_question', { gender: 'woman', sexuality: 'x' }, 'sexuality', /^question "sexuality" is not in this survey version$/],
    ['unknown_question', { Gender: 'woman' }, 'Gender', /^question "Gender" is not in this survey version$/],
    ['unknown_question', JSON.parse('{"__proto__": "x"}'), '__proto__', /^question "__proto__" is not in this survey version$/],
    ['unknown_question', { consent_info: 'read' }, 'consent_info', /^question "consent_info" is an html element and takes no answer$/],
    ['wrong_type', { gender: 1 }, 'gender', /^question "gender" takes one of its choices as a string, not a number$/],
    ['wrong_type', { gender: ['woman'] }, 'gender', /not an array/],
    ['wrong_type', { gender: null }, 'gender', /not null/],
    ['wrong_type', { substances_1m: 'alcohol' }, 'substances_1m', /^question "substances_1m" takes an array of its choices, not a string$/],
    ['wrong_type', { substances_1m: [] }, 'substances_1m', /^question "substances_1m" has an empty array of choices \(leave the question out to skip it\)$/],
    ['wrong_type', { substances_1m: ['alcohol', 7] }, 'substances_1m', /takes one of its choices as a string, not a number/],
    ['not_a_choice', { substances_1m: ['alcohol', 'Heroin'] }, 'substances_1m', /^question "substances_1m": "Heroin" is not one of its choices \(alcohol, cannabis, .*, none, prefer_not\)$/],
    ['duplicate_choice', { substances_1m: ['alcohol', 'heroin', 'alcohol'] }, 'substances_1m', /^question "substances_1m": "alcohol" is chosen more than once$/],
    ['exclusive_choice_combined', { substances_1m: ['alcohol', 'none'] }, 'substances_1m', /^question "substances_1m": "none" excludes every other choice but is combined with "alcohol"$/],
    ['exclusive_choice_combined', { current_services: ['prefer_not', 'lar'] }, 'current_services', /"prefer_not" excludes every other choice/],
    ['hidden_by_skip_logic', { sought_crisis_centre: 'no', crisis_centre_outcome: 'turned_away' }, 'crisis_centre_outcome', /^question "crisis_centre_outcome" was hidden by skip logic \(\{sought_crisis_centre\} = 'yes'\) but has an answer$/],
    ['hidden_by_skip_logic', { perpetrator: ['partner'] }, 'perpetrator', /^question "perpetrator" was hidden by skip logic \(\{pushed_ever\} anyof .* or \{psychological_ever\} anyof \['once', 'several'\]\) but has an answer$/]
  ]
  for (const [code, answers, question, message] of cases) {
    it(`${code}: ${JSON.stringify(answers)}`, () => {
      const problem = compiled.validate(answers)
      expect(problem?.code).toBe(code)
      expect(problem?.question).toBe(question)
      expect(problem?.message).toMatch(message)
      if (question !== undefined) expect(problem?.message).toContain(`"${question}"`)
    })
  }

  const featureCases: Array<[AnswerProblemCode, unknown, string, RegExp]> = [
    ['wrong_type', { gate: 'yes', num: '3' }, 'num', /^question "num" takes one of its choices as a number, not a string$/],
    ['not_a_choice', { gate: 'yes', num: 5 }, 'num', /^question "num": 5 is not one of its choices \(1, 2, 3, 4\)$/],
    ['wrong_type', { gate: 'yes', multi: ['a'], flag: 'true' }, 'flag', /^question "flag" takes true or false, not a string$/],
    ['not_a_choice', { coded: 'maybe' }, 'coded', /^question "coded": "maybe" is not one of its choices \(yes, no\)$/],
    ['wrong_type', { coded: true }, 'coded', /takes one of its choices as a string, not a boolean/],
    ['wrong_type', { late: 'show', early: 42 }, 'early', /^question "early" takes a string, not a number$/],
    // Free text is never echoed, only measured.
    ['wrong_type', { note: 'secret '.repeat(10) }, 'note', /^question "note": the answer is 70 characters long, at most 50 are accepted$/],
    ['wrong_type', { late: 'show', early: 'x'.repeat(2001) }, 'early', /the answer is 2001 characters long, at most 2000 are accepted/],
    ['hidden_by_skip_logic', { gate: 'no', multi: ['a'], flag: true }, 'flag', /^question "flag" was hidden by skip logic \(\(\{gate\} = 'yes'\) and \(\{multi\} contains 'a'\)\) but has an answer$/],
    ['hidden_by_skip_logic', { never: 'x' }, 'never', /^question "never" was hidden by skip logic \(\(visible: false\) and \(\{gate\} = 'yes'\)\) but has an answer$/]
  ]
  for (const [code, answers, question, message] of featureCases) {
    it(`${code} on the feature survey: ${JSON.stringify(answers).slice(0, 80)}`, () => {
      const problem = features.validate(answers)
      expect(problem?.code).toBe(code)
      expect(problem?.question).toBe(question)
      expect(problem?.message).toMatch(message)
    })
  }

  it('reports the first problem: answers on their own in the order given, then skip logic in survey order', () => {
    expect(compiled.validate({ pushed_12m: 'once', gender: 'x', bogus: 1 })?.question).toBe('gender')
    expect(compiled.validate({ bogus: 1, gender: 'x' })?.question).toBe('bogus')
    expect(compiled.validate({ pushed_1m: 'once', pushed_12m: 'once' })?.question).toBe('pushed_12m')
    expect(compiled.validate({ pushed_1m: 'once', pushed_12m: 'once' })?.message).toContain('{pushed_ever}')
  })

  it('does not echo a long value in full', () => {
    const problem = compiled.validate({ gender: 'w'.repeat(500) })
    expect(problem?.code).toBe('not_a_choice')
    expect(problem?.message.length).toBeLessThan(200)
  })
})
