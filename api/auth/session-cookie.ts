/**
 * The session cookie: `__Host-` binds it to this exact origin (no Domain, Path=/, Secure), HttpOnly keeps it
 * from scripts, SameSite=Strict keeps it off cross-site requests. Browsers accept Secure cookies on
 * http://localhost and 127.0.0.1, so the same cookie works in the embedded demo and behind TLS.
 */
export const SESSION_COOKIE = '__Host-prevalens'

export const CSRF_HEADER = 'x-csrf-token'

/** Idle and absolute session lifetimes (README, "Accounts, roles and the audit log"). */
export const SESSION_IDLE_MINUTES = 30
export const SESSION_ABSOLUTE_HOURS = 12

export const sessionCookieOptions = {
  path: '/',
  httpOnly: true,
  secure: true,
  sameSite: 'strict',
} as const
