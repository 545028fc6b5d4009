// Runtime processes as the operator runs them (`main.ts` under tsx) for the tests and benchmarks that
// need real processes: signals, SIGKILL, several workers on one Postgres. What a child prints is
// kept and read back as the JSON lines it logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, where children run. */
export const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const MAIN = 'apps/runtime/src/main.ts';

/** One line a child logged (or printed: lines that are not JSON come back as `{ msg: line }`). */
export interface LogLine {
  msg?: string;
  level?: string;
  [field: string]: unknown;
}

/** A runtime started as a child process. */
export interface ChildRuntime {
  proc: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  text(): string;
  /** Its log lines so far, parsed. */
  lines(): LogLine[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once it exited or was killed. */
  gone(): boolean;
}

/** Starts `main.ts` with these arguments; the environment is this process's plus `env` (undefined removes a variable). */
export function spawnRuntime(args: readonly string[], env: Record<string, string | undefined> = {}): ChildRuntime {
  const merged: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const text = () => chunks.join('');
  return {
    proc,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l): LogLine => {
          try {
            const parsed: unknown = JSON.parse(l);
            return parsed !== null && typeof parsed === 'object' ? (parsed as LogLine) : { msg: l };
          } catch {
            return { msg: l };
          }
        }),
    exited,
    gone: () => proc.exitCode !== null || proc.signalCode !== null,
  };
}

/** Waits until the child logged a line `match` accepts (a regex on its msg, or a predicate); fails early if it exits first. */
export async function logged(child: ChildRuntime, match: RegExp | ((line: LogLine) => boolean), ms = 60_000): Promise<LogLine> {
  const test = typeof match === 'function' ? match : (l: LogLine) => typeof l.msg === 'string' && match.test(l.msg);
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = child.lines().find(test);
    if (hit) return hit;
    if (child.gone()) throw new Error(`the runtime exited before logging ${String(match)}:\n${tail(child)}`);
    if (Date.now() > deadline) throw new Error(`the runtime did not log ${String(match)} within ${ms} ms:\n${tail(child)}`);
    await sleep(25);
  }
}

/** The base URL (`http://localhost:PORT/`) the child logged once it listens. */
export async function listening(child: ChildRuntime, ms = 60_000): Promise<string> {
  const line = await logged(child, /running at http:\/\/localhost:\d+\//, ms);
  return /running at (http:\/\/localhost:\d+\/)/.exec(line.msg!)![1]!;
}

/** Sends `signal` and waits for the exit. */
export async function stopRuntime(child: ChildRuntime, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (!child.gone()) child.proc.kill(signal);
  return child.exited;
}

/** SIGKILLs every child still running and waits until they are gone. */
export async function killAll(children: readonly ChildRuntime[]): Promise<void> {
  for (const c of children) if (!c.gone()) c.proc.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
}

/** The last lines a child printed, for failure messages. */
export function tail(child: ChildRuntime, n = 40): string {
  return child.text().split('\n').slice(-n).join('\n');
}

/** Polls until `done()` holds; throws after `ms`. */
export async function until(what: string, done: () => Promise<boolean> | boolean, ms: number, every = 100): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}`);
    await sleep(every);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
