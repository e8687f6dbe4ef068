import type { ProgressReply } from '../../../../api/schemas/progress.js'
import { api } from '../api.js'
import { h, svg } from '../../../shared/dom.js'
import { formatNumber, label, locale, WAVE_STATUS } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { section } from '../ui.js'
import type { Context } from './context.js'
import { loadWaves, wavePicker } from './shared.js'

const TEXT = {
  nb: {
    title: 'Framdrift',
    total: (name: string, status: string, total: string, target: string | null) => `${name} (${status}): ${total} svar${target === null ? '' : ` av ${target} som er målet`}.`,
    bySite: 'Etter sted og uke',
    chart: 'Diagram',
    caption: 'Svar per sted: i alt, mot målet, og per ISO-uke de kom inn',
    region: 'Svar etter sted og uke',
    cols: ['Sted', 'I alt', 'Mål', 'Nådd', 'Per uke'],
    week: (week: string) => `uke ${week}`,
    noWeeks: 'ingen ennå',
    allSites: 'Alle steder',
    chartLabel: (summary: string) => `Svar per sted. ${summary}`,
    of: 'av',
    answeredBefore: (count: string, of: string) => `${count} av de ${of} svarene som er blandet inn så langt, sa at de allerede hadde svart i denne runden; frigivinger holder dem utenfor med mindre de blir bedt om å telle dem.`,
  },
  en: {
    title: 'Progress',
    total: (name: string, status: string, total: string, target: string | null) => `${name} (${status}): ${total} responses${target === null ? '' : ` of ${target} aimed for`}.`,
    bySite: 'By site and week',
    chart: 'Chart',
    caption: 'Responses per site: in all, against the target, and per ISO week of arrival',
    region: 'Responses by site and week',
    cols: ['Site', 'Total', 'Target', 'Reached', 'Per week'],
    week: (week: string) => `week ${week}`,
    noWeeks: 'none yet',
    allSites: 'All sites',
    chartLabel: (summary: string) => `Responses per site. ${summary}`,
    of: 'of',
    answeredBefore: (count: string, of: string) => `${count} of the ${of} responses mixed so far said they had already answered in this round; releases leave them out unless told to count them.`,
  },
} as const

/** Responses per site per ISO week against each site's target: counts only, never answer content. */
export async function renderProgress (context: Context, [waveId]: string[]): Promise<void> {
  const t = TEXT[context.lang]
  const waves = await loadWaves()
  context.main.append(h('h1', {}, t.title), wavePicker('progress', waves, waveId, context.lang))
  if (waveId === undefined) return
  const progress = await api.request('GET /api/progress/:waveId', { params: { waveId } })
  context.main.append(
    h('p', { 'data-testid': 'progress-total' }, t.total(progress.waveName, label(WAVE_STATUS, progress.status, context.lang), formatNumber(progress.total, context.lang),
      progress.target === null ? null : formatNumber(progress.target, context.lang))),
    ...(progress.answeredBefore === undefined
      ? []
      : [h('p', { 'data-testid': 'progress-answered-before' },
          t.answeredBefore(formatNumber(progress.answeredBefore.count, context.lang), formatNumber(progress.answeredBefore.of, context.lang)))]),
    section(t.bySite, progressTable(progress, context.lang)),
    section(t.chart, progressChart(progress, context.lang)))
}

const percent = (total: number, target: number | null, lang: Lang): string =>
  target === null || target === 0 ? '—' : new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(total / target)

/**
 * Total, target and share reached come first, beside the site's name, and the weeks follow as a list that wraps
 * inside its cell: the table fits the width of a portrait tablet and never hides the totals behind a sideways
 * scroll, however long the wave runs.
 */
function progressTable (progress: ProgressReply, lang: Lang): HTMLElement {
  const t = TEXT[lang]
  const weekSums = progress.weeks.map((_week, index) => progress.sites.reduce((sum, site) => sum + (site.byWeek[index] ?? 0), 0))
  const weekList = (counts: ReadonlyArray<number | undefined>): HTMLElement => progress.weeks.length === 0
    ? h('span', {}, t.noWeeks)
    : h('ul', { class: 'weeks' }, ...progress.weeks.map((week, index) =>
      h('li', {}, h('span', { class: 'week' }, t.week(week.replace(/^\d{4}-W?/, ''))), ' ', h('span', { class: 'num' }, formatNumber(counts[index] ?? 0, lang)))))
  const n = (value: number | null): string => value === null ? '—' : formatNumber(value, lang)
  return h('div', { class: 'fit', role: 'region', 'aria-label': t.region },
    h('table', { 'data-testid': 'progress', class: 'progress-table' },
      h('caption', {}, t.caption),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t.cols[0]),
        h('th', { scope: 'col', class: 'num' }, t.cols[1]), h('th', { scope: 'col', class: 'num' }, t.cols[2]), h('th', { scope: 'col', class: 'num' }, t.cols[3]),
        h('th', { scope: 'col' }, t.cols[4]))),
      h('tbody', {}, ...progress.sites.map((site) => h('tr', { 'data-site': site.siteId },
        h('th', { scope: 'row' }, site.siteName),
        h('td', { class: 'num', 'data-testid': 'site-total' }, n(site.total)), h('td', { class: 'num' }, n(site.target)), h('td', { class: 'num' }, percent(site.total, site.target, lang)),
        h('td', {}, weekList(site.byWeek))))),
      h('tfoot', {}, h('tr', {},
        h('th', { scope: 'row' }, t.allSites),
        h('td', { class: 'num' }, n(progress.total)), h('td', { class: 'num' }, n(progress.target)), h('td', { class: 'num' }, percent(progress.total, progress.target, lang)),
        h('td', {}, weekList(weekSums))))))
}

/**
 * One bar per site: the responses so far, with a tick at the target. Drawn as SVG with attributes only (no
 * style attributes, no chart library), so the strict Content-Security-Policy holds; the table above has the numbers.
 */
function progressChart (progress: ProgressReply, lang: Lang): SVGElement {
  const t = TEXT[lang]
  const rowHeight = 28
  const labelWidth = 200
  const barWidth = 480
  const max = Math.max(1, ...progress.sites.map((site) => Math.max(site.total, site.target ?? 0)))
  const x = (value: number): number => labelWidth + (barWidth * value) / max
  const summary = progress.sites.map((site) => `${site.siteName}: ${site.total}${site.target === null ? '' : ` ${t.of} ${site.target}`}`).join('; ')
  return svg('svg', { class: 'chart', role: 'img', 'aria-label': t.chartLabel(summary), viewBox: `0 0 ${labelWidth + barWidth + 80} ${rowHeight * progress.sites.length + 8}`, 'data-testid': 'progress-chart' },
    ...progress.sites.map((site, index) => {
      const y = index * rowHeight + 4
      return svg('g', {},
        svg('text', { x: labelWidth - 8, y: y + 17, 'text-anchor': 'end', class: 'chart-label' }, site.siteName),
        svg('rect', { x: labelWidth, y, width: barWidth, height: 22, class: 'chart-track' }),
        svg('rect', { x: labelWidth, y, width: Math.max(0, x(site.total) - labelWidth), height: 22, class: 'chart-bar' }),
        site.target !== null && svg('line', { x1: x(site.target), x2: x(site.target), y1: y - 2, y2: y + 24, class: 'chart-target' }),
        svg('text', { x: labelWidth + barWidth + 8, y: y + 17, class: 'chart-label' }, `${site.total}${site.target === null ? '' : `/${site.target}`}`))
    }))
}
