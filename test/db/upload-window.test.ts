import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WAVE_STATUSES } from '../../api/db/database.js'
import { kioskShows, lastUploadDay, lastUploadDaySql, uploadWindow, uploadWindowOpenSql } from '../../api/domain/upload-window.js'
import type { WaveWindow } from '../../api/domain/upload-window.js'
import { addDays } from '../../api/study-calendar.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

interface Case extends WaveWindow { id: number, today: string }

/**
 * Every status, opening dates before, on and after today, close dates around today, several grace periods,
 * and days at a leap day and a year's end, where date arithmetic goes wrong first.
 */
function grid (): Case[] {
  const cases: Case[] = []
  for (const today of ['2024-02-29', '2026-12-31', '2027-01-01', '2026-03-10']) {
    for (const status of WAVE_STATUSES) {
      for (const opensDelta of [-40, -1, 0, 1]) {
        for (const closesDelta of [-3, -1, 0, 1, 30]) {
          for (const graceDays of [0, 1, 2, 14]) {
            const opensOn = addDays(today, opensDelta)
            const closesOn = addDays(today, closesDelta)
            if (closesOn < opensOn) continue
            cases.push({ id: cases.length, today, status, opensOn, closesOn, graceDays })
          }
        }
      }
    }
  }
  return cases
}

describe('the upload window, defined once', () => {
  let database: TestDatabase
  const cases = grid()
  beforeAll(async () => { database = await openTestDatabase() })
  afterAll(async () => { await database.close() })

  it('covers every verdict, so the comparison below can fail on any of them', () => {
    const verdicts = new Set(cases.map((wave) => uploadWindow(wave, wave.today)))
    expect([...verdicts].sort()).toEqual(['not_open_yet', 'open', 'over'])
    expect(cases.length).toBeGreaterThan(300)
  })

  it('the SQL that holds uploads agrees with the TypeScript that explains refusals, case by case', async () => {
    // The same fragments the batched insert and the mix use, over rows shaped as the waves table's.
    const result = await sql<{ id: number, open: boolean, last_upload_day: string }>`
      select w.id, ${sql.raw(uploadWindowOpenSql('w', 'w.today'))} as open, to_char(${sql.raw(lastUploadDaySql('w'))}, 'YYYY-MM-DD') as last_upload_day
      from jsonb_to_recordset(${JSON.stringify(cases.map((wave) => ({
        id: wave.id, status: wave.status, opens_on: wave.opensOn, closes_on: wave.closesOn, grace_days: wave.graceDays, today: wave.today,
      })))}::jsonb) as w(id integer, status text, opens_on date, closes_on date, grace_days integer, today date)
      order by w.id`.execute(database.db)
    expect(result.rows).toHaveLength(cases.length)
    const disagreements = result.rows.filter((row) => {
      const wave = cases[row.id]!
      return row.open !== (uploadWindow(wave, wave.today) === 'open') || row.last_upload_day !== lastUploadDay(wave)
    })
    expect(disagreements).toEqual([])
  })

  it('a wave the kiosk shows always takes the uploads it leads to, and never a planned or closed one', () => {
    for (const wave of cases) {
      if (kioskShows(wave, wave.today)) {
        expect(uploadWindow(wave, wave.today), JSON.stringify(wave)).toBe('open')
        expect(wave.status).toBe('open')
      }
    }
    // Grace days are for sending what was answered before the close, not for new respondents.
    const inGrace = cases.find((wave) => wave.status === 'open' && wave.closesOn < wave.today && uploadWindow(wave, wave.today) === 'open')
    expect(inGrace).toBeDefined()
    expect(kioskShows(inGrace!, inGrace!.today)).toBe(false)
  })
})
