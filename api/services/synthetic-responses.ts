import { createHash, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { randomAnswers } from '../synthetic/random-answers.js'
import { mulberry32, weightedIndex } from '../synthetic/rng.js'
import type { Rng } from '../synthetic/rng.js'
import type { ChoiceValue, CompiledQuestion, CompiledSurvey } from '../intake/types.js'
import { AppError, notFound } from '../errors.js'
import { acceptResponseAtSite } from './intake.js'
import type { SiteIntakeContext } from './intake.js'

/**
 * Lifetime ("ever") exposure per violence type, roughly where the published studies put it (38–77 % exposed to any violence)
 * (38–77 % any violence; 25 % strangled and 73 % pushed among women in treatment), before the
 * gender, site and person factors below.
 */
const EVER_RATE: Record<string, number> = {
  pushed: 0.5,
  hair_pulled: 0.28,
  grabbed_throat: 0.3,
  strangled: 0.18,
  hit_fist: 0.4,
  kicked: 0.35,
  hit_object: 0.25,
  threatened_weapon: 0.3,
  stabbed_cut: 0.12,
  attempted_murder: 0.14,
  forced_sexual: 0.15,
  raped: 0.11,
  psychological: 0.5,
}
/** Women report more sexual violence and strangulation, men more weapons and stabbing. */
const WOMAN_FACTOR: Record<string, number> = { forced_sexual: 3, raped: 3, strangled: 1.8, grabbed_throat: 1.5, hair_pulled: 1.6, psychological: 1.3 }
const MAN_FACTOR: Record<string, number> = { stabbed_cut: 1.6, threatened_weapon: 1.4, kicked: 1.2, forced_sexual: 0.4, raped: 0.3 }
const GENDERS: Array<[string, number]> = [['woman', 0.36], ['man', 0.58], ['other', 0.03], ['prefer_not', 0.03]]
const PERIOD_SHARE = { _12m: 0.55, _1m: 0.3 }
/**
 * Visits to the site in the last 7 days (hverdag v2 on): the share of respondents per answer, and how much
 * more exposed they are. Frequent visitors are asked more often and, here, exposed more, so attendance
 * weights move the estimates as they would in a venue sample.
 */
const VISITS: Array<[string, number, number]> = [['once', 0.3, 0.8], ['2_3', 0.3, 1], ['4_6', 0.2, 1.15], ['7_plus', 0.15, 1.3], ['dont_know', 0.05, 1]]
const VISITS_OTHER: Array<[string, number]> = [['none', 0.35], ['once', 0.2], ['2_3', 0.2], ['4_6', 0.1], ['7_plus', 0.1], ['dont_know', 0.05]]
/** "Already answered in this round": a few say yes, as two sites in one wave would give. */
const ANSWERED_BEFORE: Array<[string, number]> = [['no', 0.9], ['yes', 0.04], ['dont_know', 0.06]]

export interface SyntheticOptions {
  waveId: string
  responses: number
  seed?: number
  /** Responses sent at once; PGlite runs them one by one anyway. */
  concurrency?: number
}

export interface SyntheticResult {
  stored: number
  bySite: Record<string, number>
}

/**
 * Fills a wave with plausible responses that go through the same validation and fact derivation as intake.
 * Answers are deterministic for a seed; response ids are random, as a tablet's are.
 */
export async function seedSyntheticResponses (ctx: SiteIntakeContext, options: SyntheticOptions): Promise<SyntheticResult> {
  const { wave, siteIds } = await loadWave(ctx.db, options.waveId)
  const version = await ctx.surveys.get(wave.survey_version_id)
  const rng = mulberry32(options.seed ?? 1)
  const siteFactor = new Map(siteIds.map((id) => [id, siteExposureFactor(id)]))
  const bySite: Record<string, number> = Object.fromEntries(siteIds.map((id) => [id, 0]))
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < options.responses) {
      next += 1
      const siteId = siteIds[Math.floor(rng() * siteIds.length)] as string
      const answers = syntheticAnswers(version.survey, rng, siteFactor.get(siteId) ?? 1)
      await acceptResponseAtSite(ctx, siteId, { id: randomUUID(), waveId: wave.id, answers })
      bySite[siteId] = (bySite[siteId] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker))
  return { stored: options.responses, bySite }
}

