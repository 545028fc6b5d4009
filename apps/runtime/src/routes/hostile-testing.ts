// Helpers for the fuzz tests of the routes strangers reach: how many runs per database, and the
// one check every hostile request must pass — a 2xx, or a 4xx whose error has a code and names a
// field, never a 500, nothing written when refused, and nothing reaching Object.prototype.
import type { DB, DialectName } from '@nurtureflow/db';
import { assertPrototypesClean } from '@nurtureflow/scenario/testing';
import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';

/**
 * Runs per property: the embedded database takes the full count, the real Postgres a quarter (the
 * same code runs on both; Postgres proves the driver's and server's answers). FUZZ_RUNS overrides.
 */
export function fuzzRuns(dialect: DialectName, pglite: number): number {
  const base = Number(process.env['FUZZ_RUNS'] ?? pglite);
  return dialect === 'pglite' ? base : Math.max(2, Math.ceil(base / 4));
}

/** Row counts of every table of the schema: a refused request changes none of them. */
export async function rowCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  const counts = await sql<{ name: string; n: string }>`
    ${sql.join(
      tables.rows.map((t) => sql`select ${t.name}::text as name, count(*)::text as n from ${sql.table(t.name)}`),
      sql` union all `,
    )}`.execute(db);
  return Object.fromEntries(counts.rows.map((r) => [r.name, Number(r.n)]));
}

/** A response as the tests see it. */
export interface Answer {
  status: number;
  body: any;
}

/** Tables whose rows change on reads or in the background, not by the request under test. */
const INCIDENTAL = new Set(['sessions', 'api_tokens', 'server_secrets']);

function changed(before: Record<string, number>, after: Record<string, number>): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (INCIDENTAL.has(name)) continue;
    if (before[name] !== after[name]) out[name] = [before[name] ?? 0, after[name] ?? 0];
  }
  return out;
}

/**
 * The check for one hostile request: never a 5xx; a refusal (4xx) has an error code, names at
 * least one field (unless `plain`, for pages mail recipients open), and changed no table's row
 * count. Returns the answer for checks of its own.
 */
export async function hostile(db: Kysely<DB>, label: string, request: () => Promise<Answer>, options: { plain?: boolean } = {}): Promise<Answer> {
  const before = await rowCounts(db);
  const res = await request();
  const shown = `${label} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 500)}`;
  expect(res.status, shown).toBeLessThan(500);
  expect(res.status, shown).toBeGreaterThanOrEqual(200);
  if (res.status >= 400) {
    if (!options.plain) {
      expect(typeof res.body?.error?.code, shown).toBe('string');
      if (res.status !== 404 && res.status !== 401 && res.status !== 403) expect(res.body.error.issues?.length ?? 0, shown).toBeGreaterThan(0);
      for (const issue of res.body.error.issues ?? []) expect(typeof issue.path, shown).toBe('string');
    }
    expect(changed(before, await rowCounts(db)), shown).toEqual({});
  }
  assertPrototypesClean();
  return res;
}

/** A short label for a value in a failure message. */
export function labelOf(value: unknown): string {
  try {
    return (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)).slice(0, 300);
  } catch {
    return String(value).slice(0, 300);
  }
}
