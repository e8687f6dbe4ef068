import type { SessionReply } from '../../../api/schemas/accounts.js'
import type { ReleaseDetail, ReleaseList } from '../../../api/schemas/releases.js'
import { createApiClient } from '../../shared/api-client.js'

/** The session cookie is HTTP-only; state-changing calls send back the session's CSRF token. */
const api = createApiClient({ credentials: 'same-origin' })

function remember (session: SessionReply): SessionReply {
  api.setCsrfToken(session.csrfToken)
  return session
}

export const currentSession = async (): Promise<SessionReply> => remember(await api.request('GET /api/session'))

export const logIn = async (email: string, password: string, totp?: string): Promise<SessionReply> =>
  remember(await api.request('POST /api/session', { body: { email, password, ...(totp === undefined || totp === '' ? {} : { totp }) } }))

export async function logOut (): Promise<void> {
  await api.request('DELETE /api/session')
  api.setCsrfToken(undefined)
}

/** The current releases (one per released wave), or only the given wave's (404 when it has none). */
export const listReleases = async (waveId?: string): Promise<ReleaseList> => await api.request('GET /api/releases', { query: { waveId } })

export const fetchRelease = async (id: string): Promise<ReleaseDetail> => await api.request('GET /api/releases/:id', { params: { id } })

export const fetchPublicRelease = async (token: string): Promise<ReleaseDetail> => await api.request('GET /api/public/releases/:token', { params: { token } })
