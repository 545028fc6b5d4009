// A/B results of a scenario's random splits: per split node and variant, the leads that took the
// variant and how many of them converted afterwards — opened or clicked a mail of the scenario, reached a
// goal, or became hot while in it — with each variant's difference from the control and the
// two-proportion z-test's confidence, so a marketer knows when a variant has won.
import type { DB } from '@nurtureflow/db';
import { parseGraph } from '@nurtureflow/scenario';
import { sql, type Kysely } from 'kysely';
import { twoProportionZTest, verdictOf, type Verdict } from './z-test.ts';

/** What counts as converting after the split. */
export const SPLIT_METRICS = ['open', 'click', 'goal', 'hot'] as const;
export type SplitMetric = (typeof SPLIT_METRICS)[number];

/** One variant's result. */
export interface VariantResult {
  variant: string;
  label: string;
  holdout: boolean;
  /** The variant's share of leads as configured (weights normalised), null when no longer in the graph. */
  share: number | null;
  control: boolean;
  leads: number;
  conversions: number;
  /** conversions / leads; null without leads. */
  rate: number | null;
  /** rate − the control's rate; null for the control or without leads. */
  difference: number | null;
  z: number | null;
  pValue: number | null;
  /** 1 − pValue. */
  confidence: number | null;
  /** Against the control; null for the control itself. */
  verdict: Verdict | null;
}

/** One split node's result. */
export interface SplitResult {
  nodeId: string;
  variants: VariantResult[];
  control: string;
  /** The variant that converts best with a significant difference at the level (the control when every other loses); null when none yet. */
  winner: string | null;
}

/** The report. */
export interface SplitsReport {
  scenarioId: string;
  productLine: string;
  metric: SplitMetric;
  level: number;
  splits: SplitResult[];
}

/** What to compute. */
export interface SplitsRequest {
  scenarioId: string;
  productLine: string;
  metric: SplitMetric;
  /** Confidence level for the verdicts, e.g. 0.95. */
  level: number;
  /** The control variant's id where a split has it; else each split's first variant. */
  control?: string | undefined;
  version?: number | undefined;
  /** Only leads that took their variant in [lo, hi). */
  lo?: Date | undefined;
  hi?: Date | undefined;
}

function conversion(metric: SplitMetric, productLine: string) {
  switch (metric) {
    case 'open':
    case 'click':
      return sql`exists (
        select 1 from outbox o join events e on e.lead_id = o.lead_id and e.effect_key = o.key
        where o.lead_id = sp.lead_id and o.enrollment_id = sp.enrollment_id and o.type = 'sendEmail' and o.created_at >= sp.at
          and e.kind = ${metric === 'open' ? 'email_opened' : 'link_clicked'})`;
    case 'goal':
      return sql`exists (
        select 1 from outbox o
        where o.lead_id = sp.lead_id and o.enrollment_id = sp.enrollment_id and o.type = 'goalReached' and o.created_at >= sp.at)`;
    case 'hot':
      return sql`exists (
        select 1 from events e
        where e.lead_id = sp.lead_id and e.kind = 'lead_became_hot' and e.product_line = ${productLine} and e.at >= sp.at
          and (sp.ended_at is null or floor(extract(epoch from e.at) * 1000) <= sp.ended_at))`;
  }
}

/** The split nodes of every published version, newest first: each node's variants as last published. */
async function splitNodes(db: Kysely<DB>, scenarioId: string): Promise<Map<string, { id: string; label: string; holdout: boolean; share: number }[]>> {
  const versions = await db.selectFrom('scenario_versions').select(['version', 'graph']).where('scenario_id', '=', scenarioId).orderBy('version', 'desc').execute();
  const out = new Map<string, { id: string; label: string; holdout: boolean; share: number }[]>();
  for (const v of versions) {
    const parsed = parseGraph(v.graph);
    if (!parsed.ok) continue;
    for (const [id, node] of Object.entries(parsed.graph.nodes)) {
      if (node.kind !== 'split' || out.has(id)) continue;
      const total = node.variants.reduce((s, x) => s + x.weight, 0);
      out.set(
        id,
        node.variants.map((x) => ({ id: x.id, label: x.label, holdout: x.holdout, share: total > 0 ? x.weight / total : 0 })),
      );
    }
  }
  return out;
}

