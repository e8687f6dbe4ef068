import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ensurePrivateDir, privatiseTree, writeSecretFile } from '../../api/files-at-rest.js'
import { startApi, stopApi } from '../helpers/api-process.js'
import type { ApiProcess } from '../helpers/api-process.js'
import { openCommandDatabase } from '../helpers/command-database.js'
import type { CommandDatabase } from '../helpers/command-database.js'
import { createStudy } from '../helpers/fixtures.js'
import { engineUnderTest } from '../helpers/test-db.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ANSWERS = { gender: 'woman', age_group: '45_54', pushed_ever: 'once', pushed_12m: 'no', strangled_ever: 'no' }

const mode = (path: string): string => (lstatSync(path).mode & 0o7777).toString(8).padStart(4, '0')

/** Every folder and file under `root` (itself included) whose mode is not 0700 / 0600, with the mode. */
function notPrivate (root: string): string[] {
  const found: string[] = []
  const walk = (dir: string): void => {
    if (mode(dir) !== '0700') found.push(`${dir} ${mode(dir)}`)
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (mode(path) !== '0600') found.push(`${path} ${mode(path)}`)
    }
  }
  walk(root)
  return found
}

const countFiles = (root: string): number => readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length

const dirs: string[] = []
function tempDir (): string {
  const dir = mkdtempSync(join(tmpdir(), 'prevalens-at-rest-'))
  dirs.push(dir)
  return dir
}

/** A command run under umask 000, the most permissive: every mode that comes out private was made so on purpose. */
async function underOpenUmask (command: string, env: NodeJS.ProcessEnv): Promise<{ code: number, output: string }> {
  return await new Promise((resolve) => {
    execFile('sh', ['-c', `umask 000 && exec ${command}`], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: stdout + stderr })
    })
  })
}

/** A PGlite folder as PGlite itself leaves it when nobody fixes it: created under umask 000, its files 0666. */
async function permissivePGliteFolder (dataDir: string): Promise<void> {
  const previous = process.umask(0)
  try {
    chmodSync(dataDir, 0o777)
    // The PostgreSQL run has no migrated PGlite template: a fresh folder (the server migrates it).
    const template = inject('pgliteDump')
    const pglite = new PGlite({ dataDir: join(dataDir, 'pglite'), ...(template === '' ? {} : { loadDataDir: new Blob([readFileSync(template)]) }) })
    await pglite.waitReady
    await pglite.close()
  } finally {
    process.umask(previous)
  }
}

function loosen (root: string): void {
  chmodSync(root, 0o777)
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name)
    if (entry.isDirectory()) loosen(path)
    else chmodSync(path, 0o666)
  }
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('api/files-at-rest.ts under umask 000', () => {
  let previous: number
  beforeAll(() => { previous = process.umask(0) })
  afterAll(() => { process.umask(previous) })

  it('ensurePrivateDir makes a new folder 0700 and an existing 0777 one 0700', () => {
    const root = tempDir()
    const nested = join(root, 'a', 'b')
    ensurePrivateDir(nested)
    expect(mode(nested)).toBe('0700')
    mkdirSync(join(root, 'open'), { mode: 0o777 })
    expect(mode(join(root, 'open'))).toBe('0777')
    ensurePrivateDir(join(root, 'open'))
    expect(mode(join(root, 'open'))).toBe('0700')
  })

  it('writeSecretFile writes 0600, replaces a readable file with a private one whole, and leaves nothing half-written', () => {
    const root = tempDir()
    const key = join(root, 'intake.key')
    writeSecretFile(key, 'first')
    expect(mode(key)).toBe('0600')
    expect(readFileSync(key, 'utf8')).toBe('first')
    chmodSync(key, 0o666)
    writeSecretFile(key, new Uint8Array([1, 2, 3]))
    expect(mode(key)).toBe('0600')
    expect([...readFileSync(key)]).toEqual([1, 2, 3])
    expect(readdirSync(root)).toEqual(['intake.key'])
    expect(() => { writeSecretFile(join(root, 'missing', 'x.key'), 'x') }).toThrow()
    expect(readdirSync(root)).toEqual(['intake.key'])
  })

  it('privatiseTree fixes every folder and file below it and leaves what a symbolic link points at alone', () => {
    const root = tempDir()
    const tree = join(root, 'tree')
    mkdirSync(join(tree, 'x', 'y'), { recursive: true, mode: 0o777 })
    writeFileSync(join(tree, 'f'), '1', { mode: 0o666 })
    writeFileSync(join(tree, 'x', 'y', 'g'), '2', { mode: 0o644 })
    const outside = join(root, 'outside')
    writeFileSync(outside, '3', { mode: 0o644 })
    symlinkSync(outside, join(tree, 'x', 'link'))
    expect(notPrivate(tree).length).toBeGreaterThan(0)
    expect(privatiseTree(tree)).toBe(5)
    expect(notPrivate(tree).filter((entry) => !entry.includes('/link '))).toEqual([])
    expect(mode(outside)).toBe('0644')
    expect(privatiseTree(tree)).toBe(0)
  })
})

