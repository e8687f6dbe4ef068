export { isCalendarDate } from '../survey-definitions/calendar-date.js'

/**
 * Dates as the study sees them: in the study's time zone, as 'YYYY-MM-DD' text. A response only ever
 * carries the ISO week of its arrival (anonymity rule 2), never the date these functions start from.
 */
export function studyToday (timeZone: string, now: Date = new Date()): string {
  // Formatting a date in a zone costs microseconds, and intake asks on every upload: the answer is kept for
  // the rest of the second it was computed in.
  const second = Math.floor(now.getTime() / 1000)
  const cached = todayCache.get(timeZone)
  if (cached !== undefined && cached.second === second) return cached.today
  let format = dayFormats.get(timeZone)
  if (format === undefined) {
    // en-CA formats as YYYY-MM-DD. Building a formatter costs far more than using one, so each zone gets one.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dayFormats.set(timeZone, format)
  }
  const today = format.format(now)
  todayCache.set(timeZone, { second, today })
  return today
}

const todayCache = new Map<string, { second: number, today: string }>()
const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** ISO 8601 week of a calendar date, as 'YYYY-Www' (the ISO week-numbering year, which may differ from the calendar year). */
export function isoWeek (date: string): string {
  const day = parseDate(date)
  const weekday = (day.getUTCDay() + 6) % 7 // Monday 0 … Sunday 6
  const thursday = new Date(day.getTime() + (3 - weekday) * DAY_MS)
  const year = thursday.getUTCFullYear()
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS))
  return `${year}-W${String(week).padStart(2, '0')}`
}

export function addDays (date: string, days: number): string {
  return new Date(parseDate(date).getTime() + days * DAY_MS).toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween (from: string, to: string): number {
  return Math.round((parseDate(to).getTime() - parseDate(from).getTime()) / DAY_MS)
}

const DAY_MS = 86_400_000

function parseDate (date: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`)
  return new Date(`${date}T00:00:00Z`)
}
