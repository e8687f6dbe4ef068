import type {
  Account, AccountListReply, CreateAccountBody, CreateAccountReply, LanguageBody, LoginBody, PasswordChangeBody, PasswordResetReply, SessionReply,
  UpdateAccountBody,
} from '../../api/schemas/accounts.js'
import type { AuditListReply, ChainCheckReply } from '../../api/schemas/audit-log.js'
import type { EnrolBody, EnrolReply } from '../../api/schemas/devices.js'
import type {
  CrisisCentre, CrisisCentreInput, CrisisCentreUpdateBody, HelpLine, HelpLineUpdateBody, HelpNote, HelpResourcesReply,
} from '../../api/schemas/help-resources.js'
import type { IntakeKeyReply, KioskHelpReply, KioskLanguageReply, KioskWaveReply } from '../../api/schemas/kiosk.js'
import type { ProgressReply } from '../../api/schemas/progress.js'
import type { RegionsReply } from '../../api/schemas/reference.js'
import type {
  PublicLinkReply, ReleaseAuditReply, ReleaseCreateBody, ReleaseDetail, ReleaseList, ReleasePreview,
} from '../../api/schemas/releases.js'
import type { ResponseBody, ResponseReply } from '../../api/schemas/responses.js'
import type { Site, SiteCreateBody, SiteListReply, SiteUpdateBody } from '../../api/schemas/sites.js'
import type {
  AvailableDefinitionsReply, PublishFromDefinitionsBody, PublishReply, PublishUploadBody, SurveyVersionDetail, SurveyVersionListReply,
} from '../../api/schemas/survey-versions.js'
import type { SurveyVersionReply } from '../../api/schemas/surveys.js'
import type { ReviewLanguageBody, VersionLanguage, VersionLanguageListReply, XliffImportBody, XliffImportReply } from '../../api/schemas/survey-version-languages.js'
import type { OverviewReply } from '../../api/schemas/overview.js'
import type { EnrolmentCodeBody, EnrolmentCodeReply, Tablet, TabletListReply } from '../../api/schemas/tablets.js'
import type { TestResponseBody, TestResponseDeleteReply, TestResponseListReply, TestResponseReply } from '../../api/schemas/test-responses.js'
import type { Wave, WaveCreateBody, WaveListReply, WaveUpdateBody } from '../../api/schemas/waves.js'

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
  'GET /api/kiosk/languages/:code': { reply: KioskLanguageReply }
  'GET /api/kiosk/help': { reply: KioskHelpReply }
  'GET /api/kiosk/intake-key': { reply: IntakeKeyReply }
  'GET /api/surveys/:slug/versions/:version': { reply: SurveyVersionReply }
  'POST /api/responses': { body: ResponseBody, reply: ResponseReply }
  'POST /api/test-responses': { body: TestResponseBody, reply: TestResponseReply }
  'GET /api/overview': { reply: OverviewReply }
  'GET /api/test-responses': { reply: TestResponseListReply }
  'DELETE /api/test-responses/:surveyVersionId': { reply: TestResponseDeleteReply }
  'POST /api/tablets/enrolment-codes': { body: EnrolmentCodeBody, reply: EnrolmentCodeReply }
  'PUT /api/session/language': { body: LanguageBody, reply: undefined }
  'POST /api/session/password': { body: PasswordChangeBody, reply: undefined }
  'GET /api/accounts': { reply: AccountListReply }
  'POST /api/accounts': { body: CreateAccountBody, reply: CreateAccountReply }
  'PATCH /api/accounts/:id': { body: UpdateAccountBody, reply: Account }
  'POST /api/accounts/:id/password-reset': { reply: PasswordResetReply }
  'GET /api/audit-log': { reply: AuditListReply }
  'GET /api/audit-log/verify': { reply: ChainCheckReply }
  'GET /api/help-resources': { reply: HelpResourcesReply }
  'POST /api/help-resources/lines': { body: HelpLine, reply: HelpLine }
  'PATCH /api/help-resources/lines/:id': { body: HelpLineUpdateBody, reply: HelpLine }
  'DELETE /api/help-resources/lines/:id': { reply: undefined }
  'POST /api/help-resources/crisis-centres': { body: CrisisCentreInput, reply: CrisisCentre }
  'PATCH /api/help-resources/crisis-centres/:id': { body: CrisisCentreUpdateBody, reply: CrisisCentre }
  'DELETE /api/help-resources/crisis-centres/:id': { reply: undefined }
  'PUT /api/help-resources/note': { body: HelpNote, reply: HelpNote }
  'GET /api/progress/:waveId': { reply: ProgressReply }
  'GET /api/reference/regions': { reply: RegionsReply }
  'POST /api/waves/:waveId/releases': { body: ReleaseCreateBody, reply: ReleaseDetail }
  'POST /api/waves/:waveId/releases/preview': { body: ReleaseCreateBody, reply: ReleasePreview }
  'GET /api/waves/:waveId/releases': { reply: ReleaseList }
  'GET /api/releases/:releaseId/audit': { reply: ReleaseAuditReply }
  'POST /api/releases/:releaseId/public-link': { reply: PublicLinkReply }
  'DELETE /api/releases/:releaseId/public-link': { reply: undefined }
  'GET /api/sites': { reply: SiteListReply }
  'POST /api/sites': { body: SiteCreateBody, reply: Site }
  'PATCH /api/sites/:id': { body: SiteUpdateBody, reply: Site }
  'GET /api/survey-versions': { reply: SurveyVersionListReply }
  'GET /api/survey-versions/available': { reply: AvailableDefinitionsReply }
  'GET /api/survey-versions/:id': { reply: SurveyVersionDetail }
  'POST /api/survey-versions/from-definitions': { body: PublishFromDefinitionsBody, reply: PublishReply }
  'POST /api/survey-versions': { body: PublishUploadBody, reply: PublishReply }
  'GET /api/survey-versions/:id/languages': { reply: VersionLanguageListReply }
  'POST /api/survey-versions/:id/languages/:code/review': { body: ReviewLanguageBody, reply: VersionLanguage }
  // GET /api/survey-versions/:id/languages/:code/xliff is a file download (a link), not a JSON call.
  'POST /api/survey-versions/:id/languages/:code/xliff': { body: XliffImportBody, reply: XliffImportReply }
  'GET /api/tablets': { reply: TabletListReply }
  'POST /api/tablets/:id/revoke': { reply: Tablet }
  'GET /api/waves': { reply: WaveListReply }
  'POST /api/waves': { body: WaveCreateBody, reply: Wave }
  'GET /api/waves/:id': { reply: Wave }
  'PATCH /api/waves/:id': { body: WaveUpdateBody, reply: Wave }
  'POST /api/waves/:id/open': { reply: Wave }
  'POST /api/waves/:id/close': { reply: Wave }
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
