import { parseArgs } from 'node:util'
import { loadConfig } from '../config.js'
import { restrictUmask } from '../files-at-rest.js'
import { assertReadable, BackupError, restorePGlite, restorePostgres } from '../services/backup.js'

const usage = 'usage: npm run restore -- --in FILE [--force]\n' +
  '  PostgreSQL (DATABASE_URL set): pg_restore --clean --if-exists into that database, in one transaction.\n' +
  '  Embedded (unset): loads the tar into DATA_DIR. A database that is not empty is replaced only with --force; stop the API first.'

// A backup holds every answer: nothing this command writes is readable by others (api/files-at-rest.ts).
restrictUmask()

try {
  const { values } = parseArgs({ options: { in: { type: 'string' }, force: { type: 'boolean', default: false } } })
  if (values.in === undefined || values.in === '') throw new BackupError(`--in FILE is required\n${usage}`)
  const config = loadConfig()
  assertReadable(values.in)
  const started = performance.now()
  let note = ''
  if (config.DATABASE_URL !== undefined) {
    await restorePostgres(config.DATABASE_URL, values.in, values.force)
  } else {
    const { movedAside } = await restorePGlite(config.DATA_DIR, values.in, values.force)
    if (movedAside !== undefined) note = `; the database that was there is kept in ${movedAside}`
  }
  const engine = config.DATABASE_URL === undefined ? `the embedded database in ${config.DATA_DIR}` : 'PostgreSQL'
  process.stdout.write(`restored ${values.in} into ${engine} in ${((performance.now() - started) / 1000).toFixed(1)} s${note}\n`)
} catch (error) {
  process.stderr.write(`restore failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = error instanceof BackupError || (error instanceof Error && error.name === 'ConfigError') || error instanceof TypeError ? 2 : 1
}
