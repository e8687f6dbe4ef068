import type { ProgressReply } from '../../../../api/schemas/progress.js'
import { api } from '../api.js'
import { h, svg } from '../../../shared/dom.js'
import { section } from '../ui.js'
import type { Context } from './context.js'
import { loadWaves, wavePicker } from './shared.js'

/** Responses per site per ISO week against each site's target: counts only, never answer content. */
export async function renderProgress (context: Context, [waveId]: string[]): Promise<void> {
  const waves = await loadWaves()
  context.main.append(h('h1', {}, 'Progress'), wavePicker('progress', waves, waveId))
  if (waveId === undefined) return
  const progress = await api.get<ProgressReply>(`/api/progress/${encodeURIComponent(waveId)}`)
  context.main.append(
    h('p', { 'data-testid': 'progress-total' }, `${progress.waveName} (${progress.status}): ${progress.total} responses`, progress.target === null ? '' : ` of ${progress.target} aimed for`, '.'),
    ...(progress.answeredBefore === undefined
      ? []
      : [h('p', { 'data-testid': 'progress-answered-before' },
        `${progress.answeredBefore.count} of the ${progress.answeredBefore.of} responses mixed so far said they had already answered in this round; releases leave them out unless told to count them.`)]),
    section('By site and week', progressTable(progress)),
    section('Chart', progressChart(progress)))
}

const percent = (total: number, target: number | null): string => target === null || target === 0 ? '—' : `${Math.round((100 * total) / target)} %`

function progressTable (progress: ProgressReply): HTMLElement {
  const weekSums = progress.weeks.map((_week, index) => progress.sites.reduce((sum, site) => sum + (site.byWeek[index] ?? 0), 0))
  return h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Responses by site and week' },
    h('table', { 'data-testid': 'progress' },
      h('caption', {}, 'Responses per site per ISO week of arrival'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Site'),
        ...progress.weeks.map((week) => h('th', { scope: 'col' }, week.replace(/^\d{4}-/, ''))),
        h('th', { scope: 'col' }, 'Total'), h('th', { scope: 'col' }, 'Target'), h('th', { scope: 'col' }, 'Reached'))),
      h('tbody', {}, ...progress.sites.map((site) => h('tr', { 'data-site': site.siteId },
        h('th', { scope: 'row' }, site.siteName),
        ...progress.weeks.map((_week, index) => h('td', { class: 'num' }, site.byWeek[index] ?? 0)),
        h('td', { class: 'num', 'data-testid': 'site-total' }, site.total), h('td', { class: 'num' }, site.target ?? '—'), h('td', { class: 'num' }, percent(site.total, site.target))))),
      h('tfoot', {}, h('tr', {},
        h('th', { scope: 'row' }, 'All sites'),
        ...weekSums.map((sum) => h('td', { class: 'num' }, sum)),
        h('td', { class: 'num' }, progress.total), h('td', { class: 'num' }, progress.target ?? '—'), h('td', { class: 'num' }, percent(progress.total, progress.target))))))
}

/**
 * One bar per site: the responses so far, with a tick at the target. Drawn as SVG with attributes only (no
 * style attributes, no chart library), so the strict Content-Security-Policy holds; the table above has the numbers.
 */
function progressChart (progress: ProgressReply): SVGElement {
  const rowHeight = 28
  const labelWidth = 200
  const barWidth = 480
  const max = Math.max(1, ...progress.sites.map((site) => Math.max(site.total, site.target ?? 0)))
  const x = (value: number): number => labelWidth + (barWidth * value) / max
  const summary = progress.sites.map((site) => `${site.siteName}: ${site.total}${site.target === null ? '' : ` of ${site.target}`}`).join('; ')
  return svg('svg', { class: 'chart', role: 'img', 'aria-label': `Responses per site. ${summary}`, viewBox: `0 0 ${labelWidth + barWidth + 80} ${rowHeight * progress.sites.length + 8}`, 'data-testid': 'progress-chart' },
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
