import { existsSync } from 'node:fs'
import closeWithGrace from 'close-with-grace'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import app, { serverOptions } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import type { Config } from './config.js'
import { connectDatabase } from './db/connect.js'
import { DatabaseBusyError } from './db/data-dir-lock.js'
import type { DatabaseHandle } from './db/connect.js'
import { migrateToLatest } from './db/migrate.js'
import { SeedError, demoEnrolmentCode, isEmpty, readDemoData, seedDemo } from './services/seed-demo.js'
import type { DemoData } from './services/seed-demo.js'
import { configuredMixContext, startMixSchedule } from './services/mix.js'
import { restrictUmask } from './files-at-rest.js'
import { demoAccounts, describeNewDemoAccounts, ensureDemoAccounts } from './services/demo-accounts.js'
import type { DemoAccount } from './services/demo-accounts.js'
import { planDemo } from './services/demo-mode.js'
import { listVersionSummaries } from './services/survey-versions.js'
import type { SurveyVersionSummary } from './schemas/survey-versions.js'
import { demoSecretsPath, newDemoSecrets, readDemoSecrets, writeDemoSecrets } from './services/demo-secrets.js'
import type { DemoSecrets } from './services/demo-secrets.js'

/** The signals that ask the server to stop: a service manager's SIGTERM, a terminal's Ctrl-C. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const
/**
 * A stop signal sent to the whole process group (Ctrl-C in a terminal; a service manager that signals the group)
 * reaches the server twice, once directly and once through npm, which passes it on: a repeat this soon is that
 * same request, and only a later one means "stop now".
 */
const SAME_REQUEST_MS = 2000

/** Calls `stop` on the first stop signal, and `stopNow` on one that comes later than SAME_REQUEST_MS after it. */
function onStopSignal (stop: (signal: NodeJS.Signals) => void, stopNow: (signal: NodeJS.Signals) => void): void {
  let first: number | undefined
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (first === undefined) {
        first = Date.now()
        stop(signal)
      } else if (Date.now() - first > SAME_REQUEST_MS) {
        stopNow(signal)
      }
    })
  }
}

/** What a demo start prints once it listens: the new accounts' secrets on the first start only. */
interface DemoStart {
  data: DemoData | undefined
  accounts: DemoAccount[]
  /** Set when the accounts were made on this start: their secrets are printed this once. */
  newSecrets?: DemoSecrets
  secretsPath: string
}

async function start (): Promise<void> {
  // Before any file is written: the database folder, key files and anything else this process makes are the owner's only.
  restrictUmask()
  const config = loadConfig()
  const database = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.PG_POOL_MAX })
  await migrateToLatest(database.db)
  const demo = await prepareDemo(config, database).catch(async (error: unknown) => {
    await database.db.destroy()
    throw error
  })

  const fastify = Fastify(serverOptions(config)).withTypeProvider<TypeBoxTypeProvider>()
  endKeepAliveWhenClosing(fastify)
  await fastify.register(app, { config, database })
  let stopMixing = (): void => {}
  // Requests in flight finish (an acknowledged response is committed before its 201), then the database closes;
  // what is still running after 10 s is cut off, and a second stop signal ends it at once (onStopSignal).
  let stopSignal: NodeJS.Signals | undefined
  const grace = closeWithGrace({ delay: 10_000, skip: [...STOP_SIGNALS], logger: { error: (message: unknown) => { fastify.log.error({ detail: String(message) }, 'shutdown') } } }, async ({ err, signal }) => {
    if (err !== undefined) fastify.log.error({ errMessage: err.message, stack: err.stack }, 'shutting down after an error')
    else fastify.log.info({ signal: signal ?? stopSignal }, 'shutting down: no new requests, finishing those in flight')
    stopMixing()
    await fastify.close()
    await database.db.destroy()
    fastify.log.info('stopped: every request answered, the database closed')
  })
  onStopSignal((signal) => { stopSignal = signal; grace.close() }, (signal) => {
    fastify.log.error({ signal }, 'shutdown: a second stop signal, exiting at once')
    process.exit(1)
  })
  await fastify.listen({ port: config.PORT, host: config.HOST })
  // The week's mix: every minute, whatever is due (services/mix.ts); a failure leaves the responses held.
  const mixing = configuredMixContext(database.db, config, (message, counts) => { fastify.log.info(counts, message) })
  stopMixing = startMixSchedule(mixing, (error) => {
    fastify.log.error({ errMessage: error instanceof Error ? error.message : String(error) }, 'the week\'s mix failed; the responses stay held and it is tried again in a minute')
  })
  printWelcome(fastify.listeningOrigin, config, database, demo?.data, await listVersionSummaries(database.db))
  if (demo !== undefined) {
    printDemoAccounts(fastify.listeningOrigin, demo)
    await printDemoEnrolment(fastify.listeningOrigin, database)
  }
}

/**
 * Closing waits for every open connection; one that was busy when the signal came and then sat idle under
 * keep-alive would hold the shutdown for the keep-alive timeout (72 s), past close-with-grace's 10 s. Answers
 * sent while closing ask the client to close the connection instead; new requests get Fastify's 503.
 */
