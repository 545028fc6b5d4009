// Builds the editor (apps/editor → apps/editor/dist) when dist is missing or older than anything it
// is built from: its own sources and the scenario format it bundles. Used by start, test and e2e.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const editor = join(root, 'apps/editor');
const built = join(editor, 'dist/index.html');
const SOURCES = ['apps/editor/src', 'apps/editor/index.html', 'apps/editor/vite.config.ts', 'apps/editor/package.json', 'packages/scenario/src', 'packages/engine/src', 'packages/simulator/src'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) if (!name.endsWith('.test.ts')) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** True when the built editor is missing or older than one of its sources. */
export function editorIsStale() {
  if (!existsSync(built)) return true;
  const at = statSync(built).mtimeMs;
  return SOURCES.some((p) => newest(join(root, p)) > at);
}

/**
 * Builds the editor if it is stale. Concurrent callers (e2e files in parallel workers) wait for the
 * one that holds the lock rather than building twice. Returns false when the build failed.
 */
export function ensureEditorBuilt({ quiet = false } = {}) {
  if (!editorIsStale()) return true;
  const lock = join(root, '.data/editor-build.lock');
  mkdirSync(join(root, '.data'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process is building; a lock older than five minutes is a crashed build's.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmdirSync(lock);
      spawnSync('sleep', ['0.5']);
      if (!editorIsStale()) return true;
    }
  }
  try {
    if (!editorIsStale()) return true;
    if (!quiet) console.log('▶ building the editor (apps/editor)');
    // A production build whoever calls (vitest sets NODE_ENV=test, which would bundle React's development build).
    const env = { ...process.env, NODE_ENV: 'production' };
    const r = spawnSync('npx', ['vite', 'build', '--mode', 'production', '--logLevel', quiet ? 'error' : 'warn'], { cwd: editor, stdio: 'inherit', env });
    return r.status === 0;
  } finally {
    rmdirSync(lock);
  }
}
