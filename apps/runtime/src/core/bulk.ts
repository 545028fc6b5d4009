import type { DB } from '@nurtureflow/db';
import { sql, type Kysely, type Transaction } from 'kysely';

/** A database handle or an open transaction. */
export type Db = Kysely<DB> | Transaction<DB>;

/**
 * Rows travel to the database as one jsonb parameter and come out with jsonb_to_recordset: one
 * round trip and one parameter for thousands of rows, the same on PGlite and Postgres.
 */
export function records(rows: readonly object[]) {
  // Sent as text and cast: a jsonb-typed parameter would be JSON-encoded a second time by the driver.
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)`;
}

/** Inserts history rows in one statement. */
export async function insertHistory(db: Db, rows: readonly HistoryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into enrollment_history (lead_id, enrollment_id, seq, at, node_id, output, to_node, reason)
    select lead_id, enrollment_id, seq, at, node_id, output, to_node, reason
    from ${records(rows)} as r(lead_id text, enrollment_id text, seq int, at timestamptz, node_id text, output text, to_node text, reason jsonb)
    on conflict do nothing`.execute(db);
}

/** Inserts outbox rows in one statement; a key already there is left alone (idempotent). */
export async function insertOutbox(db: Db, rows: readonly OutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into outbox (lead_id, key, enrollment_id, scenario_id, product_line, type, payload, status, next_attempt_at, created_at, updated_at)
    select lead_id, key, enrollment_id, scenario_id, product_line, type, payload, status, at, at, at
    from ${records(rows)} as r(lead_id text, key text, enrollment_id text, scenario_id text, product_line text, type text, payload jsonb, status text, at timestamptz)
    on conflict do nothing`.execute(db);
}

export interface HistoryRow {
  lead_id: string;
  enrollment_id: string;
  seq: number;
  at: string;
  node_id: string | null;
  output: string | null;
  to_node: string | null;
  reason: unknown;
}

export interface OutboxRow {
  lead_id: string;
  key: string;
  enrollment_id: string;
  scenario_id: string;
  product_line: string;
  type: string;
  payload: unknown;
  status: 'pending' | 'done';
  at: string;
}

/** ISO time for jsonb records. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Retries a transaction body on deadlock or serialization failure (Postgres only; PGlite has one connection). */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (i >= attempts || (code !== '40P01' && code !== '40001')) throw e;
      await new Promise((r) => setTimeout(r, 10 * i + Math.random() * 20));
    }
  }
}
