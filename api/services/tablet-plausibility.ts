/**
 * Signs that a tablet's uploads are not real respondents (a stolen token filling a wave with fakes), from the
 * counters intake keeps on the device row; the console shows them beside the tablet with revoke one click away.
 * Counts only: nothing here is stored with, or says anything about, any one response.
 */
export const UPLOAD_WARNINGS = ['many_today', 'prefer_not_only', 'repeated'] as const
export type UploadWarning = typeof UPLOAD_WARNINGS[number]

export interface UploadCounters {
  uploadCount: number
  /** New responses on the study day lastUploadOn. */
  dayUploads: number
  lastUploadOn: string | null
  preferNotOnlyUploads: number
  repeatedUploads: number
}

/**
 * many_today: today's new responses reach a quarter of the daily cap (at least 20), far beyond a drop-in centre's
 * day; prefer_not_only: at least 3 responses, and half of all, answered every question with "prefer not to say";
 * repeated: at least 3 responses, and a quarter of all, were exactly the tablet's previous response again.
 */
export function uploadWarnings (counters: UploadCounters, today: string, uploadsPerDay: number): UploadWarning[] {
  const warnings: UploadWarning[] = []
  if (counters.lastUploadOn === today && counters.dayUploads >= Math.max(20, Math.ceil(uploadsPerDay / 4))) warnings.push('many_today')
  if (counters.preferNotOnlyUploads >= 3 && counters.preferNotOnlyUploads * 2 >= counters.uploadCount) warnings.push('prefer_not_only')
  if (counters.repeatedUploads >= 3 && counters.repeatedUploads * 4 >= counters.uploadCount) warnings.push('repeated')
  return warnings
}
