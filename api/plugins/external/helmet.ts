import helmet from 'helmet'
import fp from 'fastify-plugin'

export interface SecurityHeaderOptions {
  /** Seconds for Strict-Transport-Security; 0 (the default) sends none. */
  hstsMaxAge?: number
}

/**
 * Security headers on every answer, the 404 and errors included. The content security policy is written
 * for the web apps to come (kiosk, console, results), served from this origin as built files: scripts,
 * styles and fonts from 'self' only, no inline script or style (so no 'unsafe-inline', no nonces), calls
 * to this API only, never framed, forms post here only. No Referer leaves a page (rule 1: a kiosk address
 * must not travel to another site).
 *
 * HSTS only when the operator configures it (HSTS_MAX_AGE): the API itself speaks plain http and cannot tell
 * whether a TLS-terminating proxy stands in front of it, and on a laptop's 127.0.0.1 a browser that kept HSTS
 * would refuse plain http to that host for as long as it says. Once configured it is on every answer; browsers
 * ignore it over plain http (RFC 6797 §8.1), so only the https origin in front of the API is pinned.
 *
 * Every /api answer is `Cache-Control: no-store` (a session's CSRF token, results, tablets, a device's wave:
 * nothing for a shared cache or the browser's disk), unless its route says otherwise (the intake public key).
 * The web apps' files set their own caching (api/plugins/external/web-app-static.ts).
 *
 * The helmet middleware is built once here and run on every request's raw response: @fastify/helmet builds
 * it anew per request, which cost 2 % of intake's CPU (parsing the policy each time).
 * @see https://helmetjs.github.io/
 */
export default fp<SecurityHeaderOptions>(async (fastify, { hstsMaxAge = 0 }) => {
  const hsts = hstsMaxAge > 0 ? `max-age=${hstsMaxAge}; includeSubDomains` : undefined
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
    if (hsts !== undefined) reply.header('strict-transport-security', hsts)
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store')
    securityHeaders(request.raw, reply.raw, (error?: unknown) => { done(error instanceof Error ? error : undefined) })
  })
}, { name: 'helmet' })
