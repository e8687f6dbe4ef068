import { sql } from 'kysely'
import type { Transaction } from 'kysely'
import type { Database } from '../database.js'

/**
 * The CTEs that add the rows of a `facts` CTE (wave_id, site_id, gender, age_group, visits, answered_before,
 * indicator_values) to response_totals: respondents per cell, and per indicator index its yes and known counts,
 * added element by element to what the cell held. A cell is also split by the visits answer (the weight class)
 * and the repeat answer, so weighted totals and the repeat exclusion come exactly from the counts. Cells are
 * written in key order, so two statements never wait on each other in a circle.
 */
export const ADD_FACTS_TO_TOTALS = `
    cell_counts as (
      select wave_id, site_id, gender, age_group, visits, answered_before, count(*)::int as responses
      from facts group by wave_id, site_id, gender, age_group, visits, answered_before
    ), indicator_counts as (
      select f.wave_id, f.site_id, f.gender, f.age_group, f.visits, f.answered_before, u.i,
             count(*) filter (where u.v)::int as yes, count(u.v)::int as known
      from facts f cross join lateral unnest(f.indicator_values) with ordinality as u(v, i)
      group by f.wave_id, f.site_id, f.gender, f.age_group, f.visits, f.answered_before, u.i
    ), totals as (
      insert into response_totals as t (wave_id, site_id, gender, age_group, visits, answered_before, responses, yes_counts, known_counts)
      select c.wave_id, c.site_id, c.gender, c.age_group, c.visits, c.answered_before, c.responses,
             coalesce(array_agg(p.yes order by p.i) filter (where p.i is not null), '{}'),
             coalesce(array_agg(p.known order by p.i) filter (where p.i is not null), '{}')
      from cell_counts c
      left join indicator_counts p on p.wave_id = c.wave_id and p.site_id = c.site_id
        and p.gender is not distinct from c.gender and p.age_group is not distinct from c.age_group
        and p.visits is not distinct from c.visits and p.answered_before = c.answered_before
      group by c.wave_id, c.site_id, c.gender, c.age_group, c.visits, c.answered_before, c.responses
      order by c.wave_id, c.site_id, c.gender, c.age_group, c.visits, c.answered_before
      on conflict (wave_id, site_id, gender, age_group, visits, answered_before) do update set
        responses = t.responses + excluded.responses,
        yes_counts = array(select coalesce(a, 0) + coalesce(b, 0) from unnest(t.yes_counts, excluded.yes_counts) with ordinality as x(a, b, i) order by i),
        known_counts = array(select coalesce(a, 0) + coalesce(b, 0) from unnest(t.known_counts, excluded.known_counts) with ordinality as x(a, b, i) order by i)
    )`

/**
 * Recomputes a wave's per-site totals from its response facts, replacing what response_totals held for it,
 * inside the caller's transaction (so nobody reads the totals half rebuilt). The mix and the seeder keep the
 * totals as they store facts; this is for facts written by other means (a bench that clones rows in SQL, a
 * restore of an older dump) and for checking the totals.
 */
export async function rebuildResponseTotals (trx: Transaction<Database>, waveId: string): Promise<void> {
  await trx.deleteFrom('response_totals').where('wave_id', '=', waveId).execute()
  await sql`
    with facts as (
      select wave_id, site_id, gender, age_group, visits, answered_before, indicator_values from response_facts where wave_id = ${waveId}
    ), ${sql.raw(ADD_FACTS_TO_TOTALS)}
    select count(*) from cell_counts`.execute(trx)
}
