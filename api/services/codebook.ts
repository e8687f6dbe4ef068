import { FLAT_DESIGN_COLUMNS, FLAT_DIMENSION_COLUMNS } from '../../analysis/flat-file.js'
import { listQuestions } from '../../survey-definitions/questions.js'
import type { QuestionInfo } from '../../survey-definitions/questions.js'
import type { JsonObject, JsonValue } from '../../survey-definitions/index.js'
import { BASE_LANGUAGE_INFO, withTranslation } from '../../survey-definitions/languages.js'
import { regionIndex } from '../../survey-definitions/regions.js'
import { SITE_KINDS } from '../db/database.js'
import type { WaveExportSource } from '../db/queries/microdata.js'
import type { Codebook, CodebookColumn, LabelText } from '../schemas/exports.js'
import { withStatisticalCodes } from './codebook-codes.js'
import type { CodebookTranslation } from './codebook-languages.js'
import { CENTRALITY_LABELS, SITE_KIND_LABELS } from './site-reference.js'

type Text = { nb: string, en: string }

/** A wave's export source with the translations of its version, whose labels the codebook adds (codebook-languages.ts). */
export type CodebookSource = WaveExportSource & { translations?: readonly CodebookTranslation[] }

/** A closed question's answer column: the question's codes, or a checkbox's codes joined by ';'. */
export const answerColumnName = (question: string): string => `q_${question}`
export const MULTIPLE_SEPARATOR = ';'

const CLOSED_TYPES = new Set(['radiogroup', 'dropdown', 'boolean', 'checkbox'])
const FREE_TEXT_TYPES = new Set(['text', 'comment'])

export interface ExportedQuestion {
  info: QuestionInfo
  column: string
  freeText: boolean
}

/** The questions whose answers the export writes, in page order: every closed one, and free text only when asked for. */
export function exportedQuestions (source: WaveExportSource, freeText: boolean): ExportedQuestion[] {
  return exportedOf(listQuestions(source.version.definition), freeText)
}

function exportedOf (questions: readonly QuestionInfo[], freeText: boolean): ExportedQuestion[] {
  return questions
    .filter((info) => CLOSED_TYPES.has(info.type) || (freeText && FREE_TEXT_TYPES.has(info.type)))
    .map((info) => ({ info, column: answerColumnName(info.name), freeText: FREE_TEXT_TYPES.has(info.type) }))
}

const EMPTY_DIMENSION: Text = { nb: 'tom: ikke besvart, «vil ikke svare» eller ikke vist', en: 'empty: not answered, "prefer not to say" or not shown' }
const EMPTY_INDICATOR: Text = {
  nb: 'tom: ukjent (spørsmålet ble hoppet over eller besvart med «vil ikke svare»); teller ikke i nevneren',
  en: 'empty: unknown (skipped or answered "prefer not to say"); leaves the denominator',
}
const EMPTY_ANSWER: Text = { nb: 'tom: ikke vist (hopplogikk) eller hoppet over', en: 'empty: not shown (skip logic) or skipped' }
const NOTHING_MISSING: Text = { nb: 'alltid utfylt', en: 'always filled in' }

/**
 * Every column of the wave's microdata export, in file order, with its labels in bokmål and English, and a
 * question's text and its choices also in each translation of the version, under the language's code.
 */
export function buildCodebook (source: CodebookSource, freeText = false): Codebook {
  const translations = source.translations ?? []
  // The survey as each translation shows it (its texts under its code), so a label is read as nb and en are.
  const survey = translations.reduce<JsonObject>((json, { code, strings }) => withTranslation(json, code, strings), source.version.definition as JsonObject)
  const questions = listQuestions(survey)
  const byName = new Map(questions.map((question) => [question.name, question]))
  const codes = translations.map(({ code }) => code)
  const columns: CodebookColumn[] = [
    ...dimensionColumns(source, byName, codes),
    ...designColumns(source),
    ...source.indicators.map(({ name }) => indicatorColumn(source, name, byName)),
    ...exportedOf(questions, freeText).map((question) => answerColumn(question, codes)),
  ]
  return {
    wave: { id: source.wave.id, name: source.wave.name, opensOn: source.wave.opens_on, closesOn: source.wave.closes_on },
    surveyVersion: { id: source.version.id, slug: source.version.slug, version: source.version.version, checksum: source.version.checksum },
    missingValues: [...source.version.indicator_map.missingValues],
    languages: [
      ...BASE_LANGUAGE_INFO.map(({ code, name, direction, status }) => ({ code, name, direction, status })),
      ...translations.map(({ code, name, direction, status }) => ({ code, name, direction, status })),
    ],
    columns: columns.map((column) => withStatisticalCodes(column, source.version.indicator_map.missingValues, column.missing !== NOTHING_MISSING)),
  }
}

