import type { Kysely, Transaction } from 'kysely'
import type { Database, NewSite, NewWave, SiteRow, WaveRow } from '../../api/db/database.js'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import { insertWave } from '../../api/db/queries/waves.js'
import type { WaveSitePlan } from '../../api/db/queries/waves.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { addDays, studyToday } from '../../api/study-calendar.js'

export interface StudyFixture {
  site: SiteRow
  otherSite: SiteRow
  wave: WaveRow
  deviceId: string
  token: string
}

let siteCounter = 0

/**
 * Five sites in three counties (two, two and one), two municipalities in county 46: enough for crossings whose
 * small cells must be suppressed, and a stratum with a single cluster.
 */
export const FIVE_SITES = [
  { county_number: '03', municipality_number: '0301', kind: 'municipal_low_threshold', centrality: 1 },
  { county_number: '03', municipality_number: '0301', kind: 'specialist_treatment', centrality: 1 },
  { county_number: '46', municipality_number: '4601', kind: 'municipal_low_threshold', centrality: 2 },
  { county_number: '46', municipality_number: '4627', kind: 'housing', centrality: 4 },
  { county_number: '50', municipality_number: '5001', kind: 'street_outreach', centrality: 2 },
] as const satisfies ReadonlyArray<Partial<NewSite>>

export function siteFixture (overrides: Partial<NewSite> = {}): NewSite {
  siteCounter += 1
  return { name: `Test site ${siteCounter}`, kind: 'municipal_low_threshold', municipality_number: '0301', county_number: '03', centrality: 1, ...overrides }
}

/**
 * A wave with its sites, written by the console's own query in one transaction (the caller's when it passes one).
 * Tests use it to set up waves in any status and with any dates, which the console's rules would refuse.
 */
export async function createWave (db: Kysely<Database>, wave: NewWave, sites: readonly WaveSitePlan[]): Promise<WaveRow> {
  if (db.isTransaction) return await insertWave(db as Transaction<Database>, wave, sites)
  return await db.transaction().execute(async (trx) => await insertWave(trx, wave, sites))
}

/** Publishes the shipped instrument (a no-op when already there), and makes two sites, an open wave at the first and a tablet there. */
export async function createStudy (db: Kysely<Database>, wave: Partial<NewWave> = {}): Promise<StudyFixture> {
  await publishDefinitions(db)
  const version = await findSurveyVersion(db, 'hverdag', 1)
  if (version === undefined) throw new Error('hverdag v1 was not published')
  const site = await createSite(db, siteFixture())
  const otherSite = await createSite(db, siteFixture({ name: 'Other site', municipality_number: '4601', county_number: '46' }))
  const today = studyToday('Europe/Oslo')
  const waveRow = await createWave(db, {
    name: 'Test wave',
    survey_version_id: version.id,
    opens_on: addDays(today, -10),
    closes_on: addDays(today, 30),
    grace_days: 7,
    status: 'open',
    ...wave,
  }, [{ siteId: site.id }])
  const { device, token } = await enrolDevice(db, site.id, 'Tablet 1')
  return { site, otherSite, wave: waveRow, deviceId: device.id, token }
}

/** Row counts of every table a response could touch, to show that a refused request wrote nothing. */
/** Rows in the holding area and in the analysis tables. */
export async function responseTableCounts (db: Kysely<Database>): Promise<{ held: number, responses: number, facts: number }> {
  const [held, responses, facts] = await Promise.all([
    db.selectFrom('held_responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('response_facts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { held: Number(held.n), responses: Number(responses.n), facts: Number(facts.n) }
}
