import helmet from 'helmet'
import fp from 'fastify-plugin'

/** One year, the minimum the HSTS preload list asks for. */
const HSTS = 'max-age=31536000; includeSubDomains'

/**
 * Security headers on every answer, the 404 and errors included. The content security policy is written
 * for the web apps to come (kiosk, console, results), served from this origin as built files: scripts,
 * styles and fonts from 'self' only, no inline script or style (so no 'unsafe-inline', no nonces), calls
 * to this API only, never framed, forms post here only. No Referer leaves a page (rule 1: a kiosk address
 * must not travel to another site).
 *
 * HSTS is sent only when the request arrived over TLS, as Fastify sees it: `request.protocol` is 'https'
 * when the socket is encrypted (Node serving TLS itself), or, only if `trustProxy` is configured, when a
 * trusted proxy says so in X-Forwarded-Proto. With the default `trustProxy: false` a client cannot forge
 * it. Over plain http (development on 127.0.0.1) it is never sent, since a browser would then refuse plain
 * http for that host for a year. Behind a TLS-terminating proxy without `trustProxy`, the proxy sets HSTS.
 *
 * The helmet middleware is built once here and run on every request's raw response: @fastify/helmet builds
 * it anew per request, which cost 2 % of intake's CPU (parsing the policy each time).
 * @see https://helmetjs.github.io/
 */
export default fp(async (fastify) => {
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        // data: for images only (icons in the built CSS); never for scripts, styles or frames.
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
    // Same-origin apps only: no cross-origin window, resource or embedding.
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  })
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS)
    securityHeaders(request.raw, reply.raw, (error?: unknown) => { done(error instanceof Error ? error : undefined) })
  })
}, { name: 'helmet' })
