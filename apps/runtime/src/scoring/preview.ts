// What new scoring rules would do before they are saved: every current lead of the product line
// replayed from its stored events and score nodes under the proposed rules (replay.ts, the
// engine's scoring functions), counted per rank and hot beside where the leads stand now.
import { rankFor } from '@nurtureflow/engine';
import { ranks, type ProductLineSettings, type Rank, type Scoring } from '@nurtureflow/scenario';
import { sql } from 'kysely';
import type { Db } from '../core/bulk.ts';
import { loadScoreSteps, replayScore, scoredKinds } from './replay.ts';

/** Leads per rank and how many are hot. */
export interface RankCounts {
  ranks: Record<Rank, number>;
  hot: number;
}

/** The preview's answer. */
export interface ScoringPreview {
  productLine: string;
  /** The product line's current leads: those with a standing in it or an enrollment in one of its scenarios. */
  leads: number;
  /** As the leads stand now (the stored score, rank and hot flag). */
  now: RankCounts;
  /** Under the proposed rules, replayed from each lead's stored events and score nodes. */
  proposed: RankCounts;
  /** Leads whose rank, or whose hot flag, the proposed rules change. */
  changed: { rank: number; hot: number; becomeHot: number; leaveHot: number };
  /** Rank to rank, for each pair with leads that move (from now to proposed). */
  moves: { from: Rank; to: Rank; count: number }[];
}

/** Leads replayed per round trip: their events are read in one query. */
const CHUNK = 500;

const zero = (): RankCounts => ({ ranks: { A: 0, B: 0, C: 0, D: 0 }, hot: 0 });

/**
 * Recomputes every current lead of the product line under `proposed` and counts them per rank and
 * hot, now and proposed. Decay counts as the runtime applies it (at each scored event), so rules
 * equal to the saved ones reproduce the stored standings of leads scored by events and score nodes.
 */
export async function previewScoring(db: Db, productLine: string, settings: ProductLineSettings, proposed: Scoring): Promise<ScoringPreview> {
  const leadIds = await currentLeads(db, productLine);
  const kinds = scoredKinds(proposed);
  const now = zero();
  const next = zero();
  const changed = { rank: 0, hot: 0, becomeHot: 0, leaveHot: 0 };
  const moves = new Map<string, { from: Rank; to: Rank; count: number }>();
  for (let i = 0; i < leadIds.length; i += CHUNK) {
    const chunk = leadIds.slice(i, i + CHUNK);
    const [standings, steps] = await Promise.all([
      db.selectFrom('lead_products').select(['lead_id', 'score', 'rank', 'hot']).where('product_line', '=', productLine).where('lead_id', 'in', chunk).execute(),
      loadScoreSteps(db, chunk, productLine, kinds),
    ]);
    const stored = new Map(standings.map((s) => [s.lead_id, s]));
    for (const leadId of chunk) {
      const s = stored.get(leadId);
      const before = { rank: asRank(s?.rank) ?? rankFor(settings.scoring, s?.score ?? 0), hot: s?.hot ?? false };
      const after = replayScore({ scoring: proposed, timezone: settings.timezone }, steps.get(leadId) ?? [], { entries: false }).standing;
      const afterRank = after.rank ?? rankFor(proposed, after.score);
      now.ranks[before.rank]++;
      next.ranks[afterRank]++;
      if (before.hot) now.hot++;
      if (after.hot) next.hot++;
      if (before.rank !== afterRank) {
        changed.rank++;
        const key = `${before.rank}>${afterRank}`;
        const m = moves.get(key);
        if (m) m.count++;
        else moves.set(key, { from: before.rank, to: afterRank, count: 1 });
      }
      if (before.hot !== after.hot) {
        changed.hot++;
        if (after.hot) changed.becomeHot++;
        else changed.leaveHot++;
      }
    }
  }
  const order = (r: Rank) => ranks.indexOf(r);
  return {
    productLine,
    leads: leadIds.length,
    now,
    proposed: next,
    changed,
    moves: [...moves.values()].sort((a, b) => order(a.from) - order(b.from) || order(a.to) - order(b.to)),
  };
}

/** Lead ids with a standing in the product line or an enrollment in its scenarios, merged leads left out, sorted. */
async function currentLeads(db: Db, productLine: string): Promise<string[]> {
  const rows = await sql<{ lead_id: string }>`
    select c.lead_id from (
      select lead_id from lead_products where product_line = ${productLine}
      union
      select lead_id from enrollments where product_line = ${productLine}
    ) c join leads l on l.id = c.lead_id
    where l.merged_into is null
    order by c.lead_id`.execute(db);
  return rows.rows.map((r) => r.lead_id);
}

function asRank(value: string | null | undefined): Rank | null {
  return value === 'A' || value === 'B' || value === 'C' || value === 'D' ? value : null;
}
