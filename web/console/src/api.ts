import type { SessionReply } from '../../../api/schemas/accounts.js'

export interface Problem { file?: string, question?: string, problem: string }

/** A refusal from the API: its status, stable code, message, and (for a survey definition) every problem found. */
export class ApiError extends Error {
  constructor (readonly status: number, readonly code: string, message: string, readonly problems: Problem[] = []) {
    super(message)
  }
}

/** The session's CSRF token, from the login answer or GET /api/session; sent on every state-changing request. */
let csrfToken = ''
/** Called when the session is gone (expired, logged out elsewhere): the app shows the login screen. */
let onUnauthorized: (message: string) => void = () => {}

export function useSession (reply: SessionReply | undefined, unauthorized?: (message: string) => void): void {
  csrfToken = reply?.csrfToken ?? ''
  if (unauthorized !== undefined) onUnauthorized = unauthorized
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

async function call<T> (method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET' && csrfToken !== '') headers['x-csrf-token'] = csrfToken
  let response: Response
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' })
  } catch {
    throw new ApiError(0, 'network', 'the server could not be reached; check the connection and try again')
  }
  if (response.status === 204) return undefined as T
  const reply = await response.json().catch(() => undefined) as Record<string, unknown> | undefined
  if (response.ok) return reply as T
  const code = typeof reply?.code === 'string' ? reply.code : 'internal'
  const message = typeof reply?.message === 'string' ? reply.message : `the server answered ${response.status}`
  const problems = Array.isArray(reply?.problems) ? reply.problems as Problem[] : []
  const error = new ApiError(response.status, code, message, problems)
  if (response.status === 401 && path !== '/api/session') onUnauthorized(message)
  throw error
}

export const api = {
  get: async <T>(path: string): Promise<T> => await call<T>('GET', path),
  post: async <T>(path: string, body: unknown = {}): Promise<T> => await call<T>('POST', path, body),
  patch: async <T>(path: string, body: unknown): Promise<T> => await call<T>('PATCH', path, body),
  put: async <T>(path: string, body: unknown): Promise<T> => await call<T>('PUT', path, body),
  delete: async (path: string): Promise<void> => { await call<undefined>('DELETE', path) },
}

/** A query string from the defined values only. */
export function query (params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value))
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}
