import { Writable } from 'node:stream'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import app, { serverOptions } from '../../api/app.js'
import { loadConfig } from '../../api/config.js'
import type { Config } from '../../api/config.js'
import type { DatabaseHandle } from '../../api/db/connect.js'
import { TEST_HOLDING_KEY_FILE } from './holding.js'

export interface TestApp {
  app: FastifyInstance
  /** Every log line the app wrote, parsed. */
  logLines: () => string[]
}

/** The same plugin the server registers, with its log captured at the most verbose level. */
export async function buildTestApp (database: DatabaseHandle, overrides: Partial<Config> = {}): Promise<TestApp> {
  const lines: string[] = []
  const stream = new Writable({
    write (chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''))
      done()
    },
  })
  const config: Config = { ...loadConfig({}), LOG_LEVEL: 'trace', HOLDING_KEY_FILE: TEST_HOLDING_KEY_FILE, ...overrides }
  const fastify = Fastify(serverOptions(config, stream))
  await fastify.register(app, { config, database })
  await fastify.ready()
  return { app: fastify, logLines: () => [...lines] }
}
