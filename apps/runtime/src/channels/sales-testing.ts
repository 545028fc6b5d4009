// Shared steps of the webhook, hand-off, call-task and print-job tests: publish a scenario, add a
// lead, run the worker, run the dispatcher over the sales channels only for one product line.
import type { GraphInput } from '@nurtureflow/scenario';
import { expect } from 'vitest';
import { drain } from '../golden/drive.ts';
import type { TestRuntime } from '../testing.ts';
import { dispatchDue, type Channel } from './dispatcher.ts';
import type { OutboundOptions } from './outbound-options.ts';

/** The secret the tests' receivers verify signatures with. */
export const SECRET = 'test-secret-0123456789abcdef';

/** Options as an operator who allows loopback targets would set them. */
export function loopbackOptions(patch: Partial<OutboundOptions> = {}): OutboundOptions {
  return { publicUrl: 'https://nf.example.jp', webhookSecret: SECRET, policy: { allowPrivate: true, allowHosts: [] }, timeoutMs: 2000, ...patch };
}

/** A request that must succeed; returns the body. */
export async function ok(t: TestRuntime, method: string, path: string, body?: unknown): Promise<any> {
  const res = await t.call(method, path, body);
  expect(res.status, `${method} ${path} → ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

/** Creates a product line (if new), saves and publishes the scenario. */
export async function publish(t: TestRuntime, graph: GraphInput, settings: object = {}): Promise<void> {
  if ((await t.call('GET', `/product-lines/${graph.productLine}`)).status === 404) {
    await ok(t, 'POST', '/product-lines', { id: graph.productLine, name: graph.productLine, settings });
  }
  await ok(t, 'POST', '/scenarios', { id: graph.scenarioId, productLine: graph.productLine, name: graph.name, draft: graph });
  await ok(t, 'POST', `/scenarios/${graph.scenarioId}/publish`, { note: 'test' });
}

/** Adds leads and enrols them by hand, then runs the worker until nothing is due. */
export async function enroll(t: TestRuntime, scenarioId: string, leads: object[]): Promise<void> {
  for (const l of leads) await ok(t, 'POST', '/leads', l);
  await ok(t, 'POST', '/enrollments', { scenarioId, leadIds: leads.map((l) => (l as { id: string }).id) });
  await drain(t);
}

/** One dispatcher round over the given channels, limited to one product line. */
export function dispatch(t: TestRuntime, productLine: string, channels: readonly Channel[], options = { maxAttempts: 3, backoffBaseMs: 1000 }): Promise<number> {
  return dispatchDue({ ...t.rt, productLines: [productLine] }, channels, options);
}

/** The lead's one enrollment in the scenario, as the API shows it. */
export async function enrollmentOf(t: TestRuntime, leadId: string, scenarioId: string): Promise<any> {
  const { items } = await ok(t, 'GET', `/enrollments?leadId=${leadId}&scenarioId=${scenarioId}`);
  expect(items.length).toBeGreaterThan(0);
  return items[items.length - 1];
}
