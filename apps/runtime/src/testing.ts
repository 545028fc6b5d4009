// Runtime tests run the real app (app.request(), no socket) on both databases with a clock they move.
import { eachDialect, type TestDatabase } from '@nurtureflow/db/testing';
import type { DialectName } from '@nurtureflow/db';
import type { Hono } from 'hono';
import { createApp } from './app.ts';
import { ManualClock } from './clock.ts';
import { ALL_ROUTES } from './routes/index.ts';
import type { Runtime } from './runtime.ts';

export interface TestRuntime {
  rt: Runtime;
  app: Hono;
  clock: ManualClock;
  database: TestDatabase;
  /** JSON request to the app; returns status and parsed body. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

/** A runtime over a fresh database of the given block, with a manual clock at `start`. */
export function makeTestRuntime(database: TestDatabase, start = '2026-04-06T00:00:00Z'): TestRuntime {
  const clock = new ManualClock(Date.parse(start));
  const rt: Runtime = { db: database.db, dialect: database.dialect, clock, workerId: `test-${process.pid}`, productLines: null };
  const app = createApp(rt, ALL_ROUTES);
  const call: TestRuntime['call'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= typeof body === 'string' ? 'text/plain' : 'application/json';
    }
    const res = await app.request(`/api/v1${path}`, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  };
  return { rt, app, clock, database, call };
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
