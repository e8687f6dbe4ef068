/**
 * Whether `date` is a real calendar date written 'YYYY-MM-DD' (not 2026-02-30, not 2026-2-3). Here, in the
 * lowest layer, because the definitions' own files (help-resources.json) and the API both check dates;
 * the API reaches it through api/study-calendar.ts.
 */
export function isCalendarDate (date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date
}
