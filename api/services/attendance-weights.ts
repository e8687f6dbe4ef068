/**
 * From the grouped counts to the rows the results tables estimate from, with attendance weights where a
 * request asks for them (README, "Attendance weights and repeat participation"). The counts come split
 * by the respondents' visits (the weight class), so Σ w = n · w and Σ w·y = yes · w per class are exact.
 */
import { multiplicityWeight } from '../../analysis/weighted-design-proportion.js'
import type { ClusterCellCounts } from '../../analysis/results-table.js'
import type { SiteCellCounts } from '../db/queries/results.js'
import { AppError } from '../errors.js'
import { REPEAT_POLICIES, WEIGHTINGS } from '../schemas/releases.js'
import type { RepeatPolicy, Weighting } from '../schemas/releases.js'

/** The cluster rows of counts, each count carrying its weighted totals when `weighting` is attendance. */
export function clusterCellRows (counts: readonly SiteCellCounts[], weighting: Weighting, positions?: readonly number[]): ClusterCellCounts[] {
  return counts.map((row) => {
    const picked = positions === undefined ? row.counts : positions.map((p) => row.counts[p] ?? { n: 0, yes: 0 })
    if (weighting === 'none') return { group: row.group, cluster: row.site, counts: picked }
    const w = multiplicityWeight(row.visits)
    return { group: row.group, cluster: row.site, counts: picked.map(({ n, yes }) => ({ n, yes, weight: n * w, weightedYes: yes * w })) }
  })
}

/** The weighting a request names; 400 naming the choices otherwise. */
export function parseWeighting (text: string | undefined): Weighting {
  const value = text ?? 'none'
  if (!(WEIGHTINGS as readonly string[]).includes(value)) throw new AppError(400, 'bad_request', `unknown weights "${value}": use ${WEIGHTINGS.join(' or ')}`)
  return value as Weighting
}

/** The repeat policy a request names; 400 naming the choices otherwise. */
export function parseRepeatPolicy (text: string | undefined): RepeatPolicy {
  const value = text ?? 'exclude'
  if (!(REPEAT_POLICIES as readonly string[]).includes(value)) throw new AppError(400, 'bad_request', `unknown repeats "${value}": use ${REPEAT_POLICIES.join(' or ')}`)
  return value as RepeatPolicy
}
