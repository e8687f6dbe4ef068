import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import type { DatabaseHandle } from './db/connect.js'
import { AppError, isDatabaseUnavailable } from './errors.js'
import type { ErrorReply } from './schemas/common.js'
import configPlugin from './plugins/app/config.js'
import dbPlugin from './plugins/app/db.js'
import healthRoutes from './routes/health.js'
import responseRoutes from './routes/responses.js'
import resultRoutes from './routes/results.js'
import surveyRoutes from './routes/surveys.js'

export interface AppOptions {
  config: Config
  database: DatabaseHandle
}

/** The whole API as one plugin; server.ts and the tests register it on their own Fastify instance. */
export default async function app (fastify: FastifyInstance, { config, database }: AppOptions): Promise<void> {
  await fastify.register(configPlugin, { config })
  await fastify.register(dbPlugin, { database })

  fastify.setErrorHandler(handleError)
  fastify.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'not_found', message: `no route ${request.method} ${pathOf(request.url)}` } satisfies ErrorReply))

  await fastify.register(healthRoutes, { prefix: '/api/health' })
  await fastify.register(surveyRoutes, { prefix: '/api/surveys' })
  await fastify.register(responseRoutes, { prefix: '/api/responses', logLevel: 'error' })
  await fastify.register(resultRoutes, { prefix: '/api/results' })
}

/**
 * Fastify's options for the API: the default request serializer logs the client's address and port, so it
 * is replaced by one that logs only the method and the path (anonymity rule 1).
 */
export function serverOptions (config: Pick<Config, 'LOG_LEVEL'>, stream?: NodeJS.WritableStream): FastifyServerOptions {
  return {
    logger: {
      level: config.LOG_LEVEL,
      ...(stream === undefined ? {} : { stream }),
      serializers: {
        req: (request: FastifyRequest) => ({ method: request.method, url: pathOf(request.url) }),
        res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      },
    },
    trustProxy: false,
    bodyLimit: 1024 * 1024,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    // Refuse unexpected fields rather than silently dropping them (Fastify's default removes them).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }
}

function handleError (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    return reply.code(error.statusCode).send(errorReply(error.code, error.message, error.question))
  }
  if (error.validation !== undefined) {
    return reply.code(400).send(errorReply('bad_request', `invalid request: ${error.message}`))
  }
  if (isDatabaseUnavailable(error)) {
    request.log.error({ errName: error.name, errCode: error.code }, 'database unavailable')
    return reply.code(503).header('retry-after', '5').send(errorReply('database_unavailable', 'the database is unavailable; the request was not stored, try again shortly'))
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (malformed JSON, body too large, wrong content type) carry safe messages.
    return reply.code(status).send(errorReply('bad_request', error.message))
  }
  // Never the body, never SQL parameters: only what names the failure.
  request.log.error({ errName: error.name, errCode: error.code, errMessage: error.message, stack: error.stack }, 'request failed')
  return reply.code(500).send(errorReply('internal', 'something went wrong on the server; nothing was stored'))
}

function errorReply (code: ErrorReply['code'], message: string, question?: string): ErrorReply {
  return question === undefined ? { code, message } : { code, message, question }
}

function pathOf (url: string): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}
