import type { Difference } from '../../../../api/schemas/releases.js'
import type { ResultRowReply } from '../../../../api/schemas/results.js'
import contextStudies from '../../../../survey-definitions/context-studies.json' with { type: 'json' }
import type { ContextStudies } from '../../../../survey-definitions/context-studies.js'
import { facetedBars } from '../charts.js'
import type { Bar } from '../charts.js'
import { h } from '../../../shared/dom.js'
import { resultsCsv, respondentsCsv, saveFile } from '../downloads.js'
import { count, day, percentFigure, points, pointsInterval } from '../format.js'
import { compareGroups, groupLabel, percentLevel, valueLabel } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { groupKey, reliabilitySummary, respondentTable, resultTable, suppressionText } from '../tables.js'
import type { LabelledRow } from '../tables.js'
import type { ViewContext } from './context.js'
import { figureBlock } from './figure.js'
import { differenceNoteText } from '../notes.js'
import { leadSentence } from './lead.js'

/** Checked against its schema when the app is built (vite.config.ts) and by test/unit/context-studies.test.ts. */
const studies = (contextStudies as ContextStudies).studies

const PERIOD = /_(12m|ever)$/
export const conceptOf = (indicator: string): string => indicator.replace(PERIOD, '')
const periodOf = (indicator: string): '12m' | 'ever' | null => (PERIOD.exec(indicator)?.[1] as '12m' | 'ever' | undefined) ?? null

function periodLabel (ctx: ViewContext, indicator: string): string {
  const period = periodOf(indicator)
  return period === '12m' ? ctx.t.last12m : period === 'ever' ? ctx.t.ever : ''
}

function indicatorLabel (ctx: ViewContext, name: string): string {
  return ctx.detail.indicators.find((indicator) => indicator.name === name)?.label[ctx.lang] ?? name
}

/** Rows of the overview tables (overall and by gender) of these indicators, overall first. */
function headlineRows (ctx: ViewContext, indicators: readonly string[]): ResultRowReply[] {
  const rows = ctx.detail.rows.filter((row) => indicators.includes(row.indicator) && Object.keys(row.group).every((d) => d === 'gender'))
  const groups = [...new Map(rows.map((row) => [groupKey(row.group), row.group])).entries()].sort(([, a], [, b]) => compareGroups(ctx.lang, a, b))
  return groups.flatMap(([key]) => indicators.flatMap((name) => rows.filter((row) => row.indicator === name && groupKey(row.group) === key)))
}

export function overviewView (ctx: ViewContext): HTMLElement {
  const { release } = ctx.detail
  const t = ctx.t
  const concepts = [...new Set(ctx.detail.indicators.filter((indicator) => indicator.headline).map((indicator) => conceptOf(indicator.name)))]
  return h('div', { class: 'overview' },
    leadSentence(ctx),
    h('p', { class: 'lead' },
      `${day(ctx.lang, release.opensOn)} – ${day(ctx.lang, release.closesOn)}. ${t.releasedOn(day(ctx.lang, release.releasedAt))}. `,
      `${t.respondents}: ${release.respondents === undefined ? t.fewerThan(release.k) : count(ctx.lang, release.respondents)}.`),
    whoAnswered(ctx),
    h('section', { class: 'headline', 'aria-labelledby': 'headline-title' },
      h('h2', { id: 'headline-title' }, t.headline),
      ...concepts.map((concept) => headlineFigure(ctx, concept))))
}

