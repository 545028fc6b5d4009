// Runtime tests run the real app (app.request(), no socket) on both databases with a clock they move.
import { eachDialect, type TestDatabase } from '@nurtureflow/db/testing';
import type { DialectName } from '@nurtureflow/db';
import type { Hono } from 'hono';
import { createApp } from './app.ts';
import type { Role } from './auth/access.ts';
import { createApiToken } from './auth/tokens.ts';
import { ManualClock } from './clock.ts';
import { ALL_ROUTES } from './routes/index.ts';
import type { Runtime } from './runtime.ts';

export interface TestRuntime {
  rt: Runtime;
  app: Hono;
  clock: ManualClock;
  database: TestDatabase;
  /**
   * JSON request to the app as an organisation admin (unless `headers` carry an authorization or a
   * cookie of their own); returns status, parsed body and headers.
   */
  call: Call;
  /** The same request as another caller: an API token's secret, or null for no credential at all. */
  as(credential: string | null): Call;
  /** Makes an API token with these roles (or org admin) and returns its secret. */
  token(grant: { orgAdmin?: boolean; roles?: Record<string, Role>; name?: string }): Promise<string>;
}

/** A JSON request to the app. */
export type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any; headers: Headers }>;

/** A runtime over a fresh database of the given block, with a manual clock at `start`. */
export function makeTestRuntime(database: TestDatabase, start = '2026-04-06T00:00:00Z'): TestRuntime {
  const clock = new ManualClock(Date.parse(start));
  const rt: Runtime = { db: database.db, dialect: database.dialect, clock, workerId: `test-${process.pid}`, productLines: null };
  const app = createApp(rt, ALL_ROUTES);
  const token: TestRuntime['token'] = async (grant) => (await createApiToken(rt.db, { name: grant.name ?? 'test', ...grant }, new Date(clock.now()))).secret;
  // Every request the tests make to the app, through call() or app.request(), is an organisation
  // admin's unless it presents a credential of its own; `as(null)` sends none.
  let admin: Promise<string> | undefined;
  const request = app.request.bind(app);
  const asAdmin = async (init: RequestInit | undefined): Promise<RequestInit> => {
    const headers = new Headers(init?.headers);
    if (!headers.has('authorization') && !headers.has('cookie')) headers.set('authorization', `Bearer ${await (admin ??= token({ orgAdmin: true, name: 'test admin' }))}`);
    return { ...init, headers };
  };
  app.request = (async (input: string | Request | URL, init?: RequestInit, ...rest: unknown[]) =>
    (request as (...a: unknown[]) => Response | Promise<Response>)(input, await asAdmin(init), ...rest)) as typeof app.request;
  const caller =
    (credential: string | null | undefined): Call =>
    async (method, path, body, headers = {}) => {
      const init: RequestInit = { method, headers: { ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= typeof body === 'string' ? 'text/plain' : 'application/json';
      }
      const res = await (credential === null ? request : app.request)(`/api/v1${path}`, init);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      // The headers are there to read but left out of comparisons (`toEqual({ status, body })`).
      return Object.defineProperty({ status: res.status, body: parsed }, 'headers', { value: res.headers, enumerable: false }) as Awaited<ReturnType<Call>>;
    };
  return { rt, app, clock, database, call: caller(undefined), as: caller, token };
}

/**
 * Runs `body` once per database (PGlite, Postgres) in a describe block; `current()` gives that
 * block's runtime. Tests in a block share the database, so they use their own ids.
 */
export function eachRuntime(name: string, body: (current: () => TestRuntime, dialect: DialectName) => void): void {
  eachDialect(name, (db, dialect) => {
    let runtime: TestRuntime | undefined;
    body(() => (runtime ??= makeTestRuntime(db())), dialect);
  });
}
