import { constants, createDecipheriv, createHash, createPrivateKey, generateKeyPair, privateDecrypt } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { findCurrentIntakeKey, findIntakeKey, insertIntakeKeyUnlessCurrent } from '../db/queries/intake-keys.js'
import type { StoredIntakeKey } from '../db/queries/intake-keys.js'
import { AppError } from '../errors.js'
import type { IntakeKeyReply } from '../schemas/kiosk.js'
import type { ResponseBody, SealedEnvelope } from '../schemas/responses.js'

/**
 * A tablet seals a completed response before it writes it to storage (ARCHITECTURE.md, anonymity rule 5): the JSON
 * `{ id, waveId, answers }` is encrypted with a fresh AES-256-GCM key, and that key is wrapped with the server's
 * RSA-OAEP (SHA-256) public key. Only the server, holding the private key, can open it; GCM's tag makes any
 * change to the ciphertext, the IV or the wrapped key fail to open rather than open as something else.
 *
 * 3072-bit RSA (NIST SP 800-57: good beyond 2030): a sealed response may sit on a tablet for days, and its
 * ciphertext must stay closed long after that. Making a pair costs about half a second, once per database.
 * @see https://www.w3.org/TR/WebCryptoAPI/#rsa-oaep
 */
export const INTAKE_KEY_BITS = 3072
const AES_KEY_BYTES = 32
const GCM_IV_BYTES = 12
const GCM_TAG_BYTES = 16

/** The first 128 bits of the SHA-256 of the public key's DER: tablet and server name a key the same way. */
export function intakeKeyId (publicKeySpkiDer: Buffer): string {
  return createHash('sha256').update(publicKeySpkiDer).digest('hex').slice(0, 32)
}

export async function newIntakeKey (): Promise<StoredIntakeKey> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: INTAKE_KEY_BITS,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  })
  return { keyId: intakeKeyId(publicKey), publicKeySpki: publicKey.toString('base64'), privateKeyPkcs8: privateKey.toString('base64') }
}

const refuse = (problem: string): AppError => new AppError(400, 'bad_request', `the sealed response could not be opened: ${problem}; nothing was stored`)

/**
 * Opens an envelope with the private key it names and parses what it holds. Every failure is a 400 naming the
 * step that failed. Saying that the key did not unwrap gives nothing away: RSA-OAEP is secure against chosen
 * ciphertexts, and OpenSSL checks its padding in constant time with one error for every way it can be wrong.
 */
export function openSealedEnvelope (envelope: SealedEnvelope, privateKey: KeyObject): unknown {
  const wrapped = Buffer.from(envelope.key, 'base64')
  const iv = Buffer.from(envelope.iv, 'base64')
  const sealed = Buffer.from(envelope.ciphertext, 'base64')
  if (iv.length !== GCM_IV_BYTES) throw refuse(`its iv must be ${GCM_IV_BYTES} bytes, not ${iv.length}`)
  if (sealed.length <= GCM_TAG_BYTES) throw refuse('its ciphertext is too short to hold anything')
  let aesKey: Buffer
  try {
    aesKey = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, wrapped)
  } catch {
    throw refuse(`its key does not unwrap with intake key ${envelope.keyId} (sealed for another key, or altered)`)
  }
  if (aesKey.length !== AES_KEY_BYTES) throw refuse(`its key must be an AES-256 key (${AES_KEY_BYTES} bytes), not ${aesKey.length} bytes`)
  let plain: Buffer
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey, iv, { authTagLength: GCM_TAG_BYTES })
    decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_BYTES))
    plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_BYTES)), decipher.final()])
  } catch {
    throw refuse('its ciphertext fails the integrity check (altered or truncated)')
  }
  try {
    return JSON.parse(plain.toString('utf8')) as unknown
  } catch {
    throw refuse('what it holds is not JSON')
  }
}

/** The route's own body validator (Fastify's ajv, same options): a sealed response is checked exactly as a plain one. */
export type BodyValidator = ((value: unknown) => unknown) & { errors?: Array<{ instancePath: string, message?: string }> | null }

/**
 * One database's intake keys, for the life of a Fastify instance: the current public key for the kiosk, and
 * private keys by id for intake, each read once (another process may have made the current pair, so a miss asks
 * the database again).
 */
export class IntakeKeyring {
  private current: Promise<IntakeKeyReply> | undefined
  private readonly privateKeys = new Map<string, KeyObject>()

  constructor (private readonly db: Kysely<Database>) {}

  /** The current public key, made and stored first when the database has none (at start-up). */
  async publicKey (): Promise<IntakeKeyReply> {
    this.current ??= this.ensureCurrent()
    // A failure (database down at start-up) is not remembered: the next call tries again.
    this.current.catch(() => { this.current = undefined })
    return await this.current
  }

  private async ensureCurrent (): Promise<IntakeKeyReply> {
    const stored = await findCurrentIntakeKey(this.db) ?? await insertIntakeKeyUnlessCurrent(this.db, await newIntakeKey())
    return { keyId: stored.keyId, algorithm: 'RSA-OAEP-256+A256GCM', spki: stored.publicKeySpki }
  }

  async privateKey (keyId: string): Promise<KeyObject | undefined> {
    const cached = this.privateKeys.get(keyId)
    if (cached !== undefined) return cached
    const stored = await findIntakeKey(this.db, keyId)
    if (stored === undefined) return undefined
    const key = createPrivateKey({ key: Buffer.from(stored.privateKeyPkcs8, 'base64'), format: 'der', type: 'pkcs8' })
    this.privateKeys.set(keyId, key)
    return key
  }

  /** Opens a sealed upload and checks what it holds against the plain body's schema: the plain form, or a 400. */
  /** Opens an envelope and checks what it holds with `validate`, built from the schema whose type `Body` is. */
  async open<Body = ResponseBody> (envelope: SealedEnvelope, validate: BodyValidator): Promise<Body> {
    const key = await this.privateKey(envelope.keyId)
    if (key === undefined) throw refuse(`it names intake key ${envelope.keyId}, which this server does not hold`)
    const body = openSealedEnvelope(envelope, key)
    if (validate(body) !== true) {
      const first = validate.errors?.[0]
      throw refuse(`what it holds is not a response (${first === undefined ? 'invalid' : `${first.instancePath === '' ? 'body' : first.instancePath} ${first.message ?? 'is invalid'}`})`)
    }
    return body as Body
  }
}

const keyrings = new WeakMap<Kysely<Database>, IntakeKeyring>()

/** The keyring of a database handle, shared by the routes that serve the public key and open sealed uploads. */
export function intakeKeyring (db: Kysely<Database>): IntakeKeyring {
  let keyring = keyrings.get(db)
  if (keyring === undefined) keyrings.set(db, keyring = new IntakeKeyring(db))
  return keyring
}