function endKeepAliveWhenClosing (fastify: FastifyInstance): void {
  let closing = false
  fastify.addHook('preClose', async () => { closing = true })
  fastify.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close')
  })
}

function printDemoAccounts (origin: string, demo: DemoStart): void {
  const lines = [
    '',
    'DEMO MODE, listening on this computer only (a loopback address). Its accounts\' secrets are in',
    `  ${demo.secretsPath}; do not run a real study on this install (DEMO_DATA=off and a fresh DATA_DIR for that).`,
  ]
  if (demo.newSecrets !== undefined) {
    lines.push(...describeNewDemoAccounts(demo.accounts, demo.newSecrets, origin, demo.secretsPath))
  } else {
    lines.push(`  Console: ${origin}/console/  Results: ${origin}/results/`, '  Log in with (password and current code: npm run demo:code -- ROLE):')
    for (const account of demo.accounts) lines.push(`    ${account.role.padEnd(10)} ${account.email}`)
  }
  process.stdout.write(`${lines.join('\n')}\n\n`)
}

async function printDemoEnrolment (origin: string, database: DatabaseHandle): Promise<void> {
  const enrolment = await demoEnrolmentCode(database.db)
  if (enrolment === undefined) return
  process.stdout.write(`Kiosk: open ${origin}/kiosk/ and enrol it with the one-time code ${enrolment.code} ` +
    `(${enrolment.siteName}, valid 24 hours; make more in the console under Tablets${database.engine === 'pglite' ? '' : ', or with npm run enrolment:create -- --site SITE_ID'}).\n\n`)
}

async function prepareDemo (config: Config, database: DatabaseHandle): Promise<DemoStart | undefined> {
  const secretsPath = demoSecretsPath(config.DATA_DIR)
  const plan = planDemo(config, { engine: database.engine, databaseEmpty: await isEmpty(database.db), demoSecretsExist: existsSync(secretsPath) })
  if (plan.kind === 'off') {
    if (plan.note !== undefined) process.stdout.write(`${plan.note}\n`)
    return undefined
  }
  if (plan.kind === 'seed') {
    const seeded = await seedDemo(database.db, config.DATA_DIR, config.STUDY_TIME_ZONE)
    return { data: seeded, accounts: seeded.accounts, newSecrets: seeded.secrets, secretsPath: seeded.secretsPath }
  }
  const data = readDemoData(config.DATA_DIR)
  if (!plan.recreateAccounts) return { data, accounts: await demoAccounts(database.db), secretsPath }
  // DEMO_DATA=on asked for the accounts again: missing ones are made with this install's secrets (new ones if lost).
  let secrets = readDemoSecrets(config.DATA_DIR)
  let newSecrets: DemoSecrets | undefined
  if (secrets === undefined) {
    if ((await demoAccounts(database.db)).length > 0) {
      throw new SeedError(`DEMO_DATA=on: the demo accounts exist but their secrets (${secretsPath}) are gone; disable the accounts in the console, or start with DEMO_DATA=off`)
    }
    secrets = newSecrets = newDemoSecrets()
    writeDemoSecrets(config.DATA_DIR, secrets)
  }
  const staffSite = await database.db.selectFrom('sites').select('id').orderBy('created_at').limit(1).executeTakeFirst()
  const accounts = await ensureDemoAccounts(database.db, staffSite?.id, secrets)
  return { data, accounts, secretsPath, ...(newSecrets === undefined ? {} : { newSecrets }) }
}

function printWelcome (origin: string, config: Config, database: DatabaseHandle, demo: DemoData | undefined, published: readonly SurveyVersionSummary[]): void {
  // Every published version, whichever instruments there are (the list comes newest first).
  const instruments = published.length === 0
    // Like every command on the embedded database, publishing refuses while this server holds it.
    ? [`  Instrument: none published yet (${database.engine === 'pglite' ? 'stop this server (Ctrl-C), run npm run definitions:publish, start it again' : 'npm run definitions:publish'})`]
    : [...published].sort((a, b) => a.slug.localeCompare(b.slug) || a.version - b.version)
        .map((version) => `  Instrument: ${origin}/api/surveys/${version.slug}/versions/${version.version}`)
  const lines = [
    '',
    `Prevalens is running on ${database.engine === 'pglite' ? `the embedded database in ${config.DATA_DIR}` : 'PostgreSQL'}.`,
    `  Health:     ${origin}/api/health`,
    ...instruments,
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
      database.engine === 'pglite'
        // The embedded database serves one process at a time (db/data-dir-lock.ts): the command refuses while this runs.
        ? `  Fill the wave: stop this server (Ctrl-C), run npm run seed:synthetic -- --wave ${demo.waveId} --responses 1000, start it again`
        : `  Fill the wave: npm run seed:synthetic -- --wave ${demo.waveId} --responses 1000`
    )
  }
  process.stdout.write(`${lines.join('\n')}\n\n`)
}

start().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof SeedError || error instanceof DatabaseBusyError
  process.stderr.write(`Prevalens could not start: ${error instanceof Error ? (known ? error.message : error.stack) : String(error)}\n`)
  process.exit(1)
})
