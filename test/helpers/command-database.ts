import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectDatabase } from '../../api/db/connect.js'
import type { DatabaseHandle } from '../../api/db/connect.js'
import { migrateToLatest } from '../../api/db/migrate.js'
import { openTestDatabase } from './test-db.js'
import type { TestDatabase } from './test-db.js'

/**
 * The database a command (a child process) works on: on PostgreSQL this test file's own database; on PGlite a
 * data folder of its own, which the test opens only between commands (PGlite takes one process at a time).
 */
export interface CommandDatabase {
  /** DATA_DIR and DATABASE_URL for the command's environment. */
  env: NodeJS.ProcessEnv
  /** Runs `use` on the command's database, opened (and migrated) for the time of the call. */
  use: <T>(use: (handle: DatabaseHandle) => Promise<T>) => Promise<T>
  close: () => Promise<void>
}

export async function openCommandDatabase (): Promise<CommandDatabase> {
  const database: TestDatabase = await openTestDatabase()
  const dataDir = mkdtempSync(join(tmpdir(), 'prevalens-command-'))
  return {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: database.url ?? '' },
    use: async (use) => {
      if (database.url !== undefined) return await use(database)
      const handle = await connectDatabase({ dataDir })
      try {
        await migrateToLatest(handle.db)
        return await use(handle)
      } finally {
        await handle.db.destroy()
      }
    },
    close: async () => {
      await database.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
