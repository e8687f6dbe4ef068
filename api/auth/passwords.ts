import { randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'
import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as zxcvbnCommon from '@zxcvbn-ts/language-common'
import * as zxcvbnEn from '@zxcvbn-ts/language-en'
import { norwegianWords } from './norwegian-words.js'

/** OWASP's argon2id minimum (m = 19 MiB, t = 2, p = 1); a stored hash weaker than this is redone at login. */
// algorithm 2 is Argon2id (the binding's Algorithm is a const enum, which isolated modules cannot read).
export const ARGON2_PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256

/**
 * zxcvbn's score 4 means about 10^10 guesses or more: hopeless at the rate an online attacker gets
 * through our throttle (a few dozen a day), and years of an offline attack on an argon2id hash.
 */
export const PASSWORD_MIN_SCORE = 4

/** Words every password here is measured against besides the dictionaries: the product's own name and its demo. */
const SERVICE_WORDS = ['prevalens', 'demo', 'survey', 'kiosk', 'console']

/** Passwords that were printed in this project's own documentation: public, whatever their strength. */
const PUBLISHED = new Set(['prevalens-demo-2026!'])

let estimator: ZxcvbnFactory | undefined

/**
 * NIST SP 800-63B §5.1.1.2: at least 12 characters (NIST's 8 is its floor), no composition rules, checked
 * against passwords known to be common, dictionary words, repeated and sequential characters and
 * context-specific words. zxcvbn-ts does all of these with its common list (~49,000 leaked passwords),
 * English words and names, and our Norwegian words and place names; built on first use (about 0.2 s).
 */
function strength (): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations: zxcvbnEn.translations,
    graphs: zxcvbnCommon.adjacencyGraphs,
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary, 'norwegian-prevalens': norwegianWords() },
  })
  return estimator
}

/** Why a password may not be used, in words the person can act on; undefined when it may. */
export function passwordProblem (password: string, email?: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `the password is too short: use at least ${PASSWORD_MIN_LENGTH} characters (a few unrelated words make a good one)`
  if (password.length > PASSWORD_MAX_LENGTH) return `the password is too long: use at most ${PASSWORD_MAX_LENGTH} characters`
  if (PUBLISHED.has(password.toLowerCase())) return 'this password has been published (it was the old demo password); choose another'
  const emailWords = email === undefined ? [] : email.toLowerCase().split(/[@.+_-]+/).filter((word) => word.length > 2)
  const name = email?.toLowerCase().split('@')[0]
  if (name !== undefined && name.length > 2 && password.toLowerCase().includes(name)) return 'the password contains the account\'s e-mail name; choose another'
  const result = strength().check(password, [...SERVICE_WORDS, ...emailWords])
  if (result.score >= PASSWORD_MIN_SCORE) return undefined
  const why = result.feedback.warning ?? 'it would be guessed quickly'
  const advice = result.feedback.suggestions.length > 0 ? ` ${result.feedback.suggestions.join(' ')}` : ''
  return `the password is too easy to guess: ${why.replace(/\.$/, '')}.${advice} A few unrelated words, or a password manager's, make a strong one.`
}

export async function hashPassword (password: string): Promise<string> {
  return await hash(password, ARGON2_PARAMS)
}

export async function passwordMatches (storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password)
  } catch {
    return false // a malformed stored hash never matches
  }
}

/** True when a stored hash is not argon2id or uses weaker parameters than ARGON2_PARAMS. */
export function needsRehash (storedHash: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(storedHash)
  if (match === null) return true
  const [memory, time, parallelism] = match.slice(1).map(Number) as [number, number, number]
  return memory < ARGON2_PARAMS.memoryCost || time < ARGON2_PARAMS.timeCost || parallelism < ARGON2_PARAMS.parallelism
}

/** A password for a new account when none is given: 20 characters from 64, about 120 bits. */
export function generatePassword (): string {
  return randomBytes(15).toString('base64url')
}
