import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectDatabase } from '../../api/db/connect.js'
import type { DatabaseHandle } from '../../api/db/connect.js'
import { buildTestApp } from '../helpers/build-app.js'
import type { TestApp } from '../helpers/build-app.js'

// Port 9 on loopback refuses connections: the API must say "try again" (503), never 500 or a stack trace.
describe('when the database is unreachable', () => {
  let database: DatabaseHandle
  let test: TestApp
  beforeAll(async () => {
    database = await connectDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:9/nowhere' })
    test = await buildTestApp(database)
  })
  afterAll(async () => {
    await test.app.close()
    await database.db.destroy()
  })

  it('intake answers 503 with Retry-After and a message that nothing was stored', async () => {
    const reply = await test.app.inject({
      method: 'POST',
      url: '/api/responses',
      headers: { authorization: `Bearer ${'a'.repeat(43)}` },
      payload: { id: randomUUID(), waveId: randomUUID(), answers: { gender: 'woman' } },
    })
    expect(reply.statusCode).toBe(503)
    expect(reply.headers['retry-after']).toBe('5')
    expect(reply.json()).toEqual({ code: 'database_unavailable', message: 'the database is unavailable; the request was not stored, try again shortly' })
    expect(reply.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at .*\.ts/)
  })

  it('health answers 503 too', async () => {
    const reply = await test.app.inject({ method: 'GET', url: '/api/health' })
    expect(reply.statusCode).toBe(503)
    expect(reply.json()).toMatchObject({ code: 'database_unavailable' })
  })

  it('a login and a staff request with a session cookie answer 503, never 500', async () => {
    const login = await test.app.inject({ method: 'POST', url: '/api/session', payload: { email: 'someone@example.org', password: 'a long enough password' } })
    const staff = await test.app.inject({ method: 'GET', url: '/api/sites', headers: { cookie: `__Host-prevalens=${'a'.repeat(43)}` } })
    for (const reply of [login, staff]) {
      expect(reply.statusCode).toBe(503)
      expect(reply.json()).toMatchObject({ code: 'database_unavailable' })
    }
  })
})
