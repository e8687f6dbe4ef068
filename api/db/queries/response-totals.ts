import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database } from '../database.js'

/**
 * Recomputes a wave's per-site totals from its response facts, replacing what response_totals held for it, in
 * one transaction. The mix and the seeder keep the totals as they store facts; this is for facts written by
 * other means (a bench that clones rows in SQL, a restore of an older dump) and for checking the totals.
 */
export async function rebuildResponseTotals (db: Kysely<Database>, waveId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('response_totals').where('wave_id', '=', waveId).execute()
    await sql`
      with per_cell as (
        select wave_id, site_id, gender, age_group, count(*)::int as responses
        from response_facts where wave_id = ${waveId} group by wave_id, site_id, gender, age_group
      ), per_indicator as (
        select f.wave_id, f.site_id, f.gender, f.age_group, u.i,
               count(*) filter (where u.v)::int as yes, count(u.v)::int as known
        from response_facts f cross join lateral unnest(f.indicator_values) with ordinality as u(v, i)
        where f.wave_id = ${waveId}
        group by f.wave_id, f.site_id, f.gender, f.age_group, u.i
      )
      insert into response_totals (wave_id, site_id, gender, age_group, responses, yes_counts, known_counts)
      select c.wave_id, c.site_id, c.gender, c.age_group, c.responses,
             coalesce(array_agg(p.yes order by p.i) filter (where p.i is not null), '{}'),
             coalesce(array_agg(p.known order by p.i) filter (where p.i is not null), '{}')
      from per_cell c
      left join per_indicator p on p.wave_id = c.wave_id and p.site_id = c.site_id
        and p.gender is not distinct from c.gender and p.age_group is not distinct from c.age_group
      group by c.wave_id, c.site_id, c.gender, c.age_group, c.responses`.execute(trx)
  })
}
