import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable } from 'kysely'
import type { JsonObject } from '../../survey-definitions/index.js'
import type { IndicatorMap } from '../../survey-definitions/indicator-map.js'
import type { VersionRules } from '../../survey-definitions/instrument.js'
import type { BaseLanguage, Direction, LanguageStatus } from '../../survey-definitions/languages.js'
import type { StoredReleaseRowV1 } from './release-rows.js'
import type { StoredDifferenceV1, StoredDisclosureAuditV1, StoredRespondentRowV1, StoredTableSpecV1 } from './release-content.js'
import type { Role } from '../auth/roles.js'
import type { ReleaseMethod, UnreliablePolicy } from '../schemas/releases.js'

/** A calendar date as 'YYYY-MM-DD': both engines are told to return dates as text, never as a local-time Date. */
type DateText = ColumnType<string, string, string>
type CreatedAt = ColumnType<Date, never, never>

export type SurveyAnswers = Record<string, unknown>

export const SITE_KINDS = ['municipal_low_threshold', 'specialist_treatment', 'housing', 'street_outreach', 'other'] as const
export type SiteKind = typeof SITE_KINDS[number]

export const WAVE_STATUSES = ['planned', 'open', 'closed'] as const
export type WaveStatus = typeof WAVE_STATUSES[number]

export interface SurveyVersionTable {
  id: Generated<number>
  slug: string
  version: number
  definition: JSONColumnType<JsonObject>
  indicator_map: JSONColumnType<IndicatorMap>
  /** What the instrument states for this version (survey-definitions/instrument.ts), frozen with it. */
  rules: JSONColumnType<VersionRules>
  checksum: string
  published_at: CreatedAt
}

/**
 * A further language of a survey version (survey-definitions/languages.ts): frozen words (checksum, as
 * survey-definitions/translation-files.ts computes it), a status that may only go from draft to reviewed.
 */
export interface SurveyVersionLanguageTable {
  survey_version_id: number
  code: string
  /** The language's name in its own script, for the kiosk's picker. */
  name: string
  direction: Direction
  status: LanguageStatus
  reviewed_by: string | null
  reviewed_on: ColumnType<string | null, string | null, string | null>
  /** The base language the translator worked from. */
  source: BaseLanguage
  /** Key → text (translationKeys in survey-definitions/languages.ts). */
  strings: JSONColumnType<Record<string, string>>
  checksum: string
}

/** One row per indicator name ever published; its id is the indicator's index in response_facts.indicator_values (and fixes its lane). */
export interface IndicatorTable {
  id: Generated<number>
  name: string
}

export interface SiteTable {
  id: Generated<string>
  name: string
  kind: SiteKind
  municipality_number: string
  county_number: string
  centrality: number
  created_at: CreatedAt
}

export interface WaveTable {
  id: Generated<string>
  name: string
  survey_version_id: number
  opens_on: DateText
  closes_on: DateText
  grace_days: Generated<number>
  status: Generated<WaveStatus>
  created_at: CreatedAt
}

export interface WaveSiteTable {
  wave_id: string
  site_id: string
  target_responses: number | null
}

export interface DeviceTable {
  id: Generated<string>
  site_id: string
  token_hash: string
  label: string
  enrolled_at: CreatedAt
  revoked_at: Date | null
  /** Study-calendar date ('YYYY-MM-DD') of the last accepted upload; maintained by intake. */
  last_upload_on: string | null
  /** New responses accepted from this tablet (duplicates not counted); maintained by intake. */
  upload_count: Generated<number>
  /** Intake's per-device rate limit: the current one-minute window and the uploads counted in it. */
  rate_window_start: Date | null
  rate_window_uploads: Generated<number>
  /** New responses accepted on the study day `last_upload_on`: the daily cap's count; maintained by intake. */
  day_uploads: Generated<number>
  /** Responses whose every answer was a missing-value code ("prefer not to say"); maintained by intake. */
  prefer_not_only_uploads: Generated<number>
  /** Responses equal to the tablet's previous one; maintained by intake. */
  repeated_uploads: Generated<number>
  /** 8 bits of an HMAC (holding key) of the latest response's answers: see the migration. */
  last_answers_tag: number | null
  /** Set for a test tablet: the survey version it tries; it never sends live responses (see the migration). */
  test_survey_version_id: number | null
}

export interface EnrolmentCodeTable {
  id: Generated<string>
  site_id: string
  code_hash: string
  label: string | null
  created_at: CreatedAt
  expires_at: Date
  used_at: Date | null
  device_id: string | null
  /** Set for a code that enrols a test tablet for this survey version. */
  test_survey_version_id: number | null
}

