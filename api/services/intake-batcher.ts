import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { holdResponsesIfPermitted } from '../db/queries/responses.js'
import type { PermittedUpload } from '../db/queries/responses.js'
import { isDatabaseUnavailable } from '../errors.js'

/** What became of one upload: stored by its batch, refused by its device's rate limit, or neither. */
export type UploadResult =
  | { kind: 'stored' }
  | { kind: 'limited', per: 'minute' | 'day', retryAfterSeconds: number }
  | { kind: 'not_stored' }

interface Waiting {
  upload: PermittedUpload
  resolve: (result: UploadResult) => void
  reject: (error: unknown) => void
}

export interface BatcherOptions {
  /**
   * Batches being written at once; requests that arrive meanwhile wait and go together in the next one. One
   * by default: on bench:intake a second concurrent batch halved the batch size, and each batch costs PostgreSQL
   * about 0.3 ms and the API about 0.2 ms of CPU of its own, whatever its size (test/bench/intake-cpu.ts).
   */
  concurrency?: number
  maxBatch?: number
}

const STORED: UploadResult = { kind: 'stored' }
const NOT_STORED: UploadResult = { kind: 'not_stored' }

/**
 * Groups the uploads that arrive while earlier ones are being written into one multi-row statement, so that
 * under load many responses share one round trip and one commit (the commit is the cost of intake, not
 * Fastify). Nothing is acknowledged before its batch has committed; a batch that fails for any reason other
 * than the database being away is retried one upload at a time, so one bad row cannot fail its neighbours.
 * Only requests in flight are held here: the API stays stateless.
 *
 * A batch is started from setImmediate, not from store(): Node reads every socket that is ready in one turn of
 * its event loop, so the uploads that arrived together go together, with no timer and no added wait.
 */
export class IntakeBatcher {
  readonly #waiting: Waiting[] = []
  readonly #concurrency: number
  readonly #maxBatch: number
  #writing = 0
  #drainScheduled = false

  constructor (private readonly db: Kysely<Database>, options: BatcherOptions = {}) {
    this.#concurrency = options.concurrency ?? 1
    this.#maxBatch = options.maxBatch ?? 200
  }

  /** Resolves once the batch has committed: 'not_stored' when refused for a reason the caller must find, or already there. */
  store (upload: PermittedUpload): Promise<UploadResult> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ upload, resolve, reject })
      this.#scheduleDrain()
    })
  }

  #scheduleDrain (): void {
    if (this.#drainScheduled) return
    this.#drainScheduled = true
    setImmediate(() => {
      this.#drainScheduled = false
      this.#drain()
    })
  }

  #drain (): void {
    while (this.#writing < this.#concurrency && this.#waiting.length > 0) {
      const batch = this.#takeBatch()
      this.#writing += 1
      this.#write(batch).finally(() => {
        this.#writing -= 1
        this.#scheduleDrain()
      })
    }
  }

  /**
   * The oldest waiting uploads, one per response id and one per device: a retry racing its original (or a
   * clash) waits for the next batch, so that "stored" always means this upload's content was stored, and a
   * tablet with several uploads in flight (only a flood does that) has them counted one batch at a time.
   */
  #takeBatch (): Waiting[] {
    const ids = new Set<string>()
    const devices = new Set<string>()
    const batch: Waiting[] = []
    const later: Waiting[] = []
    for (const item of this.#waiting) {
      const id = item.upload.held.id
      const device = item.upload.permit.tokenHash
      if (batch.length < this.#maxBatch && !ids.has(id) && !devices.has(device)) {
        ids.add(id)
        devices.add(device)
        batch.push(item)
      } else {
        later.push(item)
      }
    }
    this.#waiting.splice(0, this.#waiting.length, ...later)
    return batch
  }

  async #write (batch: Waiting[]): Promise<void> {
    try {
      const { stored, limited } = await holdResponsesIfPermitted(this.db, batch.map((item) => item.upload))
      for (const item of batch) {
        const id = item.upload.held.id
        const limit = limited.get(id)
        item.resolve(stored.has(id) ? STORED : limit !== undefined ? { kind: 'limited', ...limit } : NOT_STORED)
      }
    } catch (error) {
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        for (const item of batch) item.reject(error)
        return
      }
      await Promise.all(batch.map((item) => this.#write([item])))
    }
  }
}
