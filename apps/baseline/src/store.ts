// The baseline's tables and the SQL a team writes by hand around them: one row of state per lead,
// history and outbox rows per walk, and the next job added with graphile-worker's own `add_job`
// function in the same transaction, so state, history, outbox and the next job commit together.
import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { walk, wakesOn, OPEN_POINTS, OPENED, type Journey, type Walked } from './journey.ts';

const schemaName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a lower-case SQL identifier' });

/** Where the baseline keeps its tables (`app`) and graphile-worker its queue (`worker`). */
export const schemasSchema = z.object({ app: schemaName, worker: schemaName });
export type Schemas = z.infer<typeof schemasSchema>;

/** A step job's payload: which lead, at which history seq it was scheduled, and the time it stands for. */
export const stepPayloadSchema = z.object({
  leadId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  at: z.number().int(),
  event: z.string().min(1).optional(),
});
export type StepPayload = z.infer<typeof stepPayloadSchema>;

/** The tables: lead state, history, outbox (with the dispatcher's index on open rows) and events. */
export async function createTables(pool: Pool, s: Schemas): Promise<void> {
  await pool.query(`
    create schema if not exists ${s.app};
    create table if not exists ${s.app}.lead_state (
      lead_id text primary key,
      node text,
      status text not null default 'new',
      seq int not null default 0,
      score int not null default 0,
      tags text[] not null default '{}',
      unsubscribed boolean not null default false,
      node_entered_at timestamptz,
      wake_at timestamptz,
      updated_at timestamptz not null default now()
    );
    create table if not exists ${s.app}.history (
      lead_id text not null, seq int not null, at timestamptz not null, node_id text not null,
      output text, to_node text, reason text not null,
      primary key (lead_id, seq)
    );
    create table if not exists ${s.app}.outbox (
      lead_id text not null, key text not null, node_id text not null, type text not null,
      payload jsonb not null, status text not null, at timestamptz not null,
      primary key (lead_id, key)
    );
    create index if not exists outbox_pending_idx on ${s.app}.outbox (at) where status = 'pending';
    create table if not exists ${s.app}.events (
      id bigserial primary key, lead_id text not null, kind text not null, at timestamptz not null
    );`);
}

/** Drops both schemas. */
export async function dropTables(pool: Pool, s: Schemas): Promise<void> {
  await pool.query(`drop schema if exists ${s.app} cascade; drop schema if exists ${s.worker} cascade`);
}

/** Leads the baseline knows of, not enrolled yet. */
export async function addLeads(pool: Pool, s: Schemas, leadIds: readonly string[]): Promise<void> {
  await pool.query(`insert into ${s.app}.lead_state (lead_id) select unnest($1::text[]) on conflict do nothing`, [leadIds]);
}

interface StateRow {
  lead_id: string;
  node: string | null;
  status: Journey['status'];
  seq: number;
  score: number;
  tags: string[];
  unsubscribed: boolean;
  node_entered_at: Date | null;
  wake_at: Date | null;
}

function journeyOf(r: StateRow): Journey {
  return {
    leadId: r.lead_id,
    node: r.node,
    status: r.status,
    seq: r.seq,
    score: r.score,
    tags: r.tags,
    unsubscribed: r.unsubscribed,
    nodeEnteredAt: r.node_entered_at?.getTime() ?? 0,
    wakeAt: r.wake_at?.getTime() ?? null,
  };
}

const OPEN_TYPES = new Set(['sendEmail', 'handOff']);

