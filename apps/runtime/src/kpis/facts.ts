// The facts KPIs are counted from, read set-based from the tables where each is kept (the same SQL
// on PGlite and Postgres):
// - a mail sent: an outbox `sendEmail` row with a `sent_emails` row (handed to SMTP or the local
//   mailbox), or one the SMTP server refused for good while it was sent (an `email_bounced` event
//   naming its key). Delivered: sent and not bounced (hard or soft). Opened, clicked, bounced: an
//   `email_opened`, `link_clicked`, `email_bounced`/`email_soft_bounced` event naming its key.
//   These count on the day the mail was sent, so a day's open rate is that day's mails' (≤ 100%).
// - an unsubscribe: an `unsubscribed` event of the product line (or from a mail of it), on its day,
//   counted per lead; it belongs to the scenario and node of the mail it came from, if any.
// - a hot lead: a `lead_became_hot` event of the product line, per lead; it belongs to every
//   scenario the lead was enrolled in at that moment, and to the node whose mail, call or hand-off
//   caused it (the event that crossed the threshold), if any.
// - hand-offs: `handOff` outbox rows; accepted and returned: the `handoff_accepted` and
//   `handoff_returned` answers naming their key, on the day of the answer.
// - goals: `goalReached` outbox rows; leads: enrollments that started (per split variant: leads
//   that took the variant).
// Version is the version the enrollment is on now (publishing may move running enrollments).
import { sql, type RawBuilder } from 'kysely';

/** How rows are grouped. */
export type KpiGroupBy = 'day' | 'scenario' | 'version' | 'node' | 'variant';
export const KPI_GROUP_BY: readonly KpiGroupBy[] = ['day', 'scenario', 'version', 'node', 'variant'];

/** The counted figures. */
export const FACT_METRICS = [
  'leads',
  'sends',
  'deliveries',
  'bounces',
  'opens',
  'clicks',
  'totalClicks',
  'unsubscribes',
  'hotLeads',
  'handoffs',
  'handoffsAccepted',
  'handoffsReturned',
  'goals',
] as const;
export type FactMetric = (typeof FACT_METRICS)[number];

/** What to count. */
export interface FactScope {
  productLine: string;
  timezone: string;
  /** The first instant counted and the first one past the range. */
  lo: Date;
  hi: Date;
  scenarioId?: string | undefined;
  version?: number | undefined;
}

const none = sql``;

/**
 * The splits CTE: each enrollment's variant at each split node, and when it was taken (the first
 * time, should a loop pass the split again: the bucket is stable per lead).
 */
function splitsCte(s: FactScope): RawBuilder<unknown> {
  return sql`splits as (
    select h.lead_id, h.enrollment_id, en.scenario_id, h.node_id as split_node, h.output as variant, min(h.at) as at
    from enrollments en
    join enrollment_history h on h.lead_id = en.lead_id and h.enrollment_id = en.id
    where en.product_line = ${s.productLine} ${s.scenarioId !== undefined ? sql`and en.scenario_id = ${s.scenarioId}` : none}
      and h.reason->>'code' = 'split' and h.output is not null
    group by h.lead_id, h.enrollment_id, en.scenario_id, h.node_id, h.output
  )`;
}

/**
 * The CTEs `mev`, `msg`, `splits` and `facts` (metric, at, lead_id, enrollment_id, scenario_id,
 * node_id, subject, n, bounced, opened, clicked): one row per counted thing, `subject` what makes it
 * distinct. A mail is one row (`metric` 'mail') with its outcome as 0/1 columns and its clicks in
 * `n`, rather than a row per figure: the mails are most of the rows.
 */
