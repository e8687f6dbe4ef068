import { timingSafeEqual } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Account, RouteAccess } from '../../auth/roles.js'
import type { ConsoleLanguage } from '../../db/database.js'
import { CSRF_HEADER, SESSION_COOKIE, SESSION_IDLE_MINUTES, sessionCookieOptions } from '../../auth/session-cookie.js'
import { deleteSession, findSession, touchSession } from '../../db/queries/sessions.js'
import { serverSecret } from '../../db/queries/server-secrets.js'
import { AppError } from '../../errors.js'
import { sessionTokenHash } from '../../services/login.js'
import type { ThrottleKeys } from '../../services/login-throttle.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: see api/auth/roles.ts. Every /api route must say. */
    access?: RouteAccess
  }
  interface FastifyRequest {
    /** The staff member behind the session; set on role routes only (public and device routes leave it null). */
    account: Account
    /** The session's CSRF token, on role routes (GET /api/session gives it back to a reloaded page). */
    csrfToken: string
    /** On role routes: an admin reset the password and the session may only choose a new one. */
    mustChangePassword: boolean
    /** On role routes: the console's language the account chose, null until it chooses. */
    accountLanguage: ConsoleLanguage | null
  }
  interface FastifyInstance {
    /** Keys of the login throttle's hashes and of device cookies, shared by every API process through the database. */
    loginThrottleKeys: () => Promise<ThrottleKeys>
    /** On a public route: the staff member behind the request's session, if it has a live one (for extra detail). */
    sessionAccount: (request: FastifyRequest) => Promise<Account | undefined>
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** What a session whose password an admin reset may do: see itself, log out, choose a new password (and its language). */
const OPEN_BEFORE_PASSWORD_CHANGE = new Set(['GET /api/session', 'DELETE /api/session', 'POST /api/session/password', 'PUT /api/session/language'])

/**
 * Access control for every route, deny by default: an /api route that does not declare `config.access` stops
 * the app from starting, and a role route answers 401 without a live session, 403 for another role, and 403
 * for a state-changing request without the session's CSRF token.
 */
export default fp(async (fastify) => {
  await fastify.register(fastifyCookie)
  fastify.decorateRequest('account', null as unknown as Account)
  fastify.decorateRequest('csrfToken', '')
  fastify.decorateRequest('mustChangePassword', false)
  fastify.decorateRequest('accountLanguage', null)
  // Read on first use, not at start-up: the API starts (and answers 503) while the database is away.
  let throttleKeys: Promise<ThrottleKeys> | undefined
  fastify.decorate('loginThrottleKeys', async () => {
    throttleKeys ??= Promise.all([serverSecret(fastify.db, 'login-throttle'), serverSecret(fastify.db, 'login-device-cookie')])
      .then(([throttle, device]) => ({ throttle, device }))
      .catch((error: unknown) => {
        throttleKeys = undefined
        throw error
      })
    return await throttleKeys
  })

  fastify.decorate('sessionAccount', async (request: FastifyRequest) => {
    const token = request.cookies[SESSION_COOKIE]
    if (token === undefined || token === '') return undefined
    const session = await findSession(fastify.db, sessionTokenHash(token), SESSION_IDLE_MINUTES)
    return session === undefined || session.expired ? undefined : session.account
  })

  fastify.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api') && route.config?.access === undefined) {
      throw new Error(`${String(route.method)} ${route.url} declares no config.access: every /api route must say who may call it (api/auth/roles.ts)`)
    }
  })

  fastify.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access
    if (access === undefined || access === 'public' || access === 'device') return
    const token = request.cookies[SESSION_COOKIE]
    if (token === undefined || token === '') throw new AppError(401, 'unauthorized', 'log in first: this page needs a staff account')
    const tokenHash = sessionTokenHash(token)
    const session = await findSession(fastify.db, tokenHash, SESSION_IDLE_MINUTES)
    if (session === undefined) {
      clearSessionCookie(reply)
      throw new AppError(401, 'unauthorized', 'your session is not valid any more; log in again')
    }
    if (session.expired) {
      await deleteSession(fastify.db, tokenHash)
      clearSessionCookie(reply)
      throw new AppError(401, 'session_expired', 'your session has expired; log in again')
    }
    if (!access.includes(session.account.role)) {
      throw new AppError(403, 'forbidden', `a ${session.account.role.replace('_', ' ')} account may not ${request.method === 'GET' ? 'see' : 'do'} this`)
    }
    if (!SAFE_METHODS.has(request.method) && !csrfMatches(request, session.csrfToken)) {
      throw new AppError(403, 'csrf_failed', `this change needs the ${CSRF_HEADER} header with the token given at login`)
    }
    if (session.mustChangePassword && !OPEN_BEFORE_PASSWORD_CHANGE.has(`${request.method} ${request.routeOptions.url ?? ''}`)) {
      throw new AppError(403, 'password_change_required', 'an admin reset your password: choose a new one first (POST /api/session/password)')
    }
    if (session.stale) await touchSession(fastify.db, tokenHash)
    request.account = session.account
    request.csrfToken = session.csrfToken
    request.mustChangePassword = session.mustChangePassword
    request.accountLanguage = session.language
  })
}, { name: 'auth', dependencies: ['db'] })

function csrfMatches (request: FastifyRequest, expected: string): boolean {
  const given = request.headers[CSRF_HEADER]
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function clearSessionCookie (reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions)
}
