import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { findDeviceByToken } from '../db/queries/devices.js'
import { findOpenWaveAtSite } from '../db/queries/waves.js'
import { AppError } from '../errors.js'
import { ErrorReplySchema } from '../schemas/common.js'
import { KioskHeadersSchema, KioskWaveReplySchema } from '../schemas/kiosk.js'
import { studyToday } from '../study-calendar.js'

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,128})$/

/** What a tablet asks before it shows the cover: which wave, which survey version, and whether it may. */
const kioskRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/wave', {
    schema: {
      headers: KioskHeadersSchema,
      response: { 200: KioskWaveReplySchema, ...Object.fromEntries([401, 404, 503].map((status) => [status, ErrorReplySchema])) },
    },
  }, async (request) => {
    const header = request.headers.authorization
    if (header === undefined) throw new AppError(401, 'unauthorized', 'a device token is required (Authorization: Bearer <token>)')
    const token = BEARER.exec(header)?.[1]
    const device = token === undefined ? undefined : await findDeviceByToken(fastify.db, token)
    if (device === undefined) throw new AppError(401, 'device_unknown', 'this device token is not known; enrol the tablet again')
    if (device.revoked) throw new AppError(401, 'device_revoked', 'this tablet has been revoked and can no longer be used for the survey; enrol it again with a new code')
    const wave = await findOpenWaveAtSite(fastify.db, device.siteId, studyToday(fastify.config.STUDY_TIME_ZONE))
    if (wave === undefined) throw new AppError(404, 'no_open_wave', `there is no open survey at ${device.siteName} today`)
    return { waveId: wave.waveId, siteName: device.siteName, surveyVersionId: wave.surveyVersionId, slug: wave.slug, version: wave.version }
  })
}

export default kioskRoutes
