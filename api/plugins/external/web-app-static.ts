import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/** The browser apps, each built by `npm run build:web` from web/<app>/vite.config.ts into dist/<app>/. */
export const WEB_APPS = ['kiosk', 'console', 'results'] as const
export type WebApp = typeof WEB_APPS[number]

export const webAppDist = (app: WebApp): string => fileURLToPath(new URL(`../../../dist/${app}/`, import.meta.url))

export interface WebAppStaticOptions {
  app: WebApp
  /** Where the built files are; dist/<app>/ unless a test says otherwise. */
  root?: string
}

/**
 * Serves a built app at /<app>/. Hashed assets are cached for a year; everything else (index.html, a service
 * worker) is revalidated on each load so a new build reaches every browser. Without a build, /<app>/ says how
 * to make one. Registered once per app, encapsulated, so each has its own static handler.
 */
export default async function webAppStatic (fastify: FastifyInstance, { app, root = webAppDist(app) }: WebAppStaticOptions): Promise<void> {
  const prefix = `/${app}/`
  fastify.get(`/${app}`, { config: { access: 'public' } }, async (_request, reply) => await reply.redirect(prefix, 301))
  if (!existsSync(root)) {
    // Everything under the prefix, not only its page, so that every request for the app stays in this
    // plugin's context (and its log level) built or not.
    fastify.get(`${prefix}*`, { config: { access: 'public' } }, async (_request, reply) =>
      await reply.code(503).type('text/plain; charset=utf-8').send(`The ${app} app is not built: run npm run build:web (npm start does it).\n`))
    return
  }
  await fastify.register(fastifyStatic, {
    root,
    prefix,
    index: 'index.html',
    wildcard: true,
    decorateReply: false,
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
    },
  })
}
