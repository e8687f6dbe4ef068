import type { EnrolReply } from '../../../api/schemas/devices.js'
import type { IntakeKeyReply, KioskHelpReply, KioskWaveReply } from '../../../api/schemas/kiosk.js'
import type { ErrorReply } from '../../../api/schemas/common.js'
import type { SurveyVersionReply } from '../../../api/schemas/surveys.js'

/** A refusal from the API with its stable code, or 'network' when the server could not be reached. */
export class ApiError extends Error {
  constructor (readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}

async function call<T> (path: string, init: RequestInit = {}, token?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  let response: Response
  try {
    response = await fetch(path, { ...init, headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' })
  } catch {
    throw new ApiError(0, 'network', 'the server could not be reached')
  }
  if (response.ok) return await response.json() as T
  const body = await response.json().catch(() => undefined) as Partial<ErrorReply> | undefined
  throw new ApiError(response.status, body?.code ?? 'internal', body?.message ?? `HTTP ${response.status}`)
}

export const enrolTablet = async (code: string, label: string): Promise<EnrolReply> =>
  await call('/api/devices/enrol', { method: 'POST', body: JSON.stringify({ code, label }) })

export const fetchWave = async (token: string): Promise<KioskWaveReply> => await call('/api/kiosk/wave', {}, token)

export const fetchSurvey = async (slug: string, version: number): Promise<SurveyVersionReply> =>
  await call(`/api/surveys/${encodeURIComponent(slug)}/versions/${version}`)

/** A live tablet's answers go to the wave; a test tablet's (waveId null) to the test responses, kept apart. */
export const submitAnswers = async (token: string, { id, waveId, answers }: { id: string, waveId: string | null, answers: Record<string, unknown> }): Promise<unknown> =>
  waveId === null
    ? await call('/api/test-responses', { method: 'POST', body: JSON.stringify({ id, answers }) }, token)
    : await call('/api/responses', { method: 'POST', body: JSON.stringify({ id, waveId, answers }) }, token)

export const fetchHelp = async (token: string): Promise<KioskHelpReply> => await call('/api/kiosk/help', {}, token)

export const fetchIntakeKey = async (): Promise<IntakeKeyReply> => await call('/api/kiosk/intake-key')
