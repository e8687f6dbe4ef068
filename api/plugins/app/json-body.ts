import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../../errors.js'

/*
 * Text PostgreSQL cannot store: U+0000 (error 22021 in text and jsonb) and half a surrogate pair (\ud800–\udfff
 * alone). Refused at the door, for every route at once, with a 400 that names the field, instead of a 500 from
 * the database in whichever handler first passes the string on. Other control characters are stored as they
 * are (a tab in a help line's text is legitimate), so no schema has to know about them.
 */

// In JSON text only an escape can carry either: a raw NUL is refused by JSON.parse, raw UTF-8 has no surrogates.
const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/

/** What is wrong with a string, or undefined when PostgreSQL can store it. */
function unstorable (text: string): string | undefined {
  if (text.includes('\u0000')) return 'a NUL character (U+0000)'
  if (!text.isWellFormed()) return 'text that is not valid Unicode (an unpaired surrogate \\uD800–\\uDFFF)'
  return undefined
}

/** The path of the first string (key or value) that cannot be stored, with the reason. */
export function findUnstorable (value: unknown, path: string[] = []): { path: string[], problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = unstorable(value)
    return problem === undefined ? undefined : { path, problem }
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorable(item, [...path, String(index)])
      if (found !== undefined) return found
    }
    return undefined
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const problem = unstorable(key)
      if (problem !== undefined) return { path: [...path, key.replaceAll('\u0000', '\\u0000')], problem: `a key with ${problem}` }
      const found = findUnstorable(inner, [...path, key])
      if (found !== undefined) return found
    }
  }
  return undefined
}

/**
 * A query or path value such as "1e309": Ajv's type coercion reads it as Infinity, which then passes every
 * integer and number bound (an Ajv quirk) and fails in the database. Query strings and parameters are flat.
 */
function findInfinite (value: unknown): { path: string[], problem: string } | undefined {
  if (value === null || typeof value !== 'object') return undefined
  for (const [key, inner] of Object.entries(value)) {
    const texts = Array.isArray(inner) ? inner : [inner]
    if (texts.some((text) => typeof text === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+\s*$/i.test(text) && !Number.isFinite(Number(text)))) {
      return { path: [key], problem: 'a number too large to be read (it overflows to infinity)' }
    }
  }
  return undefined
}

function refusal (where: string, found: { path: string[], problem: string }): AppError {
  // An array item is named by its array: "indicators", not "0".
  const field = found.path.findLast((segment) => !/^\d+$/.test(segment)) ?? where
  const fullPath = found.path.length === 0 ? where : `${where} ${found.path.join('.')}`
  return new AppError(400, 'bad_request', `the field "${field}" (${fullPath}) contains ${found.problem}, which cannot be stored; remove it`)
}

/**
 * Fastify's own JSON parser (prototype poisoning refused), then the refusal above for the body, the query
 * string and the path parameters. Only a body whose text has such an escape is walked, so an ordinary upload
 * pays one regular-expression scan; query strings and parameters are a few short strings.
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
      const found = UNSTORABLE_ESCAPE.test(body as string) ? findUnstorable(value) : undefined
      if (found !== undefined) {
        done(refusal('body', found), undefined)
        return
      }
      done(null, value)
    })
  })
  fastify.addHook('preValidation', async (request) => {
    for (const [where, value] of [['query string', request.query], ['address', request.params]] as const) {
      const found = findUnstorable(value) ?? findInfinite(value)
      if (found !== undefined) throw refusal(where, found)
    }
  })
}, { name: 'json-body' })
