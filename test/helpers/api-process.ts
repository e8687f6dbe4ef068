import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { TEST_HOLDING_KEY_FILE } from './holding.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface ApiProcess {
  child: ChildProcess
  origin: string
  output: () => string
}

/**
 * Starts `npx tsx api/server.ts` in a process group of its own (so npx, tsx and the server are stopped
 * together). PORT=0 lets the kernel pick a free port, read back from the address the server prints.
 * `umask` starts it under that file-creation mask (through sh, which then becomes npx).
 */
export async function startApi (env: Record<string, string>, timeoutMs = 45_000, options: { umask?: number } = {}): Promise<ApiProcess> {
  const [command, args] = options.umask === undefined
    ? ['npx', ['tsx', 'api/server.ts']]
    : ['sh', ['-c', `umask ${options.umask.toString(8).padStart(3, '0')} && exec npx tsx api/server.ts`]]
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'off', LOG_LEVEL: 'warn', HOLDING_KEY_FILE: TEST_HOLDING_KEY_FILE, ...env },
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start in ${timeoutMs / 1000} s:\n${output}`)), timeoutMs)
    const look = (): void => {
      const match = /Health:\s+(http:\/\/[^/\s]+)\/api\/health/.exec(output)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        child.off('exit', exited)
        resolve(match[1])
      }
    }
    const exited = (code: number | null): void => {
      clearTimeout(timer)
      reject(new Error(`the API exited with ${String(code)} before listening:\n${output}`))
    }
    child.stdout?.on('data', look)
    child.on('exit', exited)
  })
  return { child, origin, output: () => output }
}

export function groupAlive (pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

/** SIGKILL to the whole group at once: the server gets no chance to finish or flush anything. */
export async function killApi (api: ApiProcess): Promise<void> {
  const pgid = api.child.pid
  if (pgid === undefined) return
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL')
  while (groupAlive(pgid)) await new Promise((resolve) => setTimeout(resolve, 20))
}

/** SIGTERM to the whole group (close-with-grace), SIGKILL after 15 s, then waits until none of it is left. */
export async function stopApi (api: ApiProcess | undefined): Promise<void> {
  const pgid = api?.child.pid
  if (api === undefined || pgid === undefined) return
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGTERM')
  const deadline = Date.now() + 15_000
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  await killApi(api)
}
