import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import fc from 'fast-check'
import Fastify from 'fastify'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import app, { serverOptions } from '../../api/app.js'
import { loadConfig } from '../../api/config.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import { listQuestions } from '../../survey-definitions/questions.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { ROLES } from '../../api/auth/roles.js'
import type { Role, RouteAccess } from '../../api/auth/roles.js'
import { SESSION_COOKIE } from '../../api/auth/session-cookie.js'
import { loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'
import { sampleValue, stringPaths, valueWithStringAt } from '../helpers/schema-sample.js'
import type { JsonSchema, SchemaPath } from '../helpers/schema-sample.js'

/**
 * Hostile input against every route: property-based, with a fixed seed so a failure is reproducible
 * (fast-check prints the seed and path). Every answer must be < 500, carry no stack trace, SQL or file
 * path of ours, be `{ code, message }` when it is a 4xx, carry the security headers, and no invalid request may
 * store a row.
 */
const SEED = 20261126
const RUNS = {
  intakeForged: 900,
  intakeInvalidBody: 1400,
  intakeRaw: 500,
  surveys: 600,
  results: 1000,
  health: 200,
  everyRoute: 600,
  staffRoutes: 1500,
  sessionCookies: 300,
  staticPaths: 300,
} as const

// Writes of the throttles are their purpose: a wrong enrolment code or a failed login is counted, and a failed
// login is also an audit entry (checked on its own below).
const WRITTEN_ON_PURPOSE = new Set(['enrolment_failures', 'login_failures', 'audit_log'])

// --- hostile strings -------------------------------------------------------------------------------------

const SPECIAL = [
  "' OR '1'='1", "'; DROP TABLE responses; --", '1; select pg_sleep(5)--', "' union select token_hash from devices --",
  '$1', "E'\\\\x00'", '\\', '"', "'", '`', '%', '%00', '%s%s%n', '$' + '{7*7}', '{{7*7}}', '<%= 7*7 %>',
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '<svg/onload=alert(1)>',
  '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\udc00y', '\ud83d', '\u202eevil\u202c', '\u200b', '\u200d\u200c', '\ufeff',
  '\u2028\u2029', '\u0085', 'مرحبا', 'עברית\u200f', '𝕳𝖊𝖑𝖑𝖔', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', 'ﷺ', '🏳️‍🌈', 'øæå ØÆÅ',
  '../../../../etc/passwd', '..%2f..%2fetc%2fpasswd', '/proc/self/environ', 'C:\\Windows\\win.ini', 'file:///etc/passwd',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__',
  '', ' ', 'null', 'undefined', 'NaN', 'Infinity', '-1', '0', '1e309', '-0', '0x10', 'true', '[]', '{}',
  'a'.repeat(201), 'é'.repeat(5000), 'x,'.repeat(3000),
]

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 4 })
const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SPECIAL), fc.string({ unit: 'binary', maxLength: 10 }), fc.constantFrom(...SPECIAL)).map((parts) => parts.join('')) }
)

/** Characters an HTTP header value can actually carry (no CR, LF or NUL). */
const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((code) => code !== 0x7f).map((code) => String.fromCharCode(code)), maxLength: 60 }),
  fc.constantFrom(...SPECIAL.filter((text) => /^[\t\x20-\x7e\x80-\xff]*$/.test(text)))
)

/** Any JSON value, as text, including what JSON.stringify cannot make (`__proto__` keys, duplicate keys, depth). */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string, object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false', '0', '-0', '1e308', '-1e-308', '123456789012345678901234567890', '0.1'),
    fc.double().map((n) => Number.isFinite(n) ? JSON.stringify(n) : '0'),
    hostileString.map((text) => JSON.stringify(text)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    tie('object')
  ),
  object: fc.array(fc.tuple(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'id', 'waveId', 'answers')), tie('value')), { maxLength: 4 })
    .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
})).value

const deepJson = fc.tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('[', '{"a":')).map(([depth, open]) =>
  open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth))

const oversized = fc.tuple(fc.integer({ min: 250 * 1024, max: 1200 * 1024 }), fc.constantFrom('"', 'é', '\\u0000')).map(([size, unit]) =>
  `{"id":"${randomUUID()}","waveId":"${randomUUID()}","answers":{"gender":"${unit.repeat(Math.ceil(size / unit.length))}"}}`)

