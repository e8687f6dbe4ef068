import { Secret, TOTP } from 'otpauth'

/** RFC 6238 defaults that every authenticator app reads from the otpauth:// URI: SHA-1, 6 digits, 30 s. */
const PERIOD_SECONDS = 30

export function newTotpSecret (): string {
  return new Secret({ size: 20 }).base32
}

function totpFor (secret: string, email: string): TOTP {
  return new TOTP({ issuer: 'Prevalens', label: email, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) })
}

/** The otpauth:// URI an authenticator app takes (as a QR code or pasted). */
export function totpUri (secret: string, email: string): string {
  return totpFor(secret, email).toString()
}

/**
 * The time step of a valid code (one step of clock drift either way), or undefined. The caller refuses a step
 * at or before the last one it accepted, so a code seen over someone's shoulder cannot be used again.
 */
export function acceptedTotpStep (secret: string, email: string, code: string, now = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined
  const delta = totpFor(secret, email).validate({ token: code, timestamp: now, window: 1 })
  return delta === null ? undefined : Math.floor(now / 1000 / PERIOD_SECONDS) + delta
}

/** The current code (for tests and the demo's printed instructions). */
export function currentTotp (secret: string, email: string, now = Date.now()): string {
  return totpFor(secret, email).generate({ timestamp: now })
}
