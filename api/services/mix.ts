import { randomInt } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { deleteHeldResponses, heldResponsesOfWave, tryLockWaveForMix, vacuumHeldResponses, wavesDueForMix } from '../db/queries/held-responses.js'
import type { HeldRow } from '../db/queries/held-responses.js'
import { insertAnalysisRows } from '../db/queries/responses.js'
import type { ResponseAtSite, ResponseToStore } from '../db/queries/responses.js'
import { holdingKeyFile } from '../config.js'
import type { Config } from '../config.js'
import { loadHoldingKeyring } from '../sealing/holding-key.js'
import type { HoldingKeyring } from '../sealing/holding-key.js'
import { isoWeek, studyToday } from '../study-calendar.js'

export interface MixContext {
  db: Kysely<Database>
  keys: HoldingKeyring
  timeZone: string
  now?: () => Date
  /** Told how many responses each mix moved and how many it could not open; never anything about one response. */
  log?: (message: string, counts: Record<string, number | string>) => void
}

export interface MixOutcome {
  waveId: string
  /** false when another process held the wave's mix lock: nothing was done here. */
  ran: boolean
  mixed: number
  /** Held rows that did not open (a key missing from the key file); they stay held. */
  unopened: number
}

/** The mix's context as the configuration gives it: the holding key file it names, the study's time zone. */
export function configuredMixContext (db: Kysely<Database>, config: Pick<Config, 'DATA_DIR' | 'HOLDING_KEY_FILE' | 'STUDY_TIME_ZONE'>, log: MixContext['log']): MixContext {
  return { db, keys: loadHoldingKeyring(holdingKeyFile(config)), timeZone: config.STUDY_TIME_ZONE, log }
}

/** Responses inserted per statement inside the mix's one transaction. */
const MIX_CHUNK = 2_000

/**
 * The mix: the only way answers enter the analysis tables (README, "Threat model"). Every held response of the
 * wave (or those from ISO weeks before `beforeWeek`) is opened, the lot is shuffled with a cryptographic random
 * source, inserted into responses, response_facts and response_totals in that order, and removed from the holding
 * area — all in one transaction that writes no other table. So every analysis row of the batch has the same
 * transaction id, their physical order is the shuffle's, and the only time the WAL records is the mix's own.
 * A crash anywhere before the commit leaves the held rows as they were; a response already mixed (a retried
 * upload that raced a mix) is skipped by the insert and removed from the holding area, so nothing is doubled.
 */
export async function mixWave (ctx: MixContext, waveId: string, beforeWeek?: string): Promise<MixOutcome> {
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<MixOutcome> => {
    if (!await tryLockWaveForMix(trx, waveId)) return { waveId, ran: false, mixed: 0, unopened: 0 }
    const { rows, taken, unopened } = openHeld(ctx.keys, await heldResponsesOfWave(trx, waveId, beforeWeek))
    shuffle(rows)
    let mixed = 0
    for (let start = 0; start < rows.length; start += MIX_CHUNK) {
      mixed += (await insertAnalysisRows(trx, rows.slice(start, start + MIX_CHUNK))).size
    }
    await deleteHeldResponses(trx, taken)
    return { waveId, ran: true, mixed, unopened }
  })
  if (outcome.ran && outcome.mixed + outcome.unopened > 0) {
    await vacuumHeldResponses(ctx.db)
    ctx.log?.('mixed held responses into the analysis tables', { waveId, mixed: outcome.mixed, unopened: outcome.unopened })
  }
  return outcome
}

/**
 * Mixes whatever is due: at the first call after an ISO week ends (study time zone), every wave's responses held
 * from that week or earlier; once a wave's late uploads are over, all of its held responses. The server calls it
 * every minute; several API processes may, since a wave's mix runs in one of them at a time.
 */
export async function mixDueWaves (ctx: MixContext): Promise<MixOutcome[]> {
  const today = studyToday(ctx.timeZone, ctx.now?.() ?? new Date())
  const currentWeek = isoWeek(today)
  const due = await wavesDueForMix(ctx.db, currentWeek, today)
  const outcomes: MixOutcome[] = []
  for (const { waveId, all } of due) outcomes.push(await mixWave(ctx, waveId, all ? undefined : currentWeek))
  return outcomes
}

/** Runs mixDueWaves now and then every `intervalMs`; the returned function stops it. Failures are logged, not thrown. */
export function startMixSchedule (ctx: MixContext, onError: (error: unknown) => void, intervalMs = 60_000): () => void {
  let running: Promise<unknown> = Promise.resolve()
  const tick = (): void => {
    running = running.then(async () => await mixDueWaves(ctx)).catch(onError)
  }
  tick()
  const timer = setInterval(tick, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}

function openHeld (keys: HoldingKeyring, held: readonly HeldRow[]): { rows: ResponseAtSite[], taken: string[], unopened: number } {
  const rows: ResponseAtSite[] = []
  const taken: string[] = []
  let unopened = 0
  for (const row of held) {
    let response: ResponseToStore
    try {
      response = JSON.parse(keys.open(row).toString('utf8')) as ResponseToStore
    } catch {
      unopened += 1
      continue
    }
    rows.push({ siteId: row.siteId, response })
    taken.push(row.idDigest)
  }
  return { rows, taken, unopened }
}

/** Fisher–Yates with crypto.randomInt: the order of a mixed batch says nothing about the order of arrival. */
function shuffle<T> (items: T[]): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1)
    const item = items[i] as T
    items[i] = items[j] as T
    items[j] = item
  }
}
