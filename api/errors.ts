/** Stable error codes: clients (the kiosk, the console) branch on these, never on messages. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'session_expired'
  | 'forbidden'
  | 'csrf_failed'
  | 'login_failed'
  | 'totp_required'
  | 'password_rejected'
  | 'password_change_refused'
  | 'password_change_required'
  | 'account_exists'
  | 'device_unknown'
  | 'device_revoked'
  | 'not_found'
  | 'wave_not_found'
  | 'wave_not_at_site'
  | 'wave_not_open'
  | 'invalid_answers'
  | 'response_conflict'
  | 'survey_version_changed'
  | 'unknown_indicator'
  | 'unknown_dimension'
  | 'unknown_method'
  | 'rate_limited'
  | 'daily_limit'
  | 'too_few_answers'
  | 'enrolment_code_unknown'
  | 'enrolment_code_expired'
  | 'enrolment_code_used'
  | 'no_open_wave'
  | 'test_tablet'
  | 'live_tablet'
  // languages of a survey version (api/services/survey-version-languages.ts)
  | 'language_unknown'
  | 'language_not_reviewed'
  | 'language_already_reviewed'
  | 'translation_changed'
  | 'translation_outdated'
  | 'invalid_translation'
  // the researcher console (sites, waves, tablets, help resources, survey versions, exports)
  | 'invalid_definition'
  | 'unknown_municipality'
  | 'unknown_county'
  | 'unknown_site'
  | 'unknown_survey_version'
  | 'wave_not_planned'
  | 'wave_transition'
  | 'wave_dates'
  | 'site_has_open_wave'
  | 'help_data_stale'
  | 'already_exists'
  | 'already_revoked'
  | 'database_unavailable'
  | 'internal'

/** An error whose message is safe to show the client and names the problem. */
export class AppError extends Error {
  override name = 'AppError'
  constructor (
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly question?: string,
    /** Seconds to wait, sent as Retry-After (a throttle's 429). */
    readonly retryAfter?: number
  ) {
    super(message)
  }
}

export const notFound = (what: string): AppError => new AppError(404, 'not_found', `${what} was not found`)

// Connection-level failures (server gone, restarting, refusing connections): the client should retry later.
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'])
const UNAVAILABLE_SQLSTATE = /^(08|57P0|53)/ // connection exception, admin/crash shutdown, insufficient resources

export function isDatabaseUnavailable (error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const { code } = error as Error & { code?: unknown }
  if (typeof code === 'string' && (UNAVAILABLE_ERRNOS.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(error.message)
}
