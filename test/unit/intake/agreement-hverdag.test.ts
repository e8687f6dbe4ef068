import { describe, expect, it } from 'vitest'
import { compileSurvey } from '../../../api/intake/compile-survey.js'
import { mulberry32 } from '../../../api/synthetic/rng.js'
import { assertAgreement, assertSameVisibility, cases, everyCode } from './agreement.js'
import { hverdag } from './fixtures.js'
import { SurveyCoreOracle } from './oracle.js'

// survey-core's model costs about 10 ms a response here, hence the long timeouts.
describe('on hverdag v1, the compiled validator agrees with survey-core\'s full model', () => {
  const def = hverdag()
  const compiled = compileSurvey(def)
  const oracle = new SurveyCoreOracle(def.survey)

  it('on 1,500 random responses: valid, with one defect, and garbage', { timeout: 120_000 }, () => {
    const tally = assertAgreement(compiled, oracle, cases(compiled, mulberry32(20240611), { valid: 500, mutated: 500, garbage: 500 }))
    for (const code of everyCode) expect(tally[code] ?? 0, `${code} in ${JSON.stringify(tally)}`).toBeGreaterThan(10)
  })

  it('on which questions skip logic shows, for 100 sets of well-formed answers', { timeout: 60_000 }, () => {
    assertSameVisibility(compiled, oracle, mulberry32(99), 100)
  })

  it('with the reused model (clear() before data =) judging as a fresh Model per response', { timeout: 60_000 }, () => {
    for (const { answers } of cases(compiled, mulberry32(7), { valid: 10, mutated: 10, garbage: 20 })) {
      expect(oracle.judge(answers)).toEqual(oracle.judge(answers, true))
    }
  })
})
