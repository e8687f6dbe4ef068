/**
 * The notes a release publishes beside its figures, as codes with their numbers (ReleaseNoteSchema), so
 * the results app says them in the reader's language and in plain words, never with an internal id.
 *
 * analysis/ explains a figure in one English sentence for researchers (`reason`, a difference's `note`),
 * with the statistician's terms and, for a one-site cell, the site's id. A release freezes that
 * sentence (api/db/release-rows.ts); its `notes` are read from it here whenever the release is served,
 * so every release, frozen before notes existed or after, reads alike. Each pattern below is one the
 * analysis writes (test/unit/release-notes.test.ts runs every estimator's reasons through it, and the
 * sentences of a committed frozen release); a
 * sentence none matches becomes `unexplained`, which the app words as "ask the researchers", rather
 * than showing English or an id to a reader of bokmål.
 */
import type { Difference } from '../schemas/releases.js'
import type { ReleaseNote, ResultRowReply } from '../schemas/results.js'

type Side = 'first' | 'second' | 'both'

const count = (text: string | undefined): number | undefined => text === undefined ? undefined : Number(text)

/** Patterns of analysis/ sentences, most specific first; each gives the note it means. */
const PATTERNS: ReadonlyArray<readonly [RegExp, (match: RegExpExecArray) => ReleaseNote]> = [
  [/^all (\d+) respondents are in one cluster/, (m) => ({ code: 'one_site', n: count(m[1]) as number })],
  [/^all respondents of both groups are in one cluster/, () => ({ code: 'one_site' })],
  [/^each of the (\d+) strata with data has its respondents in a single cluster/, (m) => ({ code: 'one_site_per_stratum', strata: count(m[1]) as number })],
  [/^stratum ".*" has only one cluster in the design/, () => ({ code: 'lonely_stratum' })],
  [/^0 degrees of freedom \(one cluster, or one per stratum\)/, () => ({ code: 'one_site_no_interval' })],
  [/the logit interval does not exist at p = 0 or 1/, () => ({ code: 'no_interval_at_0_or_100' })],
  [/^the design standard error (of the difference )?is 0/, () => ({ code: 'no_design_variance' })],
  [/^(both groups have|the first group has|the second group has) no respondents with a known value/, (m) =>
    ({ code: 'group_empty', side: m[1] === 'both groups have' ? 'both' : m[1] === 'the first group has' ? 'first' : 'second' })],
  [/^no (cluster rows|respondents with a known value)/, () => ({ code: 'no_data' })],
  [/^(the first group has p = [01](?: and the second group has p = [01])?|the second group has p = [01]), which contributes no variance/, (m) =>
    ({ code: 'group_at_0_or_100', side: (m[1] ?? '').includes(' and ') ? 'both' : (m[1] ?? '').startsWith('the first') ? 'first' : 'second' })],
  [/^the two waves are compared as independent samples/, () => ({ code: 'independent_waves' })],
  [/^not given: the release is weighted by attendance/, () => ({ code: 'weighted_no_difference' })],
]

/** The note one analysis sentence means; `unexplained` for a sentence the analysis does not write. */
export function noteOf (sentence: string): ReleaseNote {
  for (const [pattern, note] of PATTERNS) {
    const match = pattern.exec(sentence)
    if (match !== null) return note(match)
  }
  return { code: 'unexplained' }
}

/**
 * The notes of a published row, from its reason. A suppressed row has none: its `rule` says why, and
 * the app words the rule.
 */
export function rowNotes (row: ResultRowReply): ReleaseNote[] {
  if (row.suppressed || row.reason === undefined) return []
  return [noteOf(row.reason)]
}

/** A row as a release serves it: with its notes (already stored, or read from the reason of an older release). */
export function withRowNotes (row: ResultRowReply): ResultRowReply {
  if (row.notes !== undefined) return row
  const notes = rowNotes(row)
  return notes.length === 0 ? row : { ...row, notes }
}

/** The side a difference's reason names by its label ("women", or a wave's name). */
function sideNamed (difference: Difference, sentence: string, prefix: string): Side {
  const rest = sentence.slice(prefix.length)
  const names = (label: string): boolean => rest === label || rest.startsWith(`${label} `)
  // The longer label first: one wave's name may begin with the other's ("Høst 2026", "Høst 2026 b").
  const [longer, shorter] = difference.first.label.length >= difference.second.label.length
    ? [['first', difference.first.label], ['second', difference.second.label]] as const
    : [['second', difference.second.label], ['first', difference.first.label]] as const
  return names(longer[1]) ? longer[0] : names(shorter[1]) ? shorter[0] : 'both'
}

/** The notes of a difference: why it is not given, or how to read its interval. */
export function differenceNotes (difference: Difference): ReleaseNote[] {
  const notes: ReleaseNote[] = []
  const reason = difference.reason
  if (reason !== undefined) {
    if (reason.endsWith(' has no published cell to compare')) {
      notes.push({ code: 'side_missing', side: sideNamed(difference, reason, '') })
    } else if (reason.startsWith('not given: the cell of ')) {
      notes.push({ code: 'side_suppressed', side: sideNamed(difference, reason, 'not given: the cell of ') })
    } else if (reason.startsWith('not given: the estimate of ')) {
      notes.push({ code: 'side_withheld', side: sideNamed(difference, reason, 'not given: the estimate of ') })
    } else {
      notes.push(noteOf(reason))
    }
  }
  // A difference's note joins the fallback's reason, the estimator's caution and the release's own with "; ".
  for (const part of (difference.note ?? '').split('; ').filter((text) => text !== '')) notes.push(noteOf(part))
  return notes
}

/** A difference as a release serves it, with its notes. */
export function withDifferenceNotes (difference: Difference): Difference {
  if (difference.notes !== undefined) return difference
  const notes = differenceNotes(difference)
  return notes.length === 0 ? difference : { ...difference, notes }
}
