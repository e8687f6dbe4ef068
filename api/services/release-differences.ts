/**
 * The differences a release freezes beside its tables: women minus men for each headline indicator,
 * and this wave minus the previous released wave, each with its interval, computed only from cells
 * the release publishes (analysis/difference-of-proportions.ts).
 */
import { designBasedDifference, newcombeDifference } from '../../analysis/difference-of-proportions.js'
import type { ClusterCount } from '../../analysis/design-based-proportion.js'
import type { DesignDifferenceResult, NewcombeDifferenceResult } from '../../analysis/estimate.js'
import type { Difference } from '../schemas/releases.js'
import type { ResultRowReply } from '../schemas/results.js'
import type { ComputedTables, ReleaseSettings } from './release-tables.js'

type Side = Difference['first']

const sameGroup = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([d, v]) => b[d] === v)

const findRow = (rows: readonly ResultRowReply[], indicator: string, group: Readonly<Record<string, string>>): ResultRowReply | undefined =>
  rows.find((row) => row.indicator === indicator && sameGroup(row.group, group))

function side (label: string, waveId: string, row: ResultRowReply | undefined): Side {
  if (row === undefined || row.suppressed || row.reliability?.withheld === true) return { label, waveId }
  return {
    label,
    waveId,
    ...(row.n === undefined ? {} : { n: row.n }),
    ...(row.count === undefined ? {} : { count: row.count }),
    ...(row.estimate === undefined ? {} : { estimate: row.estimate }),
  }
}

/** A difference whose cells are both published, from the estimator's result; otherwise one without numbers. */
function difference (
  base: Omit<Difference, 'suppressed' | 'level'>,
  level: number,
  rows: ReleaseRowPair,
  estimate: () => NewcombeDifferenceResult | DesignDifferenceResult,
  note?: string
): Difference {
  const missing = rows.findIndex((row) => row === undefined)
  if (missing !== -1) {
    return { ...base, level, suppressed: false, reason: `${missing === 0 ? base.first.label : base.second.label} has no published cell to compare` }
  }
  const suppressed = rows.findIndex((row) => row?.suppressed === true)
  if (suppressed !== -1) {
    const label = suppressed === 0 ? base.first.label : base.second.label
    return { ...base, level, suppressed: true, reason: `not given: the cell of ${label} is suppressed by disclosure control` }
  }
  const withheld = rows.findIndex((row) => row?.reliability?.withheld === true)
  if (withheld !== -1) {
    const label = withheld === 0 ? base.first.label : base.second.label
    return { ...base, level, suppressed: false, reason: `not given: the estimate of ${label} is withheld as unreliable by the presentation standard` }
  }
  const result = estimate()
  switch (result.status) {
    case 'no_data':
      return { ...base, level, method: result.method, suppressed: false, reason: result.reason }
    case 'not_estimable':
      return { ...base, level, method: result.method, difference: result.difference, suppressed: false, reason: result.reason }
    case 'estimated': {
      const notes = [result.fallback?.reason, result.note, note].filter((text): text is string => text !== undefined)
      return {
        ...base,
        level,
        method: result.method,
        difference: result.difference,
        ci_low: result.lower,
        ci_high: result.upper,
        suppressed: false,
        ...(notes.length === 0 ? {} : { note: notes.join('; ') }),
      }
    }
  }
}

/**
 * A difference as a weighted release gives it: without numbers. The difference estimators count respondents
 * alike, so one beside weighted figures would contradict them; what each side published stays.
 */
export function notGivenWhenWeighted (difference: Difference): Difference {
  const { kind, indicator, group, first, second, level } = difference
  return { kind, indicator, group, first, second, level, suppressed: false, reason: 'not given: the release is weighted by attendance, and differences are given for unweighted releases only' }
}

type ReleaseRowPair = readonly [ResultRowReply | undefined, ResultRowReply | undefined]

