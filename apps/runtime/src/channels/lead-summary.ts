// The lead as people outside the scenario see it — a webhook receiver, an inside-sales rep, sales —
// in one product line: who it is, how to reach it, its score and rank there, what it did lately.
import { sql } from 'kysely';
import type { Db } from '../core/bulk.ts';
import { leadSummary } from '../leads/read.ts';

/** Who the lead is and where it stands in one product line. */
export interface LeadCard {
  id: string;
  email: string | null;
  name: string | null;
  company: string | null;
  phone: string | null;
  tags: string[];
  score: number;
  rank: string | null;
  stage: string;
  hot: boolean;
}

/** Something the lead did, as shown to people. */
export interface RecentEvent {
  at: string;
  kind: string;
  productLine: string | null;
  scenarioId: string | null;
  data: unknown;
}

/** Cards for leads in one product line (a lead with no standing there reads as score 0, prospect). */
export async function leadCards(db: Db, leadIds: readonly string[], productLine: string): Promise<Map<string, LeadCard>> {
  const ids = [...new Set(leadIds)];
  const out = new Map<string, LeadCard>();
  if (ids.length === 0) return out;
  const [leads, standings] = await Promise.all([
    db.selectFrom('leads').selectAll().where('id', 'in', ids).execute(),
    db.selectFrom('lead_products').select(['lead_id', 'score', 'rank', 'stage', 'hot']).where('lead_id', 'in', ids).where('product_line', '=', productLine).execute(),
  ]);
  const standing = new Map(standings.map((s) => [s.lead_id, s]));
  for (const row of leads) {
    const s = leadSummary(row);
    const p = standing.get(row.id);
    out.set(row.id, {
      id: s.id,
      email: s.email,
      name: s.name,
      company: s.company,
      phone: s.phone,
      tags: s.tags,
      score: p?.score ?? 0,
      rank: p?.rank ?? null,
      stage: p?.stage ?? 'prospect',
      hot: p?.hot ?? false,
    });
  }
  return out;
}

/** The newest `perLead` events of each lead that count for the product line (its own and those of none), newest first. */
export async function recentEvents(db: Db, leadIds: readonly string[], productLine: string, perLead: number): Promise<Map<string, RecentEvent[]>> {
  const ids = [...new Set(leadIds)];
  const out = new Map<string, RecentEvent[]>();
  if (ids.length === 0) return out;
  const rows = await sql<{ lead_id: string; at: Date; kind: string; product_line: string | null; scenario_id: string | null; data: unknown }>`
    select lead_id, at, kind, product_line, scenario_id, data from (
      select lead_id, at, kind, product_line, scenario_id, data,
        row_number() over (partition by lead_id order by at desc, seq desc) as n
      from events
      where lead_id in (${sql.join(ids)}) and (product_line = ${productLine} or product_line is null)
    ) e where n <= ${perLead}
    order by lead_id, at desc`.execute(db);
  for (const r of rows.rows) {
    const list = out.get(r.lead_id) ?? [];
    list.push({ at: r.at.toISOString(), kind: r.kind, productLine: r.product_line, scenarioId: r.scenario_id, data: r.data });
    out.set(r.lead_id, list);
  }
  return out;
}
