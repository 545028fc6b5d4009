#!/usr/bin/env node
// Runs every test in the workspace: typecheck, then vitest over all packages, apps and e2e.
// Prepares what the tests need on a fresh machine first (a local PostgreSQL, Debian's chromium).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { ensureEditorBuilt } from './build-editor.mjs';
import { ensureServices } from './services.mjs';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

ensureServices();

const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

console.log('\n▶ typecheck');
if (run('npx', ['tsc', '-p', 'tsconfig.json']) !== 0) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

// The browser tests drive the runtime serving the built editor.
if (!ensureEditorBuilt()) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

console.log('\n▶ tests');
mkdirSync('.data', { recursive: true });
const report = '.data/vitest-report.json';
const status = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

// A plain closing line that any CI reads, whatever the runner prints above it.
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
process.exit(status);
