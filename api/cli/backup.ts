import { parseArgs } from 'node:util'
import { loadConfig } from '../config.js'
import { restrictUmask } from '../files-at-rest.js'
import { assertWritable, backupPGlite, backupPostgres, BackupError } from '../services/backup.js'

const usage = 'usage: npm run backup -- --out FILE [--force]\n' +
  '  PostgreSQL (DATABASE_URL set): pg_dump -Fc of that database. Embedded (unset): a tar of the PGlite database in DATA_DIR;\n' +
  '  stop the API first. --force overwrites an existing FILE.'

// A backup holds every answer: nothing this command writes is readable by others (api/files-at-rest.ts).
restrictUmask()

try {
  const { values } = parseArgs({ options: { out: { type: 'string' }, force: { type: 'boolean', default: false } } })
  if (values.out === undefined || values.out === '') throw new BackupError(`--out FILE is required\n${usage}`)
  const config = loadConfig()
  assertWritable(values.out, values.force)
  const started = performance.now()
  if (config.DATABASE_URL !== undefined) await backupPostgres(config.DATABASE_URL, values.out)
  else await backupPGlite(config.DATA_DIR, values.out)
  const engine = config.DATABASE_URL === undefined ? `the embedded database in ${config.DATA_DIR}` : 'PostgreSQL'
  process.stdout.write(`backed up ${engine} to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
} catch (error) {
  process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = error instanceof BackupError || (error instanceof Error && error.name === 'ConfigError') || error instanceof TypeError ? 2 : 1
}
