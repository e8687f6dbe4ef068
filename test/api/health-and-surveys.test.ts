import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDefinitions } from '../../survey-definitions/index.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { SESSION_COOKIE } from '../../api/auth/session-cookie.js'
import { loginAs } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import type { TestApp } from '../helpers/build-app.js'
import { engineUnderTest, openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

describe('GET /api/health and /api/surveys', () => {
  let database: TestDatabase
  let test: TestApp
  beforeAll(async () => {
    database = await openTestDatabase()
    test = await buildTestApp(database)
  })
  afterAll(async () => {
    await test.app.close()
    await database.close()
  })

  it('tells anyone only that it is up and on which engine', async () => {
    const reply = await test.app.inject({ method: 'GET', url: '/api/health' })
    expect(reply.statusCode).toBe(200)
    expect(reply.json()).toEqual({ status: 'ok', engine: engineUnderTest })
    // A forged or stale session cookie is a stranger too.
    const forged = await test.app.inject({ method: 'GET', url: '/api/health', cookies: { [SESSION_COOKIE]: 'not-a-session' } })
    expect(forged.json()).toEqual({ status: 'ok', engine: engineUnderTest })
  })

  it('tells a logged-in staff member the engine and that every migration has run', async () => {
    const funder = await loginAs(test.app, database.db, 'funder')
    const reply = await test.app.inject({ method: 'GET', url: '/api/health', headers: funder.headers })
    expect(reply.statusCode).toBe(200)
    const body = reply.json<{ engine: string, migrations: { executed: string[], pending: string[] } }>()
    expect(body.engine).toBe(engineUnderTest)
    expect(body.migrations.pending).toEqual([])
    expect(body.migrations.executed).toContain('2026-11-26T0230_create_responses')
  })

  it('serves a published definition exactly as it was published', async () => {
    await publishDefinitions(database.db)
    const [def] = loadDefinitions()
    const reply = await test.app.inject({ method: 'GET', url: '/api/surveys/hverdag/versions/1' })
    expect(reply.statusCode).toBe(200)
    expect(reply.json()).toEqual({ slug: 'hverdag', version: 1, checksum: def!.checksum, definition: def!.survey, indicatorMap: def!.indicatorMap })
  })

  it('answers 404 naming what is missing, and 400 for a malformed version', async () => {
    const missing = await test.app.inject({ method: 'GET', url: '/api/surveys/hverdag/versions/99' })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual({ code: 'not_found', message: 'survey hverdag version 99 was not found' })
    const malformed = await test.app.inject({ method: 'GET', url: '/api/surveys/hverdag/versions/one' })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json<{ message: string }>().message).toMatch(/version/)
  })

  it('answers an unknown route with a 404 in the same shape', async () => {
    const reply = await test.app.inject({ method: 'GET', url: '/api/nothing-here?x=1' })
    expect(reply.statusCode).toBe(404)
    expect(reply.json()).toEqual({ code: 'not_found', message: 'no route GET /api/nothing-here' })
  })
})
