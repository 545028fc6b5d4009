// Several worker processes on one Postgres schema, for the many-workers test and benchmark: a
// journey with no mail (so the figure is the workers' alone, the dispatchers having nothing to
// send), leads enrolled and held by pausing the scenario until every worker is up, then released at
// once; what each worker says it stepped, and the CPU it used.
import { readFileSync } from 'node:fs';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { sql, type Kysely } from 'kysely';
import type { DB } from '@nurtureflow/db';
import { logged, spawnRuntime, stopRuntime, tail, type ChildRuntime } from './child-runtime.ts';

/** Score, branch, tag and waits; one wake-up runs a lead from its first wait to the exit once both waits have ended. */
export function fleetJourney(productLine: string, scenarioId: string) {
  return aGraph({ productLine, scenarioId, name: `Fleet ${scenarioId}` })
    .trigger('t', { type: 'import' })
    .wait('w1', dur(1, 'minutes'))
    .score('s1', 5)
    .branch('b1', [{ id: 'warm', condition: { type: 'score', op: 'gte', value: 5 } }])
    .update('u1', [{ op: 'addTag', tag: 'nurtured' }])
    .wait('w2', dur(1, 'minutes'))
    .score('s2', 3)
    .exit('x')
    .from('b1', 'default')
    .exit('cold')
    .input();
}

/** Inserts `ids` as leads, 5,000 to a statement (the figure is about the workers, not the import). */
export async function insertLeads(db: Kysely<DB>, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 5000) {
    await db.insertInto('leads').values(ids.slice(i, i + 5000).map((id) => ({ id, email: `${id}@fleet.example.jp`, attributes: {}, tags: [] }))).execute();
  }
}

/** Holds (`paused`) or releases (`active`) every scenario of these ids. */
export async function setScenarioStatus(db: Kysely<DB>, ids: readonly string[], status: 'paused' | 'active'): Promise<void> {
  await sql`update scenarios set status = ${status} where id in (${sql.join([...ids])})`.execute(db);
}

/** Starts `count` worker-only processes on this schema (each with `args` of its own) and waits until each runs. */
export async function startFleet(databaseUrl: string, schema: string, args: readonly (readonly string[])[], env: Record<string, string> = {}): Promise<ChildRuntime[]> {
  const children = args.map((a) => spawnRuntime(['--worker-only', '--no-seed', ...a], { DATABASE_URL: databaseUrl, NURTUREFLOW_DB_SCHEMA: schema, ...env }));
  try {
    await Promise.all(children.map((c) => logged(c, /^Nurtureflow worker \S+ is running/, 120_000)));
  } catch (e) {
    for (const c of children) if (!c.gone()) c.proc.kill('SIGKILL');
    throw e;
  }
  return children;
}

/** What a stopped worker reported: its id and how many enrollments it stepped. */
export interface WorkerReport {
  workerId: string;
  stepped: number;
  cpuMs: number;
}

/** Stops the workers with SIGTERM (each must exit 0) and reads what each stepped, and its CPU time just before. */
export async function stopFleet(children: readonly ChildRuntime[]): Promise<WorkerReport[]> {
  const cpu = children.map((c) => cpuMs(c.proc.pid));
  return Promise.all(
    children.map(async (c, i) => {
      const exit = await stopRuntime(c);
      if (exit.code !== 0) throw new Error(`a worker exited with ${JSON.stringify(exit)}:\n${tail(c)}`);
      const line = await logged(c, /^worker \S+ stepped \d+ enrollments$/, 1_000);
      return { workerId: String(line['workerId']), stepped: Number(line['stepped']), cpuMs: cpu[i]! };
    }),
  );
}

/** User and system CPU time of a process so far, from /proc (0 where there is none). */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** History per enrollment of these scenarios: groups of (rows, distinct seqs, max seq, state seq) and how many enrollments share each. */
export async function historyShapes(db: Kysely<DB>, scenarioIds: readonly string[]) {
  const r = await sql<{ status: string; node_id: string | null; rows: number; seqs: number; max: number; state_seq: number; n: number }>`
    with h as (
      select lead_id, enrollment_id, count(*)::int as rows, count(distinct seq)::int as seqs, max(seq)::int as max
      from enrollment_history group by lead_id, enrollment_id
    )
    select e.status, e.node_id, h.rows, h.seqs, h.max, (e.state->>'seq')::int as state_seq, count(*)::int as n
    from enrollments e join h on h.lead_id = e.lead_id and h.enrollment_id = e.id
    where e.scenario_id in (${sql.join([...scenarioIds])})
    group by 1, 2, 3, 4, 5, 6 order by n desc`.execute(db);
  return r.rows;
}