/** History, outbox and state of many walks in four statements, plus their next jobs. */
async function commitWalks(c: PoolClient, s: Schemas, walks: readonly Walked[], at: number): Promise<void> {
  const lead: string[] = [];
  const seq: number[] = [];
  const node: string[] = [];
  const output: (string | null)[] = [];
  const to: (string | null)[] = [];
  const reason: string[] = [];
  const oLead: string[] = [];
  const oKey: string[] = [];
  const oNode: string[] = [];
  const oType: string[] = [];
  const oPayload: string[] = [];
  const oStatus: string[] = [];
  const jobs: string[] = [];
  const runAt: Date[] = [];
  for (const w of walks) {
    const j = w.journey;
    for (const h of w.history) {
      lead.push(j.leadId);
      seq.push(h.seq);
      node.push(h.node);
      output.push(h.output);
      to.push(h.to);
      reason.push(h.reason);
    }
    for (const o of w.outbox) {
      oLead.push(j.leadId);
      oKey.push(o.key);
      oNode.push(o.node);
      oType.push(o.type);
      oPayload.push(JSON.stringify(o.data));
      oStatus.push(OPEN_TYPES.has(o.type) ? 'pending' : 'done');
    }
    if (j.status === 'waiting' && j.wakeAt !== null) {
      jobs.push(JSON.stringify({ leadId: j.leadId, seq: j.seq, at: j.wakeAt } satisfies StepPayload));
      runAt.push(new Date(j.wakeAt));
    }
  }
  const when = new Date(at);
  if (walks.length === 1) {
    const j = walks[0]!.journey;
    await c.query({
      name: 'baseline_state',
      text: `update ${s.app}.lead_state set node = $2, status = $3, seq = $4, score = $5, tags = $6::text[], node_entered_at = $7, wake_at = $8, updated_at = now()
             where lead_id = $1`,
      values: [j.leadId, j.node, j.status, j.seq, j.score, j.tags, new Date(j.nodeEnteredAt), j.wakeAt === null ? null : new Date(j.wakeAt)],
    });
  } else {
    const states = walks.map(({ journey: j }) => ({
      lead_id: j.leadId,
      node: j.node,
      status: j.status,
      seq: j.seq,
      score: j.score,
      tags: j.tags,
      entered: new Date(j.nodeEnteredAt).toISOString(),
      wake: j.wakeAt === null ? null : new Date(j.wakeAt).toISOString(),
    }));
    await c.query(
      `update ${s.app}.lead_state as l set node = r.node, status = r.status, seq = r.seq, score = r.score,
         tags = array(select jsonb_array_elements_text(r.tags)), node_entered_at = r.entered, wake_at = r.wake, updated_at = now()
       from jsonb_to_recordset($1::jsonb) as r(lead_id text, node text, status text, seq int, score int, tags jsonb, entered timestamptz, wake timestamptz)
       where l.lead_id = r.lead_id`,
      [JSON.stringify(states)],
    );
  }
  if (lead.length > 0) {
    await c.query({
      name: 'baseline_history',
      text: `insert into ${s.app}.history (lead_id, seq, at, node_id, output, to_node, reason)
             select l, q, $2, n, o, t, r from unnest($1::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[]) as u(l, q, n, o, t, r)`,
      values: [lead, when, seq, node, output, to, reason],
    });
  }
  if (oLead.length > 0) {
    await c.query({
      name: 'baseline_outbox',
      text: `insert into ${s.app}.outbox (lead_id, key, node_id, type, payload, status, at)
             select l, k, n, t, p, st, $2 from unnest($1::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[]) as u(l, k, n, t, p, st)`,
      values: [oLead, when, oKey, oNode, oType, oPayload, oStatus],
    });
  }
  if (jobs.length === 1) {
    await c.query({ name: 'baseline_add_job', text: `select from ${s.worker}.add_job('step', $1::json, run_at => $2::timestamptz)`, values: [jobs[0], runAt[0]] });
  } else if (jobs.length > 1) {
    await c.query({
      name: 'baseline_add_jobs',
      text: `select from ${s.worker}.add_jobs(array(
               select row('step', p, null, r, null, null, null, null)::${s.worker}.job_spec from unnest($1::json[], $2::timestamptz[]) as u(p, r)))`,
      values: [jobs, runAt],
    });
  }
}

/** Runs `body` in a transaction on one pooled connection. */
async function inTransaction<T>(pool: Pool, body: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('begin');
    const result = await body(c);
    await c.query('commit');
    return result;
  } catch (e) {
    await c.query('rollback');
    throw e;
  } finally {
    c.release();
  }
}

