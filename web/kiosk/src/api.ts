import type { EnrolReply, EnrolBody } from '../../../api/schemas/devices.js'
import type { IntakeKeyReply, KioskHelpReply, KioskLanguageReply, KioskWaveReply } from '../../../api/schemas/kiosk.js'
import type { ResponseBody, ResponseReply } from '../../../api/schemas/responses.js'
import type { SurveyVersionReply } from '../../../api/schemas/surveys.js'
import { createApiClient } from '../../shared/api-client.js'

/** The tablet sends its device token and never a cookie. */
const api = createApiClient({ credentials: 'omit' })

export const enrolTablet = async (code: EnrolBody['code'], label: string): Promise<EnrolReply> =>
  await api.request('POST /api/devices/enrol', { body: { code, label } })

export const fetchWave = async (token: string): Promise<KioskWaveReply> => await api.request('GET /api/kiosk/wave', { token })

export const fetchSurvey = async (slug: string, version: number): Promise<SurveyVersionReply> =>
  await api.request('GET /api/surveys/:slug/versions/:version', { params: { slug, version } })

/** A live tablet's answers go to the wave; a test tablet's (waveId null) to the test responses, kept apart. */
export const submitAnswers = async (token: string, { id, waveId, answers }: { id: string, waveId: string | null, answers: ResponseBody['answers'] }): Promise<ResponseReply> =>
  waveId === null
    ? await api.request('POST /api/test-responses', { body: { id, answers }, token })
    : await api.request('POST /api/responses', { body: { id, waveId, answers }, token })

/** A translation of the wave's survey version (a test tablet's: its test version), fetched with the wave (language-packs.ts), never at a respondent's pick. */
export const fetchLanguage = async (token: string, code: string): Promise<KioskLanguageReply> =>
  await api.request('GET /api/kiosk/languages/:code', { params: { code }, token })

export const fetchHelp = async (token: string): Promise<KioskHelpReply> => await api.request('GET /api/kiosk/help', { token })

export const fetchIntakeKey = async (): Promise<IntakeKeyReply> => await api.request('GET /api/kiosk/intake-key')
