import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../../errors.js'

// A \ud800–\udfff escape in the text is the only way JSON can carry half a surrogate pair (raw UTF-8 cannot).
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/

const unpaired = new AppError(400, 'bad_request', 'the body contains text that is not valid Unicode (an unpaired surrogate \\uD800–\\uDFFF escape)')

function wellFormed (value: unknown): boolean {
  if (typeof value === 'string') return value.isWellFormed()
  if (Array.isArray(value)) return value.every(wellFormed)
  if (value !== null && typeof value === 'object') return Object.entries(value).every(([key, inner]) => key.isWellFormed() && wellFormed(inner))
  return true
}

/**
 * Fastify's own JSON parser (prototype poisoning refused), plus a refusal of unpaired surrogates: PostgreSQL
 * cannot store them in text or jsonb, and would answer with an error instead of the 400 the client needs. Only
 * a body whose text has such an escape is walked, so ordinary uploads pay one regular-expression scan.
 */
export default fp(async (fastify: FastifyInstance) => {
  const parse = fastify.getDefaultJsonParser('error', 'ignore')
  fastify.removeContentTypeParser('application/json')
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error, value) => {
      if (error !== null) {
        done(error, undefined)
        return
      }
      if (SURROGATE_ESCAPE.test(body as string) && !wellFormed(value)) {
        done(unpaired, undefined)
        return
      }
      done(null, value)
    })
  })
}, { name: 'json-body' })
