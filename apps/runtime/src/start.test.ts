// `start` as a newcomer runs it: main.ts on the embedded database in a data directory of its own,
// a port the system picks, the demo seeded on first start and kept, not seeded again, on the next.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { DEMO_PRODUCT_LINE, DEMO_SCENARIO } from './seed.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'nurtureflow-start-'));
const started: ChildProcess[] = [];

/** The runtime as `pnpm start` runs it, on PORT=0 and the test's data directory. */
function start(): { proc: ChildProcess; out: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
  delete env['DATABASE_URL'];
  delete env['NURTUREFLOW_DATA_DIR'];
  const proc = spawn(process.execPath, ['--import', 'tsx', 'apps/runtime/src/main.ts', '--data-dir', join(dataDir, 'pglite')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  const chunks: string[] = [];
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return { proc, out: () => chunks.join(''), exited };
}

/** The base URL the runtime printed once it listens. */
async function printedUrl(child: ReturnType<typeof start>, ms = 90_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = child.out().match(/running at (http:\/\/localhost:(\d+)\/)/);
    if (m) {
      expect(Number(m[2]), 'the real port, not the 0 asked for').toBeGreaterThan(0);
      return m[1]!;
    }
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) throw new Error(`the runtime exited before listening:\n${child.out()}`);
    if (Date.now() > deadline) throw new Error(`the runtime printed no URL within ${ms} ms:\n${child.out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function get(base: string, path: string, cookie?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(new URL(path, base), cookie ? { headers: { cookie } } : {});
  return { status: res.status, body: await res.json() };
}

/** The first start's printed login: the address and the generated password. */
function printedLogin(out: string): { email: string; password: string } {
  const m = out.match(/log in at \S+ as (\S+) with the password (\S+) \(shown only this once/);
  if (!m) throw new Error(`the first start printed no login:\n${out}`);
  return { email: m[1]!, password: m[2]! };
}

/** Logs in and returns the session cookie to send. */
async function login(base: string, credentials: { email: string; password: string }): Promise<string> {
  const res = await fetch(new URL('/api/v1/auth/login', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** What the demo left in the database, as the API reports it to the logged-in admin. */
async function demoState(base: string, cookie: string) {
  const scenarios = await get(base, '/api/v1/scenarios', cookie);
  const counts = await get(base, `/api/v1/enrollments/counts?scenarioId=${DEMO_SCENARIO}`, cookie);
  const leads = await get(base, '/api/v1/leads?limit=200', cookie);
  const productLines = await get(base, '/api/v1/product-lines', cookie);
  const versions = await get(base, `/api/v1/scenarios/${DEMO_SCENARIO}/versions`, cookie);
  for (const r of [scenarios, counts, leads, productLines, versions]) expect(r.status, JSON.stringify(r.body)).toBe(200);
  return {
    scenarios: scenarios.body.scenarios.map((s: { id: string; productLine: string; status: string; publishedVersion: number | null }) => [s.id, s.productLine, s.status, s.publishedVersion]),
    enrolled: counts.body.items.reduce((n: number, i: { count: number }) => n + i.count, 0),
    leads: leads.body.leads.length,
    productLines: productLines.body.productLines.map((p: { id: string }) => p.id),
    versions: versions.body.versions.length,
  };
}

async function stop(child: ReturnType<typeof start>): Promise<string> {
  child.proc.kill('SIGTERM');
  expect(await child.exited, child.out()).toEqual({ code: 0, signal: null });
  return child.out();
}

afterAll(async () => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await Promise.all(started.map((p) => (p.exitCode === null && p.signalCode === null ? new Promise((r) => p.on('exit', r)) : undefined)));
  rmSync(dataDir, { recursive: true, force: true });
});

it('starts on the embedded database with the demo seeded, answers on the printed URL, stops cleanly, and keeps its data without seeding twice', { timeout: 240_000 }, async () => {
  const first = start();
  const base = await printedUrl(first);
  expect(await get(base, '/api/v1/health')).toEqual({ status: 200, body: { ok: true, dialect: 'pglite' } });
  // Nothing but the public routes without logging in; the first start printed how to.
  expect((await get(base, '/api/v1/scenarios')).status).toBe(401);
  const credentials = printedLogin(first.out());
  expect(credentials.email).toBe('admin@localhost');
  const seeded = await demoState(base, await login(base, credentials));
  expect(seeded).toEqual({ scenarios: [[DEMO_SCENARIO, DEMO_PRODUCT_LINE, 'active', 1]], enrolled: 40, leads: 40, productLines: [DEMO_PRODUCT_LINE], versions: 1 });
  expect(await stop(first)).toMatch(/"msg":"worker \S+ stepped \d+ enrollments"/);

  const second = start();
  const again = await printedUrl(second);
  expect(second.out(), 'the login is printed on the first start only').not.toMatch(/First start: log in/);
  expect(await demoState(again, await login(again, credentials))).toEqual(seeded);
  await stop(second);
});
