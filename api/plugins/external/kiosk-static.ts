import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** Where `npm run build:web` writes the kiosk (vite.config.ts in web/kiosk). */
export const KIOSK_DIST = fileURLToPath(new URL('../../../dist/kiosk/', import.meta.url))

/**
 * Serves the built kiosk at /kiosk/. Hashed assets are cached for a year; index.html is revalidated on each
 * load so a new build reaches the tablets. Without a build, /kiosk/ says how to make one.
 */
export default fp<{ root?: string }>(async (fastify: FastifyInstance, { root = KIOSK_DIST }) => {
  fastify.get('/kiosk', async (_request, reply) => await reply.redirect('/kiosk/', 301))
  if (!existsSync(root)) {
    fastify.get('/kiosk/', async (_request, reply) =>
      await reply.code(503).type('text/plain; charset=utf-8').send('The kiosk is not built: run npm run build:web (npm start does it).\n'))
    return
  }
  await fastify.register(fastifyStatic, {
    root,
    prefix: '/kiosk/',
    index: 'index.html',
    wildcard: true,
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
    },
  })
}, { name: 'kiosk-static' })
