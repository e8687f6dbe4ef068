import { randomUUID } from 'node:crypto'

export interface UploadLoadOptions {
  /** Where to send; change `origin` on the load while it runs to follow a restarted API. */
  origin: string
  token: string
  waveId: string
  workers: number
  answers: () => Record<string, unknown>
}

/**
 * Tablets uploading at once, each behaving as the kiosk does: it keeps a response until the server
 * acknowledges it (201), sending the same id again after a 503, a 429 or a dropped connection. Every answer is
 * counted under the phase the test has set, so a test can say what the API answered while the database was away.
 */
export class UploadLoad {
  origin: string
  phase = 'start'
  readonly acknowledged = new Set<string>()
  /** `${phase} ${status}` → count; a dropped or refused connection counts as status 'transport'. */
  readonly answers = new Map<string, number>()
  /** Ids still unacknowledged when the load had to stop. */
  readonly unfinished: string[] = []
  readonly #options: UploadLoadOptions
  #stopping = false
  #giveUpAt = Number.POSITIVE_INFINITY
  #workers: Array<Promise<void>> = []

  constructor (options: UploadLoadOptions) {
    this.#options = options
    this.origin = options.origin
  }

  start (): void {
    this.#workers = Array.from({ length: this.#options.workers }, () => this.#work())
  }

  /** Stops starting new responses; the ones in hand are retried until acknowledged or `graceMs` is over. */
  async stop (graceMs: number): Promise<void> {
    this.#stopping = true
    this.#giveUpAt = Date.now() + graceMs
    await Promise.all(this.#workers)
  }

  count (phase: string, status: number | 'transport'): number {
    return this.answers.get(`${phase} ${status}`) ?? 0
  }

  /** Resolves once `test` holds, checked every 20 ms; rejects after `timeoutMs`. */
  async until (test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; answers so far: ${JSON.stringify([...this.answers])}`)
      await sleep(20)
    }
  }

  async #work (): Promise<void> {
    while (!this.#stopping) {
      const id = randomUUID()
      const body = JSON.stringify({ id, waveId: this.#options.waveId, answers: this.#options.answers() })
      for (;;) {
        const status = await this.#send(body)
        const key = `${this.phase} ${status}`
        this.answers.set(key, (this.answers.get(key) ?? 0) + 1)
        if (status === 201) {
          this.acknowledged.add(id)
          break
        }
        if (Date.now() > this.#giveUpAt) {
          this.unfinished.push(id)
          break
        }
        // Anything but "try again" is a refusal of this response: the tablet would not send it again either.
        if (status !== 503 && status !== 429 && status !== 'transport') break
        await sleep(25)
      }
    }
  }

  async #send (body: string): Promise<number | 'transport'> {
    try {
      const reply = await fetch(`${this.origin}/api/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#options.token}` },
        body,
        signal: AbortSignal.timeout(10_000),
      })
      await reply.arrayBuffer()
      return reply.status
    } catch {
      return 'transport'
    }
  }
}

export function sleep (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
