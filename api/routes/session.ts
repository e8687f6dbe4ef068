import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ANY_ACCOUNT } from '../auth/roles.js'
import { SESSION_COOKIE, sessionCookieOptions } from '../auth/session-cookie.js'
import { clearSessionCookie } from '../plugins/app/auth.js'
import { LanguageBodySchema, LoginBodySchema, PasswordChangeBodySchema, SessionReplySchema } from '../schemas/accounts.js'
import { changeOwnPassword } from '../services/account-passwords.js'
import { setOwnLanguage } from '../services/accounts.js'
import { errorReplies } from '../schemas/common.js'
import { endSession, logIn, logOut, sessionTokenHash } from '../services/login.js'
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS } from '../services/login-throttle.js'

/** Logging in and out. The cookie is HTTP-only; the CSRF token in the answer goes back in x-csrf-token. */
const sessionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/', {
    config: { access: 'public' },
    schema: { body: LoginBodySchema, response: { 200: SessionReplySchema, ...errorReplies(400, 401, 403, 429, 503) } },
  }, async (request, reply) => {
    const previous = request.cookies[SESSION_COOKIE]
    if (previous !== undefined && previous !== '') await endSession(fastify.db, previous)
    const session = await logIn(fastify.db, { ...request.body, source: request.ip, deviceCookie: request.cookies[DEVICE_COOKIE] }, await fastify.loginThrottleKeys())
    reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions)
    if (session.deviceCookie !== undefined) reply.setCookie(DEVICE_COOKIE, session.deviceCookie, { ...sessionCookieOptions, maxAge: DEVICE_COOKIE_DAYS * 86_400 })
    return { account: session.account, csrfToken: session.csrfToken, mustChangePassword: session.mustChangePassword, language: session.language, studyTimeZone: fastify.config.STUDY_TIME_ZONE }
  })

  fastify.get('/', {
    config: { access: ANY_ACCOUNT },
    schema: { response: { 200: SessionReplySchema, ...errorReplies(401, 503) } },
  }, async (request) => ({
    account: request.account,
    csrfToken: request.csrfToken,
    mustChangePassword: request.mustChangePassword,
    language: request.accountLanguage,
    studyTimeZone: fastify.config.STUDY_TIME_ZONE,
  }))

  fastify.put('/language', {
    config: { access: ANY_ACCOUNT },
    schema: { body: LanguageBodySchema, response: { 204: { type: 'null' }, ...errorReplies(400, 401, 403, 503) } },
  }, async (request, reply) => {
    await setOwnLanguage(fastify.db, request.account, request.body.language)
    return await reply.code(204).send(null)
  })

  fastify.post('/password', {
    config: { access: ANY_ACCOUNT },
    schema: { body: PasswordChangeBodySchema, response: { 204: { type: 'null' }, ...errorReplies(400, 401, 403, 429, 503) } },
  }, async (request, reply) => {
    await changeOwnPassword(fastify.db, request.account, request.body, {
      source: request.ip,
      deviceCookie: request.cookies[DEVICE_COOKIE],
      keys: await fastify.loginThrottleKeys(),
      sessionTokenHash: sessionTokenHash(request.cookies[SESSION_COOKIE] ?? ''),
    })
    return await reply.code(204).send(null)
  })

  fastify.delete('/', {
    config: { access: ANY_ACCOUNT },
    schema: { response: { 204: { type: 'null' }, ...errorReplies(401, 403, 503) } },
  }, async (request, reply) => {
    await logOut(fastify.db, request.account, request.cookies[SESSION_COOKIE] ?? '')
    clearSessionCookie(reply)
    return await reply.code(204).send(null)
  })
}

export default sessionRoutes
