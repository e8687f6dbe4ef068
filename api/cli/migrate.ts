import { loadConfig } from '../config.js'
import { connectDatabase } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'

const config = loadConfig()
const { db, engine } = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR })
try {
  const { results = [] } = await migrateToLatest(db)
  for (const result of results) process.stdout.write(`${result.status === 'Success' ? 'applied' : result.status}: ${result.migrationName}\n`)
  process.stdout.write(`${engine}: ${results.length === 0 ? 'already up to date' : `${results.length} migration(s) applied`}\n`)
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
} finally {
  await db.destroy()
}
