// npx tsx test/bench/validate.ts [responses]
// µs per response for validate + deriveFacts of the compiled survey, against survey-core's reused Model
// (clear(), data =, validate()) on the same random hverdag v1 responses. Not a test: numbers vary by machine.
//
// The compiled survey caches condition results by the answers they read, so every measured pass runs on
// responses it has not seen (as intake does); a pass over the same responses again would flatter it.
import { Model } from 'survey-core'
import { compileSurvey } from '../../api/intake/compile-survey.js'
import type { CompiledSurvey } from '../../api/intake/compile-survey.js'
import { mutateAnswers, randomAnswers } from '../../api/synthetic/random-answers.js'
import { mulberry32 } from '../../api/synthetic/rng.js'
import { loadDefinitions } from '../../survey-definitions/index.js'

const count = Number(process.argv[2] ?? 2000)
const rounds = 5
const def = loadDefinitions().find((d) => d.slug === 'hverdag' && d.version === 1)
if (def === undefined) throw new Error('hverdag v1 is not shipped')

const started = performance.now()
const compiled = compileSurvey(def)
const compileMs = performance.now() - started

type Answers = Record<string, unknown>
const rng = mulberry32(2024)
const batch = (): Answers[] => Array.from({ length: count }, () => randomAnswers(compiled, rng))
const measured = batch()
// Fresh responses for every pass of every variant.
const generating = performance.now()
const fresh = Array.from({ length: 4 * rounds + 1 }, batch)
const generateUs = (performance.now() - generating) * 1000 / (count * fresh.length)
const mixed = batch().map((answers, i) => (i % 4 === 0 ? mutateAnswers(compiled, answers, rng).answers : answers))

let sink = 0
const time = (responses: Answers[], run: (answers: Answers) => void): number => {
  const start = performance.now()
  for (const answers of responses) run(answers)
  return (performance.now() - start) * 1000 / responses.length
}
/** Best of `rounds` passes, each over responses not seen before, in µs per response. */
const best = (run: (answers: Answers) => void): number => Math.min(...Array.from({ length: rounds }, () => time(fresh.pop() ?? measured, run)))

const both = (survey: CompiledSurvey) => (answers: Answers): void => {
  if (survey.validate(answers) === null) sink += Object.keys(survey.deriveFacts(answers).indicators).length
}
// The very first responses a new process sees: empty result cache, code not yet optimised.
const coldUs = time(measured, both(compileSurvey(def)))
const compiledBoth = best(both(compiled))
const compiledShared = best((answers) => { sink += compiled.validateAndDerive(answers).problem === null ? 1 : 0 })
const validateOnly = best((answers) => { sink += compiled.validate(answers) === null ? 1 : 0 })
const mixedUs = time(mixed, (answers) => { sink += compiled.validate(answers) === null ? 1 : 0 })

const model = new Model(def.survey)
const surveyCore = Math.min(...[0, 1].map(() => time(measured, (answers) => {
  model.clear()
  model.data = answers
  sink += model.validate(false) ? 1 : 0
})))

const row = (label: string, us: number): string => `${label.padEnd(60)}${us.toFixed(1).padStart(9)} µs ${Math.round(1e6 / us).toLocaleString('en').padStart(9)}/s`
console.log(`hverdag v1: ${compiled.questionNames.length} questions, ${compiled.indicatorNames.length} indicators; passes of ${count} random valid responses`)
console.log(`compileSurvey (once per version): ${compileMs.toFixed(1)} ms`)
console.log(row('compiled validate() + deriveFacts(), first pass of a new process', coldUs))
console.log(row('compiled validate() + deriveFacts()', compiledBoth))
console.log(row('compiled validateAndDerive() (skip logic evaluated once)', compiledShared))
console.log(row('compiled validate() alone', validateOnly))
console.log(row('compiled validate(), 1 in 4 responses with a defect', mixedUs))
console.log(row('survey-core reused Model: clear(), data =, validate()', surveyCore))
console.log(row('randomAnswers() (a valid response, for the seeder)', generateUs))
console.log(`validate() + deriveFacts() is ${(surveyCore / compiledBoth).toFixed(0)}× faster than the reused Model`)
if (sink < 0) console.log(sink)
