import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { HoldingKeyError, loadHoldingKeyring, rotateHoldingKey } from '../../../api/sealing/holding-key.js'

const dirs: string[] = []
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }) })
function keyFile (): string {
  const dir = mkdtempSync(join(tmpdir(), 'prevalens-holding-'))
  dirs.push(dir)
  return join(dir, 'keys', 'holding-key.json')
}

describe('the holding key file', () => {
  it('is made at the first start, mode 0600 in a 0700 folder whatever the umask, and read the same at the next', () => {
    const path = keyFile()
    const umask = process.umask(0)
    try {
      const first = loadHoldingKeyring(path)
      expect(statSync(path).mode & 0o777).toBe(0o600)
      expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700)
      const again = loadHoldingKeyring(path)
      expect(again.currentKeyId).toBe(first.currentKeyId)
      expect(again.open(first.seal(Buffer.from('same key')))).toEqual(Buffer.from('same key'))
    } finally {
      process.umask(umask)
    }
  })

  it('seals so that only the key opens it, and refuses a seal that was altered, naming the key', () => {
    const keys = loadHoldingKeyring(keyFile())
    const seal = keys.seal(Buffer.from('{"answers":{"gender":"woman"}}'))
    expect(seal.sealed.toString('latin1')).not.toContain('woman')
    const altered = Buffer.from(seal.sealed)
    altered[20] = (altered[20] ?? 0) ^ 1
    expect(() => keys.open({ ...seal, sealed: altered })).toThrow(HoldingKeyError)
    expect(() => keys.open({ ...seal, keyId: '0000000000000000' })).toThrow(/not in the holding key file/)
    expect(() => loadHoldingKeyring(keyFile()).open(seal)).toThrow(HoldingKeyError)
  })

  it('keys a response by a digest that is not its id and differs per key file', () => {
    const id = '6f1c2a3b-1d2e-4f50-8a9b-0c1d2e3f4a5b'
    const a = loadHoldingKeyring(keyFile())
    const b = loadHoldingKeyring(keyFile())
    expect(a.idDigest(id)).toMatch(/^[0-9a-f]{64}$/)
    expect(a.idDigest(id)).toBe(a.idDigest(id))
    expect(a.idDigest(id)).not.toBe(b.idDigest(id))
    expect(a.idDigest(id)).not.toContain(id.replaceAll('-', '').slice(0, 8))
  })

  it('rotates: the new key seals, the kept old ones still open what they sealed, the others are dropped', () => {
    const path = keyFile()
    const before = loadHoldingKeyring(path)
    const old = before.seal(Buffer.from('held before the rotation'))
    const kept = rotateHoldingKey(path, (keyId) => keyId === before.currentKeyId)
    const after = loadHoldingKeyring(path)
    expect(after.currentKeyId).toBe(kept.added)
    expect(after.open(old).toString()).toBe('held before the rotation')
    expect(after.idDigests('x')).toContain(before.idDigest('x'))
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const dropped = rotateHoldingKey(path, () => false)
    expect(dropped.dropped).toEqual([before.currentKeyId, kept.added])
    expect(() => loadHoldingKeyring(path).open(old)).toThrow(/not in the holding key file/)
  })

  it('refuses a damaged key file by name rather than making a new key over it', () => {
    const path = keyFile()
    loadHoldingKeyring(path)
    writeFileSync(path, '{"keys":[{"id":"abc","key":"c2hvcnQ="}]}')
    expect(() => loadHoldingKeyring(path)).toThrow(/key 1 is not a 32-byte key/)
    writeFileSync(path, 'not json')
    expect(() => loadHoldingKeyring(path)).toThrow(/is not JSON/)
    expect(readFileSync(path, 'utf8')).toBe('not json')
  })
})
