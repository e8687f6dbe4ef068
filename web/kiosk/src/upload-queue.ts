import type { SealedEnvelope } from '../../../api/schemas/responses.js'

/**
 * Completed responses waiting to be sent, sealed (seal.ts) before they are written here: IndexedDB holds the
 * envelope and a random reference to delete it by, nothing else. The reference is not the response id, and no
 * record has a time or a wave beside it; the retry schedule lives in memory only.
 *
 * A record is deleted only when the server has decided on it for good:
 * - 201: stored, or already stored (a retry of an upload whose answer was lost);
 * - another 4xx (400 cannot be opened, 403/404 wave not here, 409 conflict or wave closed, 413, 422 invalid):
 *   sending it again can never succeed, so keeping it would only keep a respondent's answers on the tablet;
 * kept for another try on anything else: no connection, 5xx, 408, 429, and 401 (the tablet's token was refused,
 * which says nothing about the response: once staff enrol the tablet again, it is sent).
 */
const DB_NAME = 'kiosk-outbox'
const QUEUE = 'sealed'
/**
 * Version 1 also kept the time of the last successful upload (to the minute) in a 'status' store: the next
 * person at the tablet could learn when the previous one finished. Version 2 keeps no time at all and drops
 * that store, with the time in it, on a tablet that had it.
 */
const VERSION = 2
const DROPPED_STORES = ['status']

interface Queued { ref: string, sealed: SealedEnvelope }

function openOutbox (): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, VERSION)
    request.onupgradeneeded = () => {
      const db = request.result
      if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: 'ref' })
      for (const store of DROPPED_STORES) if (db.objectStoreNames.contains(store)) db.deleteObjectStore(store)
    }
    request.onsuccess = () => { resolve(request.result) }
    request.onerror = () => { reject(request.error ?? new Error('IndexedDB could not be opened')) }
  })
}

let opened: Promise<IDBDatabase> | undefined
const outbox = (): Promise<IDBDatabase> => (opened ??= openOutbox())

/** One request in its own transaction, resolved when the transaction has committed (durable, not just queued). */
async function run<T> (store: string, mode: IDBTransactionMode, action: (objects: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await outbox()
  return await new Promise<T>((resolve, reject) => {
    const transaction = db.transaction(store, mode, { durability: 'strict' })
    const request = action(transaction.objectStore(store))
    transaction.oncomplete = () => { resolve(request.result) }
    transaction.onerror = () => { reject(transaction.error ?? new Error('IndexedDB transaction failed')) }
    transaction.onabort = () => { reject(transaction.error ?? new Error('IndexedDB transaction aborted')) }
  })
}

export async function enqueue (sealed: SealedEnvelope): Promise<string> {
  const ref = crypto.randomUUID()
  await run(QUEUE, 'readwrite', (objects) => objects.add({ ref, sealed } satisfies Queued))
  return ref
}

const queued = async (): Promise<Queued[]> => await run(QUEUE, 'readonly', (objects) => objects.getAll() as IDBRequest<Queued[]>)
const remove = async (ref: string): Promise<void> => { await run(QUEUE, 'readwrite', (objects) => objects.delete(ref)) }

/** How many sealed responses wait to be sent: the staff's status, a count and nothing else. */
export async function waitingCount (): Promise<number> {
  return await run(QUEUE, 'readonly', (objects) => objects.count())
}

/** What became of a queued response: sent (or already there), refused for good (deleted), or still waiting. */
export type Outcome = 'sent' | 'refused' | 'waiting'

type Verdict = { kind: 'sent' } | { kind: 'refused' } | { kind: 'retry', afterMs?: number }

async function upload (token: string, sealed: SealedEnvelope): Promise<Verdict> {
  let response: Response
  try {
    response = await fetch('/api/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ sealed }),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    })
  } catch {
    return { kind: 'retry' }
  }
  if (response.status === 201) return { kind: 'sent' }
  const { status } = response
  if (status === 401 || status === 408 || status === 429 || status >= 500 || status < 400) {
    const seconds = Number(response.headers.get('retry-after'))
    return Number.isFinite(seconds) && seconds > 0 ? { kind: 'retry', afterMs: seconds * 1000 } : { kind: 'retry' }
  }
  return { kind: 'refused' }
}

const FIRST_RETRY_MS = 2000
const LONGEST_WAIT_MS = 5 * 60_000

/**
 * Sends what waits, oldest first, one at a time; on a failure waits 2 s, 4 s, 8 s … up to 5 minutes (with
 * jitter, so a room of tablets does not retry in step) and starts over. A returning connection (the browser's
 * `online` event) or a new response sends at once. One drain at a time per page.
 */
export class Uploader {
  private failures = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private draining: Promise<void> | undefined
  private again = false
  /** Outcomes of this page's own responses, by reference, for the thank-you screen. */
  private readonly outcomes = new Map<string, Outcome>()

  constructor (private readonly token: () => string | null, private readonly changed: () => void) {
    addEventListener('online', () => { this.failures = 0; this.flush().catch(() => {}) })
  }

  /**
   * Sends everything now; resolves when the round is over (all sent, or a failure scheduled a retry). A call
   * during a round makes it go over the queue once more, and waits for that too.
   */
  async flush (): Promise<void> {
    if (this.draining !== undefined) { this.again = true; return await this.draining }
    this.draining = (async () => {
      do {
        this.again = false
        clearTimeout(this.timer)
        this.timer = undefined
        await this.drain()
      } while (this.again)
    })().finally(() => { this.draining = undefined })
    await this.draining
  }

  /**
   * Writes a sealed response to the queue and starts sending it. Resolves once it is stored (so the answers in
   * memory may go); `outcome` resolves when this round of sending is over.
   */
  async submit (sealed: SealedEnvelope): Promise<{ outcome: Promise<Outcome> }> {
    const ref = await enqueue(sealed)
    this.outcomes.set(ref, 'waiting')
    this.changed()
    this.failures = 0
    return { outcome: this.flush().then(() => this.outcomes.get(ref) ?? 'waiting', () => 'waiting' as const) }
  }

  private async drain (): Promise<void> {
    const token = this.token()
    if (token === null) return
    try {
      await this.send(token)
    } catch {
      // Storage failed (full, or closed under us): nothing was deleted that was not confirmed; try again later.
      this.schedule()
    }
  }

  private async send (token: string): Promise<void> {
    for (const { ref, sealed } of await queued()) {
      const verdict = await upload(token, sealed)
      if (verdict.kind === 'retry') { this.schedule(verdict.afterMs); return }
      await remove(ref)
      this.outcomes.set(ref, verdict.kind)
      this.failures = 0
      this.changed()
    }
  }

  private schedule (atLeastMs = 0): void {
    const backoff = Math.min(LONGEST_WAIT_MS, FIRST_RETRY_MS * 2 ** this.failures) * (0.5 + Math.random() / 2)
    this.failures = Math.min(this.failures + 1, 20)
    clearTimeout(this.timer)
    this.timer = setTimeout(() => { this.flush().catch(() => {}) }, Math.max(atLeastMs, backoff))
  }
}
