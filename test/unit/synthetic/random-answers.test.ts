import { describe, expect, it } from 'vitest'
import { compileSurvey } from '../../../api/intake/compile-survey.js'
import { mutateAnswers, randomAnswers } from '../../../api/synthetic/random-answers.js'
import type { DefectKind } from '../../../api/synthetic/random-answers.js'
import { mulberry32, randomInt, weightedIndex } from '../../../api/synthetic/rng.js'
import { featureMap, featureSurvey, hverdag, violenceTypes } from '../intake/fixtures.js'

const compiled = compileSurvey(hverdag())
const features = compileSurvey({ survey: featureSurvey, indicatorMap: featureMap })

describe('mulberry32', () => {
  it('is deterministic for a seed, differs between seeds, and stays in [0, 1)', () => {
    const a = mulberry32(42)
    const b = mulberry32(42)
    const first = Array.from({ length: 1000 }, () => a())
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first)
    expect(mulberry32(43)()).not.toBe(first[0])
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true)
    const mean = first.reduce((sum, x) => sum + x, 0) / first.length
    expect(mean).toBeGreaterThan(0.45)
    expect(mean).toBeLessThan(0.55)
  })

  it('weightedIndex draws by weight and never picks a zero weight; randomInt stays in range', () => {
    const rng = mulberry32(1)
    const counts = [0, 0, 0]
    for (let i = 0; i < 3000; i++) counts[weightedIndex(rng, [1, 0, 3])]! += 1
    expect(counts[1]).toBe(0)
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.5)
    expect(weightedIndex(rng, [0, 0])).toBe(-1)
    expect(weightedIndex(rng, [])).toBe(-1)
    for (let i = 0; i < 100; i++) expect(randomInt(rng, 3)).toBeLessThan(3)
  })
})

describe('randomAnswers', () => {
  it('is deterministic for a seeded rng', () => {
    expect(randomAnswers(compiled, mulberry32(5))).toEqual(randomAnswers(compiled, mulberry32(5)))
    expect(randomAnswers(compiled, mulberry32(5))).not.toEqual(randomAnswers(compiled, mulberry32(6)))
  })

  it('gives valid responses that respect skip logic, on both surveys', () => {
    const rng = mulberry32(11)
    for (const survey of [compiled, features]) {
      for (let i = 0; i < 300; i++) expect(survey.validate(randomAnswers(survey, rng))).toBeNull()
    }
  })

  it('answers every shown question when nothing is skipped, and follows the gates', () => {
    const rng = mulberry32(3)
    for (let i = 0; i < 50; i++) {
      const answers = randomAnswers(compiled, rng, { skipProbability: 0, missingProbability: 0 })
      for (const question of compiled.questions) {
        expect(Object.hasOwn(answers, question.name), question.name).toBe(compiled.isShown(question, answers))
      }
      expect(Object.values(answers).flat()).not.toContain('prefer_not')
    }
  })

  it('lets the caller bias choices by weight, and always skip or always say prefer_not', () => {
    const rng = mulberry32(8)
    const noViolence = randomAnswers(compiled, rng, { skipProbability: 0, missingProbability: 0, weight: (question, choice) => question.name.endsWith('_ever') && choice !== 'no' ? 0 : 1 })
    const followUps = ['perpetrator', 'injured', ...violenceTypes.flatMap((type) => [`${type}_12m`, `${type}_1m`])]
    expect(Object.keys(noViolence).filter((name) => followUps.includes(name))).toEqual([])
    expect(noViolence.pushed_ever).toBe('no')
    const allYes = randomAnswers(compiled, rng, { skipProbability: 0, missingProbability: 0, weight: (question, choice) => choice === 'several' || !question.name.endsWith('_ever') ? 1 : 0 })
    expect(allYes.perpetrator).toBeDefined()
    expect(allYes.raped_12m).toBeDefined()
    expect(randomAnswers(compiled, rng, { skipProbability: 1 })).toEqual({})
    const refusing = randomAnswers(compiled, rng, { skipProbability: 0, missingProbability: 1 })
    expect(refusing.gender).toBe('prefer_not')
    expect(refusing.substances_1m).toEqual(['prefer_not'])
    expect(compiled.validate(refusing)).toBeNull()
  })

  it('never combines an exclusive checkbox choice with another', () => {
    const rng = mulberry32(21)
    for (let i = 0; i < 300; i++) {
      const { substances_1m: chosen } = randomAnswers(compiled, rng, { extraChoiceProbability: 0.9 })
      if (Array.isArray(chosen) && chosen.length > 1) expect(chosen).not.toContain('none')
    }
  })
})

describe('mutateAnswers', () => {
  const kinds: DefectKind[] = ['unknown_question', 'wrong_type', 'not_a_choice', 'duplicate_choice', 'exclusive_choice_combined', 'hidden_by_skip_logic']
  for (const kind of kinds) {
    it(`introduces exactly one ${kind} defect, which validate() reports`, () => {
      const rng = mulberry32(kinds.indexOf(kind) + 100)
      for (let i = 0; i < 100; i++) {
        const valid = randomAnswers(compiled, rng)
        const mutation = mutateAnswers(compiled, valid, rng, kind)
        expect(mutation.defect).toBe(kind)
        const problem = compiled.validate(mutation.answers)
        expect(problem?.code, JSON.stringify(mutation)).toBe(kind)
        expect(problem?.question).toBe(mutation.question)
        // The original is left as it was.
        expect(compiled.validate(valid)).toBeNull()
      }
    })
  }

  it('draws the kind at random when none is asked for', () => {
    const rng = mulberry32(1)
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) seen.add(mutateAnswers(compiled, randomAnswers(compiled, rng), rng).defect)
    expect([...seen].sort()).toEqual([...kinds].sort())
  })
})