function dimensionColumns (source: WaveExportSource, byName: ReadonlyMap<string, QuestionInfo>, codes: readonly string[]): CodebookColumn[] {
  const { counties, } = regionIndex().regions
  const { municipalities } = regionIndex()
  const numbers = [...new Set(source.sites.map((site) => site.municipality_number))].sort()
  const specs: Record<typeof FLAT_DIMENSION_COLUMNS[number], Omit<CodebookColumn, 'name' | 'kind'>> = {
    wave: { label: { nb: 'Runde', en: 'Wave' }, values: [{ code: source.wave.id, label: same(source.wave.name) }], missing: NOTHING_MISSING },
    site: { label: { nb: 'Sted (klynge)', en: 'Site (cluster)' }, values: source.sites.map((site) => ({ code: site.id, label: same(site.name) })), missing: NOTHING_MISSING },
    site_kind: { label: { nb: 'Type sted', en: 'Kind of site' }, values: SITE_KINDS.map((kind) => ({ code: kind, label: SITE_KIND_LABELS[kind] })), missing: NOTHING_MISSING },
    county: { label: { nb: 'Fylke', en: 'County' }, values: counties.map((county) => ({ code: county.number, label: same(county.name) })), missing: NOTHING_MISSING },
    municipality: {
      label: { nb: 'Kommune', en: 'Municipality' },
      values: numbers.map((number) => ({ code: number, label: same(municipalities.get(number)?.name ?? number) })),
      missing: NOTHING_MISSING,
    },
    centrality: { label: { nb: 'Sentralitet (SSB, 1–6)', en: 'Centrality (Statistics Norway, 1–6)' }, values: CENTRALITY_LABELS.map(({ value, label }) => ({ code: String(value), label })), missing: NOTHING_MISSING },
    gender: mapDimension(source, 'gender', { nb: 'Kjønn', en: 'Gender' }, byName, codes),
    age_group: mapDimension(source, 'age_group', { nb: 'Aldersgruppe', en: 'Age group' }, byName, codes),
    iso_week: { label: { nb: 'ISO-uke svaret kom inn (ingen dato)', en: 'ISO week the response arrived (no date)' }, values: [], missing: NOTHING_MISSING },
  }
  return FLAT_DIMENSION_COLUMNS.map((name) => ({ name, kind: 'dimension' as const, ...specs[name] }))
}

/** The attendance weight and the repeat flag: what the releases weight and leave out by. */
function designColumns (source: WaveExportSource): CodebookColumn[] {
  const attendance = source.version.indicator_map.attendance
  // Fewest visits first (the stored map's keys come back in jsonb's order, not the file's).
  const bands = Object.entries(attendance?.visits.values ?? {}).sort((a, b) => a[1] - b[1])
  const visits = attendance === undefined
    ? { nb: 'Denne versjonen spør ikke om oppmøte, så vekten er 1 for alle.', en: 'This version does not ask about attendance, so every weight is 1.' }
    : {
        nb: `Fra spørsmålet ${attendance.visits.question}: ${bands.map(([code, n]) => `${code} = ${n} besøk`).join(', ')}; «vet ikke», «vil ikke svare» eller ikke besvart gir vekt 1.`,
        en: `From question ${attendance.visits.question}: ${bands.map(([code, n]) => `${code} = ${n} visits`).join(', ')}; "don't know", "prefer not to say" or no answer get weight 1.`,
      }
  const specs: Record<typeof FLAT_DESIGN_COLUMNS[number], Omit<CodebookColumn, 'name' | 'kind'>> = {
    w: {
      label: {
        nb: `Oppmøtevekt: 1 / antall besøk på stedet de siste 7 dagene (høyst 7 telles). ${visits.nb}`,
        en: `Attendance weight: 1 / visits to the site in the last 7 days (at most 7 counted). ${visits.en}`,
      },
      ...(attendance === undefined ? {} : { question: attendance.visits.question }),
      values: [],
      missing: NOTHING_MISSING,
    },
    answered_before: {
      label: {
        nb: 'Sa at de allerede hadde svart i denne runden (holdes utenfor tallene som standard)',
        en: 'Said they had already answered in this round (left out of the figures by default)',
      },
      ...(attendance === undefined ? {} : { question: attendance.repeat.question }),
      values: [{ code: '1', label: { nb: 'ja', en: 'yes' } }, { code: '0', label: { nb: 'nei, vet ikke, ikke besvart', en: 'no, don\'t know, not answered' } }],
      missing: NOTHING_MISSING,
    },
  }
  return FLAT_DESIGN_COLUMNS.map((name) => ({ name, kind: 'design' as const, ...specs[name] }))
}

