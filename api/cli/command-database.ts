import { loadConfig } from '../config.js'
import type { Config } from '../config.js'
import { connectDatabase } from '../db/connect.js'
import type { DatabaseHandle } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'

export interface CommandContext extends DatabaseHandle {
  config: Config
}

/**
 * How every command that needs the database starts and ends: configuration checked, the database opened (on
 * the embedded engine only if no other process holds it, see db/data-dir-lock.ts) and migrated, the work done,
 * the database closed. A failure is one line naming the command and the problem, exit code 1, never a stack
 * trace for a refusal the user can act on.
 */
export async function runWithDatabase (command: string, work: (context: CommandContext) => Promise<void>, options: { migrate?: boolean } = {}): Promise<void> {
  let handle: DatabaseHandle | undefined
  try {
    const config = loadConfig()
    handle = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR })
    if (options.migrate !== false) await migrateToLatest(handle.db)
    await work({ ...handle, config })
  } catch (error) {
    process.stderr.write(`${command} failed: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  } finally {
    await handle?.db.destroy()
  }
}
