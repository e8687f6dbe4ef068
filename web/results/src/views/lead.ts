import type { ResultRowReply } from '../../../../api/schemas/results.js'
import { h } from '../../../shared/dom.js'
import { interval, percent } from '../format.js'
import { compareGroups, percentLevel, valueLabel } from '../i18n.js'
import type { ViewContext } from './context.js'

/** A gender group as the sentence names it: "kvinnene", or a quoted label for the smaller groups. */
function groupName (ctx: ViewContext, gender: string): string {
  const known = ctx.t.leadGroups[gender]
  if (known !== undefined) return known
  const label = valueLabel(ctx.lang, 'gender', gender)
  return ctx.lang === 'nb' ? `«${label}»` : `"${label}"`
}

function part (ctx: ViewContext, row: ResultRowReply): string {
  const t = ctx.t
  const group = groupName(ctx, row.group.gender ?? '')
  if (row.suppressed) return row.rule === 'n_below_k' ? t.leadSuppressed(group, ctx.detail.release.k) : t.leadHidden(group)
  if (row.estimate === undefined) return t.leadWithheld(group)
  const range = row.ci_low === undefined || row.ci_high === undefined ? '–' : interval(ctx.lang, row.ci_low, row.ci_high)
  const caution = (row.reliability?.flags.length ?? 0) > 0 ? `; ${t.leadCaution}` : ''
  return t.leadShare(percent(ctx.lang, row.estimate), group, `${range}${caution}`)
}

/**
 * The release's headline in one sentence at the top of the overview: the lead indicator (the release
 * names it: any violence in the last 12 months) for each gender, with its interval; a group without a
 * figure is said so in words, never given a number.
 */
export function leadSentence (ctx: ViewContext): HTMLElement | null {
  const lead = ctx.detail.lead
  if (lead === undefined) return null
  const rows = ctx.detail.rows
    .filter((row) => row.indicator === lead && Object.keys(row.group).length === 1 && row.group.gender !== undefined)
    .sort((a, b) => compareGroups(ctx.lang, a.group, b.group))
  if (rows.length === 0) return null
  const label = ctx.detail.indicators.find((indicator) => indicator.name === lead)?.label[ctx.lang] ?? lead
  const parts = rows.map((row) => part(ctx, row))
  const listed = parts.length === 1 ? parts[0] ?? '' : `${parts.slice(0, -1).join(', ')} ${ctx.t.leadAnd} ${parts.at(-1) ?? ''}`
  return h('p', { class: 'lead-sentence', 'data-testid': 'lead-sentence', 'data-indicator': lead },
    ctx.t.leadSentence(label, listed, percentLevel(ctx.detail.release.level, ctx.lang)))
}