/** Per split node and variant: leads, conversions, the difference from the control and its confidence. */
export async function splitsReport(db: Kysely<DB>, q: SplitsRequest): Promise<SplitsReport> {
  const { rows } = await sql<{ split_node: string; variant: string; leads: number; conversions: number }>`
    with sp as (
      select h.lead_id, h.enrollment_id, h.node_id as split_node, h.output as variant, min(h.at) as at,
        min((en.state->>'endedAt')::bigint) as ended_at
      from enrollments en
      join enrollment_history h on h.lead_id = en.lead_id and h.enrollment_id = en.id
      where en.scenario_id = ${q.scenarioId} and h.reason->>'code' = 'split' and h.output is not null
        ${q.version !== undefined ? sql`and en.version = ${q.version}` : sql``}
      group by h.lead_id, h.enrollment_id, h.node_id, h.output
    ),
    conv as (
      select sp.lead_id, sp.split_node, sp.variant, ${conversion(q.metric, q.productLine)} as converted
      from sp
      where true ${q.lo !== undefined ? sql`and sp.at >= ${q.lo}` : sql``} ${q.hi !== undefined ? sql`and sp.at < ${q.hi}` : sql``}
    )
    select split_node, variant, count(distinct lead_id) as leads, count(distinct lead_id) filter (where converted) as conversions
    from conv group by split_node, variant`.execute(db);

  const nodes = await splitNodes(db, q.scenarioId);
  const counted = new Map<string, Map<string, { leads: number; conversions: number }>>();
  for (const r of rows) {
    const m = counted.get(r.split_node) ?? new Map();
    m.set(r.variant, { leads: Number(r.leads), conversions: Number(r.conversions) });
    counted.set(r.split_node, m);
  }
  const ids = [...new Set([...nodes.keys(), ...counted.keys()])].sort();
  const splits = ids.map((nodeId): SplitResult => {
    const declared = nodes.get(nodeId) ?? [];
    const data = counted.get(nodeId) ?? new Map<string, { leads: number; conversions: number }>();
    const variants = [...declared.map((v) => v.id), ...[...data.keys()].filter((v) => !declared.some((d) => d.id === v)).sort()];
    const control = q.control !== undefined && variants.includes(q.control) ? q.control : (variants[0] ?? '');
    const base = data.get(control) ?? { leads: 0, conversions: 0 };
    const results = variants.map((id): VariantResult => {
      const d = declared.find((x) => x.id === id);
      const c = data.get(id) ?? { leads: 0, conversions: 0 };
      const rate = c.leads > 0 ? c.conversions / c.leads : null;
      const common = { variant: id, label: d?.label ?? '', holdout: d?.holdout ?? false, share: d?.share ?? null, leads: c.leads, conversions: c.conversions, rate };
      if (id === control) return { ...common, control: true, difference: null, z: null, pValue: null, confidence: null, verdict: null };
      const test = twoProportionZTest({ conversions: base.conversions, leads: base.leads }, { conversions: c.conversions, leads: c.leads });
      return {
        ...common,
        control: false,
        difference: test?.difference ?? null,
        z: test?.z ?? null,
        pValue: test?.pValue ?? null,
        confidence: test?.confidence ?? null,
        verdict: verdictOf(test, q.level),
      };
    });
    const winners = results.filter((r) => r.verdict?.kind === 'wins').sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0));
    const others = results.filter((r) => !r.control);
    const winner = winners[0]?.variant ?? (others.length > 0 && others.every((r) => r.verdict?.kind === 'loses') ? control : null);
    return { nodeId, variants: results, control, winner };
  });
  return { scenarioId: q.scenarioId, productLine: q.productLine, metric: q.metric, level: q.level, splits };
}
