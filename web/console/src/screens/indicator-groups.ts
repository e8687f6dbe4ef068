import { indicatorImplications } from '../../../../survey-definitions/indicator-implications.js'
import type { IndicatorMap } from '../../../../survey-definitions/indicator-map.js'
import type { Lang } from '../../../shared/i18n.js'

export type { Lang }

/**
 * A survey version's indicators arranged for choosing: by violence type (rows grouped under the broader
 * indicator they imply) and by period (columns). Everything is read from the version's indicator map — names,
 * labels and the implications between rules — so a new instrument is grouped by its own terms, not hverdag's.
 */

/** The period suffixes of indicator names ('pushed_12m'), widest first; an unsuffixed name has none. */
const PERIOD_SUFFIXES = ['ever', '12m', '1m'] as const
export type PeriodKey = typeof PERIOD_SUFFIXES[number] | 'none'

export interface IndicatorCell { name: string, label: string }

export interface IndicatorRow {
  /** The row's words without its period ("Pushed or shoved"). */
  label: string
  /** Every indicator of the row by period; periods it lacks are absent. */
  cells: Partial<Record<PeriodKey, IndicatorCell>>
}

export interface IndicatorGroup {
  key: string
  label: string
  rows: IndicatorRow[]
}

export interface IndicatorGrouping {
  /** The periods present, widest first, each with its heading ("Last 12 months"). */
  periods: Array<{ key: PeriodKey, label: string }>
  groups: IndicatorGroup[]
}

const OTHER = { nb: 'Andre indikatorer', en: 'Other indicators' } as const
const NO_PERIOD = { nb: 'Uten periode', en: 'No period' } as const

/** "Pushed or shoved, last 12 months" → ["Pushed or shoved", "last 12 months"]; no comma → [label, '']. */
function splitLabel (label: string): [string, string] {
  const comma = label.lastIndexOf(', ')
  return comma < 0 ? [label, ''] : [label.slice(0, comma), label.slice(comma + 2)]
}

const capitalise = (text: string): string => text.charAt(0).toLocaleUpperCase() + text.slice(1)

/** The longest run of whole words that every text starts with ("Violence by"), or '' when they share none. */
function commonWords (texts: readonly string[]): string {
  const split = texts.map((text) => text.split(' '))
  const first = split[0] ?? []
  let n = 0
  while (n < first.length && split.every((words) => words[n] === first[n])) n += 1
  return first.slice(0, n).join(' ')
}

