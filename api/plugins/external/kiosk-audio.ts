import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { definitionsDir } from '../../../survey-definitions/index.js'

export interface KioskAudioOptions {
  /** Where the instruments are; survey-definitions/ unless a test says otherwise. */
  dir?: string
}

/** Only what the generator writes: a version's manifest and its hashed clips (never a recording's source). */
const SERVED = /^\/v[1-9][0-9]*\/(manifest\.json|(rec-)?[0-9a-f]{16}\.opus)$/

/**
 * The audio of each instrument at /kiosk/audio/<slug>/v<N>/…, from survey-definitions/<slug>/audio/ (see
 * survey-definitions/audio-manifest.ts). A clip's name is a hash of what it says, so it is cached for a year;
 * manifest.json is revalidated on each load, so a regenerated version reaches the tablets. Under /kiosk/ so the
 * kiosk's service worker (scope /kiosk/) can keep it for offline use; media from 'self' is within the CSP.
 */
export default async function kioskAudio (fastify: FastifyInstance, { dir = definitionsDir }: KioskAudioOptions): Promise<void> {
  for (const slug of existsSync(dir) ? readdirSync(dir) : []) {
    const root = join(dir, slug, 'audio')
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || !existsSync(root)) continue
    await fastify.register(fastifyStatic, {
      root,
      prefix: `/kiosk/audio/${slug}/`,
      wildcard: true,
      index: false,
      list: false,
      decorateReply: false,
      allowedPath: (path) => SERVED.test(path),
      setHeaders: (reply, path) => {
        if (path.endsWith('.opus')) reply.header('content-type', 'audio/ogg; codecs=opus')
        reply.header('cache-control', path.endsWith('.opus') ? 'public, max-age=31536000, immutable' : 'no-cache')
      },
    })
  }
}
