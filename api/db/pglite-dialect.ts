import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely'
import type { DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely'
import type { PGlite } from '@electric-sql/pglite'

/**
 * A Kysely dialect over one PGlite instance. PGlite is a single connection, so the driver hands it to
 * one user at a time: a transaction holds it from BEGIN to COMMIT and other queries wait their turn.
 * Written here rather than taken from kysely-pglite-dialect, which declares PGlite ≤ 0.4 only.
 */
export class PGliteDialect implements Dialect {
  /** `afterClose` runs once PGlite has closed on `destroy()` (connect.ts fixes file modes there). */
  constructor (private readonly pglite: PGlite, private readonly afterClose?: () => void) {}

  createAdapter () { return new PostgresAdapter() }
  createDriver (): Driver { return new PGliteDriver(this.pglite, this.afterClose) }
  createIntrospector (db: Kysely<unknown>) { return new PostgresIntrospector(db) }
  createQueryCompiler () { return new PostgresQueryCompiler() }
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection
  #queue: Promise<void> = Promise.resolve()
  #release: (() => void) | undefined

  constructor (private readonly pglite: PGlite, private readonly afterClose: (() => void) | undefined) {
    this.#connection = new PGliteConnection(pglite)
  }

  async init (): Promise<void> {
    await this.pglite.waitReady
  }

  async acquireConnection (): Promise<DatabaseConnection> {
    const previous = this.#queue
    let release!: () => void
    this.#queue = new Promise<void>((resolve) => { release = resolve })
    await previous
    this.#release = release
    return this.#connection
  }

  async releaseConnection (): Promise<void> {
    const release = this.#release
    this.#release = undefined
    release?.()
  }

  async beginTransaction (connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel === undefined ? '' : ` isolation level ${settings.isolationLevel}`
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`))
  }

  async commitTransaction (connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction (connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async destroy (): Promise<void> {
    if (this.pglite.closed) return
    await this.pglite.close()
    this.afterClose?.()
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor (private readonly pglite: PGlite) {}

  async executeQuery<R> (compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters])
    return {
      rows: result.rows,
      numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    }
  }

  async * streamQuery<R> (): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGliteDialect does not stream results')
  }
}
