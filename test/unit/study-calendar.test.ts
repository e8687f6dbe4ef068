import { describe, expect, it } from 'vitest'
import { addDays, isoWeek, studyToday } from '../../api/study-calendar.js'

describe('study calendar', () => {
  it('gives ISO weeks, including the weeks that belong to the neighbouring year', () => {
    expect(isoWeek('2026-11-26')).toBe('2026-W48')
    expect(isoWeek('2021-01-03')).toBe('2020-W53') // a Sunday still in the last ISO week of 2020
    expect(isoWeek('2021-01-04')).toBe('2021-W01')
    expect(isoWeek('2024-12-30')).toBe('2025-W01') // a Monday already in week 1 of 2025
    expect(isoWeek('2026-01-01')).toBe('2026-W01')
  })

  it('reckons today in the study\'s time zone, not the server\'s', () => {
    const lateEvening = new Date('2026-06-30T22:30:00Z') // 00:30 on 1 July in Oslo (UTC+2)
    expect(studyToday('Europe/Oslo', lateEvening)).toBe('2026-07-01')
    expect(studyToday('UTC', lateEvening)).toBe('2026-06-30')
  })

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })

  it('refuses a malformed date by name', () => {
    expect(() => isoWeek('26/11/2026')).toThrow(/not a YYYY-MM-DD date: 26\/11\/2026/)
  })
})
