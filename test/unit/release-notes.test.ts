import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readResultRows } from '../../api/db/release-rows.js'
import { designBasedDifference, designBasedProportion, kornGraubardProportion, newcombeDifference, weightedDesignProportion } from '../../analysis/index.js'
import type { ClusterCount } from '../../analysis/index.js'
import { noData } from '../../analysis/estimate.js'
import { notGivenWhenWeighted } from '../../api/services/release-differences.js'
import { differenceNotes, noteOf, rowNotes } from '../../api/services/release-notes.js'
import type { Difference } from '../../api/schemas/releases.js'

// Every sentence the estimators write, produced by the estimators themselves, must be read as a note
// other than "unexplained": a reworded sentence in analysis/ fails here rather than reach a reader as
// "ask the researchers".

const SITE = '41df42e0-1f6b-4c39-9d55-2a7f3b1c9e10'

function reasonOf (result: { status: string, reason?: string, fallback?: { reason: string } }): string {
  const reason = result.fallback?.reason ?? result.reason
  if (reason === undefined) throw new Error(`expected a reason, got a plain ${result.status}`)
  return reason
}

describe('release notes read from the estimators\' own sentences', () => {
  it('reads one site (the Korn–Graubard and logit fallbacks) with its respondents and without the site id', () => {
    const rows: ClusterCount[] = [{ cluster: SITE, n: 122, yes: 30 }]
    for (const result of [kornGraubardProportion(rows), designBasedProportion(rows)]) {
      const reason = reasonOf(result)
      expect(reason).toContain(SITE)
      const note = noteOf(reason)
      expect(note).toEqual({ code: 'one_site', n: 122 })
      expect(JSON.stringify(note)).not.toContain(SITE)
    }
  })

  it('reads one site per stratum, a lonely stratum, p at 0 or 1 and a zero design variance', () => {
    const perStratum: ClusterCount[] = [{ cluster: 'a', stratum: '03', n: 40, yes: 9 }, { cluster: 'b', stratum: '11', n: 35, yes: 12 }]
    expect(noteOf(reasonOf(kornGraubardProportion(perStratum)))).toEqual({ code: 'one_site_per_stratum', strata: 2 })
    expect(noteOf(reasonOf(designBasedProportion(perStratum)))).toEqual({ code: 'one_site_per_stratum', strata: 2 })
    const lonely: ClusterCount[] = [{ cluster: 'a', stratum: '03', n: 40, yes: 9 }, { cluster: 'b', stratum: '03', n: 30, yes: 5 }, { cluster: 'c', stratum: '11', n: 35, yes: 12 }]
    expect(noteOf(reasonOf(kornGraubardProportion(lonely)))).toEqual({ code: 'lonely_stratum' })
    expect(noteOf(reasonOf(designBasedProportion(lonely)))).toEqual({ code: 'lonely_stratum' })
    const none: ClusterCount[] = [{ cluster: 'a', n: 40, yes: 0 }, { cluster: 'b', n: 30, yes: 0 }]
    expect(noteOf(reasonOf(designBasedProportion(none)))).toEqual({ code: 'no_interval_at_0_or_100' })
    const alike: ClusterCount[] = [{ cluster: 'a', n: 10, yes: 5 }, { cluster: 'b', n: 10, yes: 5 }]
    expect(noteOf(reasonOf(designBasedProportion(alike)))).toEqual({ code: 'no_design_variance' })
  })

  it('reads the weighted estimator\'s sentences: one site, a lonely stratum, no variance, no data', () => {
    for (const interval of ['logit', 'korn-graubard'] as const) {
      const one = weightedDesignProportion([{ cluster: SITE, n: 20, yes: 5, weight: 14, weightedYes: 4 }], { interval })
      expect(noteOf(reasonOf(one))).toEqual({ code: 'one_site_no_interval' })
      const lonely = weightedDesignProportion([
        { cluster: 'a', stratum: '03', n: 20, yes: 5, weight: 14, weightedYes: 4 }, { cluster: 'b', stratum: '03', n: 10, yes: 3, weight: 8, weightedYes: 2 },
        { cluster: 'c', stratum: '11', n: 12, yes: 4, weight: 9, weightedYes: 3 },
      ], { interval })
      expect(noteOf(reasonOf(lonely))).toEqual({ code: 'lonely_stratum' })
      const empty = weightedDesignProportion([{ cluster: 'a', n: 0, yes: 0, weight: 0, weightedYes: 0 }], { interval })
      expect(noteOf(reasonOf(empty))).toEqual({ code: 'no_data' })
    }
  })

  it('reads every way of having no data', () => {
    expect(noteOf(noData('wilson', 0.95).reason)).toEqual({ code: 'no_data' })
    expect(noteOf(reasonOf(designBasedProportion([])))).toEqual({ code: 'no_data' })
    expect(noteOf(reasonOf(designBasedProportion([{ cluster: 'a', n: 0, yes: 0 }])))).toEqual({ code: 'no_data' })
    expect(noteOf(reasonOf(kornGraubardProportion([{ cluster: 'a', n: 0, yes: 0 }])))).toEqual({ code: 'no_data' })
  })

  it('reads the differences\' sentences: an empty group, one site, a lonely stratum, no variance, a group at 0 or 100 %', () => {
    expect(noteOf(reasonOf(newcombeDifference({ n: 0, yes: 0 }, { n: 10, yes: 2 })))).toEqual({ code: 'group_empty', side: 'first' })
    expect(noteOf(reasonOf(newcombeDifference({ n: 10, yes: 2 }, { n: 0, yes: 0 })))).toEqual({ code: 'group_empty', side: 'second' })
    expect(noteOf(reasonOf(newcombeDifference({ n: 0, yes: 0 }, { n: 0, yes: 0 })))).toEqual({ code: 'group_empty', side: 'both' })
    expect(noteOf(reasonOf(designBasedDifference([{ cluster: SITE, n: 20, yes: 4 }], [{ cluster: SITE, n: 30, yes: 9 }])))).toEqual({ code: 'one_site' })
    const lonely = (yes: number): ClusterCount[] => [{ cluster: 'a', stratum: '03', n: 40, yes }, { cluster: 'b', stratum: '03', n: 30, yes }, { cluster: 'c', stratum: '11', n: 35, yes }]
    expect(noteOf(reasonOf(designBasedDifference(lonely(9), lonely(3))))).toEqual({ code: 'lonely_stratum' })
    const zero: ClusterCount[] = [{ cluster: 'a', n: 10, yes: 0 }, { cluster: 'b', n: 12, yes: 0 }]
    expect(noteOf(reasonOf(designBasedDifference(zero, zero)))).toEqual({ code: 'no_design_variance' })
    const varied: ClusterCount[] = [{ cluster: 'a', n: 10, yes: 3 }, { cluster: 'b', n: 12, yes: 7 }]
    const boundary = designBasedDifference(zero.map((row) => ({ ...row, cluster: row.cluster })), varied)
    if (boundary.status !== 'estimated' || boundary.note === undefined) throw new Error('expected an interval with a note')
    expect(noteOf(boundary.note)).toEqual({ code: 'group_at_0_or_100', side: 'first' })
  })

  it('reads the sentences of a release frozen before notes existed (the committed format-1 fixture)', () => {
    const frozen = JSON.parse(readFileSync(new URL('../fixtures/release-rows/v1.json', import.meta.url), 'utf8')) as { formatVersion: number, rows: unknown[] }
    const rows = readResultRows(frozen.formatVersion, frozen.rows)
    const explained = rows.filter((row) => !row.suppressed && row.reason !== undefined)
    expect(explained.length).toBeGreaterThan(0)
    for (const row of explained) {
      const notes = rowNotes(row)
      expect(notes.map((note) => note.code), row.reason).not.toContain('unexplained')
      expect(JSON.stringify(notes)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/)
    }
    expect(explained.flatMap(rowNotes)).toContainEqual({ code: 'one_site', n: 12 })
  })

  it('gives a sentence the analysis does not write as unexplained, never as its text', () => {
    expect(noteOf(`something new about site "${SITE}"`)).toEqual({ code: 'unexplained' })
  })

  it('gives a suppressed row no note (its rule says why) and a published row one', () => {
    expect(rowNotes({ indicator: 'x', group: {}, method: 'wilson', suppressed: true, rule: 'n_below_k', reason: 'suppressed (primary): fewer than 5 respondents with a known value' })).toEqual([])
    expect(rowNotes({ indicator: 'x', group: {}, n: 0, count: 0, method: 'wilson', suppressed: false, reason: noData('wilson', 0.95).reason })).toEqual([{ code: 'no_data' }])
  })

  it('names the side of a difference by its label, the longer label first', () => {
    const base: Difference = {
      kind: 'wave_minus_previous',
      indicator: 'x',
      group: {},
      level: 0.95,
      suppressed: true,
      first: { label: 'Høst 2026', waveId: 'w1' },
      second: { label: 'Høst 2026 b', waveId: 'w2' },
    }
    expect(differenceNotes({ ...base, reason: 'not given: the cell of Høst 2026 b is suppressed by disclosure control' })).toEqual([{ code: 'side_suppressed', side: 'second' }])
    expect(differenceNotes({ ...base, reason: 'not given: the cell of Høst 2026 is suppressed by disclosure control' })).toEqual([{ code: 'side_suppressed', side: 'first' }])
  })

  it('reads a difference not given because the release is weighted', () => {
    const base: Difference = { kind: 'women_minus_men', indicator: 'x', group: {}, level: 0.95, suppressed: false, first: { label: 'women', waveId: 'w' }, second: { label: 'men', waveId: 'w' } }
    expect(differenceNotes(notGivenWhenWeighted(base))).toEqual([{ code: 'weighted_no_difference' }])
  })
})
