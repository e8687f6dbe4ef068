import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../api/config.js'
import { isLoopback, planDemo } from '../../api/services/demo-mode.js'
import { newDemoSecrets } from '../../api/services/demo-secrets.js'

const facts = (over: Partial<Parameters<typeof planDemo>[1]> = {}): Parameters<typeof planDemo>[1] =>
  ({ engine: 'pglite', databaseEmpty: true, demoSecretsExist: false, ...over })

describe('demo mode', () => {
  it('knows loopback addresses from the others', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST']) expect(isLoopback(host), host).toBe(true)
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.org', '128.0.0.1', '127.example.org']) expect(isLoopback(host), host).toBe(false)
  })

  it('seeds by itself only on the first start of an empty embedded database, on loopback', () => {
    expect(planDemo({ DEMO_DATA: 'auto', HOST: '127.0.0.1' }, facts())).toEqual({ kind: 'seed' })
    expect(planDemo({ DEMO_DATA: 'auto', HOST: '127.0.0.1' }, facts({ engine: 'postgresql' }))).toEqual({ kind: 'off' })
    expect(planDemo({ DEMO_DATA: 'auto', HOST: '127.0.0.1' }, facts({ databaseEmpty: false }))).toEqual({ kind: 'off' })
    expect(planDemo({ DEMO_DATA: 'auto', HOST: '0.0.0.0' }, facts())).toMatchObject({ kind: 'off', note: expect.stringMatching(/not a loopback/) })
    expect(planDemo({ DEMO_DATA: 'off', HOST: '127.0.0.1' }, facts())).toEqual({ kind: 'off' })
    // The database was removed and the folder kept: its secrets file is stale, the empty database is seeded anew.
    expect(planDemo({ DEMO_DATA: 'auto', HOST: '127.0.0.1' }, facts({ demoSecretsExist: true }))).toEqual({ kind: 'seed' })
  })

  it('never makes accounts again on a later start unless DEMO_DATA=on asks', () => {
    expect(planDemo({ DEMO_DATA: 'auto', HOST: '127.0.0.1' }, facts({ databaseEmpty: false, demoSecretsExist: true }))).toEqual({ kind: 'existing', recreateAccounts: false })
    expect(planDemo({ DEMO_DATA: 'on', HOST: '127.0.0.1' }, facts({ databaseEmpty: false, demoSecretsExist: true }))).toEqual({ kind: 'existing', recreateAccounts: true })
    expect(planDemo({ DEMO_DATA: 'on', HOST: '::1' }, facts({ engine: 'postgresql' }))).toEqual({ kind: 'seed' })
  })

  it('refuses demo mode on an address other than loopback, naming HOST', () => {
    expect(() => planDemo({ DEMO_DATA: 'on', HOST: '0.0.0.0' }, facts())).toThrow(ConfigError)
    expect(() => planDemo({ DEMO_DATA: 'on', HOST: '0.0.0.0' }, facts())).toThrow(/HOST="0.0.0.0": demo mode listens on a loopback address only/)
    expect(() => planDemo({ DEMO_DATA: 'auto', HOST: '192.168.1.10' }, facts({ databaseEmpty: false, demoSecretsExist: true }))).toThrow(ConfigError)
  })

  it('makes secrets at random for each install, none shared', () => {
    const [a, b] = [newDemoSecrets(), newDemoSecrets()]
    expect(a.password).not.toBe(b.password)
    expect(a.password.length).toBeGreaterThanOrEqual(20)
    expect(a.totp.admin).not.toBe(b.totp.admin)
    expect(a.totp.researcher).not.toBe(a.totp.admin)
    expect(a.password).not.toBe('Prevalens-demo-2026!')
  })
})
