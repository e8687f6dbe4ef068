/**
 * The kiosk's service worker (scope /kiosk/): a tablet that loaded the kiosk once starts and runs without a
 * connection, and a later visit downloads no JavaScript.
 *
 * - The app shell (index.html and every built file) is precached at install; the list and the build id are
 *   written into this file by the build (web/kiosk/vite.config.ts), so a new build is a new worker.
 * - Hashed files and audio clips are served from the cache first. Pages go to the network first (a new build
 *   reaches the tablet), then the cached shell.
 * - What the kiosk needs to start (its wave, the survey version, a translation picked, help, the intake key, an audio manifest) goes
 *   to the network first, then the last good answer. Those answers are about the tablet and the study, never a respondent, and
 *   are written only when they change, with no headers: the cache's write times then say when the wave
 *   changed, never when someone pressed Start.
 * - Nothing else is touched: uploads (POST) and every other request go to the network as they are. Answers are
 *   never here; a completed response waits, sealed, in IndexedDB (upload-queue.ts).
 *
 * Built as its own entry and kept free of imports, so it is one classic script.
 */

interface ExtendableEvent extends Event { waitUntil: (promise: Promise<unknown>) => void }
interface FetchEvent extends ExtendableEvent { readonly request: Request, respondWith: (response: Promise<Response>) => void }
interface ClientMessageEvent extends ExtendableEvent { readonly data: unknown }
interface WorkerScope {
  addEventListener: ((type: 'install' | 'activate', listener: (event: ExtendableEvent) => void) => void) &
  ((type: 'fetch', listener: (event: FetchEvent) => void) => void) &
  ((type: 'message', listener: (event: ClientMessageEvent) => void) => void)
  skipWaiting: () => Promise<void>
  clients: { claim: () => Promise<void> }
  registration: { scope: string }
}

/** Replaced by the build with the shell's files and a digest of them. */
declare const __KIOSK_SHELL__: string[]
declare const __KIOSK_BUILD__: string

const worker = self as unknown as WorkerScope
const SCOPE = new URL(worker.registration.scope).pathname
const SHELL_CACHE = `kiosk-shell-${__KIOSK_BUILD__}`
const DATA_CACHE = 'kiosk-data'
const AUDIO_CACHE = 'kiosk-audio'
/**
 * The answers the kiosk needs to start; only these API answers are ever cached. A translation of the survey
 * (kiosk/languages/<code>) is one: fetched with the wave for every language it offers (language-packs.ts), then
 * there for a start without a connection, like the survey itself.
 */
const START_DATA = /^\/api\/(kiosk\/(wave|help|intake-key|languages\/[a-z]{2,3})|surveys\/[^/]+\/versions\/\d+)$/
/** Past this, a page load stops waiting for a network that hangs (a captive portal) and starts from the cache. */
const PAGE_TIMEOUT_MS = 4000

worker.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE)
    // The browser's HTTP cache usually has these already (the page just loaded them): no second download.
    await cache.addAll(__KIOSK_SHELL__.map((file) => `${SCOPE}${file}`))
    await worker.skipWaiting()
  })())
})

worker.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('kiosk-shell-') && name !== SHELL_CACHE) await caches.delete(name)
    await worker.clients.claim()
  })())
})

// A page whose navigation started while this worker installed, and that appeared after activate's claim (the
// enrolment's reload can), would stay uncontrolled until the next respondent: it asks, and is claimed then.
worker.addEventListener('message', (event) => {
  if (event.data === 'claim') event.waitUntil(worker.clients.claim())
})

worker.addEventListener('fetch', (event) => {
  const { request } = event
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== location.origin) return
  if (request.mode === 'navigate' && url.pathname.startsWith(SCOPE)) event.respondWith(page(request))
  else if (url.pathname.startsWith(`${SCOPE}assets/`)) event.respondWith(cacheFirst(request, SHELL_CACHE))
  else if (url.pathname.startsWith(`${SCOPE}audio/`) && url.pathname.endsWith('/manifest.json')) event.respondWith(networkFirst(request, url.origin + url.pathname, AUDIO_CACHE).then(({ response }) => response))
  else if (url.pathname.startsWith(`${SCOPE}audio/`)) event.respondWith(cacheFirst(request, AUDIO_CACHE))
  else if (START_DATA.test(url.pathname)) event.respondWith(startData(request, url, event))
})

