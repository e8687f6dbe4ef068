import { randomUUID } from 'node:crypto'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import type { DatabaseHandle } from './db/connect.js'
import { AppError, isDatabaseUnavailable } from './errors.js'
import { UUID_PATTERN } from './schemas/common.js'
import type { ErrorReply } from './schemas/common.js'
import helmetPlugin from './plugins/external/helmet.js'
import configPlugin from './plugins/app/config.js'
import dbPlugin from './plugins/app/db.js'
import holdingPlugin from './plugins/app/holding.js'
import authPlugin from './plugins/app/auth.js'
import jsonBodyPlugin from './plugins/app/json-body.js'
import accountRoutes from './routes/accounts.js'
import auditLogRoutes from './routes/audit-log.js'
import sessionRoutes from './routes/session.js'
import webAppStatic, { WEB_APPS } from './plugins/external/web-app-static.js'
import kioskAudio from './plugins/external/kiosk-audio.js'
import deviceRoutes from './routes/devices.js'
import kioskRoutes from './routes/kiosk.js'
import healthRoutes from './routes/health.js'
import responseRoutes from './routes/responses.js'
import testResponseRoutes from './routes/test-responses.js'
import resultRoutes from './routes/results.js'
import releaseRoutes from './routes/releases.js'
import surveyRoutes from './routes/surveys.js'
// The researcher console's API
import exportRoutes from './routes/exports.js'
import helpResourceRoutes from './routes/help-resources.js'
import overviewRoutes from './routes/overview.js'
import progressRoutes from './routes/progress.js'
import referenceRoutes from './routes/reference.js'
import siteRoutes from './routes/sites.js'
import surveyVersionRoutes from './routes/survey-versions.js'
import surveyVersionLanguageRoutes from './routes/survey-version-languages.js'
import tabletRoutes from './routes/tablets.js'
import waveRoutes from './routes/waves.js'

export interface AppOptions {
  config: Config
  database: DatabaseHandle
}

/** The whole API as one plugin; server.ts and the tests register it on their own Fastify instance. */
export default async function app (fastify: FastifyInstance, { config, database }: AppOptions): Promise<void> {
  await fastify.register(helmetPlugin, { hstsMaxAge: config.HSTS_MAX_AGE })
  await fastify.register(configPlugin, { config })
  await fastify.register(dbPlugin, { database })
  await fastify.register(holdingPlugin)
  await fastify.register(authPlugin)
  await fastify.register(jsonBodyPlugin)

  fastify.setErrorHandler(handleError)
  fastify.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'not_found', message: `no route ${request.method} ${pathOf(request.url)}` } satisfies ErrorReply))

  await fastify.register(healthRoutes, { prefix: '/api/health' })
  await fastify.register(sessionRoutes, { prefix: '/api/session' })
  await fastify.register(accountRoutes, { prefix: '/api/accounts' })
  await fastify.register(auditLogRoutes, { prefix: '/api/audit-log' })
  // The kiosk fetches its survey version when a respondent presses Start, so it logs like the kiosk's own routes.
  await fastify.register(surveyRoutes, { prefix: '/api/surveys', logLevel: 'error' })
  await fastify.register(responseRoutes, { prefix: '/api/responses', logLevel: 'error' })
  await fastify.register(testResponseRoutes, { prefix: '/api/test-responses' })
  await fastify.register(resultRoutes, { prefix: '/api/results' })
  // Results releases: /api/waves/:waveId/releases, /api/releases…, /api/public/releases/:token.
  await fastify.register(releaseRoutes, { prefix: '/api' })
  // Enrolment is a tablet talking too: like every request the kiosk makes, it leaves no access line.
  await fastify.register(deviceRoutes, { prefix: '/api/devices', logLevel: 'error' })
  // The researcher console
  await fastify.register(surveyVersionRoutes, { prefix: '/api/survey-versions' })
  await fastify.register(surveyVersionLanguageRoutes, { prefix: '/api/survey-versions' })
  await fastify.register(referenceRoutes, { prefix: '/api/reference' })
  await fastify.register(siteRoutes, { prefix: '/api/sites' })
  await fastify.register(waveRoutes, { prefix: '/api/waves' })
  await fastify.register(helpResourceRoutes, { prefix: '/api/help-resources' })
  await fastify.register(tabletRoutes, { prefix: '/api/tablets' })
  await fastify.register(progressRoutes, { prefix: '/api/progress' })
  await fastify.register(overviewRoutes, { prefix: '/api/overview' })
  await fastify.register(exportRoutes, { prefix: '/api/exports' })
  // The kiosk asks for its wave when a respondent starts: no log line may put a time on that either.
  await fastify.register(kioskRoutes, { prefix: '/api/kiosk', logLevel: 'error' })
  // The kiosk's page is reloaded at every respondent's reset, its service worker and assets follow: an access
  // line for any of them would put a time on each respondent. The console and results apps log as usual.
  for (const webApp of WEB_APPS) await fastify.register(webAppStatic, webApp === 'kiosk' ? { app: webApp, logLevel: 'error' } : { app: webApp })
  // The kiosk's read-aloud clips (ACASI), beside each instrument: /kiosk/audio/<slug>/v<N>/…; like the kiosk's
  // routes they log nothing on success, since a clip's request says which question someone listened to, and when.
  await fastify.register(kioskAudio, { logLevel: 'error' })
}

/**
 * Fastify's options for the API: the default request serializer logs the client's address and port, so it
 * is replaced by one that logs only the method and the path (anonymity rule 1). Fastify's default request id
 * is a counter ("req-1", "req-2", …): it goes on counting through the requests that log nothing, so the gap
 * between two logged ids would count the uploads between them (rule 8). Ids are random instead, and a
 * client cannot choose one through a header.
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
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: false,
    bodyLimit: 1024 * 1024,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    // Refuse unexpected fields rather than silently dropping them (Fastify's default removes them).
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
      // ajv-formats' uuid also takes "urn:uuid:…", which PostgreSQL's uuid type refuses (a 500 found by
      // fuzzing): on our wire a uuid is the hyphenated hex form both accept.
      onCreate: (ajv) => { ajv.addFormat('uuid', UUID_PATTERN) },
    },
    frameworkErrors: handleFrameworkError,
  }
}

/**
 * Errors the router raises before any route or hook runs (a malformed %-escape in the path, a path parameter
 * over maxParamLength): Fastify's own answer has another shape and echoes the whole path, so they get ours,
 * with the strictest headers (helmet's hook does not run for them).
 */
function handleFrameworkError (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? 'a part of the address is too long'
    : 'the address is not valid (a malformed %-escape or parameter)'
  return reply.code(error.statusCode ?? 400)
    .headers({ 'content-security-policy': "default-src 'none'; frame-ancestors 'none'", 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' })
    .send(errorReply('bad_request', message))
}

function handleError (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter))
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
