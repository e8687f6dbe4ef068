import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AccountListReplySchema, AccountParamsSchema, AccountSchema, CreateAccountBodySchema, CreateAccountReplySchema, PasswordResetReplySchema, UpdateAccountBodySchema,
} from '../schemas/accounts.js'
import { resetPassword } from '../services/account-passwords.js'
import { errorReplies } from '../schemas/common.js'
import { changeAccount, createAccount, listAccountReplies } from '../services/accounts.js'

const admin = { access: ['admin'] } as const

/** Managing who may do what: admins only. */
const accountRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: admin,
    schema: { response: { 200: AccountListReplySchema, ...errorReplies(401, 403, 503) } },
  }, async () => await listAccountReplies(fastify.db))

  fastify.post('/', {
    config: admin,
    schema: { body: CreateAccountBodySchema, response: { 201: CreateAccountReplySchema, ...errorReplies(400, 401, 403, 409, 503) } },
  }, async (request, reply) => await reply.code(201).send(await createAccount(fastify.db, request.body, request.account)))

  fastify.patch('/:id', {
    config: admin,
    schema: { params: AccountParamsSchema, body: UpdateAccountBodySchema, response: { 200: AccountSchema, ...errorReplies(400, 401, 403, 404, 503) } },
  }, async (request) => await changeAccount(fastify.db, request.params.id, request.body, request.account))

  fastify.post('/:id/password-reset', {
    config: admin,
    schema: { params: AccountParamsSchema, response: { 200: PasswordResetReplySchema, ...errorReplies(400, 401, 403, 404, 503) } },
  }, async (request) => await resetPassword(fastify.db, request.params.id, request.account))
}

export default accountRoutes
