import { randomUUID } from 'node:crypto'

/**
 * The subset of JSON Schema that the routes' TypeBox schemas use: enough to find every string a request can
 * carry and to build a request that is valid everywhere but in one chosen string.
 */
export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  const?: unknown
  enum?: unknown[]
  format?: string
  minLength?: number
  minimum?: number
  exclusiveMinimum?: number
  minItems?: number
  default?: unknown
}

export type SchemaPath = ReadonlyArray<string | number>

const branches = (schema: JsonSchema): JsonSchema[] | undefined => schema.anyOf ?? schema.oneOf

const isString = (schema: JsonSchema): boolean =>
  schema.type === 'string' && schema.const === undefined && schema.enum === undefined

/** Every place a free string can stand in a value of this schema (union branches merged, an array's first item). */
export function stringPaths (schema: JsonSchema): SchemaPath[] {
  const options = branches(schema)
  if (options !== undefined) {
    const seen = new Map<string, SchemaPath>()
    for (const option of options) for (const path of stringPaths(option)) seen.set(JSON.stringify(path), path)
    return [...seen.values()]
  }
  if (isString(schema)) return [[]]
  if (schema.properties !== undefined) {
    return Object.entries(schema.properties).flatMap(([key, inner]) => stringPaths(inner).map((path) => [key, ...path]))
  }
  if (schema.type === 'array' && schema.items !== undefined) return stringPaths(schema.items).map((path) => [0, ...path])
  return []
}

/** A value the schema accepts (as far as formats, lengths and minimums go; a `pattern` is not honoured). */
export function sampleValue (schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const
  if (schema.enum !== undefined) return schema.enum[0]
  if (schema.default !== undefined) return schema.default
  const options = branches(schema)
  if (options !== undefined) return sampleValue(options.find((option) => option.type !== 'null') ?? options[0] ?? {})
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case 'string': return sampleString(schema)
    case 'integer':
    case 'number': return schema.minimum ?? (schema.exclusiveMinimum === undefined ? 1 : schema.exclusiveMinimum + 1)
    case 'boolean': return false
    case 'null': return null
    case 'array': return Array.from({ length: schema.minItems ?? 0 }, () => sampleValue(schema.items ?? {}))
    case 'object': {
      const value: Record<string, unknown> = {}
      for (const key of schema.required ?? []) value[key] = sampleValue(schema.properties?.[key] ?? {})
      return value
    }
    default: return {}
  }
}

function sampleString (schema: JsonSchema): string {
  switch (schema.format) {
    case 'uuid': return randomUUID()
    case 'date': return '2026-01-05'
    case 'date-time': return '2026-01-05T10:00:00.000Z'
    case 'email': return 'someone@example.org'
    default: return 'a'.repeat(Math.max(1, schema.minLength ?? 1))
  }
}

/** A valid value of the schema, except that the string at `path` is `bad`. */
export function valueWithStringAt (schema: JsonSchema, path: SchemaPath, bad: string): unknown {
  const options = branches(schema)
  if (options !== undefined) {
    const wanted = JSON.stringify(path)
    const option = options.find((candidate) => stringPaths(candidate).some((found) => JSON.stringify(found) === wanted))
    if (option === undefined) throw new Error(`no branch of the union has a string at ${wanted}`)
    return valueWithStringAt(option, path, bad)
  }
  if (path.length === 0) return bad
  const [head, ...rest] = path
  if (typeof head === 'number') {
    const items = sampleValue(schema) as unknown[]
    items[0] = valueWithStringAt(schema.items ?? {}, rest, bad)
    return items
  }
  const value = sampleValue(schema) as Record<string, unknown>
  value[head as string] = valueWithStringAt(schema.properties?.[head as string] ?? {}, rest, bad)
  return value
}
