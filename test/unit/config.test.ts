import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../api/config.js'

describe('configuration', () => {
  it('has safe defaults for the embedded mode', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATA_DIR: './data', DEMO_DATA: 'auto', STUDY_TIME_ZONE: 'Europe/Oslo' })
    expect(config.DATABASE_URL).toBeUndefined()
    // No HSTS unless asked: on http://127.0.0.1 a browser would otherwise refuse plain http to it for months.
    expect(config.HSTS_MAX_AGE).toBe(0)
  })

  it('converts numbers and accepts a PostgreSQL URL', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://127.0.0.1:5432/test', PG_POOL_MAX: '20' })
    expect(config.PORT).toBe(8080)
    expect(config.PG_POOL_MAX).toBe(20)
  })

  it.each([
    [{ PORT: 'eighty' }, /PORT="eighty"/],
    [{ PORT: '70000' }, /PORT="70000"/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL="mysql:\/\/x"/],
    [{ DEMO_DATA: 'yes' }, /DEMO_DATA="yes"/],
    [{ HSTS_MAX_AGE: '-1' }, /HSTS_MAX_AGE="-1"/],
    [{ HSTS_MAX_AGE: '1 year' }, /HSTS_MAX_AGE="1 year"/],
    [{ HSTS_MAX_AGE: '99999999999' }, /HSTS_MAX_AGE="99999999999"/],
    [{ STUDY_TIME_ZONE: 'Europe/Bergen' }, /STUDY_TIME_ZONE="Europe\/Bergen": not an IANA time zone/],
  ])('refuses %j with an error naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })
})
