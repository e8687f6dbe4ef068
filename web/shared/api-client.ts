import type { ErrorReply } from '../../api/schemas/common.js'
import type { DefinitionProblem } from '../../api/schemas/survey-versions.js'
import type { ErrorCode } from '../../api/errors.js'
import type { Endpoint, ReplyOf, RequestOf } from './endpoints.js'

/**
 * The API's stable error codes (api/errors.ts), plus the two the client makes itself: 'network' when the
 * server could not be reached, 'internal' when a refusal carried no code.
 */
export type ApiErrorCode = ErrorCode | 'network' | 'internal'

/**
 * A refusal from the API: its HTTP status (0 without a connection), its stable code, its English message, and
 * for a survey definition every problem found. Apps branch on `code` and say it in their own words. `reply` is
 * the refusal as sent, for a route whose refusal says more (a translation's problems by key, its warnings).
 */
export class ApiError extends Error {
  constructor (readonly status: number, readonly code: ApiErrorCode, message: string, readonly problems: DefinitionProblem[] = [], readonly reply: unknown = undefined) {
    super(message)
    this.name = 'ApiError'
  }
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

export interface ClientOptions {
  /** 'omit' for the kiosk (a device token, never a cookie); 'same-origin' for the session apps. */
  credentials: RequestCredentials
  /** Called on a 401 from anything but the session itself: the session is gone. */
  onUnauthorized?: (error: ApiError) => void
}

export interface CallOptions {
  body?: unknown
  /** A device's bearer token (the kiosk). */
  token?: string
}

/**
 * One fetch for every app: JSON both ways, no cache, no referrer, the session's CSRF token on every
 * state-changing request, and every refusal as one ApiError. Apps call only `request()`, so every path, body
 * and reply type comes from the route's schemas (endpoints.ts), never from a type named at the call.
 */
export function createApiClient (options: ClientOptions) {
  let csrfToken = ''

  async function call<T> (method: Method, path: string, { body, token }: CallOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (method !== 'GET' && csrfToken !== '') headers['x-csrf-token'] = csrfToken
    if (token !== undefined) headers.authorization = `Bearer ${token}`
    let response: Response
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: options.credentials,
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      })
    } catch {
      throw new ApiError(0, 'network', 'the server could not be reached; check the connection and try again')
    }
    if (response.status === 204) return undefined as T
    const reply = await response.json().catch(() => undefined) as unknown
    if (response.ok) return reply as T
    const refusal = (typeof reply === 'object' && reply !== null ? reply : {}) as Partial<ErrorReply> & { problems?: unknown }
    const error = new ApiError(response.status,
      (typeof refusal.code === 'string' ? refusal.code : 'internal') as ApiErrorCode,
      typeof refusal.message === 'string' ? refusal.message : `the server answered ${response.status}`,
      // A translation's problems are named by key, not by file: the console reads them from `reply`.
      Array.isArray(refusal.problems) && refusal.code !== 'invalid_translation' ? refusal.problems as DefinitionProblem[] : [],
      reply)
    if (response.status === 401 && path !== '/api/session') options.onUnauthorized?.(error)
    throw error
  }

  /**
   * A call to one of the API's routes by its declared method and path ('GET /api/releases/:id'): the body,
   * parameters and reply are typed from the route's schemas (endpoints.ts); parameters are encoded.
   */
  async function request<E extends Endpoint> (endpoint: E, ...[options]: RequestOf<E> extends { params: unknown } | { body: unknown } ? [RequestOf<E>] : [RequestOf<E>?]): Promise<ReplyOf<E>> {
    const [method, pattern] = endpoint.split(' ') as [Method, string]
    const params = (options?.params ?? {}) as Record<string, string | number>
    const path = pattern.replace(/:(\w+)/g, (_whole, name: string) => {
      const value = params[name]
      if (value === undefined) throw new TypeError(`${endpoint}: no value for :${name}`)
      return segment(value)
    })
    return await call<ReplyOf<E>>(method, `${path}${query(options?.query ?? {})}`, { body: options?.body, token: options?.token })
  }

  return {
    request,
    /** The session's CSRF token (from the login answer or GET /api/session); '' when logged out. */
    setCsrfToken: (token: string | undefined): void => { csrfToken = token ?? '' },
  }
}

export type ApiClient = ReturnType<typeof createApiClient>

/** A query string from the defined, non-empty values only ('' when there are none). */
export function query (params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value))
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}

/** A path segment taken from data, encoded. */
export const segment = (value: string | number): string => encodeURIComponent(String(value))