async function page (request: Request): Promise<Response> {
  const controller = new AbortController()
  const timer = setTimeout(() => { controller.abort() }, PAGE_TIMEOUT_MS)
  try {
    return await fetch(request, { signal: controller.signal })
  } catch {
    return await caches.match(SCOPE, { cacheName: SHELL_CACHE }) ?? Response.error()
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Built files and audio, written to the cache only by the install (the shell) and by precacheAudio (a wave's
 * audio, all of it at once): a miss goes to the network and is not kept, so nothing in the cache records which
 * clip a respondent played, or when.
 */
async function cacheFirst (request: Request, cacheName: string): Promise<Response> {
  return await caches.match(request, { cacheName, ignoreSearch: true }) ?? await fetch(request)
}

/** The body and its type, without the server's headers (Date among them): a cache entry carries no time. */
async function bare (response: Response): Promise<Response> {
  return new Response(await response.blob(), { status: 200, headers: { 'content-type': response.headers.get('content-type') ?? 'application/octet-stream' } })
}

/**
 * Network first, then the last good answer. Kept by path alone (the tablet's token, in Authorization, is not
 * part of what is kept), bare, and written only when the body changed.
 */
async function networkFirst (request: Request, key: string, cacheName: string): Promise<{ response: Response, text?: string }> {
  const cache = await caches.open(cacheName)
  let response: Response
  try {
    response = await fetch(request)
  } catch {
    return { response: await cache.match(key) ?? Response.error() }
  }
  if (response.status !== 200) return { response }
  const text = await response.clone().text()
  const cached = await cache.match(key)
  if (cached === undefined || await cached.text() !== text) {
    await cache.put(key, new Response(text, { status: 200, headers: { 'content-type': response.headers.get('content-type') ?? 'application/json' } }))
  }
  return { response, text }
}

async function startData (request: Request, url: URL, event: FetchEvent): Promise<Response> {
  const key = url.origin + url.pathname
  const { response, text } = await networkFirst(request, key, DATA_CACHE)
  if (text !== undefined && url.pathname === '/api/kiosk/wave') event.waitUntil(precacheAudio(text))
  // Revoked, unknown, no open wave, or a language no longer offered (a draft on a live tablet): a start without
  // a connection must not use the old answer either.
  if (response.status === 401 || response.status === 404 || response.status === 409) await (await caches.open(DATA_CACHE)).delete(key)
  return response
}

let audioRun: Promise<void> | undefined

/**
 * Audio of the open wave's survey version, when there is any: everything its manifest.json names, fetched when
 * the worker sees the wave (never because a respondent played a clip). No manifest (404) means no audio for that
 * version, which is not an error. Clips of other versions, or no longer listed, are dropped.
 */
async function precacheAudio (waveText: string): Promise<void> {
  const wave = JSON.parse(waveText) as { slug?: unknown, version?: unknown, languages?: unknown }
  if (typeof wave.slug !== 'string' || typeof wave.version !== 'number' || audioRun !== undefined) return
  const offered = Array.isArray(wave.languages) ? wave.languages.map((language: { code?: unknown }) => String(language.code)) : undefined
  const folder = `${location.origin}${SCOPE}audio/${encodeURIComponent(wave.slug)}/v${wave.version}/`
  audioRun = (async () => {
    const { response, text } = await networkFirst(new Request(`${folder}manifest.json`), `${folder}manifest.json`, AUDIO_CACHE)
    if (response.status === 404) await caches.delete(AUDIO_CACHE)
    // Without a connection (the cached manifest, no text) nothing is dropped or fetched.
    if (text === undefined) return
    const cache = await caches.open(AUDIO_CACHE)
    const listed = new Set(offeredAudioFiles(JSON.parse(text), offered).map((file) => `${folder}${file}`))
    for (const request of await cache.keys()) {
      if (request.url !== `${folder}manifest.json` && !listed.has(request.url)) await cache.delete(request)
    }
    for (const url of listed) {
      if (await cache.match(url) !== undefined) continue
      const response = await fetch(url).catch(() => undefined)
      if (response?.status === 200) await cache.put(url, await bare(response))
    }
  })().catch(() => {}).finally(() => { audioRun = undefined })
  await audioRun
}

/**
 * The clips of the languages the wave offers this tablet: a live tablet keeps no clip of a draft it may not
 * show (nor spends the data on it). A manifest without clips by language, or a wave without its languages,
 * gives every file.
 */
function offeredAudioFiles (manifest: unknown, offered: readonly string[] | undefined): string[] {
  const clips = typeof manifest === 'object' && manifest !== null ? (manifest as { clips?: unknown }).clips : undefined
  if (offered === undefined || typeof clips !== 'object' || clips === null) return audioFiles(manifest)
  const wanted = new Set(offered)
  return audioFiles(Object.values(clips).flatMap((byLanguage: unknown) => typeof byLanguage === 'object' && byLanguage !== null
    ? Object.entries(byLanguage).filter(([code]) => wanted.has(code)).map(([, clip]) => clip as unknown)
    : []))
}

/** Every audio file the manifest mentions, wherever its format keeps them: relative paths inside the folder only. */
function audioFiles (manifest: unknown): string[] {
  const found = new Set<string>()
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (/^(?:\w[\w.-]*\/)*\w[\w.-]*\.(?:ogg|opus|oga|mp3|m4a|wav|webm)$/i.test(value) && !value.includes('..')) found.add(value)
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item)
    } else if (typeof value === 'object' && value !== null) {
      for (const item of Object.values(value)) visit(item)
    }
  }
  visit(manifest)
  return [...found]
}

export {}