function whoAnswered (ctx: ViewContext): HTMLElement {
  const t = ctx.t
  const rows = ctx.detail.respondents
  const dimensions = [...new Set(rows.flatMap((row) => Object.keys(row.group)))]
  const tables = dimensions.map((dimension) => {
    const number = ctx.nextTable()
    const cells = rows.filter((row) => Object.keys(row.group).length === 1 && row.group[dimension] !== undefined)
      .sort((a, b) => compareGroups(ctx.lang, a.group, b.group))
    const name = t.dimensions[dimension] ?? dimension
    return respondentTable(ctx.lang, `${t.table(number)}. ${t.respondents} ${t.by(name)}`, name.charAt(0).toUpperCase() + name.slice(1),
      cells.map((row) => ({ label: valueLabel(ctx.lang, dimension, row.group[dimension] as string), row })), ctx.detail.release.k)
  })
  const fileName = `prevalens-${ctx.detail.release.waveName.toLowerCase().replace(/[^a-z0-9æøå]+/g, '-')}-respondents.csv`
  return h('section', { class: 'who', 'aria-labelledby': 'who-title', 'data-section': 'respondents' },
    h('h2', { id: 'who-title' }, t.whoAnswered),
    h('div', { class: 'table-grid' }, ...tables),
    h('p', { class: 'downloads no-print' },
      h('button', { type: 'button', 'data-download': 'csv', onClick: () => { saveFile(fileName, 'text/csv;charset=utf-8', respondentsCsv(ctx.lang, ctx.detail.release.k, rows)) } }, t.downloadCsv)))
}

function headlineFigure (ctx: ViewContext, concept: string): HTMLElement {
  const t = ctx.t
  const indicators = ctx.detail.indicators.filter((indicator) => indicator.headline && conceptOf(indicator.name) === concept).map((indicator) => indicator.name)
  const rows = headlineRows(ctx, indicators)
  const first = indicators[0] ?? concept
  const name = periodOf(first) === null ? indicatorLabel(ctx, first) : indicatorLabel(ctx, first).replace(/, [^,]*$/, '')
  const periods = indicators.map((indicator) => periodLabel(ctx, indicator)).filter((label) => label !== '')
  const title = `${name}${periods.length > 0 ? ` (${periods.join(', ').toLowerCase()})` : ''}, ${t.by(t.dimensions.gender ?? 'gender')}`
  const labelled: LabelledRow[] = rows.map((row) => ({ labels: [groupLabel(ctx.lang, row.group), periodLabel(ctx, row.indicator) || t.all], row }))
  const bars: Bar[] = rows.map((row) => ({
    facet: groupLabel(ctx.lang, row.group),
    x: periodOf(row.indicator) === '12m' ? t.chart12m : periodOf(row.indicator) === 'ever' ? t.chartEver : '',
    ...(row.estimate === undefined ? { missing: row.suppressed ? t.suppressed : row.reliability?.withheld === true ? t.withheld : '–' } : { estimate: row.estimate }),
    ...(row.ci_low === undefined || row.ci_high === undefined ? {} : { low: row.ci_low, high: row.ci_high }),
  }))
  const { k, level } = ctx.detail.release
  return figureBlock(ctx, {
    id: concept,
    title,
    chart: facetedBars(bars, { label: title, yLabel: '%' }),
    table: resultTable(ctx.lang, title, [t.group, t.period], labelled, k, level),
    notes: [methodNote(ctx, rows), suppressedNote(ctx, labelled), reliabilitySummary(ctx.lang, rows), differencesTable(ctx, indicators)],
    csv: () => resultsCsv(ctx.lang, k, rows.map((row) => ({ row, label: indicatorLabel(ctx, row.indicator) }))),
    aside: otherStudies(ctx, concept),
  })
}

/** How the figures were made, with n from the overall rows of `rows`; the design effect explained where `shown` has one. */
export function methodNote (ctx: ViewContext, rows: readonly ResultRowReply[], shown: readonly ResultRowReply[] = rows): HTMLElement {
  const { release } = ctx.detail
  const overall = rows.filter((row) => Object.keys(row.group).length === 0)
  const n = overall.map((row) => {
    const value = row.n === undefined ? ctx.t.fewerThan(release.k) : count(ctx.lang, row.n)
    const period = periodLabel(ctx, row.indicator)
    return overall.length > 1 && period !== '' ? `${value} (${period.toLowerCase()})` : value
  }).join(', ')
  const method = ctx.t.methodText[release.method] + (release.strata === null ? '' : ctx.t.byCounty)
  return h('p', { class: 'method' }, ctx.t.methodNote(method, percentLevel(release.level, ctx.lang), n === '' ? '–' : n, release.k),
    shown.some((row) => row.deff !== undefined) ? ` ${ctx.t.deffNote}` : '')
}

