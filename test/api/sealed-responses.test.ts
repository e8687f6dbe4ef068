import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IntakeKeyReply } from '../../api/schemas/kiosk.js'
import type { ResponseBody, SealedEnvelope } from '../../api/schemas/responses.js'
import { importIntakeKey, sealResponse } from '../../web/kiosk/src/seal.js'
import { buildTestApp } from '../helpers/build-app.js'
import type { TestApp } from '../helpers/build-app.js'
import { createStudy, responseTableCounts } from '../helpers/fixtures.js'
import { mixAllHeld } from '../helpers/holding.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const ANSWERS = { gender: 'woman', age_group: '25_34', pushed_ever: 'several', pushed_12m: 'once', pushed_1m: 'no', strangled_ever: 'no' }

/** Flips one bit of a base64 field's bytes, at `at` bytes from the start (negative: from the end). */
function flipBit (base64: string, at: number): string {
  const bytes = Buffer.from(base64, 'base64')
  const index = at < 0 ? bytes.length + at : at
  bytes[index] = bytes[index]! ^ 0x01
  return bytes.toString('base64')
}

describe('sealed responses: POST /api/responses with { sealed }, GET /api/kiosk/intake-key', () => {
  let database: TestDatabase
  let test: TestApp
  let app: FastifyInstance
  let study: StudyFixture
  let intakeKey: IntakeKeyReply

  beforeAll(async () => {
    database = await openTestDatabase()
    expect(await database.db.selectFrom('intake_keys').select('key_id').execute()).toEqual([])
    test = await buildTestApp(database)
    app = test.app
    study = await createStudy(database.db)
    const reply = await app.inject({ method: 'GET', url: '/api/kiosk/intake-key' })
    expect(reply.statusCode, reply.body).toBe(200)
    intakeKey = reply.json<IntakeKeyReply>()
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  /** Sealed exactly as the kiosk seals it: its own module, on this runtime's WebCrypto. */
  async function seal (body: ResponseBody, key: IntakeKeyReply = intakeKey): Promise<SealedEnvelope> {
    return await sealResponse(await importIntakeKey(key), body)
  }

  function post (payload: object, token: string | null = study.token) {
    return app.inject({ method: 'POST', url: '/api/responses', headers: token === null ? {} : { authorization: `Bearer ${token}` }, payload })
  }

  // What the analysis tables hold for the id once the week's mix has run.
  const stored = async (id: string) => await mixAllHeld(database.db) && await database.db.selectFrom('responses').select(['answers', 'wave_id', 'site_id']).where('id', '=', id).execute()

  it('made one RSA-OAEP key pair at start-up and serves its public half, named by a digest of it', async () => {
    const rows = await database.db.selectFrom('intake_keys').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]?.is_current).toBe(true)
    const spki = Buffer.from(intakeKey.spki, 'base64')
    expect(intakeKey.keyId).toBe(createHash('sha256').update(spki).digest('hex').slice(0, 32))
    expect(intakeKey.algorithm).toBe('RSA-OAEP-256+A256GCM')
    const imported = await crypto.subtle.importKey('spki', spki, { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['encrypt'])
    expect((imported.algorithm as RsaHashedKeyAlgorithm).modulusLength).toBe(3072)
    // The private half never leaves the server.
    const reply = await app.inject({ method: 'GET', url: '/api/kiosk/intake-key' })
    expect(reply.body).not.toContain(rows[0]!.private_key_pkcs8.slice(0, 40))
    expect(reply.headers['cache-control']).toBe('no-cache')
  })

  it('keeps the same pair across restarts, and two processes starting together on an empty table make only one current', async () => {
    const again = await buildTestApp(database)
    try {
      expect((await again.app.inject({ method: 'GET', url: '/api/kiosk/intake-key' })).json()).toEqual(intakeKey)
    } finally {
      await again.app.close()
    }
    const fresh = await openTestDatabase()
    try {
      const apps = await Promise.all([buildTestApp(fresh), buildTestApp(fresh)])
      const keys = await Promise.all(apps.map(async ({ app: each }) => (await each.inject({ method: 'GET', url: '/api/kiosk/intake-key' })).json<IntakeKeyReply>()))
      await Promise.all(apps.map(async ({ app: each }) => { await each.close() }))
      expect(keys[0]).toEqual(keys[1])
      const current = await fresh.db.selectFrom('intake_keys').select('key_id').where('is_current', '=', true).execute()
      expect(current).toEqual([{ key_id: keys[0]?.keyId }])
    } finally {
      await fresh.close()
    }
  })

  it('opens a sealed response, then validates and stores it exactly as the plain form, facts included', async () => {
    const id = randomUUID()
    const envelope = await seal({ id, waveId: study.wave.id, answers: ANSWERS })
    // Nothing readable outside the ciphertext: not the id, not the wave, not an answer.
    const outside = JSON.stringify(envelope)
    for (const trace of [id, study.wave.id, 'woman', '25_34', 'several']) expect(outside).not.toContain(trace)
    const reply = await post({ sealed: envelope })
    expect(reply.statusCode, reply.body).toBe(201)
    expect(reply.json()).toEqual({ id })
    expect(await stored(id)).toEqual([{ answers: ANSWERS, wave_id: study.wave.id, site_id: study.site.id }])
    const facts = await database.db.selectFrom('response_facts').select(['gender', 'age_group']).where('response_id', '=', id).executeTakeFirstOrThrow()
    expect(facts).toEqual({ gender: 'woman', age_group: '25_34' })
  })

  it('stores a retried sealed upload once: the same envelope again, a fresh seal of the same response, and the plain form of it', async () => {
    const body = { id: randomUUID(), waveId: study.wave.id, answers: ANSWERS }
    const envelope = await seal(body)
    const first = await post({ sealed: envelope })
    expect(first.statusCode, first.body).toBe(201)
    const before = await responseTableCounts(database.db)
    for (const retry of [{ sealed: envelope }, { sealed: await seal(body) }, body]) {
      const reply = await post(retry)
      expect(reply.statusCode, reply.body).toBe(201)
      expect(reply.body).toBe(first.body)
    }
    expect(await responseTableCounts(database.db)).toEqual(before)
    expect(await stored(body.id)).toHaveLength(1)
  })

  it('refuses a sealed response whose id was already received with other answers (409), as the plain form does', async () => {
    const id = randomUUID()
    expect((await post({ sealed: await seal({ id, waveId: study.wave.id, answers: ANSWERS }) })).statusCode).toBe(201)
    const before = await responseTableCounts(database.db)
    const reply = await post({ sealed: await seal({ id, waveId: study.wave.id, answers: { ...ANSWERS, gender: 'man' } }) })
    expect(reply.statusCode).toBe(409)
    expect(reply.json()).toMatchObject({ code: 'response_conflict' })
    expect(await responseTableCounts(database.db)).toEqual(before)
  })

  it('refuses an altered envelope with a 400 naming the problem, and stores nothing', async () => {
    const id = randomUUID()
    const envelope = await seal({ id, waveId: study.wave.id, answers: ANSWERS })
    const otherKeyId = createHash('sha256').update(randomUUID()).digest('hex').slice(0, 32)
    const cases: Array<{ name: string, sealed: SealedEnvelope, message: RegExp }> = [
      { name: 'a flipped bit in the ciphertext', sealed: { ...envelope, ciphertext: flipBit(envelope.ciphertext, 3) }, message: /integrity check/ },
      { name: 'a flipped bit in the tag', sealed: { ...envelope, ciphertext: flipBit(envelope.ciphertext, -1) }, message: /integrity check/ },
      { name: 'a truncated ciphertext', sealed: { ...envelope, ciphertext: Buffer.from(envelope.ciphertext, 'base64').subarray(0, 20).toString('base64') }, message: /integrity check/ },
      { name: 'another iv', sealed: { ...envelope, iv: flipBit(envelope.iv, 0) }, message: /integrity check/ },
      { name: 'an iv of the wrong length', sealed: { ...envelope, iv: Buffer.alloc(16).toString('base64') }, message: /iv must be 12 bytes/ },
      { name: 'a flipped bit in the wrapped key', sealed: { ...envelope, key: flipBit(envelope.key, 100) }, message: /does not unwrap/ },
      { name: 'a key id this server does not hold', sealed: { ...envelope, keyId: otherKeyId }, message: new RegExp(`intake key ${otherKeyId}, which this server does not hold`) },
    ]
    const before = await responseTableCounts(database.db)
    for (const testCase of cases) {
      const reply = await post({ sealed: testCase.sealed })
      expect(reply.statusCode, testCase.name).toBe(400)
      expect(reply.json(), testCase.name).toMatchObject({ code: 'bad_request' })
      expect(reply.json<{ message: string }>().message, testCase.name).toMatch(testCase.message)
      expect(reply.json<{ message: string }>().message, testCase.name).toMatch(/nothing was stored/)
    }
    expect(await responseTableCounts(database.db)).toEqual(before)
    expect(await stored(id)).toEqual([])
    // The untouched envelope still opens: the refusals above were about the changes, not the response.
    expect((await post({ sealed: envelope })).statusCode).toBe(201)
  })

  it('refuses a response sealed with another key pair under this server\'s key id', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
    const impostor = { ...intakeKey, spki: publicKey.toString('base64') }
    const id = randomUUID()
    const before = await responseTableCounts(database.db)
    const reply = await post({ sealed: await seal({ id, waveId: study.wave.id, answers: ANSWERS }, impostor) })
    expect(reply.statusCode).toBe(400)
    expect(reply.json<{ message: string }>().message).toMatch(new RegExp(`does not unwrap with intake key ${intakeKey.keyId}`))
    expect(await responseTableCounts(database.db)).toEqual(before)
  })

  it('checks what a sealed envelope holds as strictly as a plain body: same refusals, same codes', async () => {
    const sealedJson = async (value: unknown) => {
      // Sealing arbitrary JSON, as a broken or hostile client could.
      return await seal(value as ResponseBody)
    }
    const cases: Array<{ name: string, inner: unknown, status: number, code: string, message: RegExp }> = [
      { name: 'not a response at all', inner: ['woman'], status: 400, code: 'bad_request', message: /not a response.*must be object/ },
      { name: 'a missing wave id', inner: { id: randomUUID(), answers: ANSWERS }, status: 400, code: 'bad_request', message: /not a response.*waveId/ },
      { name: 'an id that is not a UUID', inner: { id: '42', waveId: study.wave.id, answers: ANSWERS }, status: 400, code: 'bad_request', message: /\/id must match format "uuid"/ },
      { name: 'an unexpected field', inner: { id: randomUUID(), waveId: study.wave.id, answers: ANSWERS, submittedAt: '2026-11-26T10:00:00Z' }, status: 400, code: 'bad_request', message: /additional properties/ },
      { name: 'a value outside the choices', inner: { id: randomUUID(), waveId: study.wave.id, answers: { gender: 'womn' } }, status: 422, code: 'invalid_answers', message: /"womn".*choices/ },
      { name: 'an unknown wave', inner: { id: randomUUID(), waveId: randomUUID(), answers: ANSWERS }, status: 404, code: 'wave_not_found', message: /does not exist/ },
    ]
    const before = await responseTableCounts(database.db)
    for (const testCase of cases) {
      const reply = await post({ sealed: await sealedJson(testCase.inner) })
      expect(reply.statusCode, `${testCase.name}: ${reply.body}`).toBe(testCase.status)
      expect(reply.json(), testCase.name).toMatchObject({ code: testCase.code })
      expect(reply.json<{ message: string }>().message, testCase.name).toMatch(testCase.message)
    }
    expect(await responseTableCounts(database.db)).toEqual(before)
  })

  it('refuses a sealed upload from an unknown or missing token (a missing one before opening it), and a body that mixes both forms', async () => {
    const body = { id: randomUUID(), waveId: study.wave.id, answers: ANSWERS }
    const envelope = await seal(body)
    const before = await responseTableCounts(database.db)
    const noToken = await post({ sealed: envelope }, null)
    expect(noToken.statusCode).toBe(401)
    expect(noToken.json()).toMatchObject({ code: 'unauthorized' })
    // Refused before it is opened: an altered envelope without a token is a 401, not the 400 of a failed opening.
    const alteredNoToken = await post({ sealed: { ...envelope, ciphertext: flipBit(envelope.ciphertext, 3) } }, null)
    expect(alteredNoToken.statusCode).toBe(401)
    const forged = await post({ sealed: envelope }, 'x'.repeat(43))
    expect(forged.statusCode).toBe(401)
    expect(forged.json()).toMatchObject({ code: 'device_unknown' })
    const mixed = await post({ ...body, sealed: envelope })
    expect(mixed.statusCode).toBe(400)
    expect(await responseTableCounts(database.db)).toEqual(before)
  })

  it('writes no log line about a stored sealed response', async () => {
    const id = randomUUID()
    const linesBefore = test.logLines().length
    expect((await post({ sealed: await seal({ id, waveId: study.wave.id, answers: ANSWERS }) })).statusCode).toBe(201)
    const lines = test.logLines().slice(linesBefore)
    expect(lines.filter((line) => line.includes('/api/responses'))).toEqual([])
    for (const line of lines) expect(line).not.toContain(id)
  })
})