const forgedToken = (realToken: string): fc.Arbitrary<string | undefined> => fc.oneof(
  fc.constant(undefined),
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 16, maxLength: 128 }).map((token) => `Bearer ${token}`),
  fc.nat({ max: realToken.length - 1 }).map((at) => `Bearer ${realToken.slice(0, at)}${realToken[at] === 'A' ? 'B' : 'A'}${realToken.slice(at + 1)}`),
  fc.nat({ max: realToken.length - 1 }).map((length) => `Bearer ${realToken.slice(0, length)}`),
  fc.constantFrom(`bearer ${realToken}`, `Bearer  ${realToken}`, `Bearer ${realToken} `, `Bearer ${realToken}x`, `Basic ${realToken}`, realToken,
    `Bearer ${realToken},Bearer ${realToken}`, 'Bearer', 'Bearer ', `Bearer ${'A'.repeat(129)}`, `Bearer ${'A'.repeat(300)}`,
    `Bearer ${Buffer.from(realToken).toString('base64')}`, 'Bearer null', 'Bearer undefined'),
  headerValue.map((text) => `Bearer ${text}`),
  headerValue
)

// --- what every answer must satisfy ----------------------------------------------------------------------

const STACK = /\n\s+at |\bat [\w.<>]+ \(|:\d+:\d+\)/
const PATHS = /(?:\/(?:work|home|usr|tmp|root|var|opt|app)\/)|node_modules|file:\/\/|\.[cm]?[jt]s:\d+/
const SQL = [
  /\b(?:select|insert into|delete from|update)\b[^"]{0,80}?\b(?:from|values|where|set)\b/i,
  /syntax error at or near|invalid input syntax|invalid byte sequence|unsupported unicode escape|violates [\w ]*constraint|duplicate key|SQLSTATE|relation "/i,
  /\b(?:survey_versions|response_facts|wave_sites|token_hash|indicator_values|yes_lanes|kysely_migration|enrolment_failures)\b/,
  /\b(?:pglite|kysely|postgres(?:ql)?:\/\/|pg_catalog)\b/i,
]

interface Sent { options: InjectOptions, text: string }

function requestText (options: InjectOptions): string {
  const parts = [String(options.url ?? ''), JSON.stringify(options.query ?? {}), JSON.stringify(options.headers ?? {})]
  const payload = options.payload
  parts.push(typeof payload === 'string' ? payload : payload === undefined ? '' : JSON.stringify(payload))
  try { parts.push(decodeURIComponent(String(options.url ?? ''))) } catch { /* malformed escapes stay as sent */ }
  return parts.join('\n')
}

/** Every string the answer holds (JSON answers parsed, so escapes do not hide or fake an echo). */
function answerStrings (reply: LightMyRequestResponse): string[] {
  let parsed: unknown
  try { parsed = JSON.parse(reply.body) } catch { return [reply.body] }
  const out: string[] = []
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value)
    else if (Array.isArray(value)) value.forEach(walk)
    else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) { out.push(key); walk(item) }
  }
  walk(parsed)
  return out
}

