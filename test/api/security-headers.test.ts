import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import helmetPlugin from '../../api/plugins/external/helmet.js'
import { buildTestApp } from '../helpers/build-app.js'
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
  // inject cannot make an encrypted socket; a trusted proxy's X-Forwarded-Proto gives the same request.protocol.
  let app: FastifyInstance
  beforeAll(async () => {
    app = Fastify({ trustProxy: '127.0.0.1' })
    await app.register(helmetPlugin)
    app.get('/', async () => ({ ok: true }))
    await app.ready()
  })
  afterAll(async () => { await app.close() })

  it('is sent when the request came over TLS', async () => {
    const reply = await app.inject({ method: 'GET', url: '/', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-proto': 'https' } })
    expect(reply.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains')
  })

  it('is not sent over plain http, nor for an untrusted client claiming https', async () => {
    expect((await app.inject({ method: 'GET', url: '/', remoteAddress: '127.0.0.1' })).headers['strict-transport-security']).toBeUndefined()
    const forged = await app.inject({ method: 'GET', url: '/', remoteAddress: '203.0.113.9', headers: { 'x-forwarded-proto': 'https' } })
    expect(forged.headers['strict-transport-security']).toBeUndefined()
  })
})