/** Enrols leads at time `at`: each walks from the trigger to its first wait, and its first job is added. */
export async function enrol(pool: Pool, s: Schemas, scenarioId: string, leadIds: readonly string[], at: number): Promise<void> {
  await inTransaction(pool, async (c) => {
    const rows = await c.query<StateRow>(`select * from ${s.app}.lead_state where lead_id = any($1::text[]) and status = 'new' order by lead_id for update`, [leadIds]);
    await commitWalks(c, s, rows.rows.map((r) => walk(scenarioId, journeyOf(r), null, at)), at);
  });
}

/**
 * The step job: in one transaction, locks the lead's state, walks it on from where it waited, and
 * writes state, history, outbox and the next job. A job whose seq no longer matches (an event moved
 * the lead on first, or the job ran before and is retried) does nothing. Returns the new state, or
 * null when it did nothing.
 */
export async function step(c: PoolClient, s: Schemas, scenarioId: string, p: StepPayload): Promise<Journey | null> {
  await c.query('begin');
  try {
    const found = await c.query<StateRow>({ name: 'baseline_lock', text: `select * from ${s.app}.lead_state where lead_id = $1 for update`, values: [p.leadId] });
    const row = found.rows[0];
    if (!row || row.status !== 'waiting' || row.seq !== p.seq) {
      await c.query('commit');
      return null;
    }
    const walked = walk(scenarioId, journeyOf(row), p.event === undefined ? { type: 'timer' } : { type: 'event', kind: p.event }, p.at);
    await commitWalks(c, s, [walked], p.at);
    await c.query('commit');
    return walked.journey;
  } catch (e) {
    await c.query('rollback');
    throw e;
  }
}

/**
 * An event about a lead: stored, scored (an opened mail is worth 5 points), and when the lead waits
 * for it, a job that wakes the lead now (the job for its timeout then finds the seq moved and does nothing).
 */
export async function ingestEvent(pool: Pool, s: Schemas, event: { leadId: string; kind: string; at: number }): Promise<void> {
  await inTransaction(pool, async (c) => {
    const when = new Date(event.at);
    await c.query(`insert into ${s.app}.events (lead_id, kind, at) values ($1, $2, $3)`, [event.leadId, event.kind, when]);
    const points = event.kind === OPENED ? OPEN_POINTS : 0;
    const found = await c.query<StateRow>(`update ${s.app}.lead_state set score = score + $2, updated_at = now() where lead_id = $1 returning *`, [event.leadId, points]);
    const row = found.rows[0];
    if (row && wakesOn(journeyOf(row), event.kind, event.at)) {
      const payload: StepPayload = { leadId: event.leadId, seq: row.seq, at: event.at, event: event.kind };
      await c.query(`select from ${s.worker}.add_job('step', $1::json, run_at => $2::timestamptz)`, [JSON.stringify(payload), when]);
    }
  });
}

/** Every lead's state, and its history as (node, output, to) rows in order, for comparing with the runtime. */
export async function readJourneys(pool: Pool, s: Schemas): Promise<Map<string, { journey: Journey; path: [string, string | null, string | null][] }>> {
  const states = await pool.query<StateRow>(`select * from ${s.app}.lead_state order by lead_id`);
  const history = await pool.query<{ lead_id: string; node_id: string; output: string | null; to_node: string | null }>(
    `select lead_id, node_id, output, to_node from ${s.app}.history order by lead_id, seq`,
  );
  const out = new Map<string, { journey: Journey; path: [string, string | null, string | null][] }>();
  for (const r of states.rows) out.set(r.lead_id, { journey: journeyOf(r), path: [] });
  for (const h of history.rows) out.get(h.lead_id)?.path.push([h.node_id, h.output, h.to_node]);
  return out;
}

/** How many history and outbox rows are stored. */
export async function countRows(pool: Pool, s: Schemas): Promise<{ history: number; outbox: number }> {
  const r = await pool.query<{ history: string; outbox: string }>(`select (select count(*) from ${s.app}.history) as history, (select count(*) from ${s.app}.outbox) as outbox`);
  return { history: Number(r.rows[0]?.history ?? 0), outbox: Number(r.rows[0]?.outbox ?? 0) };
}
