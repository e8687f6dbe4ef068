import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { addDays, studyToday } from '../study-calendar.js'
import type { Database, NewSite } from '../db/database.js'
import { enrolDevice } from '../db/queries/devices.js'
import { createEnrolmentCode } from '../db/queries/enrolment-codes.js'
import { createSite } from '../db/queries/sites.js'
import { findSurveyVersion } from '../db/queries/survey-versions.js'
import { insertWave } from '../db/queries/waves.js'
import { publishDefinitions } from './survey-versions.js'
import { ensureDemoAccounts } from './demo-accounts.js'
import type { DemoAccount } from './demo-accounts.js'
import { DEMO_SECRETS_FILE, newDemoSecrets, removeIfPresent, writeDemoSecrets, writePrivateFile } from './demo-secrets.js'
import type { DemoSecrets } from './demo-secrets.js'

/** Real municipality numbers and counties (2024 numbering) and SSB centrality classes. */
export const DEMO_SITES: NewSite[] = [
  { name: 'Oslo lavterskel', kind: 'municipal_low_threshold', municipality_number: '0301', county_number: '03', centrality: 1 },
  { name: 'Bergen sentrum', kind: 'municipal_low_threshold', municipality_number: '4601', county_number: '46', centrality: 2 },
  { name: 'Stavanger behandling', kind: 'specialist_treatment', municipality_number: '1103', county_number: '11', centrality: 2 },
  { name: 'Trondheim bolig', kind: 'housing', municipality_number: '5001', county_number: '50', centrality: 2 },
  { name: 'Hammerfest oppsøkende', kind: 'street_outreach', municipality_number: '5603', county_number: '56', centrality: 5 },
]

/** The demo wave runs the newest instrument, which asks about attendance and repeat participation. */
export const DEMO_SURVEY = { slug: 'hverdag', version: 2 }

export interface DemoData {
  waveId: string
  deviceToken: string
}

export interface SeededDemo extends DemoData {
  secrets: DemoSecrets
  secretsPath: string
  accounts: DemoAccount[]
}

export class SeedError extends Error {
  override name = 'SeedError'
}

const TOKEN_FILE = 'demo-device-token.txt'

/**
 * Fills an empty database with the instrument, five sites, an open wave, one enrolled tablet and one account
 * per role with random secrets, all in one transaction: the files beside it (the tablet's token, the
 * secrets, 0600) are written before the commit, so a start that cannot finish leaves nothing half-written
 * and says why.
 */
export async function seedDemo (db: Kysely<Database>, dataDir: string, timeZone: string): Promise<SeededDemo> {
  const secrets = newDemoSecrets()
  const written: string[] = []
  try {
    return await db.transaction().execute(async (trx) => {
      await publishDefinitions(trx)
      const version = await findSurveyVersion(trx, DEMO_SURVEY.slug, DEMO_SURVEY.version)
      if (version === undefined) throw new SeedError('the demo instrument was not published')
      const sites = []
      for (const site of DEMO_SITES) sites.push(await createSite(trx, site))
      const today = studyToday(timeZone)
      const wave = await insertWave(trx, {
        name: 'Demo wave',
        survey_version_id: version.id,
        opens_on: addDays(today, -7),
        closes_on: addDays(today, 83),
        grace_days: 14,
        status: 'open',
      }, sites.map((site) => ({ siteId: site.id, target: 100 })))
      const { token } = await enrolDevice(trx, sites[0]!.id, 'Demo tablet')
      const accounts = await ensureDemoAccounts(trx, sites[0]!.id, secrets)
      // Files left by an earlier database in this folder (the database was removed, the folder kept) are stale.
      for (const stale of [TOKEN_FILE, DEMO_SECRETS_FILE]) removeIfPresent(join(dataDir, stale))
      written.push(writePrivateFile(dataDir, TOKEN_FILE, `${wave.id} ${token}\n`))
      const secretsPath = writeDemoSecrets(dataDir, secrets)
      written.push(secretsPath)
      return { waveId: wave.id, deviceToken: token, secrets, secretsPath, accounts }
    })
  } catch (error) {
    for (const path of written) removeIfPresent(path)
    const reason = error instanceof Error ? error.message : String(error)
    throw new SeedError(`the demo data could not be written, so none was kept (the database and ${dataDir} are as they were): ${reason}`)
  }
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
