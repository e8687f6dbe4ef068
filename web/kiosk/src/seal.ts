import type { IntakeKeyReply } from '../../../api/schemas/kiosk.js'
import type { ResponseBody, SealedEnvelope } from '../../../api/schemas/responses.js'
import type { TestResponseBody } from '../../../api/schemas/test-responses.js'

/** The server's public key, imported for wrapping: the tablet can seal with it and never open anything. */
export interface IntakeKey {
  keyId: string
  key: CryptoKey
}

export async function importIntakeKey (reply: IntakeKeyReply): Promise<IntakeKey> {
  const key = await crypto.subtle.importKey('spki', fromBase64(reply.spki), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['wrapKey'])
  return { keyId: reply.keyId, key }
}

/**
 * Seals a completed response before it is written anywhere (ARCHITECTURE.md, anonymity rule 5): a fresh AES-256-GCM key per
 * response, not extractable, used once and wrapped with the server's RSA-OAEP key. What comes out holds nothing
 * readable: the id, the wave and the answers are all inside the ciphertext. The server opens it in
 * api/sealing/sealed-envelope.ts.
 */
export async function sealResponse (intakeKey: IntakeKey, response: ResponseBody | TestResponseBody): Promise<SealedEnvelope> {
  const aesKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt'])
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const plain = new TextEncoder().encode(JSON.stringify(response))
  const [ciphertext, wrapped] = await Promise.all([
    crypto.subtle.encrypt({ name: 'AES-GCM', iv, tagLength: 128 }, aesKey, plain),
    crypto.subtle.wrapKey('raw', aesKey, intakeKey.key, { name: 'RSA-OAEP' }),
  ])
  return { keyId: intakeKey.keyId, key: toBase64(wrapped), iv: toBase64(iv), ciphertext: toBase64(ciphertext) }
}

function toBase64 (bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  let binary = ''
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000))
  return btoa(binary)
}

function fromBase64 (text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  return bytes
}
