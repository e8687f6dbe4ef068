import { execFile } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin'

export interface PrivateCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication, loopback only). */
  adminUrl: string
  /** Stops the server; 'immediate' is a crash as far as the server is concerned (recovery from WAL on start). */
  stop: (mode: 'fast' | 'immediate') => Promise<void>
  start: () => Promise<void>
  /** Stops the server if it runs and removes every file of the cluster. */
  destroy: () => Promise<void>
}

/**
 * A throwaway PostgreSQL cluster of the test's own, so a test can stop and start the server without touching
 * the machine's shared cluster. PostgreSQL refuses to run as root: as root, the commands run as the
 * `postgres` user on a folder handed to it.
 */
export async function createPrivateCluster (): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'prevalens-pg-'))
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: gid } = await run('id', ['-g', 'postgres'])
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()))
  }
  const pg = (tool: string, args: string[]) => asRoot
    ? run('runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args])
    : run(join(BIN, tool), args)
  const data = join(dir, 'data')
  const port = await freePort()
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_buffers=16MB -c max_connections=40`
  const start = async (): Promise<void> => { await pg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', options, 'start']) }
  const stop = async (mode: 'fast' | 'immediate'): Promise<void> => { await pg('pg_ctl', ['-D', data, '-w', '-m', mode, 'stop']) }
  try {
    await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'])
    await start()
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    destroy: async () => {
      await stop('immediate').catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}
