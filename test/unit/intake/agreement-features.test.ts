import { describe, expect, it } from 'vitest'
import { compileSurvey } from '../../../api/intake/compile-survey.js'
import { mulberry32 } from '../../../api/synthetic/rng.js'
import { assertAgreement, assertSameVisibility, cases, everyCode } from './agreement.js'
import { featureMap, featureSurvey } from './fixtures.js'
import { SurveyCoreOracle } from './oracle.js'

describe('on a survey using panels, page conditions, booleans, numbers and text, the compiled validator agrees with survey-core', () => {
  const compiled = compileSurvey({ survey: featureSurvey, indicatorMap: featureMap })
  const oracle = new SurveyCoreOracle(featureSurvey)

  it('on 1,200 random responses: valid, with one defect, and garbage', { timeout: 120_000 }, () => {
    const tally = assertAgreement(compiled, oracle, cases(compiled, mulberry32(424242), { valid: 300, mutated: 400, garbage: 500 }))
    for (const code of everyCode) expect(tally[code] ?? 0, `${code} in ${JSON.stringify(tally)}`).toBeGreaterThan(10)
  })

  it('on which questions skip logic shows, for 300 sets of well-formed answers', { timeout: 60_000 }, () => {
    assertSameVisibility(compiled, oracle, mulberry32(5), 300)
  })
})
