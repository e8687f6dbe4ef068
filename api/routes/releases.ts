import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { errorReplies } from '../schemas/common.js'
import {
  PublicLinkReplySchema, PublicReleaseParamsSchema, ReleaseAuditReplySchema, ReleaseCreateBodySchema, ReleaseDetailSchema, ReleaseListSchema,
  ReleaseParamsSchema, ReleasePreviewSchema, WaveParamsSchema,
} from '../schemas/releases.js'
import {
  createPublicLink, createRelease, getPublicRelease, previewRelease, getRelease, getReleaseAudit, listReleases, listReleasesOfWave, revokePublicLink,
} from '../services/releases.js'

const releasers = { access: ['researcher', 'admin'] } as const
const readers = { access: ['funder', 'researcher', 'admin'] } as const

/**
 * Results releases (schemas and the route list: api/schemas/releases.ts), registered under /api. Funders
 * and the public link read frozen releases only; the response schemas are also the leak filter.
 */
const releaseRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/waves/:waveId/releases', {
    config: releasers,
    schema: { params: WaveParamsSchema, body: ReleaseCreateBodySchema, response: { 201: ReleaseDetailSchema, ...errorReplies(400, 401, 403, 404, 409, 503) } },
  }, async (request, reply) => {
    const detail = await createRelease(fastify.db, request.params.waveId, request.body ?? {}, request.account)
    return await reply.code(201).send(detail)
  })

  // Computes and audits a release without storing it: what it would publish and what an attacker could prove.
  fastify.post('/waves/:waveId/releases/preview', {
    config: releasers,
    schema: { params: WaveParamsSchema, body: ReleaseCreateBodySchema, response: { 200: ReleasePreviewSchema, ...errorReplies(400, 401, 403, 404, 409, 503) } },
  }, async (request) => await previewRelease(fastify.db, request.params.waveId, request.body ?? {}))

  fastify.get('/waves/:waveId/releases', {
    config: releasers,
    schema: { params: WaveParamsSchema, response: { 200: ReleaseListSchema, ...errorReplies(400, 401, 403, 404, 503) } },
  }, async (request) => await listReleasesOfWave(fastify.db, request.params.waveId))

  fastify.get('/releases', {
    config: readers,
    schema: {
      querystring: Type.Object({ waveId: Type.Optional(Type.String({ format: 'uuid', description: 'only this wave\'s current release (404 if none)' })) }, { additionalProperties: false }),
      response: { 200: ReleaseListSchema, ...errorReplies(400, 401, 403, 404, 503) },
    },
  }, async (request) => await listReleases(fastify.db, request.query.waveId))

  fastify.get('/releases/:releaseId', {
    config: readers,
    schema: { params: ReleaseParamsSchema, response: { 200: ReleaseDetailSchema, ...errorReplies(400, 401, 403, 404, 503) } },
  }, async (request) => await getRelease(fastify.db, request.params.releaseId))

  // The stored audit of a release, for the researcher: funders read the release, not the attacker's intervals.
  fastify.get('/releases/:releaseId/audit', {
    config: releasers,
    schema: { params: ReleaseParamsSchema, response: { 200: ReleaseAuditReplySchema, ...errorReplies(400, 401, 403, 404, 503) } },
  }, async (request) => await getReleaseAudit(fastify.db, request.params.releaseId))

  fastify.post('/releases/:releaseId/public-link', {
    config: releasers,
    schema: { params: ReleaseParamsSchema, response: { 201: PublicLinkReplySchema, ...errorReplies(400, 401, 403, 404, 503) } },
  }, async (request, reply) => {
    const link = await createPublicLink(fastify.db, request.params.releaseId, request.account)
    return await reply.code(201).send(link)
  })

  fastify.delete('/releases/:releaseId/public-link', {
    config: releasers,
    schema: { params: ReleaseParamsSchema, response: { 204: Type.Null(), ...errorReplies(400, 401, 403, 404, 503) } },
  }, async (request, reply) => {
    await revokePublicLink(fastify.db, request.params.releaseId, request.account)
    return await reply.code(204).send(null)
  })

  // The token is the credential: the request log at info level would write it down, so it logs warnings only.
  fastify.get('/public/releases/:token', {
    config: { access: 'public' },
    logLevel: 'warn',
    schema: { params: PublicReleaseParamsSchema, response: { 200: ReleaseDetailSchema, ...errorReplies(400, 404, 503) } },
  }, async (request) => await getPublicRelease(fastify.db, request.params.token))
}

export default releaseRoutes
