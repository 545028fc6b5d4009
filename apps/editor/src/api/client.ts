// The runtime's REST API as the editor uses it. Same origin: the runtime serves the editor.
import type { Graph, ProductLineSettingsInput } from '@nurtureflow/scenario';

const BASE = '/api/v1';

/** An API error with the runtime's code and message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The fields the runtime named, as `body.settings.scoring.rules[0].points`. */
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/**
 * The session's CSRF token: the session cookie is HTTP-only, so the editor learns the token from
 * the login answer or GET /auth/me and sends it with every change.
 */
let csrfToken: string | null = null;
/** Told when the runtime answers 401: the session ended (logged out elsewhere, expired). */
let unauthenticated: () => void = () => undefined;

/** Sets the CSRF token changes are sent with (null after logging out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Who to tell when a call finds the session gone. */
export function onUnauthenticated(listener: () => void): void {
  unauthenticated = listener;
}

const SAFE = new Set(['GET', 'HEAD']);

async function send(method: string, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (!SAFE.has(method) && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  return fetch(BASE + path, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** One JSON call to the runtime's API; an error status throws an ApiFailure with the runtime's code and message. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body);
  // A token from before a new login in another tab: read the session's own and try once more.
  if (res.status === 403 && !SAFE.has(method) && (await errorOf(res.clone()))?.code === 'csrf') {
    const me = await fetch(`${BASE}/auth/me`, { credentials: 'same-origin' });
    if (me.ok) {
      setCsrfToken(((await me.json()) as { csrfToken: string | null }).csrfToken);
      res = await send(method, path, body);
    }
  }
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; issues?: { path: string; message: string }[] } } | undefined)?.error;
    if (res.status === 401 && path !== '/auth/login') unauthenticated();
    throw new ApiFailure(res.status, err?.code ?? 'error', err?.message ?? `${method} ${path}: ${res.status}`, err?.issues ?? []);
  }
  return json as T;
}

async function errorOf(res: Response): Promise<{ code?: string } | undefined> {
  try {
    return ((await res.json()) as { error?: { code?: string } }).error;
  } catch {
    return undefined;
  }
}

export type ScenarioStatus = 'draft' | 'active' | 'paused' | 'archived';

export interface ProductLine {
  id: string;
  name: string;
  /** Scoring, caps, quiet hours…: what a simulation in the editor needs to score like the runtime. */
  settings: ProductLineSettingsInput;
}

export interface ScenarioSummary {
  id: string;
  productLine: string;
  name: string;
  status: ScenarioStatus;
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ScenarioDetail extends ScenarioSummary {
  draft: Record<string, unknown>;
  enrollments: { active: number; waiting: number; completed: number; exited: number; failed: number; total: number };
}

export interface VersionSummary {
  version: number;
  note: string;
  publishedAt: string;
  current: boolean;
}

/** Per node of a published scenario: leads there now, leads that reached it, enrollments that ended there. */
export interface NodeCount {
  nodeId: string;
  now: number;
  passed: number;
  ended: number;
}

export interface Template {
  id: string;
  name: string;
  subject: string;
}

/** The calls the editor makes. */
export const api = {
  productLines: () => call<{ productLines: ProductLine[] }>('GET', '/product-lines').then((r) => r.productLines),
  scenarios: (productLine?: string) =>
    call<{ scenarios: ScenarioSummary[] }>('GET', `/scenarios${productLine ? `?productLine=${encodeURIComponent(productLine)}` : ''}`).then((r) => r.scenarios),
  scenario: (id: string) => call<ScenarioDetail>('GET', `/scenarios/${encodeURIComponent(id)}`),
  createScenario: (body: { productLine: string; name: string; draft?: Record<string, unknown> }) => call<ScenarioDetail>('POST', '/scenarios', body),
  saveDraft: (id: string, draft: unknown) => call<{ scenario: ScenarioSummary; errors: number; warnings: number }>('PUT', `/scenarios/${encodeURIComponent(id)}/draft`, draft),
  publish: (id: string, body: { note: string; moveEnrollments: boolean }) =>
    call<{ scenario: ScenarioSummary; version: number; moved: number; stayed: number }>('POST', `/scenarios/${encodeURIComponent(id)}/publish`, body),
  versions: (id: string) => call<{ versions: VersionSummary[] }>('GET', `/scenarios/${encodeURIComponent(id)}/versions`).then((r) => r.versions),
  version: (id: string, version: number) => call<VersionSummary & { graph: Graph }>('GET', `/scenarios/${encodeURIComponent(id)}/versions/${version}`),
  status: (id: string, action: 'pause' | 'resume' | 'archive') => call<{ scenario: ScenarioSummary }>('POST', `/scenarios/${encodeURIComponent(id)}/${action}`),
  templates: (productLine: string) =>
    call<{ templates: Template[] }>('GET', `/product-lines/${encodeURIComponent(productLine)}/templates`).then((r) => r.templates),
  previewTemplate: (productLine: string, id: string) =>
    call<{ subject: string; html: string; text: string }>('POST', `/product-lines/${encodeURIComponent(productLine)}/templates/${encodeURIComponent(id)}/preview`, {}),
  counts: (scenarioId: string, version?: number) =>
    call<{ nodes: NodeCount[] }>('GET', `/scenarios/${encodeURIComponent(scenarioId)}/node-counts${version ? `?version=${version}` : ''}`).then((r) => r.nodes),
};