export function groupIndicators (map: IndicatorMap, lang: Lang): IndicatorGrouping {
  const entries = Object.entries(map.indicators)
  const label = (name: string): string => {
    const text = map.indicators[name]?.label
    return text === undefined ? name : (text[lang] ?? text.en)
  }

  // Periods: by name suffix; the words after a suffixed label's last comma name the period ("last month"),
  // and an unsuffixed indicator whose label ends in those words has that period too (perpetrator_partner, "…, ever").
  const periodWords = new Map<string, PeriodKey>()
  const suffixOf = (name: string): PeriodKey => PERIOD_SUFFIXES.find((suffix) => name.endsWith(`_${suffix}`)) ?? 'none'
  const periodHeadings = new Map<PeriodKey, string>()
  for (const [name] of entries) {
    const suffix = suffixOf(name)
    if (suffix === 'none') continue
    const [, words] = splitLabel(label(name))
    if (words !== '' && !periodWords.has(words)) periodWords.set(words, suffix)
    if (words !== '' && !periodHeadings.has(suffix)) periodHeadings.set(suffix, capitalise(words))
  }
  const info = new Map(entries.map(([name]) => {
    const suffix = suffixOf(name)
    const [head, words] = splitLabel(label(name))
    const period: PeriodKey = suffix !== 'none' ? suffix : periodWords.get(words) ?? 'none'
    const stem = suffix === 'none' ? name : name.slice(0, -(suffix.length + 1))
    return [name, { stem, period, rowLabel: period === 'none' ? label(name) : head }]
  }))
  const stemOf = (name: string): string => info.get(name)?.stem ?? name

  // Violence types, from what implies what: an indicator implied by others is a broader one ("any physical
  // violence"); the broadest, implied by every other broad one, heads a group of its own (any violence).
  const implied = new Map<string, Set<string>>()
  for (const { from, to } of indicatorImplications(map)) {
    if (stemOf(from) === stemOf(to)) continue
    const set = implied.get(stemOf(from)) ?? new Set<string>()
    set.add(stemOf(to))
    implied.set(stemOf(from), set)
  }
  const broad = new Set([...implied.values()].flatMap((set) => [...set]))
  const top = [...broad].filter((stem) => [...broad].every((other) => other === stem || implied.get(other)?.has(stem) === true))
  const conditionCount = (stem: string): number =>
    Math.max(...entries.filter(([name]) => stemOf(name) === stem).map(([, rule]) => rule.anyOf.reduce((n, c) => n + c.values.length, 0)))
  const groupOf = (stem: string): string => {
    // A broader indicator heads the group of those that imply it (any physical violence).
    if (broad.has(stem)) return stem
    // The narrowest broader indicator it implies, leaving out the broadest: pushed → any physical violence.
    const heads = [...(implied.get(stem) ?? [])].filter((other) => !top.includes(other)).sort((a, b) => conditionCount(a) - conditionCount(b))
    if (heads[0] !== undefined) return heads[0]
    const questions = new Set(entries.filter(([name]) => stemOf(name) === stem).flatMap(([, rule]) => rule.anyOf.map((c) => c.question)))
    if (implied.has(stem)) {
      // Implying only the broadest: a summary over questions that are other indicators' own (repeated violence)
      // sits with it; a question no other indicator stands for makes a type of its own (psychological violence).
      const elsewhere = (question: string): boolean => entries.some(([name, rule]) =>
        stemOf(name) !== stem && rule.anyOf.every((c) => c.question === question))
      return [...questions].every(elsewhere) && top[0] !== undefined ? top[0] : stem
    }
    // Implies nothing: grouped with the others asked in the same question (perpetrators), else "other".
    if (questions.size === 1) {
      const [question] = questions
      const siblings = new Set(entries.filter(([, rule]) => rule.anyOf.every((c) => c.question === question)).map(([name]) => stemOf(name)))
      if (siblings.size > 1) return `question:${question ?? ''}`
    }
    return 'other'
  }

  const groups = new Map<string, Map<string, IndicatorRow>>()
  for (const [name] of entries) {
    const { stem, period, rowLabel } = info.get(name) ?? { stem: name, period: 'none' as const, rowLabel: name }
    const key = groupOf(stem)
    const rows = groups.get(key) ?? new Map<string, IndicatorRow>()
    const row = rows.get(stem) ?? { label: rowLabel, cells: {} }
    row.cells[period] = { name, label: label(name) }
    rows.set(stem, row)
    groups.set(key, rows)
  }

  const groupLabel = (key: string, rows: IndicatorRow[]): string => {
    if (key === 'other') return OTHER[lang]
    if (key.startsWith('question:')) {
      const shared = commonWords(rows.map((row) => row.label))
      return shared === '' ? OTHER[lang] : `${shared} …`
    }
    return rows.find((_, index) => index === 0)?.label ?? key
  }
  // Order: the map's key order is not kept once stored (JSONB sorts keys), but a rule's list of conditions is, so
  // rows and groups follow the order the broadest indicator lists its questions in (the questionnaire's order);
  // what it does not list comes after, by label.
  const questionOrder = [...new Set(entries.filter(([name]) => top.includes(stemOf(name))).flatMap(([, rule]) => rule.anyOf.map((c) => c.question)))]
  const position = (stem: string): number => {
    const found = entries.filter(([name]) => stemOf(name) === stem)
      .flatMap(([, rule]) => rule.anyOf.map((c) => questionOrder.indexOf(c.question))).filter((index) => index >= 0)
    return found.length === 0 ? Number.MAX_SAFE_INTEGER : Math.min(...found)
  }
  const rank = (key: string): number => top.includes(key) ? 0 : broad.has(key) ? 1 : key === 'other' ? 4 : key.startsWith('question:') ? 3 : 2
  const byPosition = (a: string, b: string, labelA: string, labelB: string): number => position(a) - position(b) || labelA.localeCompare(labelB, lang)
  const ordered = [...groups].map(([key, rows]) => {
    // The group's head (the broad indicator itself) first, the rest in the questionnaire's order.
    const list = [...rows].sort(([a, rowA], [b, rowB]) => Number(b === key) - Number(a === key) || byPosition(a, b, rowA.label, rowB.label)).map(([, row]) => row)
    return { key, label: groupLabel(key, list), rows: list }
  }).sort((a, b) => rank(a.key) - rank(b.key) || byPosition(a.key, b.key, a.label, b.label))

  const present = new Set(ordered.flatMap((group) => group.rows.flatMap((row) => Object.keys(row.cells) as PeriodKey[])))
  const periods = ([...PERIOD_SUFFIXES, 'none'] as PeriodKey[]).filter((key) => present.has(key))
    .map((key) => ({ key, label: key === 'none' ? NO_PERIOD[lang] : periodHeadings.get(key) ?? key }))
  return { periods, groups: ordered }
}
