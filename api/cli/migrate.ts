import { migrateToLatest } from '../db/migrate.js'
import { runWithDatabase } from './command-database.js'

await runWithDatabase('migrate', async ({ db, engine }) => {
  const { results = [] } = await migrateToLatest(db)
  for (const result of results) process.stdout.write(`${result.status === 'Success' ? 'applied' : result.status}: ${result.migrationName}\n`)
  process.stdout.write(`${engine}: ${results.length === 0 ? 'already up to date' : `${results.length} migration(s) applied`}\n`)
}, { migrate: false })
