/**
 * Languages as data. A survey version speaks bokmål and English in its SurveyJS JSON (the research team's own
 * words), and any number of further languages, each in a file of its own beside the version:
 * `<slug>/v<N>.lang.<code>.json` (a TranslationFile). A translation names its language, its direction (stated,
 * never guessed from the text), its name in its own script for the kiosk's picker, and its status: a `draft` is
 * offered only on test tablets; a `reviewed` one, with who reviewed it and when, in live waves too.
 *
 * Every text a respondent sees has a key (translationKeys): the survey's texts by where they are in the JSON,
 * the kiosk's own words (kiosk-text.ts) under `kiosk.`. The kiosk applies a translation to the survey JSON
 * (withTranslation) when the respondent picks the language, so survey-core shows it as it shows bokmål.
 *
 * Plain data and pure functions, no Node imports: the kiosk bundles this file.
 */
import { KIOSK_TEXT, isPluralForms, kioskTextEntries } from './kiosk-text.js'
import type { JsonObject, JsonValue } from './index.js'

export const BASE_LANGUAGES = ['nb', 'en'] as const
export type BaseLanguage = typeof BASE_LANGUAGES[number]

/** Whether a language is one the SurveyJS JSON itself speaks (no translation file, never a draft). */
export const isBaseLanguage = (code: string): code is BaseLanguage => (BASE_LANGUAGES as readonly string[]).includes(code)

export type Direction = 'ltr' | 'rtl'
export type LanguageStatus = 'draft' | 'reviewed'

/** What a respondent's language picker and the console need to know of a language. */
export interface LanguageInfo {
  /** BCP 47 primary language subtag, lower case: `nb`, `en`, `pl`, `uk`, `ar`. */
  code: string
  /** The language's name in its own script ("Polski", "Українська", "العربية"). */
  name: string
  direction: Direction
  status: LanguageStatus
  review?: { by: string, on: string }
}

/** The two languages every version has in its SurveyJS JSON, reviewed by the team that wrote them. */
export const BASE_LANGUAGE_INFO: readonly LanguageInfo[] = [
  { code: 'nb', name: 'Norsk (bokmål)', direction: 'ltr', status: 'reviewed' },
  { code: 'en', name: 'English', direction: 'ltr', status: 'reviewed' },
]

/** `<slug>/v<N>.lang.<code>.json`: one language of one version. */
export interface TranslationFile extends LanguageInfo {
  /** The language the translator worked from (`en` or `nb`); its texts are the source of each key. */
  source: BaseLanguage
  /** Key → text, for every key of translationKeys(survey). */
  strings: Record<string, string>
}

export const LANGUAGE_CODE = /^[a-z]{2,3}$/
export const TRANSLATION_FILE = /^v([1-9][0-9]*)\.lang\.([a-z]{2,3})\.json$/
export const translationFileName = (version: number, code: string): string => `v${version}.lang.${code}.json`

/** One text to translate: its key, and its bokmål and English source. */
export interface SourceText {
  key: string
  nb: string
  en: string
  /** Where it shows: a question's, page's or the survey's text, or the kiosk's own words. */
  kind: 'survey' | 'kiosk'
  /**
   * `{name}` placeholders a translation must keep, and the only ones it may have: in a survey text survey-core
   * fills `{question}` with that question's answer, so a placeholder the source lacks could show a respondent's
   * earlier answer on screen.
   */
  placeholders: string[]
}

const localeKey = /^([a-z]{2,3}|default)$/

/** A SurveyJS localisable string: an object of locale → text. */
export function isLocalisable (value: JsonValue | undefined): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const entries = Object.entries(value)
  return entries.length > 0 && entries.every(([key, text]) => localeKey.test(key) && typeof text === 'string') &&
    ('nb' in value || 'en' in value)
}

/**
 * Every localisable text of a survey JSON with its key: `survey.<property>`, `page.<name>.<property>`,
 * `q.<element>.<property>` (questions, panels and html blocks: names are unique in a survey), and
 * `q.<question>.choice.<value>` for a choice's text. Anything else by its path. In the JSON's order.
 */
export function surveyTexts (survey: JsonObject): Array<{ key: string, texts: Record<string, string> }> {
  const found: Array<{ key: string, texts: Record<string, string> }> = []
  const visitValue = (value: JsonValue | undefined, key: string): void => {
    if (isLocalisable(value)) found.push({ key, texts: value })
    else if (Array.isArray(value)) value.forEach((item, index) => { visitValue(item, `${key}.${index}`) })
    else if (isPlainObject(value)) visitObject(value, key)
  }
  const visitObject = (object: JsonObject, key: string): void => {
    for (const [property, value] of Object.entries(object)) {
      if ((property === 'pages' || property === 'elements') && Array.isArray(value)) {
        const prefix = property === 'pages' ? 'page' : 'q'
        value.forEach((item, index) => {
          if (isPlainObject(item)) visitObject(item, typeof item.name === 'string' && item.name !== '' ? `${prefix}.${item.name}` : `${key}.${property}.${index}`)
        })
      } else if (property === 'choices' && Array.isArray(value)) {
        value.forEach((choice, index) => {
          if (!isPlainObject(choice)) return
          const code = choice.value
          const name = typeof code === 'string' || typeof code === 'number' || typeof code === 'boolean' ? String(code) : String(index)
          visitValue(choice.text, `${key}.choice.${name}`)
        })
      } else if (property !== 'name') {
        visitValue(value, `${key}.${property}`)
      }
    }
  }
  visitObject(survey, 'survey')
  return found
}

const isPlainObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/

const placeholdersOf = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!))].sort()

/**
 * Everything a translation of this survey must give, in the order a translator reads it: the survey's texts
 * as the JSON has them, then the kiosk's own words. A plural (kiosk-text.ts) gives one key per plural
 * category the language has (`kiosk.deletedIn.one`, `.few`, `.many`, `.other` for Polish).
 */
export function sourceTexts (survey: JsonObject, code: string): SourceText[] {
  const survey_ = surveyTexts(survey).map(({ key, texts }): SourceText => ({
    key, nb: texts.nb ?? texts.default ?? texts.en ?? '', en: texts.en ?? texts.default ?? texts.nb ?? '', kind: 'survey', placeholders: placeholdersOf(texts.nb ?? texts.default ?? texts.en ?? ''),
  }))
  const categories = pluralCategories(code)
  const kiosk = kioskTextEntries().flatMap(([name, nb, en]): SourceText[] => {
    if (!isPluralForms(nb) || !isPluralForms(en)) {
      const nbText = nb as string
      return [{ key: `kiosk.${name}`, nb: nbText, en: en as string, kind: 'kiosk', placeholders: placeholdersOf(nbText) }]
    }
    return categories.map((category) => {
      const nbText = nb[category] ?? nb.other
      return { key: `kiosk.${name}.${category}`, nb: nbText, en: en[category] ?? en.other, kind: 'kiosk', placeholders: placeholdersOf(nbText) }
    })
  })
  return [...survey_, ...kiosk]
}

/** The keys a translation into `code` must have, in order. */
export const translationKeys = (survey: JsonObject, code: string): string[] => sourceTexts(survey, code).map((text) => text.key)

/** The plural categories of a language as Intl knows them, `other` last ("one", "few", "many", "other" for pl). */
export function pluralCategories (code: string): string[] {
  const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories as string[]
  return [...categories.filter((category) => category !== 'other'), 'other']
}

/** What is wrong with a translation of a survey: each problem names the key. [] means it is complete. */
export function translationProblems (survey: JsonObject, file: Pick<TranslationFile, 'code' | 'strings'>): Array<{ key: string, problem: string }> {
  const problems: Array<{ key: string, problem: string }> = []
  const sources = sourceTexts(survey, file.code)
  const known = new Set(sources.map((source) => source.key))
  for (const source of sources) {
    const text = file.strings[source.key]
    if (text === undefined) { problems.push({ key: source.key, problem: 'is not translated (missing)' }); continue }
    if (text.trim() === '') { problems.push({ key: source.key, problem: 'is empty' }); continue }
    // XML 1.0 cannot carry these, so the text could not go out to a translator again; nor does a respondent need one.
    if (CONTROL_CHARACTER.test(text)) problems.push({ key: source.key, problem: 'has a control character (other than tab and line break)' })
    const missing = source.placeholders.filter((name) => !text.includes(`{${name}}`))
    const extra = placeholdersOf(text).filter((name) => !source.placeholders.includes(name))
    if (missing.length > 0) problems.push({ key: source.key, problem: `lacks the placeholder${missing.length === 1 ? '' : 's'} ${missing.map((name) => `{${name}}`).join(', ')}` })
    if (extra.length > 0) problems.push({ key: source.key, problem: `has the unknown placeholder${extra.length === 1 ? '' : 's'} ${extra.map((name) => `{${name}}`).join(', ')}` })
  }
  for (const key of Object.keys(file.strings)) {
    if (!known.has(key)) problems.push({ key, problem: 'is not a text of this version (unknown key)' })
  }
  return problems
}

/**
 * The survey JSON with the translation's texts added under its language code, so survey-core shows them with
 * `model.locale = code`. Keys the translation lacks keep SurveyJS's fallback (the default language).
 */
export function withTranslation (survey: JsonObject, code: string, strings: Readonly<Record<string, string>>): JsonObject {
  const copy = structuredClone(survey)
  const byKey = new Map(surveyTexts(copy).map((entry) => [entry.key, entry.texts]))
  for (const [key, texts] of byKey) {
    const text = strings[key]
    if (text !== undefined) texts[code] = text
  }
  return copy
}

/**
 * The kiosk's words in a language: the base tables for nb and en, else the translation's `kiosk.` keys
 * (plurals gathered back into their forms), falling back to English for anything missing.
 */
export function kioskStrings (code: string, strings: Readonly<Record<string, string>> = {}): Record<string, string | Record<string, string>> {
  if (code === 'nb' || code === 'en') return { ...KIOSK_TEXT[code] }
  const result: Record<string, string | Record<string, string>> = {}
  for (const [name, , en] of kioskTextEntries()) {
    if (isPluralForms(en)) {
      const forms: Record<string, string> = {}
      for (const category of pluralCategories(code)) forms[category] = strings[`kiosk.${name}.${category}`] ?? en[category] ?? en.other
      result[name] = forms
    } else {
      result[name] = strings[`kiosk.${name}`] ?? en
    }
  }
  return result
}
