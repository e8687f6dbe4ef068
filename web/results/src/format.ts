import { formatDate, formatNumber, locale } from '../../shared/i18n.js'
import type { Lang } from '../../shared/i18n.js'

/** Between a number and its % sign: a no-break space, so "12,3 %" never breaks across lines. */
const PERCENT = '\u00a0%'

/** A proportion as a percentage with one decimal ("12,3 %" / "12.3 %"). */
export function percent (lang: Lang, proportion: number): string {
  return `${new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(proportion * 100)}${PERCENT}`
}

/** A figure already in percent, as another study published it ("12,5 %": as many decimals as it has). */
export function percentFigure (lang: Lang, value: number): string {
  return `${formatNumber(lang, value)}${PERCENT}`
}

/** A confidence level ("95 %"). */
export function percentLevel (level: number, lang: Lang): string {
  return `${formatNumber(lang, level * 100, { maximumFractionDigits: 1 })}${PERCENT}`
}

/** An interval of proportions as percentages ("10,1–14,5 %"). */
export function interval (lang: Lang, low: number, high: number): string {
  const format = new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 })
  return `${format.format(low * 100)}–${format.format(high * 100)}${PERCENT}`
}

/** A difference of proportions in percentage points, signed ("+4,2" / "−1.0"). */
export function points (lang: Lang, difference: number): string {
  return new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(difference * 100)
}

/** An interval of a difference in percentage points ("−6,4 til −1,2"). */
export function pointsInterval (lang: Lang, low: number, high: number): string {
  return `${points(lang, low)} ${lang === 'nb' ? 'til' : 'to'} ${points(lang, high)}`
}

/** A plain decimal number such as a design effect ("1,18" / "1.18"). */
export function decimal (lang: Lang, value: number, digits = 2): string {
  return new Intl.NumberFormat(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)
}

export function count (lang: Lang, value: number): string {
  return formatNumber(lang, value, { maximumFractionDigits: 0 })
}

/** YYYY-MM-DD as readers write it (26.11.2026 / 26 Nov 2026), without a time zone shift. */
export function day (lang: Lang, isoDate: string): string {
  return formatDate(lang, isoDate)
}
