import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { findDeviceByToken } from '../db/queries/devices.js'
import { findOpenWaveAtSite } from '../db/queries/waves.js'
import { AppError } from '../errors.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { intakeKeyring } from '../intake/sealed-envelope.js'
import { IntakeKeyReplySchema, KioskHeadersSchema, KioskHelpReplySchema, KioskWaveReplySchema } from '../schemas/kiosk.js'
import type { KioskHelpReply } from '../schemas/kiosk.js'
import type { DeviceAccess } from '../db/queries/devices.js'
import { loadHelpResourcesFromDb } from '../db/queries/help-resources.js'
import type { HelpResources } from '../../survey-definitions/help-resources.js'
import { studyToday } from '../study-calendar.js'

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,128})$/

/** What a tablet asks before it shows the cover: which wave, which survey version, and whether it may. */
const kioskRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/wave', {
    config: { access: 'device' },
    schema: {
      headers: KioskHeadersSchema,
      response: { 200: KioskWaveReplySchema, ...Object.fromEntries([401, 404, 503].map((status) => [status, ErrorReplySchema])) },
    },
  }, async (request) => {
    const device = await authorisedDevice(request.headers.authorization)
    const wave = await findOpenWaveAtSite(fastify.db, device.siteId, studyToday(fastify.config.STUDY_TIME_ZONE))
    if (wave === undefined) throw new AppError(404, 'no_open_wave', `there is no open survey at ${device.siteName} today`)
    return { waveId: wave.waveId, siteName: device.siteName, surveyVersionId: wave.surveyVersionId, slug: wave.slug, version: wave.version }
  })

  fastify.get('/help', {
    config: { access: 'device' },
    schema: {
      headers: KioskHeadersSchema,
      response: { 200: KioskHelpReplySchema, ...Object.fromEntries([401, 503].map((status) => [status, ErrorReplySchema])) },
    },
  }, async (request) => {
    const device = await authorisedDevice(request.headers.authorization)
    // Kept in the database and edited in the console (api/routes/help-resources.ts).
    return helpForCounty(await loadHelpResourcesFromDb(fastify.db), device.countyNumber)
  })

  // The intake key pair is made at start-up when the database has none, so the first tablet never waits for it.
  // A database that is away at start-up is not fatal: the first tablet to ask makes the pair then.
  fastify.addHook('onReady', async () => {
    await intakeKeyring(fastify.db).publicKey().catch((error: unknown) => {
      fastify.log.warn({ errName: error instanceof Error ? error.name : 'unknown' }, 'the intake key could not be prepared at start-up; it will be made on first use')
    })
  })

  /**
   * The public key a tablet seals each completed response with before it stores it (rule 5). Public: it is a
   * public key, and a tablet that lost its token must still be able to seal what a respondent just finished.
   */
  fastify.get('/intake-key', {
    config: { access: 'public' },
    schema: { response: { 200: IntakeKeyReplySchema, 503: ErrorReplySchema } },
  }, async (_request, reply) => {
    // Asked on every start; the kiosk's service worker keeps the last answer for starts without a connection.
    reply.header('cache-control', 'no-cache')
    return await intakeKeyring(fastify.db).publicKey()
  })

  async function authorisedDevice (header: string | undefined): Promise<DeviceAccess> {
    if (header === undefined) throw new AppError(401, 'unauthorized', 'a device token is required (Authorization: Bearer <token>)')
    const token = BEARER.exec(header)?.[1]
    const device = token === undefined ? undefined : await findDeviceByToken(fastify.db, token)
    if (device === undefined) throw new AppError(401, 'device_unknown', 'this device token is not known; enrol the tablet again')
    if (device.revoked) throw new AppError(401, 'device_revoked', 'this tablet has been revoked and can no longer be used for the survey; enrol it again with a new code')
    return device
  }
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

export default kioskRoutes
