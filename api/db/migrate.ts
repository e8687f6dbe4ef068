import { Migrator, NO_MIGRATIONS } from 'kysely'
import type { Kysely, MigrationResultSet } from 'kysely'
import type { Database } from './database.js'
import { migrations } from './migrations/index.js'

export function createMigrator (db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } })
}

export class MigrationError extends Error {
  override name = 'MigrationError'
}

/** Runs every pending migration; throws naming the migration that failed. Used by start-up, the CLI and tests. */
export async function migrateToLatest (db: Kysely<Database>): Promise<MigrationResultSet> {
  return assertMigrated(await createMigrator(db).migrateToLatest())
}

export async function migrateDownToEmpty (db: Kysely<Database>): Promise<MigrationResultSet> {
  return assertMigrated(await createMigrator(db).migrateTo(NO_MIGRATIONS))
}

function assertMigrated (result: MigrationResultSet): MigrationResultSet {
  if (result.error !== undefined) {
    const failed = result.results?.find((item) => item.status === 'Error')
    const cause = result.error instanceof Error ? result.error.message : String(result.error)
    throw new MigrationError(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: result.error })
  }
  return result
}

export interface MigrationState {
  executed: string[]
  pending: string[]
}

export async function migrationState (db: Kysely<Database>): Promise<MigrationState> {
  const migrations = await createMigrator(db).getMigrations()
  return {
    executed: migrations.filter((item) => item.executedAt !== undefined).map((item) => item.name),
    pending: migrations.filter((item) => item.executedAt === undefined).map((item) => item.name),
  }
}
