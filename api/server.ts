import closeWithGrace from 'close-with-grace'
import Fastify from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import app, { serverOptions } from './app.js'
import { ConfigError, holdingKeyFile, loadConfig } from './config.js'
import type { Config } from './config.js'
import { connectDatabase } from './db/connect.js'
import type { DatabaseHandle } from './db/connect.js'
import { migrateToLatest } from './db/migrate.js'
import { demoEnrolmentCode, isEmpty, readDemoData, seedDemo } from './db/seed-demo.js'
import type { DemoData } from './db/seed-demo.js'
import { describeDemoAccounts, ensureDemoAccounts } from './services/demo-accounts.js'
import { startMixSchedule } from './services/mix.js'
import type { MixContext } from './services/mix.js'
import { loadHoldingKeyring } from './intake/holding-key.js'
import { restrictUmask } from './files-at-rest.js'

async function start (): Promise<void> {
  // Before any file is written: the database folder, key files and anything else this process makes are the owner's only.
  restrictUmask()
  const config = loadConfig()
  const database = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.PG_POOL_MAX })
  await migrateToLatest(database.db)
  const demo = await prepareDemo(config, database)

  const fastify = Fastify(serverOptions(config)).withTypeProvider<TypeBoxTypeProvider>()
  await fastify.register(app, { config, database })
  let stopMixing = (): void => {}
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err !== undefined) fastify.log.error({ errMessage: err.message, stack: err.stack }, 'shutting down after an error')
    stopMixing()
    await fastify.close()
    await database.db.destroy()
  })
  await fastify.listen({ port: config.PORT, host: config.HOST })
  // The week's mix: every minute, whatever is due (services/mix.ts); a failure leaves the responses held.
  const mixing: MixContext = {
    db: database.db,
    keys: loadHoldingKeyring(holdingKeyFile(config)),
    timeZone: config.STUDY_TIME_ZONE,
    log: (message, counts) => { fastify.log.info(counts, message) },
  }
  stopMixing = startMixSchedule(mixing, (error) => {
    fastify.log.error({ errMessage: error instanceof Error ? error.message : String(error) }, 'the week\'s mix failed; the responses stay held and it is tried again in a minute')
  })
  printWelcome(fastify.listeningOrigin, config, database, demo)
  if (demo !== undefined) {
    await printDemoAccounts(fastify.listeningOrigin, database)
    await printDemoEnrolment(fastify.listeningOrigin, database)
  }
}

async function printDemoAccounts (origin: string, database: DatabaseHandle): Promise<void> {
  const staffSite = await database.db.selectFrom('sites').select('id').orderBy('created_at').limit(1).executeTakeFirst()
  const accounts = await ensureDemoAccounts(database.db, staffSite?.id)
  process.stdout.write(`${describeDemoAccounts(accounts, origin).join('\n')}\n\n`)
}

async function printDemoEnrolment (origin: string, database: DatabaseHandle): Promise<void> {
  const enrolment = await demoEnrolmentCode(database.db)
  if (enrolment === undefined) return
  process.stdout.write(`Kiosk: open ${origin}/kiosk/ and enrol it with the one-time code ${enrolment.code} ` +
    `(${enrolment.siteName}, valid 24 hours; make more with npm run enrolment:create -- --site SITE_ID).\n\n`)
}

async function prepareDemo (config: Config, database: DatabaseHandle): Promise<DemoData | undefined> {
  const wanted = config.DEMO_DATA === 'on' || (config.DEMO_DATA === 'auto' && database.engine === 'pglite')
  if (!wanted) return undefined
  if (await isEmpty(database.db)) return await seedDemo(database.db, config.DATA_DIR, config.STUDY_TIME_ZONE)
  return readDemoData(config.DATA_DIR)
}

function printWelcome (origin: string, config: Config, database: DatabaseHandle, demo: DemoData | undefined): void {
  const lines = [
    '',
    `Prevalens is running on ${database.engine === 'pglite' ? `the embedded database in ${config.DATA_DIR}` : 'PostgreSQL'}.`,
    `  Health:     ${origin}/api/health`,
    `  Instrument: ${origin}/api/surveys/hverdag/versions/1`,
    `  Intake:     POST ${origin}/api/responses`,
  ]
  if (demo !== undefined) {
    lines.push(
      '',
      'Demo data (five sites, an open wave, one enrolled tablet at Oslo lavterskel):',
      `  Wave id:      ${demo.waveId}`,
      `  Device token: ${demo.deviceToken}`,
      '  Try it:',
      `    curl -s -X POST ${origin}/api/responses -H 'content-type: application/json' \\`,
      `      -H 'authorization: Bearer ${demo.deviceToken}' \\`,
      `      -d '{"id":"'$(node -p 'crypto.randomUUID()')'","waveId":"${demo.waveId}","answers":{"gender":"woman","pushed_ever":"no"}}'`,
      `  Fill the wave: npm run seed:synthetic -- --wave ${demo.waveId} --responses 1000`
    )
  }
  process.stdout.write(`${lines.join('\n')}\n\n`)
}

start().catch((error: unknown) => {
  process.stderr.write(`Prevalens could not start: ${error instanceof Error ? (error instanceof ConfigError ? error.message : error.stack) : String(error)}\n`)
  process.exit(1)
})