const counts = (row: ResultRowReply | undefined): { n: number, yes: number } => ({ n: row?.n ?? 0, yes: row?.count ?? 0 })

/**
 * Women minus men, overall, for each headline indicator: design-based with the sites as clusters
 * when the release is (the two groups share sites, so their covariance counts), Newcombe otherwise.
 */
export function womenMinusMen (
  waveId: string,
  indicators: readonly string[],
  rows: readonly ResultRowReply[],
  computed: ComputedTables,
  settings: ReleaseSettings
): Difference[] {
  return indicators.map((indicator) => {
    const pair: ReleaseRowPair = [findRow(rows, indicator, { gender: 'woman' }), findRow(rows, indicator, { gender: 'man' })]
    const base = { kind: 'women_minus_men' as const, indicator, group: {}, first: side('women', waveId, pair[0]), second: side('men', waveId, pair[1]) }
    return difference(base, settings.level, pair, () => settings.method === 'cluster' || settings.method === 'korn-graubard'
      ? designBasedDifference(siteCounts(computed, indicator, 'woman'), siteCounts(computed, indicator, 'man'),
        { level: settings.level, clustersPerStratum: clustersPerStratum(computed) })
      : newcombeDifference(counts(pair[0]), counts(pair[1]), { level: settings.level }))
  })
}

export interface PreviousWave {
  waveId: string
  waveName: string
  resultRows: readonly ResultRowReply[]
}

/**
 * This wave minus the previous released wave, overall and for women and men, for each headline
 * indicator both releases publish, from the two releases' frozen counts.
 */
export function waveMinusPrevious (
  wave: { id: string, name: string },
  previous: PreviousWave,
  indicators: readonly string[],
  rows: readonly ResultRowReply[],
  level: number
): Difference[] {
  const groups: Array<Record<string, string>> = [{}, { gender: 'woman' }, { gender: 'man' }]
  return indicators
    .filter((indicator) => previous.resultRows.some((row) => row.indicator === indicator))
    .flatMap((indicator) => groups.map((group) => {
      const pair: ReleaseRowPair = [findRow(rows, indicator, group), findRow(previous.resultRows, indicator, group)]
      const base = {
        kind: 'wave_minus_previous' as const,
        indicator,
        group,
        first: side(wave.name, wave.id, pair[0]),
        second: side(previous.waveName, previous.waveId, pair[1]),
      }
      return difference(base, level, pair, () => newcombeDifference(counts(pair[0]), counts(pair[1]), { level }),
        'the two waves are compared as independent samples (Newcombe hybrid score interval), without the clustering by site')
    }))
}

/** Per site, an indicator's counts among respondents of one gender: every site of the wave, 0 where none. */
function siteCounts (computed: ComputedTables, indicator: string, gender: string): ClusterCount[] {
  const position = computed.indicatorOrder.indexOf(indicator)
  const bySite = new Map<string, { n: number, yes: number }>()
  for (const row of computed.siteCounts) {
    const sum = bySite.get(row.site) ?? { n: 0, yes: 0 }
    if (row.group.gender === gender) {
      const c = row.counts[position] ?? { n: 0, yes: 0 }
      sum.n += c.n
      sum.yes += c.yes
    }
    bySite.set(row.site, sum)
  }
  return [...bySite].map(([cluster, c]) => ({
    cluster,
    ...(computed.strata === undefined ? {} : { stratum: computed.strata[cluster] as string }),
    n: c.n,
    yes: c.yes,
  }))
}

function clustersPerStratum (computed: ComputedTables): number | Record<string, number> {
  const sites = [...new Set(computed.siteCounts.map((row) => row.site))]
  if (computed.strata === undefined) return sites.length
  const perStratum: Record<string, number> = {}
  for (const site of sites) {
    const stratum = computed.strata[site] as string
    perStratum[stratum] = (perStratum[stratum] ?? 0) + 1
  }
  return perStratum
}
