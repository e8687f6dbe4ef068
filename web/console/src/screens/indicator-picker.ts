import type { IndicatorMap } from '../../../../survey-definitions/indicator-map.js'
import { h, uniqueId } from '../../../shared/dom.js'
import type { Lang } from '../../../shared/i18n.js'
import { groupIndicators } from './indicator-groups.js'
import type { IndicatorGroup, PeriodKey } from './indicator-groups.js'

const TEXT = {
  nb: {
    legend: 'Indikatorer',
    search: 'Søk etter indikator',
    searchHint: 'filtrerer listen; det du har valgt, blir stående valgt',
    indicator: 'Indikator',
    all: (group: string) => `Velg alle i «${group}»`,
    chosen: (n: number) => n === 0 ? 'Ingen indikatorer valgt' : n === 1 ? '1 indikator valgt' : `${n} indikatorer valgt`,
    none: 'Ingen indikator passer søket.',
  },
  en: {
    legend: 'Indicators',
    search: 'Find an indicator',
    searchHint: 'filters the list; what you have chosen stays chosen',
    indicator: 'Indicator',
    all: (group: string) => `Choose all in "${group}"`,
    chosen: (n: number) => n === 0 ? 'No indicators chosen' : n === 1 ? '1 indicator chosen' : `${n} indicators chosen`,
    none: 'No indicator matches the search.',
  },
} as const

export interface IndicatorPicker {
  element: HTMLElement
  /** The chosen indicators' names, in the order shown. */
  value: () => string[]
}

interface Box { box: HTMLInputElement, name: string }

/**
 * The indicators of a survey version to choose from, grouped by violence type (one table each, a row per kind
 * of violence) and period (the columns), with a search that filters rows, a box per group that chooses all of
 * its shown rows, and a running count. Plain checkboxes: Tab and Space work, and each one's name is the
 * indicator's whole label.
 */
export function indicatorPicker (map: IndicatorMap, lang: Lang): IndicatorPicker {
  const text = TEXT[lang]
  const { periods, groups } = groupIndicators(map, lang)
  const count = h('p', { class: 'picker-count', role: 'status', 'data-testid': 'indicator-count' }, text.chosen(0))
  const all: Box[] = []
  const update = (): void => { count.textContent = text.chosen(all.filter((item) => item.box.checked).length) }

  const searchBox = h('input', { type: 'search', id: uniqueId('search'), autocomplete: 'off', 'data-testid': 'indicator-search' })
  const hintId = `${searchBox.id}-hint`
  searchBox.setAttribute('aria-describedby', hintId)
  const nothing = h('p', { class: 'hint', hidden: true }, text.none)

  const groupViews = groups.map((group) => groupView(group, periods.filter((period) => group.rows.some((row) => row.cells[period.key] !== undefined)), text, all, update))
  searchBox.addEventListener('input', () => {
    const words = searchBox.value.toLocaleLowerCase().split(/\s+/).filter((word) => word !== '')
    let shown = 0
    for (const view of groupViews) shown += view.filter(words)
    nothing.hidden = shown > 0
  })

  const legendId = uniqueId('legend')
  const element = h('fieldset', { class: 'indicator-picker', 'aria-labelledby': legendId, 'data-testid': 'indicator-picker' },
    h('legend', { id: legendId }, text.legend),
    h('div', { class: 'picker-top' },
      h('div', { class: 'field' }, h('label', { for: searchBox.id }, text.search), searchBox, h('p', { class: 'hint', id: hintId }, text.searchHint)),
      count),
    nothing,
    ...groupViews.map((view) => view.element))
  return { element, value: () => all.filter((item) => item.box.checked).map((item) => item.name) }
}

function groupView (group: IndicatorGroup, periods: Array<{ key: PeriodKey, label: string }>, text: typeof TEXT[Lang], all: Box[], update: () => void) {
  const headingId = uniqueId('group')
  const selectAll = h('input', { type: 'checkbox', id: uniqueId('all'), 'data-testid': 'group-all' })
  const rows = group.rows.map((row) => {
    const boxes: Box[] = []
    const cells = periods.map((period) => {
      const cell = row.cells[period.key]
      if (cell === undefined) return h('td', {})
      const box = h('input', { type: 'checkbox', value: cell.name, 'aria-label': cell.label, 'data-indicator': cell.name })
      boxes.push({ box, name: cell.name })
      return h('td', { class: 'pick' }, box)
    })
    all.push(...boxes)
    const searchable = [row.label, ...boxes.map((item) => item.box.getAttribute('aria-label') ?? ''), ...boxes.map((item) => item.name)].join(' ').toLocaleLowerCase()
    return { element: h('tr', {}, h('th', { scope: 'row' }, row.label), ...cells), boxes, searchable }
  })
  const shownBoxes = (): Box[] => rows.filter((row) => !row.element.hidden).flatMap((row) => row.boxes)
  const refresh = (): void => {
    const shown = shownBoxes()
    const chosen = shown.filter((item) => item.box.checked).length
    selectAll.checked = shown.length > 0 && chosen === shown.length
    selectAll.indeterminate = chosen > 0 && chosen < shown.length
  }
  selectAll.addEventListener('change', () => {
    for (const item of shownBoxes()) item.box.checked = selectAll.checked
    refresh()
    update()
  })
  for (const row of rows) for (const item of row.boxes) item.box.addEventListener('change', () => { refresh(); update() })

  const element = h('section', { class: 'indicator-group', 'aria-labelledby': headingId, 'data-group': group.key },
    h('div', { class: 'group-head' },
      h('h3', { id: headingId }, group.label),
      h('span', { class: 'check' }, selectAll, h('label', { for: selectAll.id }, text.all(group.label)))),
    h('table', { class: 'pick-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, text.indicator), ...periods.map((period) => h('th', { scope: 'col', class: 'pick' }, period.label)))),
      h('tbody', {}, ...rows.map((row) => row.element))))
  return {
    element,
    /** Shows the rows whose words contain every search word; how many are shown. */
    filter: (words: string[]): number => {
      let shown = 0
      for (const row of rows) {
        row.element.hidden = !words.every((word) => row.searchable.includes(word))
        if (!row.element.hidden) shown += 1
      }
      element.hidden = shown === 0
      refresh()
      return shown
    },
  }
}
