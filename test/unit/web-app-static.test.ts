import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { afterAll, describe, expect, it } from 'vitest'
import webAppStatic from '../../api/plugins/external/web-app-static.js'

describe('a built web app at /<app>/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prevalens-kiosk-'))
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

  it('serves index.html revalidated on every load, hashed assets cached for good, and /kiosk redirects', async () => {
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Hverdag og helse</title>')
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'export {}')
    const app = Fastify()
    await app.register(webAppStatic, { app: 'kiosk', root: dir })
    const index = await app.inject('/kiosk/')
    expect(index.statusCode).toBe(200)
    expect(index.body).toContain('Hverdag og helse')
    expect(index.headers['cache-control']).toBe('no-cache')
    const asset = await app.inject('/kiosk/assets/index-abc123.js')
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const bare = await app.inject('/kiosk')
    expect([bare.statusCode, bare.headers.location]).toEqual([301, '/kiosk/'])
    await app.close()
  })

  it('says how to build an app that is not built', async () => {
    const app = Fastify()
    await app.register(webAppStatic, { app: 'console', root: join(dir, 'missing') })
    const reply = await app.inject('/console/')
    expect(reply.statusCode).toBe(503)
    expect(reply.body).toMatch(/console app is not built/)
    expect(reply.body).toMatch(/npm run build:web/)
    await app.close()
  })
})
