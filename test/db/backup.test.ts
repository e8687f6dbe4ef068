import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connectDatabase, PGLITE_PARSERS } from '../../api/db/connect.js'
import type { Database } from '../../api/db/database.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { createStudy } from '../helpers/fixtures.js'
import { engineUnderTest, openEmptyDatabase, openTestDatabase } from '../helpers/test-db.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** A database the CLIs can reach from another process: a PostgreSQL database by URL, or a PGlite DATA_DIR. */
interface Target {
  env: NodeJS.ProcessEnv
  /** Opens it in this process; close before running a CLI on a PGlite folder (one process at a time). */
  open: () => Promise<{ db: Kysely<Database>, close: () => Promise<void> }>
  drop: () => Promise<void>
}

const dirs: string[] = []
function tempDir (): string {
  const dir = mkdtempSync(join(tmpdir(), 'prevalens-backup-'))
  dirs.push(dir)
  return dir
}

/** The only place the engine matters: PostgreSQL databases come from the test helper, PGlite folders are made here. */
async function newTarget (kind: 'migrated' | 'empty'): Promise<Target> {
  if (engineUnderTest === 'postgresql') {
    const database = kind === 'migrated' ? await openTestDatabase() : await openEmptyDatabase()
    const url = database.url ?? ''
    return {
      env: { DATABASE_URL: url },
      open: async () => {
        const handle = await connectDatabase({ databaseUrl: url })
        return { db: handle.db, close: async () => { await handle.db.destroy() } }
      },
      drop: database.close,
    }
  }
  const dataDir = tempDir()
  if (kind === 'migrated') {
    const pglite = new PGlite({ dataDir: join(dataDir, 'pglite'), loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]) })
    await pglite.waitReady
    await pglite.close()
  }
  return {
    env: { DATABASE_URL: '', DATA_DIR: dataDir },
    open: async () => {
      const pglite = new PGlite({ dataDir: join(dataDir, 'pglite'), parsers: PGLITE_PARSERS })
      const handle = await connectDatabase({ pglite })
      return { db: handle.db, close: async () => { await handle.db.destroy() } }
    },
    drop: async () => {},
  }
}

/** Every row of every table (the migration bookkeeping included), and every sequence's position. */
async function snapshot (target: Target): Promise<Record<string, string[]>> {
  const { db, close } = await target.open()
  try {
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`.execute(db)
    const out: Record<string, string[]> = {}
    for (const { name } of tables.rows) {
      const { rows } = await sql<{ row: string }>`select to_jsonb(t)::text as row from ${sql.table(name)} t`.execute(db)
      out[name] = rows.map((r) => r.row).sort()
    }
    const sequences = await sql<{ row: string }>`select sequencename || '=' || coalesce(last_value, 0) as row from pg_sequences where schemaname = 'public'`.execute(db)
    out['(sequences)'] = sequences.rows.map((r) => r.row).sort()
    return out
  } finally {
    await close()
  }
}

interface CliResult { code: number, stdout: string, stderr: string }

async function cli (script: 'backup' | 'restore', args: string[], target: Target): Promise<CliResult> {
  return await new Promise((resolve) => {
    execFile('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, env: { ...process.env, ...target.env, LOG_LEVEL: 'warn' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, stdout, stderr })
    })
  })
}

describe(`npm run backup / restore on ${engineUnderTest}`, () => {
  let source: Target
  let original: Record<string, string[]>
  let file: string
  const targets: Target[] = []

  beforeAll(async () => {
    source = await newTarget('migrated')
    targets.push(source)
    const { db, close } = await source.open()
    try {
      const study = await createStudy(db)
      await seedSyntheticResponses({ db, surveys: new CompiledSurveyCache(db), timeZone: 'Europe/Oslo' }, { waveId: study.wave.id, responses: 40, seed: 3 })
    } finally {
      await close()
    }
    original = await snapshot(source)
    file = join(tempDir(), 'prevalens.backup')
  }, 120_000)

  afterAll(async () => {
    for (const target of targets) await target.drop()
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('backs up to a file, and never overwrites one without --force', async () => {
    expect(original.responses).toHaveLength(40)
    expect(original.response_facts).toHaveLength(40)
    const made = await cli('backup', ['--out', file], source)
    expect(made.code, made.stderr).toBe(0)
    expect(made.stdout).toMatch(/backed up .* to .*prevalens\.backup/)
    expect(existsSync(file)).toBe(true)

    const again = await cli('backup', ['--out', file], source)
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already exists; choose another name or add --force/)
    expect((await cli('backup', [], source)).stderr).toMatch(/--out FILE is required/)
  }, 60_000)

  it('restores into an empty database: every table row for row', async () => {
    const empty = await newTarget('empty')
    targets.push(empty)
    const restored = await cli('restore', ['--in', file], empty)
    expect(restored.code, restored.stderr).toBe(0)
    expect(restored.stdout).toMatch(/restored .* into/)
    expect(await snapshot(empty)).toEqual(original)
  }, 60_000)

  it('refuses to restore over a database that is not empty, and with --force puts back exactly what was backed up', async () => {
    const { db, close } = await source.open()
    try {
      // Changes made after the backup, which the restore must undo.
      await db.deleteFrom('response_facts').execute()
      await db.deleteFrom('responses').execute()
      await db.updateTable('sites').set({ name: 'Renamed after the backup' }).execute()
    } finally {
      await close()
    }
    expect(await snapshot(source)).not.toEqual(original)

    const refused = await cli('restore', ['--in', file], source)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/(not empty|already holds a database).*--force/)

    const forced = await cli('restore', ['--in', file, '--force'], source)
    expect(forced.code, forced.stderr).toBe(0)
    expect(await snapshot(source)).toEqual(original)
    // PGlite keeps the replaced folder beside the new one, never deleting it.
    if (source.env.DATA_DIR !== undefined) {
      expect(forced.stdout).toMatch(/kept in .*pglite\.replaced-/)
      expect(readdirSync(source.env.DATA_DIR).some((name) => name.startsWith('pglite.replaced-'))).toBe(true)
    }
  }, 90_000)

  it('refuses a file that is not a backup for this engine, and a missing one', async () => {
    const junk = join(tempDir(), 'not-a-backup')
    writeFileSync(junk, 'hello')
    const empty = await newTarget('empty')
    targets.push(empty)
    const refused = await cli('restore', ['--in', junk], empty)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/is not a Prevalens backup, and cannot be restored/)
    const missing = await cli('restore', ['--in', join(tempDir(), 'nothing-here')], empty)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/is not a file/)
  }, 60_000)
})
