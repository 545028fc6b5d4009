// Helpers for product line and scenario tests: a publishable draft, enrollments written straight to
// the database (the worker that normally writes them is not under test here), and a snapshot of
// every table so a refused request can be shown to have changed nothing.
import type { DB } from '@nurtureflow/db';
import type { EnrollmentState, EnrollmentStatus } from '@nurtureflow/engine';
import type { GraphInput } from '@nurtureflow/scenario';
import { aGraph, dur, ev, type GraphBuilder } from '@nurtureflow/scenario/testing';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { TestRuntime } from '../testing.ts';

type Response = { status: number; body: any };

/** Form → welcome mail → wait 3 days → follow-up → exit; `edit` may change the chain before it is built. */
export function welcomeDraft(productLine: string, edit: (g: GraphBuilder) => GraphBuilder = (g) => g): GraphInput {
  const g = aGraph({ productLine, scenarioId: 'whatever', version: 0, name: 'Welcome' }).trigger('t', ev('form_submitted'));
  return edit(g).input();
}

/** The usual chain of `welcomeDraft`, for `edit` functions that rename a node. */
export function welcomeChain(g: GraphBuilder, ids = { first: 'm1', wait: 'w', second: 'm2' }): GraphBuilder {
  return g.email(ids.first, 'welcome').wait(ids.wait, dur(3)).email(ids.second, 'follow-up').exit('done');
}

/** Creates a product line through the API and returns its id. */
export async function aProductLine(t: TestRuntime, id: string): Promise<string> {
  const res = await t.call('POST', '/product-lines', { id, name: `Product ${id}` });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return id;
}

/** Creates a scenario with a draft through the API and returns its id. */
export async function aScenario(t: TestRuntime, productLine: string, id: string, draft: object = welcomeDraft(productLine, welcomeChain)): Promise<string> {
  const res = await t.call('POST', '/scenarios', { id, productLine, name: `Scenario ${id}`, draft });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return id;
}

/** Publishes through the API, expecting success, and returns the response body. */
export async function publish(t: TestRuntime, id: string, body: object = { note: 'first' }): Promise<any> {
  const res = await t.call('POST', `/scenarios/${id}/publish`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** An enrollment as the worker would have stored it. */
export interface EnrollmentSeed {
  leadId: string;
  id: string;
  scenarioId: string;
  productLine: string;
  version: number;
  status: EnrollmentStatus;
  nodeId: string | null;
  /** When it entered, ms; it waits three days from then. */
  at: number;
  seq?: number;
}

/** Writes a lead (if new) and an enrollment row with an engine-shaped state. */
export async function insertEnrollment(db: Kysely<DB>, e: EnrollmentSeed): Promise<EnrollmentState> {
  await db
    .insertInto('leads')
    .values({ id: e.leadId, email: null, email_norm: null, phone_norm: null, company_norm: null, name_norm: null, merged_into: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const ended = e.status === 'completed' || e.status === 'exited' || e.status === 'failed';
  const until = e.at + 3 * 86_400_000;
  const state: EnrollmentState = {
    id: e.id,
    leadId: e.leadId,
    productLine: e.productLine,
    scenarioId: e.scenarioId,
    version: e.version,
    status: e.status,
    nodeId: e.nodeId,
    enteredAt: e.at,
    nodeEnteredAt: e.at,
    seq: e.seq ?? 3,
    waiting: e.status === 'waiting' ? { until, events: ['email_opened'], reason: 'wait' } : null,
    attempts: 0,
    pendingKey: null,
    endedAt: ended ? e.at : null,
    endReason: ended ? 'goal' : null,
  };
  await db
    .insertInto('enrollments')
    .values({
      lead_id: e.leadId,
      id: e.id,
      scenario_id: e.scenarioId,
      version: e.version,
      product_line: e.productLine,
      status: e.status,
      node_id: e.nodeId,
      state,
      wake_at: e.status === 'waiting' ? new Date(until) : null,
      wait_events: e.status === 'waiting' ? ['email_opened'] : null,
      claimed_by: null,
      claimed_until: null,
    })
    .execute();
  return state;
}

/** One enrollment row. */
export async function enrollmentRow(db: Kysely<DB>, leadId: string, id: string) {
  return db.selectFrom('enrollments').selectAll().where('lead_id', '=', leadId).where('id', '=', id).executeTakeFirstOrThrow();
}

/** Every row this part of the runtime writes, in a fixed order. */
export async function snapshot(db: Kysely<DB>): Promise<Record<string, unknown[]>> {
  return {
    product_lines: await db.selectFrom('product_lines').selectAll().orderBy('id').execute(),
    scenarios: await db.selectFrom('scenarios').selectAll().orderBy('id').execute(),
    scenario_versions: await db.selectFrom('scenario_versions').selectAll().orderBy('scenario_id').orderBy('version').execute(),
    enrollments: await db.selectFrom('enrollments').selectAll().orderBy('lead_id').orderBy('id').execute(),
    enrollment_history: await db.selectFrom('enrollment_history').selectAll().orderBy('lead_id').orderBy('enrollment_id').orderBy('seq').execute(),
  };
}

/**
 * Makes a request that must be refused: checks the status, that every table is as it was, and
 * (when given) that an issue names `path`. Returns the response.
 */
export async function refused(t: TestRuntime, status: number, request: [method: string, path: string, body?: unknown], path?: string): Promise<Response> {
  const before = await snapshot(t.rt.db);
  const res = await t.call(...request);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toEqual(expect.any(String));
  if (path !== undefined) expect(issuePaths(res)).toContain(path);
  expect(await snapshot(t.rt.db)).toEqual(before);
  return res;
}

/** The paths the issues of an error response name. */
export function issuePaths(res: Response): string[] {
  return (res.body?.error?.issues ?? []).map((i: { path: string }) => i.path);
}
