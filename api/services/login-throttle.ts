import { createHmac, timingSafeEqual } from 'node:crypto'
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { clearLoginFailures, loginFailureCount, recordLoginFailure } from '../db/queries/login-failures.js'
import type { FailureScope } from '../db/queries/login-failures.js'
import { AppError } from '../errors.js'

/**
 * How failed logins are slowed, in the manner of OWASP ASVS 4 V2.2.1 and NIST SP 800-63B §5.2.2: the
 * guessing rate stays useless, and no stranger can keep an account's owner out.
 *
 * - pair (account, address): 5 failures free, then a wait before the next try that doubles from 1 minute
 *   to at most 60, counted over 24 hours: at most about 33 guesses a day at one account from one address,
 *   while the owner elsewhere is not slowed at all.
 * - source (address, any account): 30 failures in 10 minutes, then that address waits until its oldest
 *   failure leaves the window (at most 10 minutes): a NAT's other users wait minutes, never hours.
 * - account (every address, only for clients the account does not know): 100 failures in 24 hours, then
 *   new clients wait (NIST's 100 consecutive failures) — a botnet gets at most 100 guesses a day.
 * - device: a browser that has logged in to the account before carries a signed cookie naming it (OWASP's
 *   "device cookies"); its attempts skip the three limits above, so an attacker who trips them does not
 *   lock the owner out, and are counted on their own: 10 failures in 24 hours and the cookie is no longer
 *   trusted.
 */
export const LOGIN_THROTTLE = {
  pair: { freeFailures: 5, firstWaitMinutes: 1, maxWaitMinutes: 60, windowMinutes: 24 * 60 },
  source: { failures: 30, windowMinutes: 10 },
  account: { failures: 100, windowMinutes: 24 * 60 },
  device: { failures: 10, windowMinutes: 24 * 60 },
} as const

/** The cookie of a browser that has logged in before: `<nonce>.<HMAC of the account's e-mail and the nonce>`. */
export const DEVICE_COOKIE = '__Host-prevalens-device'
export const DEVICE_COOKIE_DAYS = 365

export interface ThrottleKeys {
  /** Key of the keyed hashes stored in login_failures. */
  throttle: string
  /** Key that signs device cookies. */
  device: string
}

export interface ThrottleSubject {
  email: string
  source: string
  deviceCookie?: string | undefined
}

/** Wait, in minutes, after `failures` failures of one pair (0 while they are free). */
export function pairWaitMinutes (failures: number): number {
  const { freeFailures, firstWaitMinutes, maxWaitMinutes } = LOGIN_THROTTLE.pair
  if (failures < freeFailures) return 0
  return Math.min(maxWaitMinutes, firstWaitMinutes * 2 ** (failures - freeFailures))
}

const hmac = (key: string, ...parts: string[]): string => createHmac('sha256', key).update(parts.join('\n')).digest('hex')

function signedNonce (keys: ThrottleKeys, email: string, nonce: string): string {
  return createHmac('sha256', keys.device).update(`${email}\n${nonce}`).digest('base64url')
}

export function newDeviceCookie (keys: ThrottleKeys, email: string): string {
  const nonce = randomBytes(16).toString('base64url')
  return `${nonce}.${signedNonce(keys, email, nonce)}`
}

/** The nonce of a device cookie made for this account, or undefined. */
function deviceNonce (keys: ThrottleKeys, email: string, cookie: string | undefined): string | undefined {
  if (cookie === undefined) return undefined
  const [nonce, signature, extra] = cookie.split('.')
  if (nonce === undefined || signature === undefined || extra !== undefined || nonce === '') return undefined
  const expected = Buffer.from(signedNonce(keys, email, nonce))
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given) ? nonce : undefined
}

type Keyed = Array<{ scope: FailureScope, key: string }>

/** The counters one attempt touches: its device cookie's alone when the account knows it, the other three otherwise. */
export async function throttleScopes (db: Kysely<Database>, keys: ThrottleKeys, subject: ThrottleSubject): Promise<{ keyed: Keyed, trustedDevice: boolean }> {
  const nonce = deviceNonce(keys, subject.email, subject.deviceCookie)
  if (nonce !== undefined) {
    const device = hmac(keys.throttle, 'device', nonce)
    const { count } = await loginFailureCount(db, 'device', device, LOGIN_THROTTLE.device.windowMinutes)
    if (count < LOGIN_THROTTLE.device.failures) return { keyed: [{ scope: 'device', key: device }], trustedDevice: true }
  }
  return {
    trustedDevice: false,
    keyed: [
      { scope: 'pair', key: hmac(keys.throttle, 'pair', subject.email, subject.source) },
      { scope: 'source', key: hmac(keys.throttle, 'source', subject.source) },
      { scope: 'account', key: hmac(keys.throttle, 'account', subject.email) },
    ],
  }
}

/** Throws 429 with the seconds to wait when any of the attempt's counters says so. */
export async function assertNotThrottled (db: Kysely<Database>, keyed: Keyed): Promise<void> {
  for (const { scope, key } of keyed) {
    if (scope === 'device') continue // checked when the cookie was trusted
    const limit = scope === 'pair' ? LOGIN_THROTTLE.pair.windowMinutes : LOGIN_THROTTLE[scope].windowMinutes
    const { count, secondsSinceLast, secondsUntilOldestLeaves } = await loginFailureCount(db, scope, key, limit)
    let waitSeconds = 0
    if (scope === 'pair') waitSeconds = pairWaitMinutes(count) * 60 - secondsSinceLast
    else if (count >= LOGIN_THROTTLE[scope].failures) waitSeconds = secondsUntilOldestLeaves
    if (waitSeconds > 0) {
      const minutes = Math.ceil(waitSeconds / 60)
      const why = scope === 'pair'
        ? 'too many failed logins to this account from this address'
        : scope === 'source' ? 'too many failed logins from this address' : 'too many failed logins to this account from new browsers'
      throw new AppError(429, 'rate_limited', `${why}; wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again`, undefined, Math.ceil(waitSeconds))
    }
  }
}

export async function recordFailure (db: Kysely<Database>, keyed: Keyed): Promise<void> {
  await recordLoginFailure(db, keyed)
}

/** A login that succeeded ends its pair's and its device's count (the address and account counts run out on their own). */
export async function clearAfterSuccess (db: Kysely<Database>, keyed: Keyed): Promise<void> {
  for (const { scope, key } of keyed) if (scope === 'pair' || scope === 'device') await clearLoginFailures(db, scope, key)
}
