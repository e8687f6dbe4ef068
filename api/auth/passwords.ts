import { randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'
import { dictionary } from '@zxcvbn-ts/language-common'

/** OWASP's argon2id minimum (m = 19 MiB, t = 2, p = 1); a stored hash weaker than this is redone at login. */
// algorithm 2 is Argon2id (the binding's Algorithm is a const enum, which isolated modules cannot read).
export const ARGON2_PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256

// zxcvbn-ts' list of the ~49,000 commonest leaked passwords (lower-case), ranked.
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common'] as string[])

/** Why a password may not be used, in words the person can act on; undefined when it may. */
export function passwordProblem (password: string, email?: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `the password is too short: use at least ${PASSWORD_MIN_LENGTH} characters`
  if (password.length > PASSWORD_MAX_LENGTH) return `the password is too long: use at most ${PASSWORD_MAX_LENGTH} characters`
  const lower = password.toLowerCase()
  if (COMMON_PASSWORDS.has(lower)) return 'the password is one of the commonest passwords; choose another'
  if (email !== undefined && lower.includes(email.toLowerCase().split('@')[0] ?? '\u0000')) return 'the password contains the account\'s e-mail name; choose another'
  return undefined
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
