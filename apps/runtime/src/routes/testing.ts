// Helpers for the bad-input tests of the event, enrollment and outbox routes: every row those
// requests could write, so a refused request can be shown to have written nothing at all.
import type { DB } from '@nurtureflow/db';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { TestRuntime } from '../testing.ts';

type Response = { status: number; body: any };

/** Every row of the tables events, enrollments and answers write, in a fixed order. */
export async function writtenRows(db: Kysely<DB>): Promise<Record<string, unknown[]>> {
  return {
    leads: await db.selectFrom('leads').selectAll().orderBy('id').execute(),
    lead_products: await db.selectFrom('lead_products').selectAll().orderBy('lead_id').orderBy('product_line').execute(),
    events: await db.selectFrom('events').selectAll().orderBy('lead_id').orderBy('id').execute(),
    enrollments: await db.selectFrom('enrollments').selectAll().orderBy('lead_id').orderBy('id').execute(),
    enrollment_history: await db.selectFrom('enrollment_history').selectAll().orderBy('lead_id').orderBy('enrollment_id').orderBy('seq').execute(),
    outbox: await db.selectFrom('outbox').selectAll().orderBy('lead_id').orderBy('key').execute(),
  };
}

/** The paths the issues of an error response name. */
export function issuePaths(res: Response): string[] {
  return (res.body?.error?.issues ?? []).map((i: { path: string }) => i.path);
}

/**
 * Makes a request that must be refused with `status`: the error has a code, an issue names `field`
 * (when given), and no row changed. Returns the response.
 */
export async function refusedUnchanged(t: TestRuntime, status: number, request: [method: string, path: string, body?: unknown], field?: string): Promise<Response> {
  const before = await writtenRows(t.rt.db);
  const res = await t.call(...request);
  const label = `${request[0]} ${request[1]} ${JSON.stringify(request[2])?.slice(0, 200)}`;
  expect(res.status, `${label} → ${JSON.stringify(res.body)}`).toBe(status);
  expect(res.body.error.code, label).toEqual(expect.any(String));
  if (field !== undefined) expect(issuePaths(res), label).toContain(field);
  expect(await writtenRows(t.rt.db), label).toEqual(before);
  return res;
}

/** Makes a request that must succeed with `status` and returns its body. */
export async function ok(t: TestRuntime, method: string, path: string, body?: unknown, status?: number): Promise<any> {
  const res = await t.call(method, path, body);
  if (status !== undefined) expect(res.status, `${method} ${path} → ${JSON.stringify(res.body)}`).toBe(status);
  else expect(res.status, `${method} ${path} → ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}
