import type { RespondentRow } from '../../../api/schemas/releases.js'
import type { ResultRowReply } from '../../../api/schemas/results.js'
import { h } from '../../shared/dom.js'
import { count, decimal, interval, percent } from './format.js'
import { TEXT } from './i18n.js'
import type { Lang } from './i18n.js'
import { rowNoteText } from './notes.js'

/** A cell's group in a stable form, for data attributes a test or a script can match against the API. */
export const groupKey = (group: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.fromEntries(Object.keys(group).sort().map((d) => [d, group[d]])))

export interface LabelledRow {
  /** The row's labels, one per label column (group, period or wave …). */
  labels: string[]
  row: ResultRowReply
  waveId?: string
}

/** Why a cell shows no numbers, in the reader's language (the API's reason is English only). */
export function suppressionText (lang: Lang, rule: string | undefined, k: number): string {
  const rules = TEXT[lang].suppressionRule as Record<string, (k: number) => string>
  return (rule === undefined ? undefined : rules[rule]?.(k)) ?? TEXT[lang].suppressed
}

/**
 * A results table as a real <table> with a caption and header cells, so a screen reader reads each figure
 * with its group; a suppressed cell says so in words and carries no number.
 */
export function resultTable (lang: Lang, caption: string, labelHeaders: string[], rows: readonly LabelledRow[], k: number, level: number): HTMLTableElement {
  const t = TEXT[lang]
  const head = [...labelHeaders, t.n, t.count, t.estimate, t.interval(level), t.note]
  return h('table', { class: 'results' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...head.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, ...rows.map(({ labels, row, waveId }) => {
      const attributes = {
        'data-indicator': row.indicator,
        'data-group': groupKey(row.group),
        'data-wave': waveId,
        'data-suppressed': String(row.suppressed),
        'data-reliability': row.suppressed ? undefined : row.reliability?.publish,
        'data-withheld': row.reliability?.withheld === true ? 'true' : undefined,
      }
      const [first, ...rest] = labels
      const numbers = row.suppressed
        ? [1, 2, 3, 4].map(() => h('td', { class: 'suppressed' }, t.suppressed))
        : [
            h('td', { class: 'num', 'data-field': 'n' }, row.n === undefined ? '–' : count(lang, row.n)),
            h('td', { class: 'num', 'data-field': 'count' }, row.count === undefined ? '–' : count(lang, row.count)),
            h('td', { class: 'num', 'data-field': 'estimate' }, row.estimate === undefined ? '–' : percent(lang, row.estimate)),
            h('td', { class: 'num', 'data-field': 'interval' }, row.ci_low === undefined || row.ci_high === undefined ? '–' : interval(lang, row.ci_low, row.ci_high)),
          ]
      const note = row.suppressed
        ? suppressionText(lang, row.rule, k)
        : [rowNoteText(lang, row), row.deff === undefined ? '' : `${t.deff} ${decimal(lang, row.deff)}`].filter((text) => text !== '').join(' ')
      return h('tr', attributes, h('th', { scope: 'row' }, first ?? ''), ...rest.map((label) => h('td', {}, label)), ...numbers,
        h('td', { class: 'note' }, note, row.suppressed ? null : reliabilityMark(lang, row)))
    })))
}

let markCount = 0

/**
 * The mark of an estimate the presentation standard flags: a button that shows the reason in the
 * reader's language on hover, focus or tap (results.css), and always on paper.
 */
export function reliabilityMark (lang: Lang, row: ResultRowReply): HTMLElement | null {
  const reliability = row.reliability
  if (reliability?.explanation === undefined || reliability.flags.length === 0) return null
  const t = TEXT[lang]
  const id = `reliability-${++markCount}`
  const label = reliability.withheld === true ? t.withheldMark : reliability.publish === 'no' ? t.markedMark : t.flaggedMark
  const button = h('button', {
    type: 'button',
    class: `reliability-mark ${reliability.publish === 'no' ? 'fails' : 'caution'}`,
    'aria-expanded': 'false',
    'aria-controls': id,
    'data-flags': reliability.flags.join(' '),
    onClick: (event) => {
      const target = event.currentTarget as HTMLButtonElement
      target.setAttribute('aria-expanded', String(target.getAttribute('aria-expanded') !== 'true'))
    },
  }, reliability.publish === 'no' ? '‡ ' : '* ', label)
  return h('span', { class: 'reliability' }, button, h('span', { id, class: 'reliability-text', role: 'note' }, reliability.explanation[lang]))
}

/** How many rows of a table the standard withheld or marked, and how to read the marks. */
export function reliabilitySummary (lang: Lang, rows: readonly ResultRowReply[]): HTMLElement | null {
  const published = rows.filter((row) => !row.suppressed && row.reliability !== undefined)
  if (published.length === 0) return null
  const withheld = published.filter((row) => row.reliability?.withheld === true).length
  const flagged = published.filter((row) => row.reliability?.withheld !== true && (row.reliability?.flags.length ?? 0) > 0).length
  return h('p', { class: 'reliability-note' }, TEXT[lang].reliabilityNote(withheld, flagged))
}

/** "Who answered" by one dimension: respondents per group, suppressed groups marked. */
export function respondentTable (lang: Lang, caption: string, header: string, rows: ReadonlyArray<{ label: string, row: RespondentRow }>, k: number): HTMLTableElement {
  const t = TEXT[lang]
  return h('table', { class: 'results respondents' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, header), h('th', { scope: 'col' }, t.respondents), h('th', { scope: 'col' }, t.note))),
    h('tbody', {}, ...rows.map(({ label, row }) => h('tr', { 'data-group': groupKey(row.group), 'data-suppressed': String(row.suppressed) },
      h('th', { scope: 'row' }, label),
      row.suppressed ? h('td', { class: 'suppressed' }, t.suppressed) : h('td', { class: 'num', 'data-field': 'n' }, row.n === undefined ? '–' : count(lang, row.n)),
      h('td', { class: 'note' }, row.suppressed ? suppressionText(lang, row.rule, k) : '')))))
}