describe('the PGlite folder: 0700 folders, 0600 files, whatever the umask', () => {
  let dataDir: string
  let api: ApiProcess | undefined

  beforeAll(() => { dataDir = tempDir() })
  afterAll(async () => { await stopApi(api) })

  it('a server started under umask 000 on a folder of 0666 files makes it private at start, keeps it so under uploads, and after it stops; the holding key file 0600', async () => {
    await permissivePGliteFolder(dataDir)
    const pgliteDir = join(dataDir, 'pglite')
    // The control: this is what PGlite leaves on its own.
    const before = notPrivate(dataDir)
    expect(before.filter((entry) => entry.endsWith(' 0666')).length).toBeGreaterThan(500)

    // DEMO_DATA on: the server seeds a wave and a tablet, and writes that tablet's token into DATA_DIR.
    api = await startApi({ DATABASE_URL: '', DATA_DIR: dataDir, HOLDING_KEY_FILE: join(dataDir, 'holding-key.json'), DEMO_DATA: 'on', LOG_LEVEL: 'warn' }, 90_000, { umask: 0 })
    const waveId = /Wave id:\s+(\S+)/.exec(api.output())?.[1]
    const token = /Device token:\s+(\S+)/.exec(api.output())?.[1]
    expect(waveId, api.output()).toBeDefined()
    for (let upload = 0; upload < 30; upload += 1) {
      const reply = await fetch(`${api.origin}/api/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? ''}` },
        body: JSON.stringify({ id: randomUUID(), waveId, answers: ANSWERS }),
      })
      expect(reply.status).toBe(201)
    }
    expect(countFiles(pgliteDir)).toBeGreaterThan(900)
    expect(notPrivate(dataDir)).toEqual([])

    await stopApi(api)
    api = undefined
    expect(notPrivate(dataDir)).toEqual([])
    // Beside the database: the holding key file and the demo tablet's token, both 0600 (checked above with the rest).
    expect(readdirSync(dataDir).sort()).toEqual(expect.arrayContaining(['holding-key.json', 'pglite']))
    expect(readdirSync(dataDir).filter((name) => name !== 'pglite').length).toBeGreaterThanOrEqual(2)
  }, 180_000)
})

describe(`backups on ${engineUnderTest}: written 0600 whatever the umask`, () => {
  let database: CommandDatabase

  beforeAll(async () => {
    database = await openCommandDatabase()
    await database.use(async ({ db }) => { await createStudy(db) })
  }, 120_000)
  afterAll(async () => { await database?.close() })

  it('npm run backup under umask 000 writes a 0600 file, also when --force replaces a readable one', async () => {
    // The embedded database, loosened to what PGlite leaves on its own (0777 / 0666).
    if (engineUnderTest === 'pglite') loosen(database.env.DATA_DIR ?? '')
    const out = join(tempDir(), 'prevalens.backup')
    const first = await underOpenUmask(`npm run --silent backup -- --out ${out}`, database.env)
    expect(first.code, first.output).toBe(0)
    expect(statSync(out).size).toBeGreaterThan(10_000)
    expect(mode(out)).toBe('0600')
    chmodSync(out, 0o644)
    const again = await underOpenUmask(`npm run --silent backup -- --out ${out} --force`, database.env)
    expect(again.code, again.output).toBe(0)
    expect(mode(out)).toBe('0600')
    expect(readdirSync(join(out, '..'))).toEqual(['prevalens.backup'])
    // Backing up opened the embedded database: the folder is left private too.
    if (engineUnderTest === 'pglite') expect(notPrivate(database.env.DATA_DIR ?? '')).toEqual([])
  }, 120_000)

  it('npm run restore under umask 000 unpacks an embedded backup into a private folder', async () => {
    const source = tempDir()
    await permissivePGliteFolder(source)
    const out = join(tempDir(), 'embedded.backup')
    const backup = await underOpenUmask(`npm run --silent backup -- --out ${out}`, { DATABASE_URL: '', DATA_DIR: source })
    expect(backup.code, backup.output).toBe(0)
    const target = join(tempDir(), 'restored')
    const restore = await underOpenUmask(`npm run --silent restore -- --in ${out}`, { DATABASE_URL: '', DATA_DIR: target })
    expect(restore.code, restore.output).toBe(0)
    expect(existsSync(join(target, 'pglite', 'PG_VERSION'))).toBe(true)
    expect(countFiles(target)).toBeGreaterThan(900)
    expect(notPrivate(target)).toEqual([])
  }, 120_000)
})
