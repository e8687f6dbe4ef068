import type { Migration } from 'kysely'
import * as createSurveyVersions from './2026-11-26T0200_create_survey_versions.js'
import * as createSitesAndWaves from './2026-11-26T0210_create_sites_and_waves.js'
import * as createDevices from './2026-11-26T0220_create_devices.js'
import * as createResponses from './2026-11-26T0230_create_responses.js'
import * as responseFactsLanes from './2026-11-26T0300_response_facts_lanes.js'
import * as createEnrolmentCodes from './2026-11-26T0310_create_enrolment_codes.js'
import * as createAccountsSessionsAudit from './2026-11-26T0350_create_accounts_sessions_audit.js'
import * as createIntakeKeys from './2026-11-26T0400_create_intake_keys.js'
import * as createReleases from './2026-11-26T0410_create_releases.js'
import * as deviceUploadCounters from './2026-11-26T0420_device_upload_counters.js'
import * as createHelpResources from './2026-11-26T0430_create_help_resources.js'
import * as holdingAndTotals from './2026-12-03T0100_holding_and_totals.js'
import * as deviceDailyUploads from './2026-12-03T0110_device_daily_uploads.js'
import * as devicePlausibilityCounters from './2026-12-03T0120_device_plausibility_counters.js'
import * as keyedThrottles from './2026-12-03T0200_keyed_throttles.js'
import * as passwordMustChange from './2026-12-03T0210_password_must_change.js'
import * as releaseDisclosureAudit from './2026-12-03T0300_release_disclosure_audit.js'
import * as releaseReliability from './2026-12-04T0300_release_reliability.js'
import * as testTablets from './2026-12-04T1000_test_tablets.js'
import * as releaseRowsFormat from './2026-12-04T1100_release_rows_format.js'
import * as surveyVersionRules from './2026-12-04T1100_survey_version_rules.js'
import * as attendanceFacts from './2026-12-04T1200_attendance_facts.js'
import * as accountLanguage from './2026-12-04T1300_account_language.js'
import * as surveyVersionLanguages from './2026-12-05T1000_survey_version_languages.js'

/**
 * Every migration by name, imported statically rather than found on disk (Kysely's FileMigrationProvider),
 * so that they load the same way under tsx, vitest's global setup and any bundle. Add new ones at the end.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0200_create_survey_versions': createSurveyVersions,
  '2026-11-26T0210_create_sites_and_waves': createSitesAndWaves,
  '2026-11-26T0220_create_devices': createDevices,
  '2026-11-26T0230_create_responses': createResponses,
  '2026-11-26T0300_response_facts_lanes': responseFactsLanes,
  '2026-11-26T0310_create_enrolment_codes': createEnrolmentCodes,
  '2026-11-26T0350_create_accounts_sessions_audit': createAccountsSessionsAudit,
  '2026-11-26T0400_create_intake_keys': createIntakeKeys,
  '2026-11-26T0410_create_releases': createReleases,
  '2026-11-26T0420_device_upload_counters': deviceUploadCounters,
  '2026-11-26T0430_create_help_resources': createHelpResources,
  '2026-12-03T0100_holding_and_totals': holdingAndTotals,
  '2026-12-03T0110_device_daily_uploads': deviceDailyUploads,
  '2026-12-03T0120_device_plausibility_counters': devicePlausibilityCounters,
  '2026-12-03T0200_keyed_throttles': keyedThrottles,
  '2026-12-03T0210_password_must_change': passwordMustChange,
  '2026-12-03T0300_release_disclosure_audit': releaseDisclosureAudit,
  '2026-12-04T0300_release_reliability': releaseReliability,
  '2026-12-04T1000_test_tablets': testTablets,
  '2026-12-04T1100_release_rows_format': releaseRowsFormat,
  '2026-12-04T1100_survey_version_rules': surveyVersionRules,
  '2026-12-04T1200_attendance_facts': attendanceFacts,
  '2026-12-04T1300_account_language': accountLanguage,
  '2026-12-05T1000_survey_version_languages': surveyVersionLanguages,
}
