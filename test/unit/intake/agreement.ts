import { expect } from 'vitest'
import type { CompiledSurvey } from '../../../api/intake/compile-survey.js'
import { mutateAnswers, randomAnswers } from '../../../api/synthetic/random-answers.js'
import type { Rng } from '../../../api/synthetic/rng.js'
import { garbageAnswers } from './fixtures.js'
import { kindOf } from './oracle.js'
import type { SurveyCoreOracle } from './oracle.js'

export type Source = 'valid' | 'mutated' | 'garbage'

export interface Case {
  source: Source
  answers: unknown
}

/** Valid responses from randomAnswers, one-defect ones from mutateAnswers, and garbage. */
export function cases (compiled: CompiledSurvey, rng: Rng, counts: Record<Source, number>): Case[] {
  const list: Case[] = []
  for (let i = 0; i < counts.valid; i++) list.push({ source: 'valid', answers: randomAnswers(compiled, rng, { skipProbability: rng() * 0.3 }) })
  for (let i = 0; i < counts.mutated; i++) list.push({ source: 'mutated', answers: mutateAnswers(compiled, randomAnswers(compiled, rng), rng).answers })
  for (let i = 0; i < counts.garbage; i++) list.push({ source: 'garbage', answers: garbageAnswers(compiled, rng) })
  return list
}

/**
 * Asserts that the compiled validator and survey-core's model give the same verdict (valid or not) and
 * name the same question for every case; returns how often each problem code came up.
 */
export function assertAgreement (compiled: CompiledSurvey, oracle: SurveyCoreOracle, list: Case[]): Record<string, number> {
  const tally: Record<string, number> = {}
  for (const { source, answers } of list) {
    const problem = compiled.validate(answers)
    const verdict = oracle.judge(answers)
    const context = `${source} response ${JSON.stringify(answers)}: compiled ${JSON.stringify(problem)}, survey-core ${JSON.stringify(verdict)}`
    if (verdict.valid) {
      expect(problem, context).toBeNull()
      expect(verdict.surveyCoreValidates, context).toBe(true)
    } else {
      expect(problem, context).not.toBeNull()
      expect(problem?.question, context).toBe(verdict.question)
      expect(problem === null ? undefined : kindOf(problem.code), context).toBe(verdict.kind)
    }
    if (source === 'valid') expect(problem, context).toBeNull()
    if (source === 'mutated') expect(problem, context).not.toBeNull()
    const key = problem === null ? 'valid' : problem.code
    tally[key] = (tally[key] ?? 0) + 1
  }
  return tally
}

/** Asserts that isShown() gives survey-core's visibility for well-formed answers (hidden ones included). */
export function assertSameVisibility (compiled: CompiledSurvey, oracle: SurveyCoreOracle, rng: Rng, responses: number): void {
  let checked = 0
  for (let i = 0; i < responses * 20 && checked < responses; i++) {
    // Ill-formed answers never reach skip logic, and survey-core would coerce them first (a checkbox's "a"
    // into ["a"], where the runner sees the string), so only well-formed ones are compared.
    const answers = garbageAnswers(compiled, rng)
    const problem = compiled.validate(answers)
    if (problem !== null && problem.code !== 'hidden_by_skip_logic') continue
    const given = answers as Record<string, unknown>
    const shown = oracle.shownQuestions(given)
    for (const question of compiled.questions) {
      expect(compiled.isShown(question, given), `${question.name} for ${JSON.stringify(answers)}`).toBe(shown.has(question.name))
    }
    checked++
  }
  expect(checked).toBe(responses)
}

export const everyCode = ['valid', 'unknown_question', 'wrong_type', 'not_a_choice', 'duplicate_choice', 'exclusive_choice_combined', 'hidden_by_skip_logic']
