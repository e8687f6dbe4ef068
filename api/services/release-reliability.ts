/**
 * What a release does with the NCHS presentation standard's verdict on each row: every flagged row
 * carries its reasons in plain words (bokmål and English); a row the standard says not to present
 * is marked, or has its estimate and interval withheld, as the researcher chose.
 */
import { RELIABILITY_TEXT } from '../../analysis/reliability.js'
import type { ReleaseMethod, UnreliablePolicy } from '../schemas/releases.js'
import type { ResultRowReply } from '../schemas/results.js'

/** The method a release uses when the researcher names none: Korn–Graubard with sites as clusters from 2 sites on. */
export function defaultReleaseMethod (sites: number): ReleaseMethod {
  return sites >= 2 ? 'korn-graubard' : 'wilson'
}

/**
 * A row as the release publishes it. A withheld row keeps n and count, which disclosure control
 * cleared (and which later releases' control reads back), but loses every figure the standard
 * judges: the estimate, its interval, deff and effective n.
 */
export function applyReliability (row: ResultRowReply, policy: UnreliablePolicy): ResultRowReply {
  const reliability = row.reliability
  if (row.suppressed || reliability === undefined || reliability.flags.length === 0) return row
  const explanation = {
    nb: reliability.flags.map((flag) => RELIABILITY_TEXT[flag].nb).join(' '),
    en: reliability.flags.map((flag) => RELIABILITY_TEXT[flag].en).join(' '),
  }
  if (policy === 'mark' || reliability.publish !== 'no') {
    return { ...row, reliability: { ...reliability, withheld: false, explanation } }
  }
  const { estimate: _estimate, ci_low: _low, ci_high: _high, deff: _deff, effective_n: _effective, ...kept } = row
  return { ...kept, reliability: { ...reliability, withheld: true, explanation } }
}
