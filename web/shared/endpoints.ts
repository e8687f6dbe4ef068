import type { LoginBody, SessionReply } from '../../api/schemas/accounts.js'
import type { EnrolBody, EnrolReply } from '../../api/schemas/devices.js'
import type { IntakeKeyReply, KioskHelpReply, KioskWaveReply } from '../../api/schemas/kiosk.js'
import type { ReleaseDetail, ReleaseList } from '../../api/schemas/releases.js'
import type { ResponseBody, ResponseReply } from '../../api/schemas/responses.js'
import type { SurveyVersionReply } from '../../api/schemas/surveys.js'
import type { OverviewReply } from '../../api/schemas/overview.js'
import type { EnrolmentCodeBody, EnrolmentCodeReply } from '../../api/schemas/tablets.js'
import type { TestResponseBody, TestResponseDeleteReply, TestResponseListReply, TestResponseReply } from '../../api/schemas/test-responses.js'

/**
 * The API routes the apps call through `request()`, by method and path as the route declares them
 * (api/routes/), with the body and reply types of their TypeBox schemas (api/schemas/). A `:name` in a path
 * is a parameter the call fills in.
 */
export interface Endpoints {
  'GET /api/session': { reply: SessionReply }
  'POST /api/session': { body: LoginBody, reply: SessionReply }
  'DELETE /api/session': { reply: undefined }
  'GET /api/releases': { reply: ReleaseList }
  'GET /api/releases/:id': { reply: ReleaseDetail }
  'GET /api/public/releases/:token': { reply: ReleaseDetail }
  'POST /api/devices/enrol': { body: EnrolBody, reply: EnrolReply }
  'GET /api/kiosk/wave': { reply: KioskWaveReply }
  'GET /api/kiosk/help': { reply: KioskHelpReply }
  'GET /api/kiosk/intake-key': { reply: IntakeKeyReply }
  'GET /api/surveys/:slug/versions/:version': { reply: SurveyVersionReply }
  'POST /api/responses': { body: ResponseBody, reply: ResponseReply }
  'POST /api/test-responses': { body: TestResponseBody, reply: TestResponseReply }
  'GET /api/overview': { reply: OverviewReply }
  'GET /api/test-responses': { reply: TestResponseListReply }
  'DELETE /api/test-responses/:surveyVersionId': { reply: TestResponseDeleteReply }
  'POST /api/tablets/enrolment-codes': { body: EnrolmentCodeBody, reply: EnrolmentCodeReply }
}

export type Endpoint = keyof Endpoints

/** The `:name` parameters of a path, as a union of names. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}` ? Name : never

type PathOf<E extends Endpoint> = E extends `${string} ${infer Path}` ? Path : never

/** What a call to an endpoint must give: its path parameters when it has any, its body when it takes one. */
export type RequestOf<E extends Endpoint> =
  & ([ParamNames<PathOf<E>>] extends [never] ? { params?: undefined } : { params: Record<ParamNames<PathOf<E>>, string | number> })
  & (Endpoints[E] extends { body: infer Body } ? { body: Body } : { body?: undefined })
  & { query?: Record<string, string | number | undefined>, token?: string }

export type ReplyOf<E extends Endpoint> = Endpoints[E]['reply']
