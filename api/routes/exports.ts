import { PassThrough } from 'node:stream'
import { once } from 'node:events'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import { errorReplies } from '../schemas/common.js'
import { CodebookSchema, ExportParamsSchema, LabelledQuerySchema, MicrodataQuerySchema } from '../schemas/exports.js'
import { codebookJson, documentationDownload, microdataDownload, statFileDownload, syntaxDownload } from '../services/exports.js'
import type { ExportDownload } from '../services/exports.js'

const EXPORTERS = ['researcher', 'admin'] as const

/** A wave's microdata and its documentation; researchers and admins only, every download in the audit log. */
const exportRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  for (const format of ['csv', 'jsonl'] as const) {
    fastify.get(`/waves/:waveId/microdata.${format}`, {
      config: { access: EXPORTERS },
      schema: { params: ExportParamsSchema, querystring: MicrodataQuerySchema, response: errorReplies(400, 401, 403, 404) },
    }, async (request, reply) => await send(reply,
      await microdataDownload(fastify.db, request.account, request.params.waveId, format, request.query.freeText === true)))
  }

  for (const format of ['sav', 'dta'] as const) {
    fastify.get(`/waves/:waveId/microdata.${format}`, {
      config: { access: EXPORTERS },
      schema: { params: ExportParamsSchema, querystring: LabelledQuerySchema, response: errorReplies(400, 401, 403, 404, 422) },
    }, async (request, reply) => await send(reply,
      await statFileDownload(fastify.db, request.account, request.params.waveId, format, request.query.language ?? 'nb')))
  }

  for (const kind of ['sps', 'do'] as const) {
    fastify.get(`/waves/:waveId/read-microdata.${kind}`, {
      config: { access: EXPORTERS },
      schema: { params: ExportParamsSchema, querystring: LabelledQuerySchema, response: { 200: Type.String(), ...errorReplies(400, 401, 403, 404) } },
    }, async (request, reply) => await send(reply,
      await syntaxDownload(fastify.db, request.account, request.params.waveId, kind, request.query.language ?? 'nb')))
  }

  fastify.get('/waves/:waveId/codebook.json', {
    config: { access: EXPORTERS },
    schema: { params: ExportParamsSchema, querystring: MicrodataQuerySchema, response: { 200: CodebookSchema, ...errorReplies(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const { codebook, filename } = await codebookJson(fastify.db, request.account, request.params.waveId, request.query.freeText === true)
    reply.header('content-disposition', `attachment; filename="${filename}"`)
    return codebook
  })

  for (const file of ['codebook.md', 'read-microdata.R'] as const) {
    fastify.get(`/waves/:waveId/${file}`, {
      config: { access: EXPORTERS },
      schema: { params: ExportParamsSchema, querystring: MicrodataQuerySchema, response: { 200: Type.String(), ...errorReplies(400, 401, 403, 404) } },
    }, async (request, reply) => await send(reply,
      await documentationDownload(fastify.db, request.account, request.params.waveId, file, request.query.freeText === true)))
  }
}

/**
 * Sends a download, never cached. A streamed one is written with back-pressure; a failure after the first byte
 * can no longer become an error reply: the stream is cut, so the client sees an incomplete download, not a
 * short file that looks whole.
 */
async function send (reply: FastifyReply, download: ExportDownload): Promise<FastifyReply> {
  reply.type(download.type).header('content-disposition', `attachment; filename="${download.filename}"`).header('cache-control', 'no-store')
  if ('text' in download) return await reply.send(download.text)
  const stream = new PassThrough()
  const write = async (chunk: string | Uint8Array): Promise<void> => {
    if (!stream.write(chunk)) await once(stream, 'drain')
  }
  download.produce(write).then(() => stream.end(), (error: unknown) => { stream.destroy(error instanceof Error ? error : new Error(String(error))) })
  return await reply.send(stream)
}

export default exportRoutes
