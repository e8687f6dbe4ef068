/**
 * The baseline for bench:intake: Fastify and one pg insert of the same body, nothing else (no auth, no
 * validation, no facts). Intake's cost over this is what the platform adds.
 */
import Fastify from 'fastify'
import pg from 'pg'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 })
const app = Fastify({ logger: false })
app.post<{ Body: { id: string, answers: unknown } }>('/bare', async (request, reply) => {
  await pool.query('insert into bench_bare (id, body) values ($1, $2)', [request.body.id, JSON.stringify(request.body)])
  return await reply.code(201).send({ id: request.body.id })
})
await pool.query('create table if not exists bench_bare (id uuid primary key, body jsonb not null)')
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
process.stdout.write('ready\n')
