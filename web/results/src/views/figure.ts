import type { Caption, Chart } from '../charts.js'
import { h } from '../../../shared/dom.js'
import type { Child } from '../../../shared/dom.js'
import { saveFile, savePng, saveSvg } from '../downloads.js'
import { count, day } from '../format.js'
import { percentLevel } from '../i18n.js'
import type { ViewContext } from './context.js'

export interface FigureParts {
  id: string
  title: string
  chart: Chart
  table: HTMLTableElement
  notes: Child[]
  csv: () => string
  aside?: HTMLElement
  /** The table under the chart rather than beside it (a tall chart, a wide table). */
  stacked?: boolean
}

/**
 * A numbered figure as a sector report lays it out: title, chart, its table beside it, the method and
 * suppression notes and the source line, with the downloads (hidden in print).
 */
export function figureBlock (ctx: ViewContext, parts: FigureParts): HTMLElement {
  const number = ctx.nextFigure()
  const titleId = `${parts.id}-title`
  const fileName = `prevalens-${ctx.detail.release.waveName.toLowerCase().replace(/[^a-z0-9æøå]+/g, '-')}-${parts.id}`
  const t = ctx.t
  const failed = h('p', { class: 'error', role: 'alert', hidden: true })
  const caption = (): Caption => ({
    title: `${t.figure(number)}. ${parts.title}`,
    // The release's own notes (weighted or not, repeats left out) go with the chart wherever it is pasted.
    lines: [t.intervalMeaning(percentLevel(ctx.detail.release.level, ctx.lang)), t.suppressionLegend(ctx.detail.release.k), sourceLine(ctx),
      ...ctx.detail.notes.map((note) => note[ctx.lang])],
  })
  const png = async (): Promise<void> => {
    try {
      await savePng(fileName, parts.chart, caption())
    } catch {
      failed.hidden = false
      failed.textContent = t.pngFailed
    }
  }
  return h('section', { class: 'figure-block', 'aria-labelledby': titleId, 'data-figure': parts.id },
    h('h3', { id: titleId }, h('span', { class: 'figure-number' }, `${t.figure(number)}. `), parts.title),
    h('div', { class: parts.stacked === true ? 'figure-body stacked' : 'figure-body' },
      h('figure', { class: 'chart' }, parts.chart.svg),
      h('div', { class: 'table-wrap' }, parts.table)),
    h('div', { class: 'figure-notes' }, ...parts.notes, h('p', { class: 'source' }, sourceLine(ctx))),
    h('div', { class: 'downloads no-print' },
      h('button', { type: 'button', 'data-download': 'csv', onClick: () => { saveFile(`${fileName}.csv`, 'text/csv;charset=utf-8', parts.csv()) } }, t.downloadCsv),
      h('button', { type: 'button', 'data-download': 'svg', onClick: () => { saveSvg(fileName, parts.chart, caption()) } }, t.downloadSvg),
      h('button', { type: 'button', 'data-download': 'png', onClick: () => { png().catch(() => {}) } }, t.downloadPng)),
    failed,
    parts.aside)
}

/**
 * The source line in the reader's language, from the release's facts: the API's own line is English
 * and names the statistics as a researcher would, so it is not shown.
 */
export function sourceLine (ctx: ViewContext): string {
  const { release, respondents, sites } = ctx.detail
  const t = ctx.t
  const overall = respondents.find((row) => Object.keys(row.group).length === 0)
  const n = release.respondents !== undefined
    ? count(ctx.lang, release.respondents)
    : overall?.rule === 'n_below_k' ? t.fewerThan(release.k) : t.respondentsWithheld
  const method = t.methodText[release.method] + (release.strata === null ? '' : t.byCounty)
  return t.sourceLine({
    wave: release.waveName,
    from: day(ctx.lang, release.opensOn),
    to: day(ctx.lang, release.closesOn),
    n,
    sites: sites === undefined ? undefined : count(ctx.lang, sites),
    sitesCount: sites,
    method: method.charAt(0).toUpperCase() + method.slice(1),
    level: percentLevel(release.level, ctx.lang),
    withhold: release.unreliable === 'withhold',
    k: release.k,
  })
}
