import type { WaveStatus } from '../db/database.js'
import { addDays } from '../study-calendar.js'

/**
 * When a tablet may send a response to a wave, and when it starts new respondents: the one definition that
 * intake's refusals (services/intake.ts), its batched insert (db/queries/responses.ts, in SQL), the week's mix
 * (db/queries/held-responses.ts) and the kiosk's choice of wave (services/kiosk.ts) all follow.
 * test/db/upload-window.test.ts checks the SQL against the TypeScript on a grid of cases on both engines.
 *
 * Dates are the study's calendar dates, 'YYYY-MM-DD' (they compare as text), `today` in the study's time zone.
 */
export interface WaveWindow {
  status: WaveStatus
  opensOn: string
  closesOn: string
  /** Days after the close date that late uploads (answers given while it was open, sent later) are taken. */
  graceDays: number
}

/** The last study day a tablet may upload to the wave: its close date plus its grace days. */
export function lastUploadDay (wave: Pick<WaveWindow, 'closesOn' | 'graceDays'>): string {
  return addDays(wave.closesOn, wave.graceDays)
}

export type UploadWindow = 'not_open_yet' | 'open' | 'over'

/**
 * Uploads are taken from the opening date through the last upload day, while the wave is open or closed
 * (closing a wave stops new respondents, not the tablets still sending what was answered before). A planned
 * wave takes nothing, whatever its dates.
 */
export function uploadWindow (wave: WaveWindow, today: string): UploadWindow {
  if (wave.status === 'planned' || today < wave.opensOn) return 'not_open_yet'
  if (today > lastUploadDay(wave)) return 'over'
  return 'open'
}

/**
 * Whether a tablet starts new respondents on the wave today: open, and between its opening and close dates
 * (the grace days are for sending, not for answering). Always inside the upload window.
 */
export function kioskShows (wave: WaveWindow, today: string): boolean {
  return wave.status === 'open' && wave.opensOn <= today && today <= wave.closesOn
}

/** `lastUploadDay` in SQL, over the `waves` row aliased `wave`. */
export function lastUploadDaySql (wave: string): string {
  return `(${wave}.closes_on + ${wave}.grace_days)`
}

/** `uploadWindow(…) === 'open'` in SQL, over the `waves` row aliased `wave` and the date expression `today`. */
export function uploadWindowOpenSql (wave: string, today: string): string {
  return `(${wave}.status <> 'planned' and ${wave}.opens_on <= ${today} and ${lastUploadDaySql(wave)} >= ${today})`
}
