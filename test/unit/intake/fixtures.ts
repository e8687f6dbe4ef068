import { loadDefinitions } from '../../../survey-definitions/index.js'
import type { JsonObject, SurveyDefinition } from '../../../survey-definitions/index.js'
import type { IndicatorMap } from '../../../survey-definitions/indicator-map.js'
import { randomValue } from '../../../api/synthetic/random-answers.js'
import { randomInt, randomItem } from '../../../api/synthetic/rng.js'
import type { Rng } from '../../../api/synthetic/rng.js'
import type { CompiledSurvey } from '../../../api/intake/types.js'

export function hverdag (): SurveyDefinition {
  const def = loadDefinitions().find((d) => d.slug === 'hverdag' && d.version === 1)
  if (def === undefined) throw new Error('hverdag v1 is not shipped')
  return def
}

export const violenceTypes = [
  'pushed', 'hair_pulled', 'grabbed_throat', 'strangled', 'hit_fist', 'kicked', 'hit_object',
  'threatened_weapon', 'stabbed_cut', 'attempted_murder', 'forced_sexual', 'raped', 'psychological'
]

const text = (en: string): JsonObject => ({ en, nb: en })
const choice = (value: string | number, isExclusive = false): JsonObject =>
  isExclusive ? { value, text: text(String(value)), isExclusive } : { value, text: text(String(value)) }
const choices = (...values: Array<string | number>): JsonObject[] => values.map((value) => choice(value))

/**
 * A small survey that uses every feature the compiled validator models and the instrument does not:
 * page and nested panel visibleIf, visible: false with and without a visibleIf (which overrides it),
 * a condition on a later question, a {Name} in another case, contains / > / = true, numeric choices,
 * booleans with and without valueTrue/valueFalse, text with its own maxLength, comment, a self-reference.
 */
export const featureSurvey: JsonObject = {
  title: text('Features'),
  clearInvisibleValues: 'onHidden',
  pages: [
    {
      name: 'p1',
      elements: [
        { type: 'html', name: 'intro', html: text('<p>Hello</p>') },
        { type: 'radiogroup', name: 'gate', title: text('Gate'), choices: choices('yes', 'no', 'prefer_not') },
        { type: 'radiogroup', name: 'follow', title: text('Follow'), visibleIf: "{Gate} = 'yes'", choices: choices('a', 'b', 'prefer_not') },
        {
          type: 'checkbox',
          name: 'multi',
          title: text('Multi'),
          choices: [...choices('a', 'b', 'c'), choice('none', true), choice('prefer_not', true)]
        },
        { type: 'text', name: 'early', title: text('Early'), visibleIf: "{late} = 'show'" },
        { type: 'radiogroup', name: 'late', title: text('Late'), choices: choices('show', 'hide', 'prefer_not') },
        { type: 'radiogroup', name: 'selfref', title: text('Self'), visibleIf: "{selfref} = 'x'", choices: choices('x', 'y', 'prefer_not') }
      ]
    },
    {
      name: 'p2',
      visibleIf: "{gate} = 'yes'",
      elements: [
        { type: 'dropdown', name: 'num', title: text('Number'), choices: [1, 2, 3, 4] },
        {
          type: 'panel',
          name: 'outer',
          visibleIf: "{multi} contains 'a'",
          elements: [
            { type: 'boolean', name: 'flag', title: text('Flag'), labelTrue: text('Yes'), labelFalse: text('No') },
            {
              type: 'panel',
              name: 'inner',
              visibleIf: '{num} > 2',
              elements: [
                { type: 'boolean', name: 'coded', title: text('Coded'), valueTrue: 'yes', valueFalse: 'no', labelTrue: text('Yes'), labelFalse: text('No') },
                { type: 'comment', name: 'note', title: text('Note'), maxLength: 50 }
              ]
            }
          ]
        },
        { type: 'radiogroup', name: 'never', title: text('Never'), visible: false, choices: choices('x', 'y', 'prefer_not') },
        { type: 'radiogroup', name: 'overridden', title: text('Overridden'), visible: false, visibleIf: '{flag} = true', choices: choices('x', 'y', 'prefer_not') }
      ]
    },
    {
      name: 'p3',
      elements: [
        {
          type: 'checkbox',
          name: 'after',
          title: text('After'),
          visibleIf: "{coded} = 'yes' or {follow} anyof ['a']",
          choices: [...choices('p', 'q'), choice('prefer_not', true)]
        }
      ]
    }
  ]
}

const rule = (question: string, values: string[]): IndicatorMap['indicators'][string] => ({
  label: { en: `${question}: ${values.join(', ')}`, nb: `${question}: ${values.join(', ')}` },
  anyOf: [{ question, values }]
})

export const featureMap: IndicatorMap = {
  missingValues: ['prefer_not'],
  dimensions: { coded: { question: 'coded', values: ['yes', 'no'] } },
  freeText: ['early', 'note'],
  indicators: {
    follow_a: rule('follow', ['a']),
    coded_yes: rule('coded', ['yes']),
    after_p: rule('after', ['p']),
    never_x: rule('never', ['x']),
    overridden_x: rule('overridden', ['x']),
    selfref_x: rule('selfref', ['x']),
    multi_a: rule('multi', ['a'])
  }
}

const junk: unknown[] = [
  null, 0, 42, 3, -1, 1.5, true, false, '', 'yes', 'no', 'once', 'several', 'prefer_not', 'PREFER_NOT', 'none', 'a',
  'x'.repeat(2001), 'x'.repeat(51), [], ['a'], ['a', 'a'], ['none', 'a'], ['prefer_not'], [1], [null], {}, { value: 'yes' }
]

/**
 * A response no kiosk would send: questions picked at random (now and then a name that is not one), each
 * with a well-formed answer or with junk, and sometimes not an object at all. Many answer hidden questions.
 */
export function garbageAnswers (compiled: CompiledSurvey, rng: Rng): unknown {
  const roll = rng()
  if (roll < 0.02) return randomItem(rng, [null, [], 'answers', 42, [{ gender: 'woman' }]])
  const answers: Record<string, unknown> = {}
  const names = compiled.questionNames
  const count = randomInt(rng, Math.min(names.length, 12)) + 1
  for (let i = 0; i < count; i++) {
    const question = compiled.question(randomItem(rng, names))
    if (question === undefined) continue
    answers[question.name] = rng() < 0.75 ? randomValue(compiled, question, rng) ?? null : randomItem(rng, junk)
  }
  if (rng() < 0.05) answers[randomItem(rng, ['Gender', 'unknown', 'intro', 'consent_info', 'toString'])] = 'yes'
  return answers
}
