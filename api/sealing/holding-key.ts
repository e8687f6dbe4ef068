import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { createSecretFileOnce, writeSecretFile } from '../files-at-rest.js'

/**
 * The key that seals responses while they wait in the holding area (README, "Threat model"). It lives in a file
 * outside the database, so that no database reader, dump, backup or WAL archive can open what is held: only the
 * API processes, which read the file at start, can. Losing the file loses the responses still held (nothing that
 * was mixed); a backup of the file belongs somewhere other than the database's backups.
 *
 * The file is JSON `{ keys: [{ id, key }] }`, base64 keys of 32 bytes; the last one seals, every one opens, so
 * that a rotation (npm run holding-key:rotate) never strands a held response sealed under an older key.
 */
export interface HoldingKey {
  id: string
  key: Buffer
}

export interface HeldSeal {
  keyId: string
  /** iv (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes). */
  sealed: Buffer
}

const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16

export class HoldingKeyError extends Error {
  override name = 'HoldingKeyError'
}

export class HoldingKeyring {
  readonly #keys: Map<string, Buffer>
  readonly #current: HoldingKey
  readonly #digestKeys: Buffer[]

  constructor (keys: readonly HoldingKey[]) {
    const current = keys.at(-1)
    if (current === undefined) throw new HoldingKeyError('the holding key file holds no key')
    this.#current = current
    this.#keys = new Map(keys.map((k) => [k.id, k.key]))
    this.#digestKeys = keys.map((k) => digestKeyOf(k.key))
  }

  get currentKeyId (): string {
    return this.#current.id
  }

  get keyIds (): string[] {
    return [...this.#keys.keys()]
  }

  /** AES-256-GCM under the current key, with the key id bound in as associated data. */
  seal (plain: Buffer): HeldSeal {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(Buffer.from(this.#current.id))
    const body = Buffer.concat([cipher.update(plain), cipher.final()])
    return { keyId: this.#current.id, sealed: Buffer.concat([iv, body, cipher.getAuthTag()]) }
  }

  /** The plain bytes; throws a HoldingKeyError when the key is unknown or the seal was altered. */
  open ({ keyId, sealed }: HeldSeal): Buffer {
    const key = this.#keys.get(keyId)
    if (key === undefined) throw new HoldingKeyError(`held response sealed with key ${keyId}, which is not in the holding key file`)
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new HoldingKeyError('held response too short to be a seal')
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES })
      decipher.setAAD(Buffer.from(keyId))
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()])
    } catch {
      throw new HoldingKeyError(`held response does not open with key ${keyId} (altered or truncated)`)
    }
  }

  /**
   * What the holding area keys a response by instead of its id: an HMAC under the current key, so that neither
   * the table nor the WAL carries the id that later appears beside the answers in `responses`.
   */
  idDigest (responseId: string): string {
    return hmacHex(this.#digestKeys.at(-1) as Buffer, responseId)
  }

  /**
   * 8 bits of an HMAC of `text` under the current key: equal texts give equal tags, and a tag alone says almost
   * nothing about the text, even to the key's holder (1 in 256 of all texts share it).
   */
  tag (text: string): number {
    return createHmac('sha256', this.#digestKeys.at(-1) as Buffer).update('tag\u0000').update(text).digest()[0] as number
  }

  /** The digest of `responseId` under every key: a held response sealed before a rotation is still found. */
  idDigests (responseId: string): string[] {
    return this.#digestKeys.map((key) => hmacHex(key, responseId))
  }
}

const digestKeyOf = (key: Buffer): Buffer => createHmac('sha256', key).update('prevalens holding id digest').digest()
const hmacHex = (key: Buffer, value: string): string => createHmac('sha256', key).update(value).digest('hex')
const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 16)

export function newHoldingKey (): HoldingKey {
  const key = randomBytes(KEY_BYTES)
  return { id: keyIdOf(key), key }
}

interface KeyFile {
  keys: Array<{ id: string, key: string }>
}

/**
 * Reads the key file, or creates it (mode 0600, in a 0700 folder) with one fresh key when it does not exist.
 * Several processes starting at once agree: the file is created exclusively, and whoever loses the race reads it.
 */
export function loadHoldingKeyring (path: string): HoldingKeyring {
  try {
    return new HoldingKeyring(readKeyFile(path))
  } catch (error) {
    if (!isMissingFile(error)) throw error
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  // False when another process made it first: then its key is the one read below.
  createSecretFileOnce(path, keyFileText([newHoldingKey()]))
  return new HoldingKeyring(readKeyFile(path))
}

/** Adds a fresh key that seals from now on; `keep` says which older keys still open held responses. */
export function rotateHoldingKey (path: string, keep: (keyId: string) => boolean): { added: string, dropped: string[] } {
  const keys = readKeyFile(path)
  const kept = keys.filter((k) => keep(k.id))
  const added = newHoldingKey()
  writeSecretFile(path, keyFileText([...kept, added]))
  return { added: added.id, dropped: keys.filter((k) => !kept.includes(k)).map((k) => k.id) }
}

function readKeyFile (path: string): HoldingKey[] {
  const text = readFileSync(path, 'utf8')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new HoldingKeyError(`the holding key file ${path} is not JSON`)
  }
  const keys = (parsed as Partial<KeyFile>).keys
  if (!Array.isArray(keys) || keys.length === 0) throw new HoldingKeyError(`the holding key file ${path} holds no keys`)
  return keys.map((entry, i) => {
    const key = typeof entry?.key === 'string' ? Buffer.from(entry.key, 'base64') : Buffer.alloc(0)
    if (key.length !== KEY_BYTES || entry.id !== keyIdOf(key)) {
      throw new HoldingKeyError(`the holding key file ${path}: key ${i + 1} is not a 32-byte key matching its id`)
    }
    return { id: entry.id, key }
  })
}

function keyFileText (keys: readonly HoldingKey[]): string {
  const file: KeyFile = { keys: keys.map((k) => ({ id: k.id, key: k.key.toString('base64') })) }
  return `${JSON.stringify(file, null, 2)}\n`
}

const isMissingFile = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT'
