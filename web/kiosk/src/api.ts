import type { EnrolReply } from '../../../api/schemas/devices.js'
import type { IntakeKeyReply, KioskHelpReply, KioskWaveReply } from '../../../api/schemas/kiosk.js'
import type { SurveyVersionReply } from '../../../api/schemas/surveys.js'
import { createApiClient, segment } from '../../shared/api-client.js'

/** The tablet sends its device token and never a cookie. */
const api = createApiClient({ credentials: 'omit' })

export const enrolTablet = async (code: string, label: string): Promise<EnrolReply> =>
  await api.post('/api/devices/enrol', { code, label })

export const fetchWave = async (token: string): Promise<KioskWaveReply> => await api.get('/api/kiosk/wave', token)

export const fetchSurvey = async (slug: string, version: number): Promise<SurveyVersionReply> =>
  await api.get(`/api/surveys/${segment(slug)}/versions/${version}`)

export const submitAnswers = async (token: string, body: { id: string, waveId: string, answers: Record<string, unknown> }): Promise<unknown> =>
  await api.post('/api/responses', body, token)

export const fetchHelp = async (token: string): Promise<KioskHelpReply> => await api.get('/api/kiosk/help', token)

export const fetchIntakeKey = async (): Promise<IntakeKeyReply> => await api.get('/api/kiosk/intake-key')