export interface EnrolmentFailureTable {
  scope: 'source' | 'prefix'
  /** A keyed hash (64 hex characters) of the address or of the code's first characters. */
  key: string
  attempted_at: Generated<Date>
}

export interface AccountTable {
  id: Generated<string>
  email: string
  role: Role
  site_id: string | null
  password_hash: string
  totp_secret: string | null
  /** bigint: read back as text on PostgreSQL, as a number on PGlite; compare in SQL or through Number(). */
  totp_last_step: ColumnType<string | number | null, number | null, number | null>
  created_at: CreatedAt
  disabled_at: Date | null
  /** Set by an admin's reset: the next session may do nothing but choose a new password. */
  password_must_change: Generated<boolean>
  /** The console's language the account chose; null until it chooses (README, "Console"). */
  language: ConsoleLanguage | null
}

/** The console's two languages: bokmål and English. */
export type ConsoleLanguage = 'nb' | 'en'

export interface SessionTable {
  token_hash: string
  account_id: string
  csrf_token: string
  created_at: CreatedAt
  last_seen_at: ColumnType<Date, Date | undefined, Date>
  expires_at: Date
}

export interface LoginFailureTable {
  scope: 'pair' | 'source' | 'account' | 'device'
  /** A keyed hash (64 hex characters): never an e-mail address or an address in clear. */
  key: string
  attempted_at: Generated<Date>
}

export interface ServerSecretTable {
  name: string
  value: string
}

/** Append-only and hash-chained (see the migration and api/services/audit-log.ts). */
export interface AuditLogTable {
  seq: ColumnType<string | number, number, never>
  at: ColumnType<Date, Date, never>
  actor_id: string | null
  actor_email: string | null
  actor_role: string | null
  action: string
  object_type: string | null
  object_id: string | null
  detail: JSONColumnType<Record<string, unknown>>
  prev_hash: string
  hash: string
}

// --- help resources (migration 2026-11-26T0430) ---
export type ActiveUsePolicyCode = 'yes' | 'case_by_case' | 'no' | 'not_checked'

/** One row (id 1) once help-resources.json was imported; holds the note shown under the list. */
export interface HelpResourcesMetaTable {
  id: number
  note_nb: string
  note_en: string
  imported_at: Generated<Date>
}

export interface HelpLineTable {
  id: string
  position: number
  kind: 'phone' | 'web'
  contact: string
  name_nb: string
  name_en: string
  description_nb: string
  description_en: string
  checked: DateText
}

export interface CrisisCentreTable {
  id: Generated<string>
  name: string
  county_number: string
  checked: DateText
  policy_women: ActiveUsePolicyCode
  policy_men: ActiveUsePolicyCode
  source: string
}
// --- end help resources ---

// --- results releases (migration 2026-11-26T0410) ---
/** A frozen results release of one wave: aggregates only (see the migration and api/services/releases.ts). */
export interface ResultsReleaseTable {
  id: Generated<string>
  wave_id: string
  released_by: string | null
  released_at: CreatedAt
  k: number
  method: ReleaseMethod
  strata: 'county' | null
  level: number
  unreliable: Generated<UnreliablePolicy>
  /** Attendance weights or none (migration 2026-12-04T1200). */
  weights: Generated<'none' | 'attendance'>
  /** Whether respondents who said they had already answered were counted. */
  repeats: Generated<'exclude' | 'include'>
  /** Respondents of the wave who said they had already answered in this round, at the release. */
  answered_before: Generated<number>
  respondents: number | null
  table_count: number
  source: string
  /*
   * The frozen columns are in the format result_rows_format names (api/db/release-rows.ts for result_rows,
   * api/db/release-content.ts for the other four), never the reply types.
   */
  table_specs: JSONColumnType<StoredTableSpecV1[]>
  respondent_rows: JSONColumnType<StoredRespondentRowV1[]>
  result_rows: JSONColumnType<StoredReleaseRowV1[]>
  /** The format of the whole release row: of result_rows and of the other frozen columns. */
  result_rows_format: number
  differences: JSONColumnType<StoredDifferenceV1[]>
  disclosure_audit: JSONColumnType<StoredDisclosureAuditV1 | null, string | null, string | null> | null
  superseded_by: string | null
  superseded_at: Date | null
  public_token_hash: string | null
  public_link_created_at: Date | null
}
// --- end results releases ---