/**
 * One plausible respondent's answers (valid for the survey): gender first, then exposure to each violence
 * type scaled by gender, the site's factor (siteExposureFactor) and a personal factor, with a few per cent
 * of items skipped or answered "prefer not to say". The bench seeds its facts from these too.
 */
export function syntheticAnswers (survey: CompiledSurvey, rng: Rng, siteFactor: number): Record<string, unknown> {
  return randomAnswers(survey, rng, {
    weight: respondentWeights(rng, siteFactor),
    // Item non-response of a few per cent, as in interviewer-free surveys of this group.
    skipProbability: 0.015,
    missingProbability: 0.015,
  })
}

/** A site's exposure factor, 0.75–1.25, fixed by its id: sites differ, so the design has a cluster effect. */
export function siteExposureFactor (siteId: string): number {
  return 0.75 + 0.5 * hashFraction(siteId)
}

async function loadWave (db: Kysely<Database>, waveId: string) {
  const wave = await db.selectFrom('waves').selectAll().where('id', '=', waveId).executeTakeFirst()
  if (wave === undefined) throw notFound(`wave ${waveId}`)
  const sites = await db.selectFrom('wave_sites').select('site_id').where('wave_id', '=', waveId).orderBy('site_id').execute()
  if (sites.length === 0) throw new AppError(409, 'wave_not_at_site', `wave ${waveId} has no sites to fill`)
  return { wave, siteIds: sites.map((row) => row.site_id) }
}

/** Choice weights for one respondent: their gender first, then exposure scaled by gender, site and a personal factor. */
function respondentWeights (rng: Rng, siteFactor: number): (question: CompiledQuestion, choice: ChoiceValue) => number {
  const gender = GENDERS[weightedIndex(rng, GENDERS.map(([, share]) => share))]?.[0] ?? 'man'
  // Exposure clusters in people: about a third report none, a quarter much (any violence ever lands near 65 %).
  const visits = VISITS[weightedIndex(rng, VISITS.map(([, share]) => share))] ?? ['once', 1, 1]
  const visitsOther = VISITS_OTHER[weightedIndex(rng, VISITS_OTHER.map(([, share]) => share))]?.[0]
  const answeredBefore = ANSWERED_BEFORE[weightedIndex(rng, ANSWERED_BEFORE.map(([, share]) => share))]?.[0]
  const personal = ([0, 0.55, 1.5][weightedIndex(rng, [0.3, 0.45, 0.25])] ?? 1) * visits[2]
  const genderFactor = gender === 'woman' ? WOMAN_FACTOR : gender === 'man' ? MAN_FACTOR : {}
  return (question, choice) => {
    if (question.name === 'gender') return choice === gender ? 1 : 0
    if (question.name === 'visits_here') return choice === visits[0] ? 1 : 0
    if (question.name === 'visits_other') return choice === visitsOther ? 1 : 0
    if (question.name === 'answered_before') return choice === answeredBefore ? 1 : 0
    const match = /^(.+?)(_ever|_12m|_1m)$/.exec(question.name)
    const type = match?.[1]
    const base = type === undefined ? undefined : EVER_RATE[type]
    if (base === undefined || match === null) return 1
    const p = match[2] === '_ever'
      ? Math.min(0.97, base * (genderFactor[type as string] ?? 1) * siteFactor * personal)
      : PERIOD_SHARE[match[2] as keyof typeof PERIOD_SHARE]
    if (choice === 'no') return 1 - p
    if (choice === 'once') return p * 0.45
    if (choice === 'several') return p * 0.55
    return 1
  }
}

function hashFraction (text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32
}
