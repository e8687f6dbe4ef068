import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from '../../api/db/database.js'
import { loadHoldingKeyring } from '../../api/sealing/holding-key.js'
import type { HoldingKeyring } from '../../api/sealing/holding-key.js'
import { mixWave } from '../../api/services/mix.js'
import type { MixContext, MixOutcome } from '../../api/services/mix.js'

/**
 * One holding key file for every test app of a machine: apps built again over the same database (a restart, a
 * second API process) must open what the first one held, as a real deployment's processes share the file.
 */
export const TEST_HOLDING_KEY_FILE = join(tmpdir(), 'prevalens-test-holding-key.json')

export function testHoldingKeys (): HoldingKeyring {
  return loadHoldingKeyring(TEST_HOLDING_KEY_FILE)
}

/** What the server's mix runs with, on the test key file. */
export function testMixContext (db: Kysely<Database>, keys: HoldingKeyring = testHoldingKeys()): MixContext {
  return { db, keys, timeZone: 'Europe/Oslo' }
}

/** Runs the mix for every wave with held responses, as the end of the week would. */
export async function mixAllHeld (db: Kysely<Database>, keys: HoldingKeyring = testHoldingKeys()): Promise<MixOutcome[]> {
  const waves = await db.selectFrom('held_responses').select('wave_id').distinct().execute()
  const outcomes: MixOutcome[] = []
  for (const { wave_id: waveId } of waves) outcomes.push(await mixWave(testMixContext(db, keys), waveId))
  return outcomes
}
