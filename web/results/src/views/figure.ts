import type { Chart } from '../charts.js'
import { h } from '../../../shared/dom.js'
import type { Child } from '../../../shared/dom.js'
import { saveFile, savePng, saveSvg } from '../downloads.js'
import { day } from '../format.js'
import type { ViewContext } from './context.js'

export interface FigureParts {
  id: string
  title: string
  chart: Chart
  table: HTMLTableElement
  notes: Child[]
  csv: () => string
  aside?: HTMLElement
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
  const png = async (): Promise<void> => {
    try {
      await savePng(fileName, parts.chart)
    } catch (error) {
      failed.hidden = false
      failed.textContent = error instanceof Error ? error.message : String(error)
    }
  }
  return h('section', { class: 'figure-block', 'aria-labelledby': titleId, 'data-figure': parts.id },
    h('h3', { id: titleId }, h('span', { class: 'figure-number' }, `${t.figure(number)}. `), parts.title),
    h('div', { class: 'figure-body' },
      h('figure', { class: 'chart' }, parts.chart.svg),
      h('div', { class: 'table-wrap' }, parts.table)),
    h('div', { class: 'figure-notes' }, ...parts.notes, h('p', { class: 'source' }, sourceLine(ctx))),
    h('div', { class: 'downloads no-print' },
      h('button', { type: 'button', 'data-download': 'csv', onClick: () => { saveFile(`${fileName}.csv`, 'text/csv;charset=utf-8', parts.csv()) } }, t.downloadCsv),
      h('button', { type: 'button', 'data-download': 'svg', onClick: () => { saveSvg(fileName, parts.chart) } }, t.downloadSvg),
      h('button', { type: 'button', 'data-download': 'png', onClick: () => { png().catch(() => {}) } }, t.downloadPng)),
    failed,
    parts.aside)
}

/** The source line in the reader's language: the release's own (English) line, or the same facts in bokmål. */
export function sourceLine (ctx: ViewContext): string {
  const { release } = ctx.detail
  if (ctx.lang === 'en') return ctx.detail.source
  const n = release.respondents === undefined ? ctx.t.fewerThan(release.k) : new Intl.NumberFormat('nb-NO').format(release.respondents)
  const level = `${new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 1 }).format(release.level * 100)} %`
  const method = ctx.t.methodText[release.method]
  return ctx.t.sourceLine(release.waveName, day('nb', release.opensOn), day('nb', release.closesOn), n, method.charAt(0).toUpperCase() + method.slice(1), level, release.k)
}
