// The real runtime as `pnpm start` runs it, on the embedded database in a data directory of its
// own and a port the system picks, serving the built editor. Started as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureEditorBuilt } from '../../scripts/build-editor.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A running runtime: its base URL, its output, and how to stop it. */
export interface RunningRuntime {
  url: string;
  output(): string;
  /** Calls the API and returns the JSON body; throws on an error status. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Builds the editor if needed and starts the runtime; `seed: false` starts on an empty database. */
export async function startRuntime(options: { seed?: boolean } = {}): Promise<RunningRuntime> {
  if (!ensureEditorBuilt({ quiet: true })) throw new Error('the editor did not build');
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
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 45_000;
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
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return { url: base, output, api, stop };
}
