import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { addDays, studyToday } from '../study-calendar.js'
import type { Database, NewSite } from './database.js'
import { enrolDevice } from './queries/devices.js'
import { createEnrolmentCode } from './queries/enrolment-codes.js'
import { createSite } from './queries/sites.js'
import { findSurveyVersion } from './queries/survey-versions.js'
import { createWave } from './queries/waves.js'
import { publishDefinitions } from '../services/publish-definitions.js'
import { ensurePrivateDir, writeSecretFile } from '../files-at-rest.js'

/** Real municipality numbers and counties (2024 numbering) and SSB centrality classes. */
export const DEMO_SITES: NewSite[] = [
  { name: 'Oslo lavterskel', kind: 'municipal_low_threshold', municipality_number: '0301', county_number: '03', centrality: 1 },
  { name: 'Bergen sentrum', kind: 'municipal_low_threshold', municipality_number: '4601', county_number: '46', centrality: 2 },
  { name: 'Stavanger behandling', kind: 'specialist_treatment', municipality_number: '1103', county_number: '11', centrality: 2 },
  { name: 'Trondheim bolig', kind: 'housing', municipality_number: '5001', county_number: '50', centrality: 2 },
  { name: 'Hammerfest oppsøkende', kind: 'street_outreach', municipality_number: '5603', county_number: '56', centrality: 5 },
]

export const DEMO_SURVEY = { slug: 'hverdag', version: 1 }

export interface DemoData {
  waveId: string
  deviceToken: string
}

const TOKEN_FILE = 'demo-device-token.txt'

/**
 * Fills an empty embedded database with the instrument, five sites, an open wave and one enrolled tablet.
 * The demo token is kept in the data folder so that every start can print it; only demo mode does this.
 */
export async function seedDemo (db: Kysely<Database>, dataDir: string, timeZone: string): Promise<DemoData> {
  await publishDefinitions(db)
  const version = await findSurveyVersion(db, DEMO_SURVEY.slug, DEMO_SURVEY.version)
  if (version === undefined) throw new Error('the demo instrument was not published')
  const sites = []
  for (const site of DEMO_SITES) sites.push(await createSite(db, site))
  const today = studyToday(timeZone)
  const wave = await createWave(db, {
    name: 'Demo wave',
    survey_version_id: version.id,
    opens_on: addDays(today, -7),
    closes_on: addDays(today, 83),
    grace_days: 14,
    status: 'open',
  }, sites.map((site) => ({ siteId: site.id, targetResponses: 100 })))
  const { token } = await enrolDevice(db, sites[0]!.id, 'Demo tablet')
  // A device token is a credential: DATA_DIR and the file are the owner's only.
  ensurePrivateDir(dataDir)
  writeSecretFile(join(dataDir, TOKEN_FILE), `${wave.id} ${token}\n`)
  return { waveId: wave.id, deviceToken: token }
}

export async function isEmpty (db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('survey_versions').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  return Number(row.count) === 0
}

export function readDemoData (dataDir: string): DemoData | undefined {
  const file = join(dataDir, TOKEN_FILE)
  if (!existsSync(file)) return undefined
  const [waveId, deviceToken] = readFileSync(file, 'utf8').trim().split(' ')
  return waveId === undefined || deviceToken === undefined ? undefined : { waveId, deviceToken }
}

/** A fresh one-time code for the first demo site, made on every demo start so the kiosk can be enrolled. */
export async function demoEnrolmentCode (db: Kysely<Database>): Promise<{ code: string, siteName: string } | undefined> {
  const site = await db.selectFrom('sites').select(['id', 'name']).where('name', '=', DEMO_SITES[0]!.name).executeTakeFirst()
  if (site === undefined) return undefined
  return { code: (await createEnrolmentCode(db, site.id, 'Demo tablet')).code, siteName: site.name }
}
