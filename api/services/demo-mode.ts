import { isIP } from 'node:net'
import type { Config } from '../config.js'
import { ConfigError } from '../config.js'
import type { Engine } from '../db/connect.js'

/**
 * What a start does about demo data:
 * - seed: an empty database gets the demo data and accounts, with secrets made for this install;
 * - existing: a demo install starts again; accounts are re-created only when DEMO_DATA=on asks for it;
 * - off: nothing, with a note when auto stood aside.
 */
export type DemoPlan =
  | { kind: 'seed' }
  | { kind: 'existing', recreateAccounts: boolean }
  | { kind: 'off', note?: string }

/** True for 127.0.0.0/8, ::1 and localhost: the only addresses demo mode listens on. */
export function isLoopback (host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  if (bare === 'localhost' || bare === '::1') return true
  return isIP(bare) === 4 && bare.startsWith('127.')
}

export interface DemoFacts {
  engine: Engine
  /** No survey version yet: nothing was ever set up. */
  databaseEmpty: boolean
  /** The demo secrets file exists in DATA_DIR: an earlier start made demo accounts. */
  demoSecretsExist: boolean
}

/**
 * Demo mode is for a newcomer's laptop: it is refused unless the API listens on a loopback address (demo
 * accounts on a reachable server would be accounts whose secrets lie in a file beside the database), it starts
 * by itself only on the first start of an empty embedded database, and it never makes accounts again later
 * unless DEMO_DATA=on.
 */
export function planDemo (config: Pick<Config, 'DEMO_DATA' | 'HOST'>, facts: DemoFacts): DemoPlan {
  const refuse = (): never => {
    throw new ConfigError(`Invalid configuration:\n  HOST=${JSON.stringify(config.HOST)}: demo mode listens on a loopback address only (127.0.0.1, ::1, localhost); ` +
      'set HOST=127.0.0.1, or DEMO_DATA=off and disable the demo accounts (@demo.prevalens.test) in the console')
  }
  if (config.DEMO_DATA === 'off') return { kind: 'off' }
  if (config.DEMO_DATA === 'on') {
    if (!isLoopback(config.HOST)) refuse()
    return facts.databaseEmpty ? { kind: 'seed' } : { kind: 'existing', recreateAccounts: true }
  }
  if (facts.engine !== 'pglite') return { kind: 'off' }
  if (facts.demoSecretsExist && !facts.databaseEmpty) {
    if (!isLoopback(config.HOST)) refuse()
    return { kind: 'existing', recreateAccounts: false }
  }
  if (!facts.databaseEmpty) return { kind: 'off' }
  if (!isLoopback(config.HOST)) return { kind: 'off', note: `No demo data: HOST=${config.HOST} is not a loopback address, and demo mode listens on loopback only.` }
  return { kind: 'seed' }
}
