/**
 * The language mechanism of the three apps: which languages there are, picking one, checking that every
 * language's table has the same keys, filling in values, and numbers and dates as each language writes them.
 * The words themselves stay in each app's own tables (web/<app>/src/i18n.ts).
 */
export const LANGS = ['nb', 'en'] as const
export type Lang = typeof LANGS[number]

/** The language asked for (an address's ?lang=, a saved choice) when it is one we have, else the fallback. */
export function pickLang (asked: string | null | undefined, fallback: Lang = 'nb'): Lang {
  return LANGS.find((lang) => lang === asked) ?? fallback
}

/** The other language: the switch every app offers shows this one. */
export const otherLang = (lang: Lang): Lang => lang === 'nb' ? 'en' : 'nb'

/** Tables, one per language, that must have the same keys with the same kinds of value: typed keys. */
export type Tables<T> = { readonly [L in Lang]: T }

/** Checks at compile time that every language has every key (a missing or extra key is an error). */
export const defineTexts = <T>(tables: Tables<T>): Tables<T> => tables

/** "{site}" in a string replaced by the value named; a name without a value is left as it is. */
export function interpolate (template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] === undefined ? whole : String(values[name]))
}

/** The Intl locale of a language: Norwegian bokmål as written in Norway, British English. */
export const locale = (lang: Lang): string => lang === 'nb' ? 'nb-NO' : 'en-GB'

/** A number as the language writes it ("1 234,5" / "1,234.5"). */
export function formatNumber (lang: Lang, value: number, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(locale(lang), options).format(value)
}

/** YYYY-MM-DD (or an ISO time, by its date) as the language writes it, without a time zone shift. */
export function formatDate (lang: Lang, isoDate: string, options: Intl.DateTimeFormatOptions = { day: 'numeric', month: lang === 'nb' ? '2-digit' : 'short', year: 'numeric' }): string {
  const [year, month, date] = isoDate.slice(0, 10).split('-').map(Number)
  return new Intl.DateTimeFormat(locale(lang), { ...options, timeZone: 'UTC' })
    .format(new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1)))
}

/** Sorts words as the language does, numbers in them by value ("Region 2" before "Region 10"). */
export const compareText = (lang: Lang, a: string, b: string): number => a.localeCompare(b, lang, { numeric: true })

/**
 * A SurveyJS localisable string (a plain string, or { default?, nb?, en? }) in `lang`, else its default, else
 * the `fallback` language's (or, without one, whichever it has); '' when there is none.
 */
export function localised (value: unknown, lang: Lang, fallback?: Lang): string {
  if (typeof value === 'string') return value
  if (typeof value === 'object' && value !== null) {
    const texts = value as Record<string, unknown>
    const text = texts[lang] ?? texts.default ?? (fallback === undefined ? Object.values(texts)[0] : texts[fallback])
    return typeof text === 'string' ? text : ''
  }
  return ''
}
