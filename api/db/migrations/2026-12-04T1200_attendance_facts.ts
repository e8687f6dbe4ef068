import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * Attendance weights and repeat participation (README, "Attendance weights and repeat participation").
 *
 * response_facts gains `visits` (the visits to the site in 7 days that the respondent's answer stands for;
 * the multiplicity weight is its inverse) and `answered_before` (said they had already answered in this
 * round). Both are read off answers the response stores anyway, so they tell nothing the answers do not
 * (ARCHITECTURE.md, anonymity rules 1–2). response_totals splits each cell by the two, so weighted totals
 * (Σ w, Σ w·y per site and cell) and the exclusion of repeats come exactly from counts. Rows stored before
 * come from versions without these questions: null visits, not answered before.
 *
 * results_releases records how a release weighted (`weights`: none or attendance), whether it counted the
 * repeat respondents (`repeats`: exclude or include) and how many respondents of the wave said they had
 * already answered (`answered_before`), for the release's notes. Releases made before weighted nothing,
 * and had nobody to exclude.
 */
export async function up (db: Kysely<any>): Promise<void> {
  for (const table of ['response_facts', 'response_totals']) {
    await db.schema.alterTable(table)
      .addColumn('visits', 'float8', (col) => col.check(sql`visits >= 1 and visits <= 100`))
      .addColumn('answered_before', 'boolean', (col) => col.notNull().defaultTo(false))
      .execute()
  }
  await sql`alter table response_totals drop constraint response_totals_cell`.execute(db)
  await sql`alter table response_totals add constraint response_totals_cell
            unique nulls not distinct (wave_id, site_id, gender, age_group, visits, answered_before)`.execute(db)
  await db.schema.alterTable('results_releases')
    .addColumn('weights', 'text', (col) => col.notNull().defaultTo('none').check(sql`weights in ('none', 'attendance')`))
    .addColumn('repeats', 'text', (col) => col.notNull().defaultTo('exclude').check(sql`repeats in ('exclude', 'include')`))
    .addColumn('answered_before', 'integer', (col) => col.notNull().defaultTo(0).check(sql`answered_before >= 0`))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('results_releases').dropColumn('weights').dropColumn('repeats').dropColumn('answered_before').execute()
  // Merge the split cells back before the columns go (element-wise sums of the count arrays).
  await sql`
    create temporary table merged_totals as
    select wave_id, site_id, gender, age_group, sum(responses)::int as responses,
           array(select sum(coalesce(x.v, 0))::int from response_totals t2
                 cross join lateral unnest(t2.yes_counts) with ordinality as x(v, i)
                 where t2.wave_id = t.wave_id and t2.site_id = t.site_id
                   and t2.gender is not distinct from t.gender and t2.age_group is not distinct from t.age_group
                 group by x.i order by x.i) as yes_counts,
           array(select sum(coalesce(x.v, 0))::int from response_totals t2
                 cross join lateral unnest(t2.known_counts) with ordinality as x(v, i)
                 where t2.wave_id = t.wave_id and t2.site_id = t.site_id
                   and t2.gender is not distinct from t.gender and t2.age_group is not distinct from t.age_group
                 group by x.i order by x.i) as known_counts
    from response_totals t group by wave_id, site_id, gender, age_group`.execute(db)
  await sql`delete from response_totals`.execute(db)
  await sql`alter table response_totals drop constraint response_totals_cell`.execute(db)
  for (const table of ['response_facts', 'response_totals']) {
    await db.schema.alterTable(table).dropColumn('visits').dropColumn('answered_before').execute()
  }
  await sql`insert into response_totals (wave_id, site_id, gender, age_group, responses, yes_counts, known_counts)
            select wave_id, site_id, gender, age_group, responses, yes_counts, known_counts from merged_totals`.execute(db)
  await sql`drop table merged_totals`.execute(db)
  await sql`alter table response_totals add constraint response_totals_cell
            unique nulls not distinct (wave_id, site_id, gender, age_group)`.execute(db)
}
