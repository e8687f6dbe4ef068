import type { SessionReply } from '../../../api/schemas/accounts.js'
import type { ErrorReply } from '../../../api/schemas/common.js'
import type { ReleaseDetail, ReleaseList } from '../../../api/schemas/releases.js'

/** A refusal from the API with its stable code and message, or code 'network' when the server could not be reached. */
export class ApiError extends Error {
  constructor (readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}

/** The CSRF token of the current session; state-changing calls send it back (the session cookie is HTTP-only). */
let csrfToken: string | undefined

async function call<T> (path: string, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  if (init.method !== undefined && init.method !== 'GET' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken
  let response: Response
  try {
    response = await fetch(path, { ...init, headers, cache: 'no-store', credentials: 'same-origin', referrerPolicy: 'no-referrer' })
  } catch {
    throw new ApiError(0, 'network', 'the server could not be reached')
  }
  if (response.status === 204) return undefined as T
  if (response.ok) return await response.json() as T
  const body = await response.json().catch(() => undefined) as Partial<ErrorReply> | undefined
  throw new ApiError(response.status, body?.code ?? 'internal', body?.message ?? `HTTP ${response.status}`)
}

function remember (session: SessionReply): SessionReply {
  csrfToken = session.csrfToken
  return session
}

export const currentSession = async (): Promise<SessionReply> => remember(await call<SessionReply>('/api/session'))

export const logIn = async (email: string, password: string, totp?: string): Promise<SessionReply> =>
  remember(await call<SessionReply>('/api/session', { method: 'POST', body: JSON.stringify({ email, password, ...(totp === undefined || totp === '' ? {} : { totp }) }) }))

export async function logOut (): Promise<void> {
  await call<undefined>('/api/session', { method: 'DELETE' })
  csrfToken = undefined
}

/** The current releases (one per released wave), or only the given wave's (404 when it has none). */
export const listReleases = async (waveId?: string): Promise<ReleaseList> =>
  await call(`/api/releases${waveId === undefined ? '' : `?waveId=${encodeURIComponent(waveId)}`}`)

export const fetchRelease = async (id: string): Promise<ReleaseDetail> => await call(`/api/releases/${encodeURIComponent(id)}`)

export const fetchPublicRelease = async (token: string): Promise<ReleaseDetail> => await call(`/api/public/releases/${encodeURIComponent(token)}`)
