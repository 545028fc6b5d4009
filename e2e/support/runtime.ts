// The real runtime as `pnpm start` runs it, on the embedded database in a data directory of its
// own and a port the system picks, serving the built editor. Started as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { ensureEditorBuilt } from '../../scripts/build-editor.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Who logs in: an address and its password. */
export interface Credentials {
  email: string;
  password: string;
}

/**
 * The organisation admin the runtime makes on its first start: NURTUREFLOW_ADMIN_PASSWORD (set
 * here when the environment does not), so the tests know how to log in.
 */
export function e2eAdmin(): Credentials {
  process.env['NURTUREFLOW_ADMIN_PASSWORD'] ??= 'e2e-admin-password-0123';
  return { email: process.env['NURTUREFLOW_ADMIN_EMAIL'] || 'admin@localhost', password: process.env['NURTUREFLOW_ADMIN_PASSWORD'] };
}

/** A running runtime: its base URL, its output, and how to stop it. */
export interface RunningRuntime {
  url: string;
  output(): string;
  /** The organisation admin made on first start. */
  admin: Credentials;
  /** Calls the API as the organisation admin and returns the JSON body; throws on an error status. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Logs in over the API as someone: a function calling the API with that session. */
  as(who: Credentials): Promise<ApiCall>;
  /** Makes an account, as the organisation admin, and gives it a role on a product line. */
  addMember(productLine: string, who: Credentials & { displayName: string }, role: 'admin' | 'editor' | 'analyst' | 'sales'): Promise<void>;
  /** Logs a browser context in (as the organisation admin unless told who): its pages send the session cookie. */
  logIn(context: BrowserContext, who?: Credentials): Promise<void>;
  stop(): Promise<void>;
}

let latest: RunningRuntime | null = null;

/** The runtime started last and still running: the one new browser pages log in to. */
export function latestRuntime(): RunningRuntime | null {
  return latest;
}

/** Builds the editor if needed and starts the runtime; `seed: false` starts on an empty database. */
export async function startRuntime(options: { seed?: boolean } = {}): Promise<RunningRuntime> {
  if (!ensureEditorBuilt({ quiet: true })) throw new Error('the editor did not build');
  const admin = e2eAdmin();
  const dataDir = mkdtempSync(join(tmpdir(), 'nurtureflow-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
  delete env['DATABASE_URL'];
  delete env['NURTUREFLOW_DATA_DIR'];
  const args = ['--import', 'tsx', 'apps/runtime/src/main.ts', '--data-dir', join(dataDir, 'pglite'), ...(options.seed === false ? ['--no-seed'] : [])];
  const proc: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  proc.stdout?.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
  proc.stderr?.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const output = () => chunks.join('');
  const stop = async () => {
    if (latest?.url === url) latest = null;
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  // Generous: on a busy machine, loading the sources and the first start (migrations, the demo seed) take a while.
  const deadline = Date.now() + 120_000;
  let url: string | undefined;
  while (!url) {
    url = output().match(/running at (http:\/\/localhost:\d+)\//)?.[1];
    if (url) break;
    if (proc.exitCode !== null || proc.signalCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the runtime did not start:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const base = url;
  // The admin's session for API calls, made on the first call.
  let session: Promise<ApiCall> | undefined;
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => (await (session ??= apiAs(base, admin)))<T>(method, path, body);
  const as = (who: Credentials) => apiAs(base, who);
  const addMember = async (productLine: string, who: Credentials & { displayName: string }, role: string) => {
    await api('POST', '/users', who);
    await api('PUT', `/product-lines/${encodeURIComponent(productLine)}/members`, { email: who.email, role });
  };
  const logIn = async (context: BrowserContext, who: Credentials = admin) => {
    // The context's request shares its cookies with its pages: the login's Set-Cookie is theirs.
    const res = await context.request.post(`${base}/api/v1/auth/login`, { data: { email: who.email, password: who.password } });
    if (!res.ok()) throw new Error(`login as ${who.email}: ${res.status()} ${await res.text()}`);
  };
  const running: RunningRuntime = { url: base, output, admin, api, as, addMember, logIn, stop };
  latest = running;
  return running;
}

/** Calls the API with one session and returns the JSON body (throws on an error status); carries the session's cookie and CSRF token. */
export type ApiCall = (<T = unknown>(method: string, path: string, body?: unknown) => Promise<T>) & { cookie: string; csrf: string };

/** Logs in over the API; the session's cookie goes with every call, its CSRF token with every change. */
async function apiAs(base: string, who: Credentials): Promise<ApiCall> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: who.email, password: who.password }) });
  const answer = (await res.json()) as { csrfToken?: string };
  if (!res.ok) throw new Error(`login as ${who.email}: ${res.status} ${JSON.stringify(answer)}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = answer.csrfToken ?? '';
  const call = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return Object.assign(call, { cookie, csrf });
}
