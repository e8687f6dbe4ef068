import { BOTH } from './i18n.js'
import { fetchHelp, fetchIntakeKey, fetchSurvey, fetchWave } from './api.js'
import { importIntakeKey } from './seal.js'
import type { IntakeKey } from './seal.js'
import { HOME, TOKEN_KEY, state } from './state.js'
import { Uploader, waitingCount } from './upload-queue.js'

/** Sealing and the queue need WebCrypto and IndexedDB (a secure context): without them, the old in-memory send. */
export const CAN_SEAL = globalThis.isSecureContext && crypto.subtle !== undefined && typeof indexedDB !== 'undefined'
/** How long the respondent's "send" waits for the server before the thank-you says the answers will follow. */
export const SEND_WAIT_MS = 8000
export const uploader = CAN_SEAL ? new Uploader(() => localStorage.getItem(TOKEN_KEY), () => { drawStaffStatus() }) : undefined

export function loadIntakeKey (): Promise<IntakeKey | undefined> {
  const key = fetchIntakeKey().then(importIntakeKey).catch(() => undefined)
  key.then((loaded) => { if (loaded === undefined && state.intakeKey === key) state.intakeKey = undefined }, () => {})
  return key
}

/** The staff's status, where it is open (showStaffStatus): how many responses wait to be sent; no time, no content. */
export function drawStaffStatus (): void {
  const line = document.querySelector('[data-testid="staff-status"]')
  if (line === null) return
  if (!CAN_SEAL) { line.textContent = BOTH.staffNoQueue; return }
  waitingCount().then((waiting) => { line.textContent = BOTH.staffStatus(waiting) }, () => { line.textContent = '' })
}

/**
 * The service worker (sw.ts) caches the kiosk and what it needs to start. On the first visit the page was
 * loaded before the worker took control, so what it fetched then is fetched once more through the worker.
 */
export function startOffline (): void {
  uploader?.flush().catch(() => {})
  if (!('serviceWorker' in navigator)) return
  const hadController = navigator.serviceWorker.controller !== null
  // updateViaCache 'all': the browser's check for a new worker revalidates sw.js (304 when unchanged), no download.
  navigator.serviceWorker.register(`${HOME}sw.js`, { scope: HOME, updateViaCache: 'all' }).catch(() => {})
  if (hadController) return
  navigator.serviceWorker.ready.then((registration) => {
    if (navigator.serviceWorker.controller === null) registration.active?.postMessage('claim')
  }, () => {})
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    const token = localStorage.getItem(TOKEN_KEY)
    if (token === null) return
    fetchWave(token).then(async (wave) => await fetchSurvey(wave.slug, wave.version)).catch(() => {})
    fetchHelp(token).catch(() => {})
    fetchIntakeKey().catch(() => {})
  }, { once: true })
}
