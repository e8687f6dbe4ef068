import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * Each survey version keeps the rules its instrument states for it (survey-definitions/instrument.ts):
 * the page the kiosk's privacy check comes before, and the headline indicators and breakdowns a release
 * leads with. Until now both were constants in general code, so the versions already published get what
 * that code applied to them: the headline list for every version (a release uses those the version
 * defines), and the privacy check before page_violence_intro. A version without that page was served with
 * no privacy check at all; it now gets the check before its first page, the side that asks too often.
 *
 * Frozen in time: the values are written out, not imported; plain SQL that PostgreSQL 15 and PGlite run.
 */
const HEADLINE = {
  indicators: [
    'any_violence_12m', 'any_violence_ever', 'any_physical_12m', 'any_physical_ever', 'any_sexual_12m', 'any_sexual_ever',
    'strangled_12m', 'strangled_ever', 'raped_12m', 'raped_ever', 'psychological_12m', 'psychological_ever',
    'turned_away_crisis_centre',
  ],
  breakdowns: [[], ['gender']],
}

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('survey_versions').addColumn('rules', 'jsonb').execute()
  await sql`
    update survey_versions set rules = jsonb_build_object(
      'privacyCheckBefore', case when definition->'pages' @> '[{"name": "page_violence_intro"}]'::jsonb
                                 then 'page_violence_intro' else definition->'pages'->0->>'name' end,
      'headline', ${JSON.stringify(HEADLINE)}::jsonb)`.execute(db)
  await sql`alter table survey_versions alter column rules set not null`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('survey_versions').dropColumn('rules').execute()
}
