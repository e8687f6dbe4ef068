import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { findDeviceByToken } from '../db/queries/devices.js'
import type { DeviceAccess } from '../db/queries/devices.js'
import { loadHelpResourcesFromDb } from './help-resources.js'
import { findSurveyVersionById } from '../db/queries/survey-versions.js'
import { findVersionLanguage } from '../db/queries/survey-version-languages.js'
import { openWavesAtSite } from '../db/queries/waves.js'
import { kioskShows } from '../domain/upload-window.js'
import { AppError } from '../errors.js'
import type { KioskHelpReply, KioskLanguageReply, KioskWaveReply } from '../schemas/kiosk.js'
import { languageUnknown, offeredLanguages } from './survey-version-languages.js'
import type { HelpResources } from '../../survey-definitions/help-resources.js'

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,128})$/

/** The tablet an Authorization header names. @throws {AppError} 401 naming why it may not ask */
export async function authorisedDevice (db: Kysely<Database>, header: string | undefined): Promise<DeviceAccess> {
  if (header === undefined) throw new AppError(401, 'unauthorized', 'a device token is required (Authorization: Bearer <token>)')
  const token = BEARER.exec(header)?.[1]
  const device = token === undefined ? undefined : await findDeviceByToken(db, token)
  if (device === undefined) throw new AppError(401, 'device_unknown', 'this device token is not known; enrol the tablet again')
  if (device.revoked) throw new AppError(401, 'device_revoked', 'this tablet has been revoked and can no longer be used for the survey; enrol it again with a new code')
  return device
}

/**
 * The wave the tablet shows today (kioskShows in api/domain/upload-window.ts). If several at its site
 * qualify, the one that opened last wins, then the lowest id: a predictable rule for overlapping waves.
 * With the languages the tablet may offer (offeredLanguages: a live tablet reviewed ones only).
 * @throws {AppError} 401 as authorisedDevice, 404 no_open_wave
 */
export async function kioskWave (db: Kysely<Database>, header: string | undefined, today: string): Promise<KioskWaveReply> {
  const shown = await shownVersion(db, header, today)
  return { ...shown, languages: await offeredLanguages(db, shown.surveyVersionId, shown.mode) }
}

async function shownVersion (db: Kysely<Database>, header: string | undefined, today: string): Promise<Omit<KioskWaveReply, 'languages'>> {
  const device = await authorisedDevice(db, header)
  if (device.testSurveyVersionId !== null) {
    const version = await findSurveyVersionById(db, device.testSurveyVersionId)
    if (version === undefined) throw new Error(`test tablet's survey version ${device.testSurveyVersionId} does not exist`)
    return {
      mode: 'test', waveId: null, siteName: device.siteName, surveyVersionId: version.id, slug: version.slug, version: version.version, privacyCheckBefore: version.rules.privacyCheckBefore,
    }
  }
  const wave = (await openWavesAtSite(db, device.siteId)).find((candidate) => kioskShows(candidate, today))
  if (wave === undefined) throw new AppError(404, 'no_open_wave', `there is no open survey at ${device.siteName} today`)
  return {
    mode: 'live', waveId: wave.waveId, siteName: device.siteName, surveyVersionId: wave.surveyVersionId, slug: wave.slug, version: wave.version, privacyCheckBefore: wave.privacyCheckBefore,
  }
}

/**
 * One language of the version the tablet shows (its wave's, or a test tablet's own), fetched by the kiosk with
 * the wave. bokmål and English are in the survey JSON itself, so they are not here (404 as any other).
 * @throws {AppError} 401 as authorisedDevice, 404 no_open_wave or language_unknown, 409 language_not_reviewed
 *   when a live tablet asks for a draft
 */
export async function kioskLanguage (db: Kysely<Database>, header: string | undefined, code: string, today: string): Promise<KioskLanguageReply> {
  const shown = await shownVersion(db, header, today)
  const version = { id: shown.surveyVersionId, slug: shown.slug, version: shown.version }
  const row = await findVersionLanguage(db, version.id, code)
  if (row === undefined) throw languageUnknown(version, code)
  if (shown.mode === 'live' && row.status !== 'reviewed') {
    throw new AppError(409, 'language_not_reviewed', `${row.name} (${code}) is a draft for ${version.slug} v${version.version}; a live wave offers reviewed languages only`)
  }
  return { code: row.code, name: row.name, direction: row.direction, status: row.status, surveyVersionId: version.id, strings: row.strings }
}

/** Where to get help, the tablet's county first. Kept in the database and edited in the console (api/services/help-resources.ts). */
export async function kioskHelp (db: Kysely<Database>, header: string | undefined): Promise<KioskHelpReply> {
  const device = await authorisedDevice(db, header)
  return helpForCounty(await loadHelpResourcesFromDb(db), device.countyNumber)
}

/** The site's county first (even with no centre checked there yet), then every other county that has one. */
export function helpForCounty (resources: HelpResources, county: string): KioskHelpReply {
  const centresIn = (number: string) => resources.crisisCentres
    .filter((centre) => centre.county === number)
    .map(({ name, checked, activeSubstanceUse }) => ({ name, checked, activeSubstanceUse }))
  const own = resources.counties.find((entry) => entry.number === county)
  const others = resources.counties.filter((entry) => entry.number !== county && centresIn(entry.number).length > 0)
  const counties = [...(own === undefined ? [] : [own]), ...others].map((entry) => ({ ...entry, centres: centresIn(entry.number) }))
  return { siteCounty: county, lines: resources.lines, counties, note: resources.note }
}
