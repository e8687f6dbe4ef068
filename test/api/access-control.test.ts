import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import app, { serverOptions } from '../../api/app.js'
import { ROLES } from '../../api/auth/roles.js'
import type { Role, RouteAccess } from '../../api/auth/roles.js'
import { loadConfig } from '../../api/config.js'
import dbPlugin from '../../api/plugins/app/db.js'
import authPlugin from '../../api/plugins/app/auth.js'
import { loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const STAFF: readonly Role[] = ['admin', 'researcher']
const ANY: readonly Role[] = ROLES
const SITE: readonly Role[] = ['admin', 'researcher', 'site_staff']
const RELEASE_READERS: readonly Role[] = ['admin', 'funder', 'researcher']

/**
 * The route x role table, written out by hand: who may call what. The app's own declarations must equal it,
 * so a new route cannot be added without a decision here, and every role-route answer below is checked against
 * it. Site staff reach their own site only (checked by the routes, tested with them).
 */
const EXPECTED: Record<string, RouteAccess> = {
  'GET /api/health': 'public',
  'POST /api/session': 'public',
  'GET /api/session': ANY,
  'DELETE /api/session': ANY,
  'GET /api/accounts': ['admin'],
  'POST /api/accounts': ['admin'],
  'PATCH /api/accounts/:id': ['admin'],
  'POST /api/accounts/:id/password-reset': ['admin'],
  'POST /api/session/password': ANY,
  'PUT /api/session/language': ANY,
  'GET /api/audit-log': ['admin', 'auditor'],
  'GET /api/audit-log/verify': ['admin', 'auditor'],
  'GET /api/surveys/:slug/versions/:version': 'public',
  'POST /api/responses': 'device',
  'POST /api/test-responses': 'device',
  'POST /api/devices/enrol': 'public',
  'GET /api/kiosk/wave': 'device',
  'GET /api/kiosk/languages/:code': 'device',
  'GET /api/kiosk/help': 'device',
  'GET /api/kiosk/intake-key': 'public',
  'GET /api/results': STAFF,
  'POST /api/waves/:waveId/releases': STAFF,
  'POST /api/waves/:waveId/releases/preview': STAFF,
  'GET /api/waves/:waveId/releases': STAFF,
  'GET /api/releases': RELEASE_READERS,
  'GET /api/releases/:releaseId': RELEASE_READERS,
  'GET /api/releases/:releaseId/audit': STAFF,
  'POST /api/releases/:releaseId/public-link': STAFF,
  'DELETE /api/releases/:releaseId/public-link': STAFF,
  'GET /api/public/releases/:token': 'public',
  'GET /api/survey-versions': STAFF,
  'GET /api/survey-versions/available': STAFF,
  'GET /api/survey-versions/:id': STAFF,
  'POST /api/survey-versions/from-definitions': STAFF,
  'POST /api/survey-versions': STAFF,
  'GET /api/survey-versions/:id/languages': STAFF,
  'POST /api/survey-versions/:id/languages/:code/review': STAFF,
  'GET /api/survey-versions/:id/languages/:code/xliff': STAFF,
  'POST /api/survey-versions/:id/languages/:code/xliff': STAFF,
  'GET /api/reference/regions': ANY,
  'GET /api/sites': SITE,
  'GET /api/sites/:id': SITE,
  'POST /api/sites': STAFF,
  'PATCH /api/sites/:id': STAFF,
  'GET /api/waves': SITE,
  'GET /api/waves/:id': SITE,
  'POST /api/waves': STAFF,
  'PATCH /api/waves/:id': STAFF,
  'POST /api/waves/:id/open': STAFF,
  'POST /api/waves/:id/close': STAFF,
  'GET /api/help-resources': STAFF,
  'POST /api/help-resources/lines': STAFF,
  'PATCH /api/help-resources/lines/:id': STAFF,
  'DELETE /api/help-resources/lines/:id': STAFF,
  'POST /api/help-resources/crisis-centres': STAFF,
  'PATCH /api/help-resources/crisis-centres/:id': STAFF,
  'DELETE /api/help-resources/crisis-centres/:id': STAFF,
  'PUT /api/help-resources/note': STAFF,
  'GET /api/tablets': SITE,
  'POST /api/tablets/enrolment-codes': SITE,
  'POST /api/tablets/:id/revoke': SITE,
  'GET /api/test-responses': STAFF,
  'DELETE /api/test-responses/:surveyVersionId': STAFF,
  'GET /api/progress/:waveId': SITE,
  'GET /api/overview': SITE,
  'GET /api/exports/waves/:waveId/microdata.csv': STAFF,
  'GET /api/exports/waves/:waveId/microdata.jsonl': STAFF,
  'GET /api/exports/waves/:waveId/codebook.json': STAFF,
  'GET /api/exports/waves/:waveId/codebook.md': STAFF,
  'GET /api/exports/waves/:waveId/read-microdata.R': STAFF,
  'GET /api/exports/waves/:waveId/microdata.sav': STAFF,
  'GET /api/exports/waves/:waveId/microdata.dta': STAFF,
  'GET /api/exports/waves/:waveId/read-microdata.sps': STAFF,
  'GET /api/exports/waves/:waveId/read-microdata.do': STAFF,
}

/** Role lists compared as sets. */
const normalised = (access: RouteAccess | undefined): unknown => Array.isArray(access) ? [...access].sort() : access

interface DeclaredRoute { method: string, url: string, access: RouteAccess | undefined }

describe('the route x role table', () => {
  let database: TestDatabase
  let fastify: FastifyInstance
  const declared: DeclaredRoute[] = []
  const sessions = new Map<Role, TestSession>()

  beforeAll(async () => {
    database = await openTestDatabase()
    const config = { ...loadConfig({}), LOG_LEVEL: 'silent' as const }
    fastify = Fastify(serverOptions(config))
    fastify.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD' && route.url.startsWith('/api')) declared.push({ method, url: route.url, access: route.config?.access })
      }
    })
    await fastify.register(app, { config, database })
    await fastify.ready()
  }, 60_000)
  afterAll(async () => {
    await fastify.close()
    await database.close()
  })

  const key = (route: { method: string, url: string }) => `${route.method} ${route.url}`
  // Logging out ends the session the other checks use, so it goes last.
  const LOGOUT = 'DELETE /api/session'
  const roleRoutes = () => declared.filter((route) => Array.isArray(route.access))
    .sort((a, b) => Number(key(a) === LOGOUT) - Number(key(b) === LOGOUT))
  const logInEveryRole = async () => { for (const role of ROLES) sessions.set(role, await loginAs(fastify, database.db, role)) }
  const request = (route: DeclaredRoute, headers: Record<string, string>): InjectOptions => {
    const withBody = !['GET', 'DELETE'].includes(route.method)
    return {
      method: route.method as InjectOptions['method'],
      url: route.url.replace(/:\w+/g, randomUUID()),
      headers: { ...headers, ...(withBody ? { 'content-type': 'application/json' } : {}) },
      ...(withBody ? { payload: '{}' } : {}),
    }
  }

  it('every /api route declares exactly the access the table gives it', () => {
    expect(Object.fromEntries(declared.map((route) => [key(route), normalised(route.access)])))
      .toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([name, access]) => [name, normalised(access)])))
  })

  it('a role route without a session is 401 and nothing more', async () => {
    for (const route of roleRoutes()) {
      const reply = await fastify.inject(request(route, {}))
      expect([key(route), reply.statusCode, reply.json().code]).toEqual([key(route), 401, 'unauthorized'])
    }
  })

  it('each role gets exactly the routes the table allows it; every other role gets 403 from the access check', async () => {
    await logInEveryRole()
    for (const route of roleRoutes()) {
      for (const role of ROLES) {
        const reply = await fastify.inject(request(route, sessions.get(role)!.headers))
        const deniedByAccessCheck = reply.statusCode === 403 && reply.json().code === 'forbidden' && /^an? .+ account may not/.test(reply.json().message as string)
        const allowed = (EXPECTED[key(route)] as readonly Role[]).includes(role)
        // Allowed requests may still fail on their made-up ids and empty bodies (400/404), never on access.
        expect({ route: key(route), role, denied: deniedByAccessCheck, status: reply.statusCode }).toMatchObject({ denied: !allowed })
        if (allowed) expect(reply.statusCode, `${key(route)} as ${role}: ${reply.body}`).not.toBe(401)
      }
    }
  })

  it('a change by an allowed role without the CSRF header is refused before it runs', async () => {
    await logInEveryRole()
    for (const route of roleRoutes().filter((candidate) => !['GET', 'HEAD'].includes(candidate.method))) {
      const role = (EXPECTED[key(route)] as readonly Role[])[0]!
      const { cookie } = sessions.get(role)!.headers
      const reply = await fastify.inject(request(route, { cookie: cookie! }))
      expect([key(route), reply.statusCode, reply.json().code]).toEqual([key(route), 403, 'csrf_failed'])
    }
  })

  it('an /api route that does not say who may call it stops the app from starting', async () => {
    const bare = Fastify({ logger: false })
    await bare.register(dbPlugin, { database })
    await bare.register(authPlugin)
    expect(() => bare.get('/api/forgotten', async () => ({ secret: true }))).toThrow(/GET \/api\/forgotten declares no config.access/)
    await bare.close()
  })
})