export function suppressedNote (ctx: ViewContext, rows: readonly LabelledRow[]): HTMLElement {
  const suppressed = rows.filter(({ row }) => row.suppressed)
  if (suppressed.length === 0) return h('p', { class: 'suppressed-note' }, ctx.t.noSuppressed)
  return h('p', { class: 'suppressed-note' }, `${ctx.t.suppressedNote}: `,
    suppressed.map(({ labels, row }) => `${labels.filter((label) => label !== '').join(', ')} – ${suppressionText(ctx.lang, row.rule, ctx.detail.release.k)}`).join('; '), '.')
}

function differenceLabel (ctx: ViewContext, difference: Difference): string {
  if (difference.kind === 'women_minus_men') return ctx.t.womenMinusMen
  const group = Object.keys(difference.group).length === 0 ? '' : ` (${groupLabel(ctx.lang, difference.group)})`
  return `${ctx.t.waveMinusPrevious}: ${difference.first.label} − ${difference.second.label}${group}`
}

/** Women minus men and this wave minus the previous, as the release froze them. */
export function differencesTable (ctx: ViewContext, indicators: readonly string[]): HTMLElement | null {
  const t = ctx.t
  const differences = ctx.detail.differences.filter((difference) => indicators.includes(difference.indicator))
  if (differences.length === 0) return null
  const lang: Lang = ctx.lang
  return h('table', { class: 'results differences' },
    h('caption', {}, `${t.differences}: ${indicators.map((name) => indicatorLabel(ctx, name)).join('; ')}`),
    h('thead', {}, h('tr', {}, ...[t.differences, t.period, t.difference, t.interval(ctx.detail.release.level), t.note].map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, ...differences.map((difference) => {
      const given = difference.difference !== undefined
      return h('tr', { 'data-indicator': difference.indicator, 'data-kind': difference.kind, 'data-group': groupKey(difference.group) },
        h('th', { scope: 'row' }, differenceLabel(ctx, difference)),
        h('td', {}, periodLabel(ctx, difference.indicator) || t.all),
        h('td', { class: 'num' }, given ? points(lang, difference.difference ?? 0) : t.notGiven),
        h('td', { class: 'num' }, difference.ci_low === undefined || difference.ci_high === undefined ? '–' : pointsInterval(lang, difference.ci_low, difference.ci_high)),
        // "Compared as independent samples" already says how the interval was made: the method is not said twice.
        h('td', { class: 'note' }, [given && difference.method !== undefined && difference.notes?.some((note) => note.code === 'independent_waves') !== true
          ? `${t.diffMethod[difference.method]}.`
          : '', differenceNoteText(lang, difference)]
          .filter((text) => text !== '').join(' ')))
    })))
}

/** Figures of earlier studies about this indicator, set apart and labelled as other studies. */
function otherStudies (ctx: ViewContext, concept: string): HTMLElement | undefined {
  const matching = studies.filter((study) => study.shownWith === concept)
  if (matching.length === 0) return undefined
  const t = ctx.t
  const { citedIn } = contextStudies as ContextStudies
  return h('aside', { class: 'other-studies', 'aria-label': t.contextTitle },
    h('h4', {}, t.contextTitle),
    h('p', {}, t.contextIntro),
    h('ul', {}, ...matching.map((study) => h('li', { 'data-study': study.id },
      h('strong', {}, percentFigure(ctx.lang, study.percent)),
      ` – ${study.population[ctx.lang]}, ${study.place[ctx.lang]}, ${study.year}. ${study.note[ctx.lang]} `,
      h('span', { class: 'citation' }, `${study.source.authors} (${study.source.year}). ${study.source.title}. ${study.source.publisher}.`)))),
    h('p', { class: 'citation' }, `${t.citedIn}: ${citedIn.publisher} (${citedIn.year}). ${citedIn.title}.`))
}
