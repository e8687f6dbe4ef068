import { PassThrough } from 'node:stream'
import { once } from 'node:events'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import type { Account } from '../auth/roles.js'
import { AppError } from '../errors.js'
import { errorReplies } from '../schemas/common.js'
import { CodebookSchema, ExportParamsSchema, LabelledQuerySchema, MicrodataQuerySchema } from '../schemas/exports.js'
import { recordAudit } from '../services/audit-log.js'
import { buildCodebook } from '../services/codebook.js'
import { codebookMarkdown, exportFileNames, rScript } from '../services/codebook-formats.js'
import { prepareStatFile, waveExportSource, writeMicrodata, writeStatFile } from '../services/microdata-export.js'
import type { ExportSource, PreparedStatFile } from '../services/microdata-export.js'
import { spssSyntax, stataDoFile } from '../services/syntax-readers.js'

const EXPORTERS = ['researcher', 'admin'] as const

/** A wave's microdata and its documentation; researchers and admins only, every download in the audit log. */
const exportRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const source = async (waveId: string): Promise<ExportSource> => await waveExportSource(fastify.db, waveId)

  async function audit (actor: Account, action: string, found: ExportSource, detail: Record<string, unknown> = {}): Promise<void> {
    await recordAudit(fastify.db, { actor, action, objectType: 'wave', objectId: found.wave.id, detail: { waveName: found.wave.name, ...detail } })
  }

  for (const format of ['csv', 'jsonl'] as const) {
    fastify.get(`/waves/:waveId/microdata.${format}`, {
      config: { access: EXPORTERS },
      schema: { params: ExportParamsSchema, querystring: MicrodataQuerySchema, response: errorReplies(400, 401, 403, 404) },
    }, async (request, reply) => {
      const found = await source(request.params.waveId)
      const freeText = request.query.freeText === true
      // Recorded before the first byte leaves: a download cut short was still an export.
      await audit(request.account, `export.${format}`, found, { freeText })
      const names = exportFileNames(buildCodebook(found, freeText))
      return await streamDownload(reply, format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        format === 'csv' ? names.csv : names.jsonl,
        async (write) => { await writeMicrodata(fastify.db, found, { format, freeText }, write) })
    })
  }

  // SPSS and Stata: the same rows with numeric codes, labels in the language asked for; never free text.
  for (const format of ['sav', 'dta'] as const) {
    fastify.get(`/waves/:waveId/microdata.${format}`, {
      config: { access: EXPORTERS },
      schema: { params: ExportParamsSchema, querystring: LabelledQuerySchema, response: errorReplies(400, 401, 403, 404, 422) },
    }, async (request, reply) => {
      const found = await source(request.params.waveId)
      const language = request.query.language ?? 'nb'
      let prepared: PreparedStatFile
      try {
        prepared = prepareStatFile(found, format, language)
      } catch (error) {
        throw new AppError(422, 'bad_request', `this survey version cannot be written as .${format}: ${error instanceof Error ? error.message : String(error)}`)
      }
      await audit(request.account, `export.${format}`, found, { language })
      const names = exportFileNames(prepared.codebook, language)
      return await streamDownload(reply, format === 'sav' ? 'application/x-spss-sav' : 'application/x-stata-dta', format === 'sav' ? names.sav : names.dta,
        async (write) => { await writeStatFile(fastify.db, found, prepared, write) })
    })
  }

  // Syntax that reads the CSV into the same variables: SPSS/PSPP (.sps) and Stata (.do).
  for (const [file, action, make] of [['read-microdata.sps', 'export.sps', spssSyntax], ['read-microdata.do', 'export.do', stataDoFile]] as const) {
    fastify.get(`/waves/:waveId/${file}`, {
      config: { access: EXPORTERS },
      schema: { params: ExportParamsSchema, querystring: LabelledQuerySchema, response: { 200: Type.String(), ...errorReplies(400, 401, 403, 404) } },
    }, async (request, reply) => {
      const found = await source(request.params.waveId)
      const language = request.query.language ?? 'nb'
      const codebook = buildCodebook(found, false)
      const text = make(codebook, language)
      await audit(request.account, action, found, { language })
      const names = exportFileNames(codebook, language)
      return await reply.type('text/plain; charset=utf-8').header('content-disposition', `attachment; filename="${file.endsWith('.sps') ? names.sps : names.doFile}"`)
        .header('cache-control', 'no-store').send(text)
    })
  }

  fastify.get('/waves/:waveId/codebook.json', {
    config: { access: EXPORTERS },
    schema: { params: ExportParamsSchema, querystring: MicrodataQuerySchema, response: { 200: CodebookSchema, ...errorReplies(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const found = await source(request.params.waveId)
    const codebook = buildCodebook(found, request.query.freeText === true)
    await audit(request.account, 'export.codebook', found, { format: 'json' })
    reply.header('content-disposition', `attachment; filename="${exportFileNames(codebook).codebookJson}"`)
    return codebook
  })

  fastify.get('/waves/:waveId/codebook.md', {
    config: { access: EXPORTERS },
    schema: { params: ExportParamsSchema, querystring: MicrodataQuerySchema, response: { 200: Type.String(), ...errorReplies(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const found = await source(request.params.waveId)
    const codebook = buildCodebook(found, request.query.freeText === true)
    await audit(request.account, 'export.codebook', found, { format: 'markdown' })
    return await reply.type('text/markdown; charset=utf-8').header('content-disposition', `attachment; filename="${exportFileNames(codebook).codebookMd}"`)
      .header('cache-control', 'no-store').send(codebookMarkdown(codebook))
  })

  fastify.get('/waves/:waveId/read-microdata.R', {
    config: { access: EXPORTERS },
    schema: { params: ExportParamsSchema, querystring: MicrodataQuerySchema, response: { 200: Type.String(), ...errorReplies(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const found = await source(request.params.waveId)
    const codebook = buildCodebook(found, request.query.freeText === true)
    await audit(request.account, 'export.r_script', found)
    return await reply.type('text/plain; charset=utf-8').header('content-disposition', `attachment; filename="${exportFileNames(codebook).rScript}"`)
      .header('cache-control', 'no-store').send(rScript(codebook))
  })
}

/**
 * Sends what `produce` writes as a download, with back-pressure, never cached. A failure after the first byte
 * can no longer become an error reply: the stream is cut, so the client sees an incomplete download, not a
 * short file that looks whole.
 */
async function streamDownload (reply: FastifyReply, type: string, filename: string, produce: (write: (chunk: string | Uint8Array) => Promise<void>) => Promise<void>): Promise<FastifyReply> {
  const stream = new PassThrough()
  const write = async (chunk: string | Uint8Array): Promise<void> => {
    if (!stream.write(chunk)) await once(stream, 'drain')
  }
  produce(write).then(() => stream.end(), (error: unknown) => { stream.destroy(error instanceof Error ? error : new Error(String(error))) })
  return await reply.type(type).header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').send(stream)
}

export default exportRoutes