export function factsCtes(s: FactScope, leadsFromSplits: boolean): RawBuilder<unknown> {
  const pl = s.productLine;
  const scen = (col: string) => (s.scenarioId !== undefined ? sql`and ${sql.ref(col)} = ${s.scenarioId}` : none);
  const msgCols = sql`lead_id, enrollment_id, scenario_id, node_id, key`;
  return sql`
  mev as (
    select e.lead_id, e.effect_key as key,
      min(e.at) filter (where e.kind in ('email_bounced', 'email_soft_bounced')) as bounced_at,
      bool_or(e.kind = 'email_opened') as opened,
      bool_or(e.kind = 'link_clicked') as clicked,
      count(*) filter (where e.kind = 'link_clicked') as clicks
    from events e
    where e.effect_key is not null and e.kind in ('email_opened', 'link_clicked', 'email_bounced', 'email_soft_bounced') and e.at >= ${s.lo}
    group by e.lead_id, e.effect_key
  ),
  msg as (
    select o.lead_id, o.enrollment_id, o.scenario_id, o.payload->>'nodeId' as node_id, o.key,
      coalesce(s.sent_at, m.bounced_at) as at, m.bounced_at, coalesce(m.opened, false) as opened, coalesce(m.clicked, false) as clicked,
      coalesce(m.clicks, 0) as clicks
    from outbox o
    left join sent_emails s on s.lead_id = o.lead_id and s.key = o.key
    left join mev m on m.lead_id = o.lead_id and m.key = o.key
    where o.product_line = ${pl} and o.type = 'sendEmail' ${scen('o.scenario_id')}
      and (s.key is not null or m.bounced_at is not null)
      and coalesce(s.sent_at, m.bounced_at) >= ${s.lo} and coalesce(s.sent_at, m.bounced_at) < ${s.hi}
  ),
  ${splitsCte(s)},
  facts as (
    select 'mail' as metric, at, ${msgCols} as subject, clicks as n,
      (bounced_at is not null)::int as bounced, opened::int as opened, clicked::int as clicked
    from msg
    union all
      select 'unsubscribes', e.at, e.lead_id, o.enrollment_id, o.scenario_id, o.payload->>'nodeId', e.lead_id, 1, 0, 0, 0
      from events e left join outbox o on o.lead_id = e.lead_id and o.key = e.effect_key
      where e.kind = 'unsubscribed' and e.at >= ${s.lo} and e.at < ${s.hi}
        and coalesce(o.product_line, e.product_line, e.data->>'productLine') = ${pl} ${scen('o.scenario_id')}
    union all
      select 'hotLeads', e.at, e.lead_id, en.id, en.scenario_id, case when c.scenario_id = en.scenario_id then c.node_id end, e.lead_id, 1, 0, 0, 0
      from events e
      left join enrollments en on en.lead_id = e.lead_id and en.product_line = ${pl} and en.created_at <= e.at
        and (en.state->>'endedAt' is null or (en.state->>'endedAt')::bigint >= floor(extract(epoch from e.at) * 1000)) ${scen('en.scenario_id')}
      left join events c on c.lead_id = e.lead_id and c.id = e.data->>'cause'
      where e.kind = 'lead_became_hot' and e.product_line = ${pl} and e.at >= ${s.lo} and e.at < ${s.hi}
        ${s.scenarioId !== undefined ? sql`and en.id is not null` : none}
    union all
      select 'handoffs', o.created_at, o.lead_id, o.enrollment_id, o.scenario_id, o.payload->>'nodeId', o.key, 1, 0, 0, 0
      from outbox o where o.product_line = ${pl} and o.type = 'handOff' ${scen('o.scenario_id')}
    union all
      select case e.kind when 'handoff_accepted' then 'handoffsAccepted' else 'handoffsReturned' end, e.at, o.lead_id, o.enrollment_id, o.scenario_id,
        o.payload->>'nodeId', o.key, 1, 0, 0, 0
      from events e join outbox o on o.lead_id = e.lead_id and o.key = e.effect_key and o.type = 'handOff'
      where e.kind in ('handoff_accepted', 'handoff_returned') and e.at >= ${s.lo} and e.at < ${s.hi} and o.product_line = ${pl} ${scen('o.scenario_id')}
    union all
      select 'goals', o.created_at, o.lead_id, o.enrollment_id, o.scenario_id, o.payload->>'nodeId', o.key, 1, 0, 0, 0
      from outbox o where o.product_line = ${pl} and o.type = 'goalReached' ${scen('o.scenario_id')}
    union all
      ${
        leadsFromSplits
          ? sql`select 'leads', sp.at, sp.lead_id, sp.enrollment_id, sp.scenario_id, sp.split_node, sp.lead_id, 1, 0, 0, 0 from splits sp`
          : sql`select 'leads', en.created_at, en.lead_id, en.id, en.scenario_id, null, en.lead_id, 1, 0, 0, 0
                from enrollments en where en.product_line = ${pl} ${scen('en.scenario_id')}`
      }
  )`;
}