/** gender and age_group: the indicator map's dimension, labelled by its question's choices. */
function mapDimension (
  source: WaveExportSource, name: string, fallback: Text, byName: ReadonlyMap<string, QuestionInfo>, codes: readonly string[]
): Omit<CodebookColumn, 'name' | 'kind'> {
  const dimension = source.version.indicator_map.dimensions[name]
  if (dimension === undefined) return { label: fallback, values: [], missing: EMPTY_DIMENSION }
  const question = byName.get(dimension.question)
  return {
    label: question === undefined ? fallback : textOf(question.json.title, fallback.en, codes),
    question: dimension.question,
    values: dimension.values.map((code) => ({ code, label: choiceLabel(question, code, codes) })),
    missing: EMPTY_DIMENSION,
  }
}

function indicatorColumn (source: WaveExportSource, name: string, byName: ReadonlyMap<string, QuestionInfo>): CodebookColumn {
  const rule = source.version.indicator_map.indicators[name]
  const yesNo = [{ code: '1', label: { nb: 'ja', en: 'yes' } }, { code: '0', label: { nb: 'nei', en: 'no' } }]
  if (rule === undefined) return { name, kind: 'indicator', label: same(name), values: yesNo, missing: EMPTY_INDICATOR }
  const part = (language: 'nb' | 'en') => rule.anyOf.map((condition) => {
    const question = byName.get(condition.question)
    const title = question === undefined ? condition.question : textOf(question.json.title, condition.question)[language]
    const values = condition.values.map((code) => `«${choiceLabel(question, code)[language]}»`).join(language === 'nb' ? ' eller ' : ' or ')
    return `${condition.question} (${title}) = ${values}`
  }).join(language === 'nb' ? '; eller ' : '; or ')
  return {
    name,
    kind: 'indicator',
    label: { nb: rule.label.nb, en: rule.label.en },
    values: yesNo,
    missing: EMPTY_INDICATOR,
    rule: {
      anyOf: rule.anyOf.map((condition) => ({ question: condition.question, values: [...condition.values] })),
      text: {
        nb: `1 når minst én av: ${part('nb')}. 0 når spørsmålene ble besvart på annen måte, eller ikke vist fordi et filterspørsmål ble besvart «nei».`,
        en: `1 when any of: ${part('en')}. 0 when they were answered otherwise, or not shown because a gate question was answered "no".`,
      },
    },
  }
}

function answerColumn ({ info, column, freeText }: ExportedQuestion, codes: readonly string[]): CodebookColumn {
  const label = textOf(info.json.title, info.name, codes)
  const base = { name: column, label, question: info.name, questionType: info.type, missing: EMPTY_ANSWER }
  if (freeText) return { ...base, kind: 'free_text', values: [] }
  if (info.type === 'boolean') {
    const [yes, no] = info.values.length === 2 ? info.values : ['true', 'false']
    return {
      ...base,
      kind: 'answer',
      values: [{ code: yes ?? 'true', label: textOf(info.json.labelTrue, 'yes', codes) }, { code: no ?? 'false', label: textOf(info.json.labelFalse, 'no', codes) }],
    }
  }
  return {
    ...base,
    kind: 'answer',
    values: info.values.map((code) => ({ code, label: choiceLabel(info, code, codes) })),
    ...(info.type === 'checkbox' ? { multiple: true } : {}),
  }
}

function choiceLabel (question: QuestionInfo | undefined, code: string, codes: readonly string[] = []): LabelText {
  const choices = question?.json.choices
  if (Array.isArray(choices)) {
    for (const choice of choices) {
      if (typeof choice === 'object' && choice !== null && !Array.isArray(choice) && choice.value === code) return textOf(choice.text, code, codes)
    }
  }
  return same(code)
}

/**
 * A survey text in nb and en (each standing in for the other where one is missing), and in each translation
 * code that gives it: a translation that lacks the text has no label in its language, rather than another's.
 */
function textOf (value: JsonValue | undefined, fallback: string, codes: readonly string[] = []): LabelText {
  if (typeof value === 'string') return same(value)
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const pick = (language: string): string | undefined => {
      const text = value[language] ?? value.default
      return typeof text === 'string' ? text : undefined
    }
    const label: LabelText = { nb: pick('nb') ?? pick('en') ?? fallback, en: pick('en') ?? pick('nb') ?? fallback }
    for (const code of codes) {
      const text = value[code]
      if (typeof text === 'string') label[code] = text
    }
    return label
  }
  return same(fallback)
}

const same = (text: string): Text => ({ nb: text, en: text })
