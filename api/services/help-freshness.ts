import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { oldestHelpCheck } from '../db/queries/help-resources.js'
import { AppError } from '../errors.js'
import { addDays } from '../study-calendar.js'

export interface HelpFreshness {
  oldestChecked: string | null
  maxAgeDays: number
  stale: boolean
}

/**
 * Whether the help resources are too old to send respondents to: the oldest `checked` date of any helpline
 * or crisis centre is before `today` minus `maxAgeDays`. No data at all counts as stale: a respondent must
 * always be shown somewhere to turn.
 */
export async function helpFreshness (db: Kysely<Database>, today: string, maxAgeDays: number): Promise<HelpFreshness> {
  const oldestChecked = await oldestHelpCheck(db)
  return { oldestChecked, maxAgeDays, stale: oldestChecked === null || oldestChecked < addDays(today, -maxAgeDays) }
}

/** @throws {AppError} 409 help_data_stale naming the oldest date and the limit */
export async function assertHelpFresh (db: Kysely<Database>, today: string, maxAgeDays: number): Promise<void> {
  const { oldestChecked, stale } = await helpFreshness(db, today, maxAgeDays)
  if (!stale) return
  throw new AppError(409, 'help_data_stale', oldestChecked === null
    ? 'the wave cannot open: there are no helplines or crisis centres to show respondents; add them under help resources first'
    : `the wave cannot open: the help resources were last checked on ${oldestChecked}, more than ${maxAgeDays} days ago ` +
      '(HELP_DATA_MAX_AGE_DAYS); check the helplines and crisis centres and update their dates first')
}
