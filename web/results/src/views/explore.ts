import type { ReleaseDetail } from '../../../../api/schemas/releases.js'
import type { ResultRowReply } from '../../../../api/schemas/results.js'
import { groupBars, overTimeDots } from '../charts.js'
import type { Bar, WavePoint } from '../charts.js'
import { count } from '../format.js'
import { fill, h } from '../../../shared/dom.js'
import { resultsCsv } from '../downloads.js'
import { compareGroups, groupLabel } from '../i18n.js'
import { reliabilitySummary, resultTable } from '../tables.js'
import type { LabelledRow } from '../tables.js'
import type { ViewContext } from './context.js'
import { figureBlock } from './figure.js'
import { differencesTable, methodNote, suppressedNote } from './overview.js'

const sameBy = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join(',') === [...b].sort().join(',')

/** The rows of one published table (an indicator by a breakdown) of a release. */
function tableRows (detail: ReleaseDetail, indicator: string, by: readonly string[]): ResultRowReply[] {
  return detail.rows.filter((row) => row.indicator === indicator && sameBy(Object.keys(row.group), by))
}

const isPublished = (detail: ReleaseDetail, indicator: string, by: readonly string[]): boolean =>
  detail.tables.some((table) => table.indicator === indicator && sameBy(table.by, by))

function byLabel (ctx: ViewContext, by: readonly string[]): string {
  return by.length === 0 ? ctx.t.overall : ctx.t.by(by.map((d) => ctx.t.dimensions[d] ?? d).join(' × '))
}

/**
 * Explore: an indicator and one of the breakdowns the release published for it (never an ad-hoc
 * cross-tab: disclosure control covered exactly these tables), optionally over the waves released
 * with the same table. The choice lives in the address.
 */
export function exploreView (ctx: ViewContext): HTMLElement {
  const t = ctx.t
  const { detail, state } = ctx
  const indicator = detail.indicators.find((candidate) => candidate.name === state.indicator) ?? detail.indicators[0]
  if (indicator === undefined) return h('p', {}, t.noReleases)
  const breakdowns = detail.tables.filter((table) => table.indicator === indicator.name).map((table) => table.by)
  const asked = state.indicator === indicator.name && state.by !== undefined && isPublished(detail, indicator.name, state.by)
  const by = asked ? (state.by as string[]) : breakdowns[0] ?? []
  const refused = (state.indicator !== undefined && state.indicator !== indicator.name) || (state.by !== undefined && !asked)

  const indicatorSelect = h('select', {
    id: 'explore-indicator',
    name: 'indicator',
    onChange: (event) => {
      ctx.navigate({ indicator: (event.target as HTMLSelectElement).value, by: undefined })
    }
  }, ...detail.indicators.map((candidate) => h('option', { value: candidate.name, selected: candidate.name === indicator.name }, candidate.label[ctx.lang])))
  const bySelect = h('select', {
    id: 'explore-by',
    name: 'by',
    onChange: (event) => {
      ctx.navigate({ indicator: indicator.name, by: (event.target as HTMLSelectElement).value.split(',').filter((d) => d !== '') })
    }
  }, ...breakdowns.map((option) => h('option', { value: option.join(','), selected: sameBy(option, by) }, byLabel(ctx, option))))
  const compare = h('input', {
    type: 'checkbox',
    id: 'explore-compare',
    name: 'compare',
    checked: state.compare && ctx.loggedIn,
    disabled: !ctx.loggedIn,
    onChange: (event) => {
      ctx.navigate({ indicator: indicator.name, by, compare: (event.target as HTMLInputElement).checked })
    }
  })

  const result = h('div', { class: 'explore-result', 'aria-live': 'polite' })
  const label = indicator.label[ctx.lang]
  const title = `${label}, ${byLabel(ctx, by).toLowerCase()}`
  if (state.compare && ctx.loggedIn) {
    fill(result, h('p', {}, t.loading))
    overTime(ctx, indicator.name, by, title).then((block) => { fill(result, block) }, (error: unknown) => {
      console.error(error)
      fill(result, h('p', { class: 'error', role: 'alert' }, t.failed))
    })
  } else {
    fill(result, oneRelease(ctx, indicator.name, by, title))
  }
  return h('div', { class: 'explore' },
    h('form', { class: 'controls no-print', onSubmit: (event) => { event.preventDefault() } },
      h('div', { class: 'field' }, h('label', { for: 'explore-indicator' }, t.indicator), indicatorSelect),
      h('div', { class: 'field' }, h('label', { for: 'explore-by' }, t.breakdown), bySelect),
      h('div', { class: 'field check' }, compare, h('label', { for: 'explore-compare' }, t.compare)),
      ctx.loggedIn ? null : h('p', { class: 'hint' }, t.compareNeedsLogin)),
    refused ? h('p', { class: 'notice', role: 'status', 'data-testid': 'not-published' }, t.notPublished) : null,
    result)
}

