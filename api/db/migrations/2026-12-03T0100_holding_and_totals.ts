import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * The holding area and the per-site totals (README, "Threat model").
 *
 * held_responses: an accepted upload waits here, sealed under a key kept outside the database, until the week's
 * mix moves every held response of a wave, shuffled, into responses and response_facts in one transaction. A
 * held row is keyed by an HMAC of the response id, not the id, so nothing in it (or in the WAL that wrote it)
 * joins it to the analysis row it becomes. Its wave, site and ISO week are in clear: they are what the analysis
 * row will say too, and what the progress counts read while responses are held.
 *
 * response_totals: per wave, site, gender and age group, the respondents and, per indicator id (the index of
 * indicator_values), the yes and known counts; maintained in the statement that stores facts, so the results
 * read a few rows per cell and site instead of every response. NULLS NOT DISTINCT: a missing gender is one group.
 */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('held_responses')
    .addColumn('id_digest', 'text', (col) => col.primaryKey().check(sql`id_digest ~ '^[0-9a-f]{64}$'`))
    .addColumn('wave_id', 'uuid', (col) => col.notNull())
    .addColumn('site_id', 'uuid', (col) => col.notNull())
    .addColumn('iso_week', 'text', (col) => col.notNull().check(sql`iso_week ~ '^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$'`))
    .addColumn('key_id', 'text', (col) => col.notNull())
    .addColumn('sealed', 'bytea', (col) => col.notNull())
    .execute()
  await db.schema.createIndex('held_responses_wave_idx').on('held_responses').columns(['wave_id', 'iso_week']).execute()

  await db.schema.createTable('response_totals')
    .addColumn('wave_id', 'uuid', (col) => col.notNull())
    .addColumn('site_id', 'uuid', (col) => col.notNull())
    .addColumn('gender', 'text')
    .addColumn('age_group', 'text')
    .addColumn('responses', 'integer', (col) => col.notNull().check(sql`responses >= 0`))
    .addColumn('yes_counts', sql`integer[]`, (col) => col.notNull())
    .addColumn('known_counts', sql`integer[]`, (col) => col.notNull())
    .addUniqueConstraint('response_totals_cell', ['wave_id', 'site_id', 'gender', 'age_group'], (c) => c.nullsNotDistinct())
    .execute()

  // The totals of the facts stored so far: a frozen copy of the aggregation intake now does as it stores facts.
  await sql`
    with per_cell as (
      select wave_id, site_id, gender, age_group, count(*)::int as responses
      from response_facts group by wave_id, site_id, gender, age_group
    ), per_indicator as (
      select f.wave_id, f.site_id, f.gender, f.age_group, u.i,
             count(*) filter (where u.v)::int as yes, count(u.v)::int as known
      from response_facts f cross join lateral unnest(f.indicator_values) with ordinality as u(v, i)
      group by f.wave_id, f.site_id, f.gender, f.age_group, u.i
    )
    insert into response_totals (wave_id, site_id, gender, age_group, responses, yes_counts, known_counts)
    select c.wave_id, c.site_id, c.gender, c.age_group, c.responses,
           coalesce(array_agg(p.yes order by p.i) filter (where p.i is not null), '{}'),
           coalesce(array_agg(p.known order by p.i) filter (where p.i is not null), '{}')
    from per_cell c
    left join per_indicator p on p.wave_id = c.wave_id and p.site_id = c.site_id
      and p.gender is not distinct from c.gender and p.age_group is not distinct from c.age_group
    group by c.wave_id, c.site_id, c.gender, c.age_group, c.responses`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('response_totals').execute()
  await db.schema.dropTable('held_responses').execute()
}