/** No serial key, no timestamp, no device: ARCHITECTURE.md, anonymity rules 1–3. */
export interface ResponseTable {
  id: string
  wave_id: string
  site_id: string
  survey_version_id: number
  iso_week: string
  answers: JSONColumnType<SurveyAnswers>
}

export interface ResponseFactTable {
  response_id: string
  wave_id: string
  site_id: string
  survey_version_id: number
  iso_week: string
  gender: string | null
  age_group: string | null
  /** Indexed by indicators.id (1-based): true yes, false no, null missing or not in this version. */
  indicator_values: Array<boolean | null>
  /**
   * Bit-packed lanes derived from indicator_values (api/db/fact-lanes.ts): three indicators per int8 in
   * 21-bit fields, 1 where the value is yes (yes_lanes) or known (known_lanes). Written as numbers (each
   * below 2^43); read back as int8 text on PostgreSQL and as numbers on PGlite, so read them in SQL only.
   */
  yes_lanes: ColumnType<Array<string | number>, number[], number[]>
  known_lanes: ColumnType<Array<string | number>, number[], number[]>
  /** Visits to the site in 7 days the attendance answer stands for (the weight is 1 / visits); null unknown. */
  visits: number | null
  /** Said "already answered in this round": kept, left out of estimates unless a release includes them. */
  answered_before: Generated<boolean>
}

/**
 * An accepted upload waiting for its wave's mix, sealed under the holding key (api/sealing/holding-key.ts), which
 * is not in the database; keyed by an HMAC of the response id, never the id. See the migration.
 */
export interface HeldResponseTable {
  id_digest: string
  wave_id: string
  site_id: string
  iso_week: string
  key_id: string
  sealed: Buffer
}

/** Per wave, site, gender and age group: respondents and, indexed by indicators.id, the yes and known counts. */
export interface ResponseTotalTable {
  wave_id: string
  site_id: string
  gender: string | null
  age_group: string | null
  /** As response_facts: the weight class and the repeat answer split a cell too. */
  visits: number | null
  answered_before: Generated<boolean>
  responses: number
  yes_counts: number[]
  known_counts: number[]
}

// --- intake keys (engineer A, migration 2026-11-26T0400) ---
/** The RSA-OAEP key pairs tablets seal responses with; base64 DER (SPKI / PKCS#8). One row is current. */
export interface IntakeKeyTable {
  key_id: string
  public_key_spki: string
  private_key_pkcs8: string
  is_current: Generated<boolean>
  created_at: CreatedAt
}
// --- end intake keys ---

/**
 * What a test tablet sent: kept apart from `responses`, never read by results, releases or exports, deleted on
 * demand. No device, site or time (see the migration).
 */
export interface TestResponseTable {
  id: string
  survey_version_id: number
  answers: JSONColumnType<SurveyAnswers>
}

export interface Database {
  survey_versions: SurveyVersionTable
  survey_version_languages: SurveyVersionLanguageTable
  indicators: IndicatorTable
  sites: SiteTable
  waves: WaveTable
  wave_sites: WaveSiteTable
  devices: DeviceTable
  enrolment_codes: EnrolmentCodeTable
  enrolment_failures: EnrolmentFailureTable
  accounts: AccountTable
  sessions: SessionTable
  login_failures: LoginFailureTable
  server_secrets: ServerSecretTable
  audit_log: AuditLogTable
  responses: ResponseTable
  response_facts: ResponseFactTable
  held_responses: HeldResponseTable
  response_totals: ResponseTotalTable
  help_resources_meta: HelpResourcesMetaTable
  help_lines: HelpLineTable
  crisis_centres: CrisisCentreTable
  intake_keys: IntakeKeyTable
  results_releases: ResultsReleaseTable
  test_responses: TestResponseTable
}

export type SurveyVersionRow = Selectable<SurveyVersionTable>
export type SurveyVersionLanguageRow = Selectable<SurveyVersionLanguageTable>
export type NewSurveyVersionLanguage = Insertable<SurveyVersionLanguageTable>
export type SiteRow = Selectable<SiteTable>
export type NewSite = Insertable<SiteTable>
export type WaveRow = Selectable<WaveTable>
export type NewWave = Insertable<WaveTable>
export type DeviceRow = Selectable<DeviceTable>
export type EnrolmentCodeRow = Selectable<EnrolmentCodeTable>
export type AccountRow = Selectable<AccountTable>
export type AuditLogRow = Selectable<AuditLogTable>