function oneRelease (ctx: ViewContext, indicator: string, by: readonly string[], title: string): HTMLElement {
  const t = ctx.t
  const rows = tableRows(ctx.detail, indicator, by).sort((a, b) => compareGroups(ctx.lang, a.group, b.group))
  const labelled: LabelledRow[] = rows.map((row) => ({ labels: [groupLabel(ctx.lang, row.group, by)], row }))
  const bars: Bar[] = labelled.map(({ labels, row }) => ({
    facet: '',
    x: labels[0] ?? '',
    ...(row.estimate === undefined ? { missing: row.suppressed ? t.suppressed : row.reliability?.withheld === true ? t.withheld : '–' } : { estimate: row.estimate }),
    ...(row.ci_low === undefined || row.ci_high === undefined ? {} : { low: row.ci_low, high: row.ci_high }),
  }))
  const label = ctx.detail.indicators.find((candidate) => candidate.name === indicator)?.label[ctx.lang] ?? indicator
  return figureBlock(ctx, {
    id: `explore-${indicator}-${by.join('-') || 'overall'}`,
    title,
    chart: groupBars(bars, { label: title, xLabel: '%' }),
    table: resultTable(ctx.lang, title, [t.group], labelled, ctx.detail.release.k, ctx.detail.release.level),
    notes: [methodNote(ctx, tableRows(ctx.detail, indicator, []), labelled.map(({ row }) => row)), suppressedNote(ctx, labelled), reliabilitySummary(ctx.lang, labelled.map(({ row }) => row)), differencesTable(ctx, [indicator])],
    csv: () => resultsCsv(ctx.lang, ctx.detail.release.k, rows.map((row) => ({ row, label }))),
  })
}

/** The same table in every released wave that published it, oldest first. */
async function overTime (ctx: ViewContext, indicator: string, by: readonly string[], title: string): Promise<HTMLElement> {
  const t = ctx.t
  const others = await ctx.allReleases()
  const releases = [ctx.detail, ...others.filter((other) => other.release.waveId !== ctx.detail.release.waveId)]
    .filter((detail) => isPublished(detail, indicator, by))
    .sort((a, b) => a.release.opensOn.localeCompare(b.release.opensOn))
  const rows = releases.flatMap((detail) => tableRows(detail, indicator, by).map((row) => ({ detail, row })))
  // Stable: within a group the waves stay oldest first.
  rows.sort((a, b) => compareGroups(ctx.lang, a.row.group, b.row.group))
  const labelled: LabelledRow[] = rows.map(({ detail, row }) => ({ labels: [groupLabel(ctx.lang, row.group, by), detail.release.waveName], row, waveId: detail.release.waveId }))
  const points: WavePoint[] = labelled.map(({ labels, row }) => ({
    group: labels[0] ?? '',
    wave: labels[1] ?? '',
    ...(row.estimate === undefined ? { missing: row.suppressed ? t.suppressed : row.reliability?.withheld === true ? t.withheld : '–' } : { estimate: row.estimate }),
    ...(row.ci_low === undefined || row.ci_high === undefined ? {} : { low: row.ci_low, high: row.ci_high }),
  }))
  const label = ctx.detail.indicators.find((candidate) => candidate.name === indicator)?.label[ctx.lang] ?? indicator
  const overTimeTitle = `${title}, ${t.wave.toLowerCase()} ${releases.map((detail) => detail.release.waveName).join(', ')}`
  return h('div', {},
    releases.length < 2 ? h('p', { class: 'notice', role: 'status' }, t.compareOnlyOne) : null,
    figureBlock(ctx, {
      id: `over-time-${indicator}-${by.join('-') || 'overall'}`,
      title: overTimeTitle,
      chart: overTimeDots(points, { label: overTimeTitle, xLabel: '%', format: (value) => count(ctx.lang, value) }),
      stacked: true,
      table: resultTable(ctx.lang, overTimeTitle, [t.group, t.wave], labelled, ctx.detail.release.k, ctx.detail.release.level),
      notes: [methodNote(ctx, tableRows(ctx.detail, indicator, []), labelled.map(({ row }) => row)), suppressedNote(ctx, labelled), reliabilitySummary(ctx.lang, labelled.map(({ row }) => row)), differencesTable(ctx, [indicator])],
      csv: () => resultsCsv(ctx.lang, ctx.detail.release.k, rows.map(({ detail, row }) => ({ row, label, wave: detail.release.waveName }))),
    }))
}
