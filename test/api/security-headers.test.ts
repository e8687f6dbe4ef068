import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import helmetPlugin from '../../api/plugins/external/helmet.js'
import { buildTestApp } from '../helpers/build-app.js'
import { randomUUID } from 'node:crypto'
import { loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

/** The policy's directives as a map, so the test does not depend on their order. */
function directives (header: string | string[] | number | undefined): Map<string, string> {
  expect(typeof header).toBe('string')
  return new Map(String(header).split(';').map((part) => part.trim()).filter((part) => part !== '').map((part) => {
    const [name = '', ...values] = part.split(/\s+/)
    return [name, values.join(' ')]
  }))
}

describe('security headers', () => {
  let database: TestDatabase
  let app: FastifyInstance

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database)).app
  })
  afterAll(async () => {
    await app.close()
    await database.close()
  })

  const requests = [
    { name: 'an API route', method: 'GET', url: '/api/health', status: 200 },
    { name: 'an API error', method: 'POST', url: '/api/responses', status: 400 },
    { name: 'the 404', method: 'GET', url: '/no/such/page', status: 404 },
  ] as const

  for (const request of requests) {
    it(`${request.name} carries a strict content security policy and the other headers`, async () => {
      const reply = await app.inject({ method: request.method, url: request.url, ...(request.method === 'POST' ? { payload: {} } : {}) })
      expect(reply.statusCode).toBe(request.status)
      const csp = directives(reply.headers['content-security-policy'])
      expect(Object.fromEntries(csp)).toEqual({
        'default-src': "'self'",
        'script-src': "'self'",
        'script-src-attr': "'none'",
        'style-src': "'self'",
        'img-src': "'self' data:",
        'font-src': "'self'",
        'connect-src': "'self'",
        'object-src': "'none'",
        'base-uri': "'none'",
        'frame-ancestors': "'none'",
        'form-action': "'self'",
      })
      // No inline script or style may run: no escape hatch anywhere in the policy.
      expect(reply.headers['content-security-policy']).not.toMatch(/unsafe-|nonce-|sha256-|\*/)
      expect(reply.headers['referrer-policy']).toBe('no-referrer')
      expect(reply.headers['x-content-type-options']).toBe('nosniff')
      expect(reply.headers['x-frame-options']).toBe('SAMEORIGIN')
      expect(reply.headers['cross-origin-opener-policy']).toBe('same-origin')
      expect(reply.headers['cross-origin-resource-policy']).toBe('same-origin')
      expect(reply.headers['x-powered-by']).toBeUndefined()
      // Plain http (how inject and a local start are served): no HSTS, or the browser would refuse http for a year.
      expect(reply.headers['strict-transport-security']).toBeUndefined()
    })
  }

  it('an address the router refuses (a malformed %-escape, an over-long parameter) gets our error shape and strict headers', async () => {
    for (const url of ['/api/surveys/%zz/versions/1', `/api/surveys/${'a'.repeat(101)}/versions/1`]) {
      const reply = await app.inject({ method: 'GET', url })
      expect(reply.statusCode).toBeGreaterThanOrEqual(400)
      expect(reply.statusCode).toBeLessThan(500)
      expect(reply.json()).toEqual({ code: 'bad_request', message: expect.stringMatching(/address/) })
      expect(reply.body).not.toContain('a'.repeat(101))
      expect(reply.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'")
      expect(reply.headers['referrer-policy']).toBe('no-referrer')
      expect(reply.headers['x-content-type-options']).toBe('nosniff')
    }
  })

  it('a forged X-Forwarded-Proto does not turn HSTS on (no proxy is trusted by default)', async () => {
    const reply = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-proto': 'https' } })
    expect(reply.headers['strict-transport-security']).toBeUndefined()
  })
})

describe('HSTS', () => {
  async function appWith (options: { hstsMaxAge?: number }): Promise<FastifyInstance> {
    const app = Fastify({ trustProxy: '127.0.0.1' })
    await app.register(helmetPlugin, options)
    app.get('/', async () => ({ ok: true }))
    await app.ready()
    return app
  }

  it('is never sent unless configured, not even for a request that came over TLS', async () => {
    const app = await appWith({})
    for (const headers of [{}, { 'x-forwarded-proto': 'https' }]) {
      expect((await app.inject({ method: 'GET', url: '/', remoteAddress: '127.0.0.1', headers })).headers['strict-transport-security']).toBeUndefined()
    }
    await app.close()
  })

  it('is sent on every answer with the configured max-age once HSTS_MAX_AGE is set (browsers ignore it over http)', async () => {
    const app = await appWith({ hstsMaxAge: 15_552_000 })
    for (const headers of [{}, { 'x-forwarded-proto': 'https' }]) {
      expect((await app.inject({ method: 'GET', url: '/', remoteAddress: '127.0.0.1', headers })).headers['strict-transport-security']).toBe('max-age=15552000; includeSubDomains')
    }
    expect((await app.inject({ method: 'GET', url: '/nowhere' })).headers['strict-transport-security']).toBe('max-age=15552000; includeSubDomains')
    await app.close()
  })

  it('the app passes HSTS_MAX_AGE on', async () => {
    const database = await openTestDatabase()
    const { app } = await buildTestApp(database, { HSTS_MAX_AGE: 31_536_000 })
    expect((await app.inject({ method: 'GET', url: '/api/health' })).headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains')
    await app.close()
    await database.close()
  })
})

describe('Cache-Control', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let study: StudyFixture
  let researcher: TestSession

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database)).app
    study = await createStudy(database.db)
    researcher = await loginAs(app, database.db, 'researcher')
  })
  afterAll(async () => {
    await app.close()
    await database.close()
  })

  it('is no-store on every authenticated, respondent and public API answer, errors included', async () => {
    const device = { authorization: `Bearer ${study.token}` }
    const requests = [
      { url: '/api/session', headers: researcher.headers, status: 200 },
      { url: `/api/results?waves=${study.wave.id}`, headers: researcher.headers, status: 200 },
      { url: '/api/tablets', headers: researcher.headers, status: 200 },
      { url: `/api/releases/${randomUUID()}`, headers: researcher.headers, status: 404 },
      { url: '/api/accounts', headers: researcher.headers, status: 403 },
      { url: '/api/kiosk/wave', headers: device, status: 200 },
      { url: '/api/kiosk/help', headers: device, status: 200 },
      { url: '/api/session', headers: {}, status: 401 },
      { url: '/api/health', headers: {}, status: 200 },
      { url: '/api/no-such-route', headers: {}, status: 404 },
    ]
    for (const request of requests) {
      const reply = await app.inject({ method: 'GET', url: request.url, headers: request.headers })
      expect(reply.statusCode, `${request.url}: ${reply.body.slice(0, 200)}`).toBe(request.status)
      expect(reply.headers['cache-control'], request.url).toBe('no-store')
    }
    const login = await app.inject({ method: 'POST', url: '/api/session', payload: { email: 'nobody@example.org', password: 'not the password' } })
    expect(login.headers['cache-control']).toBe('no-store')
    const upload = await app.inject({ method: 'POST', url: '/api/responses', headers: device, payload: { id: randomUUID(), waveId: study.wave.id, answers: { gender: 'woman' } } })
    expect(upload.statusCode, upload.body).toBe(201)
    expect(upload.headers['cache-control']).toBe('no-store')
  })

  it('leaves the web apps\' own caching alone (a redirect to the app is not an API answer)', async () => {
    const reply = await app.inject({ method: 'GET', url: '/console' })
    expect(reply.headers['cache-control']).not.toBe('no-store')
  })
})
