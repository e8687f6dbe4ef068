import type { SessionReply } from '../../../api/schemas/accounts.js'
import { createApiClient } from '../../shared/api-client.js'
import type { ApiError } from '../../shared/api-client.js'

/** Called when the session is gone (expired, logged out elsewhere): the app shows the login screen. */
let onUnauthorized: (message: string) => void = () => {}

/**
 * The console's client: the session cookie, and the session's CSRF token on every state-changing request.
 * Screens name the reply type of each call from api/schemas/.
 */
export const api = createApiClient({ credentials: 'same-origin', onUnauthorized: (error: ApiError) => { onUnauthorized(error.message) } })

export function useSession (reply: SessionReply | undefined, unauthorized?: (message: string) => void): void {
  api.setCsrfToken(reply?.csrfToken)
  if (unauthorized !== undefined) onUnauthorized = unauthorized
}