/** A match the client did not send itself: an echo of the request ("unknown indicator \"select …\"") is fine. */
function leak (pattern: RegExp, text: string, sent: string): string | undefined {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`)
  for (const match of text.matchAll(global)) {
    if (!sent.includes(match[0]) && !sent.toLowerCase().includes(match[0].toLowerCase())) return match[0]
  }
  return undefined
}

function checkReply (sent: Sent, reply: LightMyRequestResponse): void {
  const where = `${String(sent.options.method)} ${String(sent.options.url).slice(0, 200)} → ${reply.statusCode} ${reply.body.slice(0, 300)}`
  expect(reply.statusCode, where).toBeLessThan(500)
  // The security headers are on every answer, the refusals of hostile input included.
  expect(reply.headers['x-content-type-options'], where).toBe('nosniff')
  expect(String(reply.headers['content-security-policy']), where).toContain("frame-ancestors 'none'")
  if (sent.options.method === 'HEAD') return // no body to look into
  // A 2xx is content (a survey's wording, the engine's name in health); an error answer must name the problem only.
  const patterns = reply.statusCode < 400 ? [STACK, SQL[1] as RegExp] : [STACK, PATHS, ...SQL]
  for (const text of answerStrings(reply)) {
    for (const pattern of patterns) {
      const found = leak(pattern, text, sent.text)
      expect(found, `${where}\nleaks ${pattern}`).toBeUndefined()
    }
  }
  if (reply.statusCode >= 400) {
    expect(reply.headers['content-type'], where).toMatch(/^application\/json/)
    const body = reply.json<Record<string, unknown>>()
    expect(typeof body.code, where).toBe('string')
    expect(typeof body.message, where).toBe('string')
    expect(Object.keys(body).every((key) => key === 'code' || key === 'message' || key === 'question'), where).toBe(true)
  }
}

// --- the suite -------------------------------------------------------------------------------------------

// Thousands of requests per property: minutes on a busy two-core machine, not the suite's default 30 s.
describe('hostile input', { timeout: 240_000 }, () => {
  let database: TestDatabase
  let fastify: FastifyInstance
  let study: StudyFixture
  let researcher: TestSession
  let questionNames: string[]
  let indicatorNames: string[]
  let baseline: Record<string, number>
  /** Every route registered, with the names of the fields its body schema declares (to send them hostile values). */
  const routes: Array<{ method: string, url: string, bodyFields: string[], access: RouteAccess | undefined, schemas: Partial<Record<RequestPart, JsonSchema>> }> = []
  const sessions = new Map<Role, TestSession>()
  let cases = 0
  const outcomes = new Map<string, number>()

  async function send (options: InjectOptions): Promise<LightMyRequestResponse> {
    cases += 1
    const sent = { options, text: requestText(options) }
    const reply = await fastify.inject(options)
    checkReply(sent, reply)
    const path = String(options.url).split('?')[0]?.split('/').slice(0, 3).join('/') ?? ''
    const prefix = path.startsWith('/kiosk') ? `${String(options.method)} /kiosk` : path
    const key = `${prefix} ${reply.statusCode} ${reply.statusCode >= 400 && reply.body !== '' ? reply.json<{ code: string }>().code : ''}`.trim()
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1)
    return reply
  }

  async function tableCounts (): Promise<Record<string, number>> {
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`.execute(database.db)
    const counts: Record<string, number> = {}
    for (const { name } of tables.rows) {
      if (WRITTEN_ON_PURPOSE.has(name)) continue
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(database.db)
      counts[name] = rows[0]?.n ?? -1
    }
    return counts
  }

  /** Examples are the inputs fuzzing once found a 500 with: they run first, every time. */
  const assertOptions = <T>(numRuns: number, examples: T[] = []): fc.Parameters<T> => ({ seed: SEED, numRuns, endOnFailure: true, examples })

  beforeAll(async () => {
    database = await openTestDatabase()
    const config = { ...loadConfig({}), LOG_LEVEL: 'warn' as const }
    fastify = Fastify(serverOptions(config, new Writable({ write (_chunk, _encoding, done) { done() } })))
    fastify.addHook('onRoute', (route) => {
      const body = route.schema?.body as { properties?: Record<string, unknown> } | undefined
      const bodyFields = Object.keys(body?.properties ?? {})
      const schemas: Partial<Record<RequestPart, JsonSchema>> = {}
      for (const part of REQUEST_PARTS) {
        const schema = route.schema?.[part] as JsonSchema | undefined
        if (schema !== undefined) schemas[part] = schema
      }
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, bodyFields, access: route.config?.access, schemas })
    })
    await fastify.register(app, { config, database })
    await fastify.ready()
    study = await createStudy(database.db)
    researcher = await loginAs(fastify, database.db, 'researcher')
    for (const role of ROLES) sessions.set(role, role === 'researcher' ? researcher : await loginAs(fastify, database.db, role))
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    questionNames = listQuestions(version?.definition ?? {}).filter((info) => info.type !== 'html').map((info) => info.name)
    indicatorNames = (await database.db.selectFrom('indicators').select('name').execute()).map((row) => row.name)
    baseline = await tableCounts()
  }, 60_000)

  afterAll(async () => {
    await fastify.close()
    await database.close()
    if (process.env.FUZZ_STATS !== undefined) console.log([...outcomes].sort().map(([key, n]) => `${key}: ${n}`).join('\n'))
    // The inputs got past the schemas to the device check, the answer validator and the results query.
    expect([...outcomes.keys()]).toEqual(expect.arrayContaining([
      '/api/responses 401 device_unknown', '/api/responses 401 unauthorized', '/api/responses 404 wave_not_found',
      '/api/responses 422 invalid_answers', '/api/responses 413 bad_request', '/api/results 200', '/api/results 400 unknown_indicator',
      '/api/results 400 unknown_dimension', '/api/results 404 wave_not_found', '/api/surveys 404 not_found',
    ]))
    // At least 5,000 cases per run, so that a rare input is met: the properties above must add up to that.
    expect(cases).toBeGreaterThanOrEqual(5000)
  })

  it('covers every route the API registers', () => {
    const api = routes.filter((route) => route.url.startsWith('/api/')).map((route) => `${route.method} ${route.url}`)
    expect(api).toEqual(expect.arrayContaining([
      'POST /api/responses', 'GET /api/surveys/:slug/versions/:version', 'GET /api/results', 'GET /api/health',
    ]))
  })

  describe('POST /api/responses', () => {
    const post = (payload: string, authorization: string | undefined, contentType = 'application/json'): Promise<LightMyRequestResponse> =>
      send({ method: 'POST', url: '/api/responses', payload, headers: { 'content-type': contentType, ...(authorization === undefined ? {} : { authorization }) } })

    it('a forged, malformed or missing device token is refused whatever the body', async () => {
      const body = fc.oneof(
        fc.constant(null).map(() => JSON.stringify({ id: randomUUID(), waveId: study.wave.id, answers: { gender: 'woman' } })),
        jsonText
      )
      await fc.assert(fc.asyncProperty(forgedToken(study.token), body, async (authorization, payload) => {
        const reply = await post(payload, authorization)
        expect(reply.statusCode).toBeGreaterThanOrEqual(400)
      }), assertOptions(RUNS.intakeForged))
      expect(await tableCounts()).toEqual(baseline)
    })

    it('a real token with a body that is wrong somewhere is refused with a 4xx and stores nothing', async () => {
      const notAQuestion = hostileString.filter((name) => !questionNames.includes(name))
      const notAChoice = fc.oneof(
        hostileString.map((text) => `~${text}`), fc.integer(), fc.double(), fc.constant(true), jsonText.map((text) => ({ raw: text })),
        fc.array(hostileString.map((text) => `~${text}`), { minLength: 1, maxLength: 3 })
      )
      const badAnswer = fc.oneof(
        fc.tuple(notAQuestion, jsonText).map(([key, raw]) => [key, { raw }] as const),
        fc.tuple(fc.constantFrom(...questionNames), notAChoice),
        fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), jsonText).map(([key, raw]) => [key, { raw }] as const)
      )
      const goodAnswers = fc.subarray([['gender', 'woman'], ['age_group', '25_34'], ['pushed_ever', 'no']] as Array<readonly [string, unknown]>)
      const badUuid = fc.oneof(hostileString, fc.constantFrom(`urn:uuid:${randomUUID()}`, `{${randomUUID()}}`, randomUUID().replaceAll('-', ''),
        `${randomUUID()}\u0000`, ` ${randomUUID()}`, `${randomUUID()}\n`, randomUUID().replace(/[0-9a-f]$/, 'g')))
      // Each mutation alone makes the body invalid; one or two are applied, most of them to the answers.
      const mutation = fc.oneof(
        { weight: 2, arbitrary: badUuid.map((id) => ({ field: 'id', value: JSON.stringify(id) })) },
        { weight: 2, arbitrary: fc.oneof(badUuid, fc.constant(null).map(() => randomUUID())).map((id) => ({ field: 'waveId', value: JSON.stringify(id) })) },
        { weight: 1, arbitrary: fc.oneof(jsonText.filter((text) => !/^"/.test(text)), fc.constantFrom('1', 'true', '[]', '"x"')).map((raw) => ({ field: 'id', value: raw })) },
        {
          weight: 8,
          arbitrary: fc.tuple(goodAnswers, badAnswer, fc.boolean()).map(([good, bad, first]) => {
            // A later duplicate key would win in JSON.parse and make the answers valid again.
            const others = good.filter(([name]) => name !== bad[0])
            return { field: 'answers', value: objectText(first ? [bad, ...others] : [...others, bad]) }
          }),
        },
        { weight: 1, arbitrary: fc.oneof(jsonText.filter((text) => !text.startsWith('{')), fc.constantFrom('null', '[]', '"answers"')).map((raw) => ({ field: 'answers', value: raw })) },
        { weight: 1, arbitrary: fc.tuple(hostileString.filter((key) => !['id', 'waveId', 'answers'].includes(key)), jsonText).map(([key, raw]) => ({ field: key, value: raw })) },
        { weight: 1, arbitrary: fc.constantFrom('id', 'waveId', 'answers').map((field) => ({ field, value: undefined })) }
      )
      await fc.assert(fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 2 }), async (mutations) => {
        const fields = new Map<string, string | undefined>([
          ['id', JSON.stringify(randomUUID())], ['waveId', JSON.stringify(study.wave.id)], ['answers', '{"gender":"woman"}'],
        ])
        for (const { field, value } of mutations) fields.set(field, value)
        const payload = `{${[...fields].filter(([, value]) => value !== undefined).map(([key, value]) => `${JSON.stringify(key)}:${value ?? ''}`).join(',')}}`
        const reply = await post(payload, `Bearer ${study.token}`)
        expect(reply.statusCode, payload.slice(0, 300)).toBeGreaterThanOrEqual(400)
      }), assertOptions<[Array<{ field: string, value: string | undefined }>]>(RUNS.intakeInvalidBody, [
        [[{ field: 'id', value: JSON.stringify(`urn:uuid:${randomUUID()}`) }]],
        [[{ field: 'waveId', value: JSON.stringify(`urn:uuid:${study.wave.id}`) }]],
      ]))
      expect(await tableCounts()).toEqual(baseline)
    })

    it('raw bodies: not JSON, truncated, deeply nested, oversized, odd content types', async () => {
      const raw = fc.oneof(
        jsonText.map((text) => text.slice(0, Math.max(1, text.length - 1))),
        deepJson,
        oversized,
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom('', ' ', 'null', '"string"', '[]', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}',
          `{"id":"${randomUUID()}","id":"${randomUUID()}","waveId":"${randomUUID()}","answers":{}}`, '{"a":1}garbage', '\ufeff{}', '{"answers":{"gender":"\\ud800"}}')
      )
      const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x', 'application/xml', 'application/json\u00ff', '*/*', '', 'application/JSON', 'application/json;;')
      await fc.assert(fc.asyncProperty(raw, contentType, forgedToken(study.token), fc.boolean(), async (payload, type, forged, realToken) => {
        const authorization = realToken ? `Bearer ${study.token}` : forged
        const reply = await post(payload, authorization, type)
        expect(reply.statusCode).toBeGreaterThanOrEqual(400)
      }), assertOptions(RUNS.intakeRaw))
      expect(await tableCounts()).toEqual(baseline)
    })
  })

  it('GET /api/surveys/:slug/versions/:version with hostile parameters', async () => {
    const segment = fc.oneof(
      hostileString.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))),
      fc.constantFrom('%', '%zz', '%00', '%c0%ae', '%ed%a0%80', '..', '%2e%2e', '.', '%2F', 'hverdag', '1', '0', '-1', '1.5', '1e3', '99999999999999999999', 'HVERDAG', ' 1', '0x1')
    )
    await fc.assert(fc.asyncProperty(segment, segment, async (slug, version) => {
      const reply = await send({ method: 'GET', url: `/api/surveys/${slug}/versions/${version}` })
      expect(reply.statusCode === 200 ? slug === 'hverdag' && /^1$|^%20?1$|^ 1$/.test(version) : reply.statusCode >= 400, `${slug} ${version} → ${reply.statusCode}`).toBe(true)
    }), assertOptions(RUNS.surveys))
  })

  it('GET /api/results with hostile query strings', async () => {
    const value = fc.oneof(
      hostileString,
      fc.constant(null).map(() => study.wave.id),
      fc.constantFrom(...indicatorNames),
      fc.constantFrom('wave', 'gender', 'age_group', 'site_kind', 'county', 'municipality', 'centrality', 'gender,gender', 'wilson', 'cluster', 'clopper-pearson',
        '0.95', '0', '1', '2', '3', '1001', 'NaN', '-0.5', '1e-300'),
      fc.array(fc.oneof(hostileString, fc.constant(null).map(() => study.wave.id), fc.constantFrom(...indicatorNames)), { maxLength: 4 }).map((items) => items.join(','))
    )
    const encode = (text: string, raw: boolean): string => raw
      ? text.replace(/[&#\s]/g, '').replace(/[^\x21-\x7e]/g, (char) => encodeURIComponent(char.replace(/[\ud800-\udfff]/g, '\ufffd')))
      : encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))
    // Mostly a real wave and known parameter names, so that most requests get past the schema to the names and the query.
    const waves = fc.tuple(fc.oneof({ weight: 3, arbitrary: fc.constant(null).map(() => study.wave.id) }, { weight: 1, arbitrary: value }), fc.boolean())
      .map(([text, raw]) => `waves=${encode(text, raw)}`)
    const key = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('indicators', 'by', 'by', 'method', 'strata', 'level', 'k') },
      { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'waves[]', 'by[0]', 'x', 'waves', 'hasOwnProperty') }
    )
    const pair = fc.tuple(key, value, fc.boolean()).map(([name, text, raw]) => `${name}=${encode(text, raw)}`)
    await fc.assert(fc.asyncProperty(fc.option(waves, { freq: 8 }), fc.array(pair, { maxLength: 3 }), async (wave, pairs) => {
      await send({ method: 'GET', url: `/api/results?${[...(wave === null ? [] : [wave]), ...pairs].join('&')}`, headers: researcher.headers })
    }), assertOptions<[string | null, string[]]>(RUNS.results, [
      [`waves=${study.wave.id}`, ['indicators=%00']],
      [`waves=${study.wave.id}`, [`indicators=${indicatorNames[0] ?? ''}%2Ca%00b`]],
    ]))
    expect(await tableCounts()).toEqual(baseline)
  })

  it('GET /api/health with hostile headers and query strings', async () => {
    const headers = fc.dictionary(fc.constantFrom('authorization', 'cookie', 'accept', 'accept-encoding', 'x-forwarded-for', 'x-forwarded-proto', 'host', 'origin', 'if-none-match', 'range', 'user-agent'), headerValue, { maxKeys: 5 })
    await fc.assert(fc.asyncProperty(headers, fc.string({ maxLength: 30 }), async (extra, query) => {
      const reply = await send({ method: 'GET', url: `/api/health?${encodeURIComponent(query)}`, headers: extra })
      expect([200, 406]).toContain(reply.statusCode)
    }), assertOptions(RUNS.health))
  })

  it('the kiosk\'s files: traversal and hostile paths never reach a file outside its folder', async () => {
    const traversal = fc.tuple(fc.constantFrom(...TRAVERSALS), fc.integer({ min: 1, max: 8 }), fc.constantFrom('/', '%2f', '%5c', '\\'), fc.constantFrom(...TARGETS))
      .map(([up, depth, separator, target]) => `${Array.from({ length: depth }, () => up).join(separator)}${separator}${target}`)
    const segment = fc.oneof(traversal, hostileString.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))), fc.constantFrom('assets/', 'index.html', 'assets/%00.js', '.%2e/'))
    // Not '' itself: /kiosk/ is the kiosk's page (a 503 naming the build step when there is no build).
    await fc.assert(fc.asyncProperty(segment.filter((path) => path !== ''), fc.constantFrom('GET', 'HEAD'), async (path, method) => {
      const reply = await send({ method: method as 'GET' | 'HEAD', url: `/kiosk/${path}` })
      // Our own files: this repository's package.json, config, secrets or the system's.
      expect(reply.body).not.toMatch(/"devDependencies"|loadConfig|root:x:0:0|\[core\]|DATABASE_URL=/)
      expect(reply.statusCode === 200 ? /^(|index\.html|assets\/[\w.-]+|[^%/]*)$/.test(path) : true, `${path} → ${reply.statusCode}`).toBe(true)
    }), assertOptions(RUNS.staticPaths))
  })

  it('every API route, with hostile parameters, headers and bodies', async () => {
    const api = routes.filter((route) => route.url.startsWith('/api/'))
    const fill = (url: string, segment: string): string => url.replace(/:\w+/g, segment).replace(/\*/g, segment)
    // Half the bodies have the fields the route's schema declares, each with a hostile value, so they get past the schema's shape.
    const routeAndBody = fc.constantFrom(...api).chain((route) => fc.tuple(fc.constant(route), fc.oneof(
      fc.tuple(...route.bodyFields.map((field) => fc.tuple(fc.constant(field), fc.oneof(hostileString.map((text) => JSON.stringify(text)), jsonText)))).map((entries) =>
        `{${entries.map(([field, raw]) => `${JSON.stringify(field)}:${raw}`).join(',')}}`),
      fc.oneof(jsonText, deepJson, fc.string({ unit: 'binary', maxLength: 100 }))
    )))
    await fc.assert(fc.asyncProperty(
      routeAndBody,
      hostileString.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))),
      fc.dictionary(fc.constantFrom('authorization', 'cookie', 'content-type', 'accept', 'x-forwarded-for', 'origin'), headerValue, { maxKeys: 4 }),
      forgedToken(study.token),
      async ([route, payload], segment, headers, authorization) => {
        const withBody = route.method !== 'GET' && route.method !== 'DELETE'
        await send({
          method: route.method as InjectOptions['method'],
          url: fill(route.url, segment),
          headers: { ...headers, ...(authorization === undefined ? {} : { authorization }), ...(withBody ? { 'content-type': 'application/json' } : {}) },
          ...(withBody ? { payload } : {}),
        })
      }), assertOptions(RUNS.everyRoute))
    expect(await tableCounts()).toEqual(baseline)
    // Hostile input may add failed logins to the audit log, nothing else; the set-up's entries (the instrument
    // published with its languages, the accounts made and logged in) came before it.
    const actions = await database.db.selectFrom('audit_log').select('action').where('action', 'not in', ['session.login_failed']).orderBy('seq').execute()
    expect(actions.map((row) => row.action).filter((action) => !['survey_version.publish', 'survey_version.language_add', 'account.create', 'session.login'].includes(action))).toEqual([])
  })

  // Logged in with a role the route allows, so that hostile parameters and bodies get past the access check to
  // the schemas, the handlers and the queries. A hostile but valid body may store what it describes (a site
  // named '<script>'), so here the promise is the answer's shape, never the row count.
  it('every staff route, logged in with a role it allows, with hostile parameters and bodies', async () => {
    const preference: Role[] = ['researcher', 'admin', 'auditor', 'site_staff', 'funder']
    const staffRoutes = routes.filter((route) => Array.isArray(route.access) && !(route.method === 'DELETE' && route.url === '/api/session'))
    const fill = (url: string, segment: string): string => url.replace(/:\w+/g, segment)
    const segment = fc.oneof(fc.constant(null).map(() => randomUUID()), fc.constant(null).map(() => study.wave.id), fc.constant(null).map(() => study.site.id),
      hostileString.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))))
    const routeAndBody = fc.constantFrom(...staffRoutes).chain((route) => fc.tuple(fc.constant(route), fc.oneof(
      fc.tuple(...route.bodyFields.map((field) => fc.tuple(fc.constant(field), fc.oneof(hostileString.map((text) => JSON.stringify(text)), jsonText)))).map((entries) =>
        `{${entries.map(([field, raw]) => `${JSON.stringify(field)}:${raw}`).join(',')}}`),
      fc.oneof(jsonText, deepJson)
    )))
    const query = fc.array(fc.tuple(fc.constantFrom('limit', 'action', 'from', 'to', 'waves', 'siteId', 'waveId', 'freeText', 'k', 'x'), hostileString), { maxLength: 3 })
      .map((pairs) => pairs.map(([name, text]) => `${name}=${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))}`).join('&'))
    await fc.assert(fc.asyncProperty(routeAndBody, segment, query, async ([route, payload], param, search) => {
      const role = preference.find((candidate) => (route.access as readonly Role[]).includes(candidate))!
      const withBody = route.method !== 'GET' && route.method !== 'DELETE'
      await send({
        method: route.method as InjectOptions['method'],
        url: `${fill(route.url, param)}${search === '' ? '' : `?${search}`}`,
        headers: { ...sessions.get(role)!.headers, ...(withBody ? { 'content-type': 'application/json' } : {}) },
        ...(withBody ? { payload } : {}),
      })
    }), assertOptions(RUNS.staffRoutes))
  })

  // Every string any schema declares (body, query string, path parameter; nested ones too), filled with a NUL or
  // another control character while the rest of the request is valid, so that it reaches the handler and the
  // database as a real request would: PostgreSQL cannot store U+0000 in text or jsonb (error 22021).
  it('a number in a path or query string too large to read (it overflows to infinity) gets 400 naming the field, not a 500', async () => {
    const auditor = sessions.get('auditor')!
    for (const [url, headers, field] of [
      ['/api/survey-versions/1e309', researcher.headers, 'id'],
      ['/api/survey-versions/-1E400', researcher.headers, 'id'],
      ['/api/audit-log?limit=1e309', auditor.headers, 'limit'],
      ['/api/results?level=9e999', researcher.headers, 'level'],
    ] as const) {
      const reply = await fastify.inject({ method: 'GET', url, headers })
      expect(reply.statusCode, `${url}: ${reply.body}`).toBe(400)
      expect(reply.json().message, url).toContain(`"${field}"`)
    }
  })

  it('every string field of every schema, holding a NUL or another control character, never gets a 5xx; a NUL gets 400 naming the field', async () => {
    const preference: Role[] = ['researcher', 'admin', 'auditor', 'site_staff', 'funder']
    const fields: Array<{ route: typeof routes[number], part: RequestPart, path: SchemaPath }> = []
    for (const route of routes.filter((candidate) => candidate.url.startsWith('/api/'))) {
      for (const part of REQUEST_PARTS) {
        const schema = route.schemas[part]
        if (schema !== undefined) for (const path of stringPaths(schema)) fields.push({ route, part, path })
      }
    }
    const covered = new Set(fields.map(({ route, part, path }) => `${route.method} ${route.url} ${part}.${path.join('.')}`))
    // The login that answered 500 with a NUL in the e-mail, and a field of each kind.
    expect([...covered]).toEqual(expect.arrayContaining([
      'POST /api/session body.email', 'POST /api/session body.password', 'POST /api/devices/enrol body.code', 'POST /api/responses body.id',
      'GET /api/results querystring.waves', 'GET /api/results querystring.by.0', 'GET /api/surveys/:slug/versions/:version params.slug', 'PATCH /api/accounts/:id params.id',
    ]))
    for (const { route, part, path } of fields) {
      for (const bad of CONTROL_STRINGS) {
        const valueOf = (which: RequestPart): unknown => {
          const schema = route.schemas[which]
          if (schema === undefined) return undefined
          return which === part ? valueWithStringAt(schema, path, bad) : sampleValue(schema)
        }
        const params = (valueOf('params') ?? {}) as Record<string, unknown>
        const query = (valueOf('querystring') ?? {}) as Record<string, unknown>
        const body = valueOf('body')
        const url = route.url.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(String(params[name] ?? randomUUID())))
        const search = new URLSearchParams()
        for (const [key, value] of Object.entries(query)) for (const item of [value].flat()) search.append(key, String(item))
        const access = route.access
        const headers: Record<string, string> = access === 'device'
          ? { authorization: `Bearer ${study.token}` }
          : Array.isArray(access) ? { ...sessions.get(preference.find((role) => access.includes(role))!)!.headers } : {}
        const reply = await send({
          method: route.method as InjectOptions['method'],
          url: `${url}${search.size === 0 ? '' : `?${search.toString()}`}`,
          headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        })
        const where = `${route.method} ${route.url} ${part}.${path.join('.')} = ${JSON.stringify(bad)} → ${reply.statusCode} ${reply.body.slice(0, 200)}`
        // send() has checked the rest: below 500, no stack trace or SQL, the error shape. Other controls may be stored.
        if (bad.includes('\u0000')) {
          expect(reply.statusCode, where).toBe(400)
          expect(reply.json<{ message: string }>().message, where).toContain(`"${String(path.at(-1) === 0 ? path.at(-2) : path.at(-1))}"`)
        }
      }
    }
  })

  it('a NUL in an answer\'s value or key, or in a nested key of any body, is refused with 400', async () => {
    for (const answers of [{ gender: 'wo\u0000man' }, { 'gen\u0000der': 'woman' }, { gender: ['\u0000'] }]) {
      const reply = await send({
        method: 'POST',
        url: '/api/responses',
        headers: { authorization: `Bearer ${study.token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ id: randomUUID(), waveId: study.wave.id, answers }),
      })
      expect(reply.statusCode, reply.body).toBe(400)
    }
    const reply = await send({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '{"email":"a@b.c","password":"x","\\u0000":1}' })
    expect(reply.statusCode, reply.body).toBe(400)
    expect(await tableCounts()).toEqual(baseline)
  })

  it('forged, altered and expired session cookies are refused', async () => {
    const real = sessions.get('admin')!.cookie
    const expired = await loginAs(fastify, database.db, 'admin')
    await database.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('account_id', '=', expired.account.id).execute()
    const cookie = fc.oneof(
      fc.constant(expired.cookie),
      fc.nat({ max: real.length - 1 }).chain((at) => fc.constantFrom(...'ABCxyz019-_').map((char) => `${real.slice(0, at)}${char}${real.slice(at + 1)}`)).filter((forged) => forged !== real),
      fc.nat({ max: real.length - 1 }).map((at) => real.slice(0, at)),
      fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
      hostileString.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd')))
    )
    await fc.assert(fc.asyncProperty(cookie, fc.constantFrom('GET /api/session', 'GET /api/accounts', 'POST /api/accounts', 'GET /api/audit-log'), async (value, target) => {
      const [method, url] = target.split(' ') as [InjectOptions['method'], string]
      const reply = await send({
        method,
        url,
        headers: { cookie: `${SESSION_COOKIE}=${value}`, 'x-csrf-token': sessions.get('admin')!.csrfToken, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        ...(method === 'POST' ? { payload: JSON.stringify({ email: 'forged@example.org', role: 'admin' }) } : {}),
      })
      expect(reply.statusCode).toBe(401)
    }), assertOptions(RUNS.sessionCookies))
    expect(await database.db.selectFrom('accounts').selectAll().where('email', '=', 'forged@example.org').execute()).toHaveLength(0)
  })
})

const REQUEST_PARTS = ['body', 'querystring', 'params'] as const
type RequestPart = typeof REQUEST_PARTS[number]

/** NUL (which PostgreSQL cannot store in text), other C0 and C1 controls, DEL, line separators, an ANSI escape. */
const CONTROL_STRINGS = ['a\u0000b', '\u0000', 'x\u0001y', '\u001b[31mred', 'tab\there\r\n', '\u007f', '\u0085', '\u2028']

/** Files outside the kiosk's build folder, as a traversal would reach them. */
const TRAVERSALS = ['..', '%2e%2e', '%2E%2E', '..%2f', '%2e%2e%2f', '..%5c', '%c0%ae%c0%ae', '....//', '..;', '%252e%252e']
const TARGETS = ['package.json', 'api/config.ts', '.env', 'etc/passwd', 'data/demo-device-token.txt', '.git/config', '']

/** An object as JSON text from entries, so that keys such as `__proto__` stay plain keys; `{ raw }` values are JSON text already. */
function objectText (entries: ReadonlyArray<readonly [string, unknown]>): string {
  const valueText = (value: unknown): string =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && 'raw' in value ? String((value as { raw: unknown }).raw) : JSON.stringify(value)
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${valueText(value)}`).join(',')}}`
}
