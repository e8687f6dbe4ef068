import { loadConfig } from '../config.js'
import { connectDatabase } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'
import { publishDefinitions } from '../services/publish-definitions.js'

const config = loadConfig()
const { db, engine } = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR })
try {
  await migrateToLatest(db)
  for (const { slug, version, outcome } of await publishDefinitions(db)) {
    process.stdout.write(`${slug} v${version}: ${outcome === 'published' ? 'published' : 'already published, unchanged'}\n`)
  }
  process.stdout.write(`(${engine})\n`)
} catch (error) {
  process.stderr.write(`definitions:publish refused: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
} finally {
  await db.destroy()
}
