#!/usr/bin/env node
// `pnpm start`: the product's main job. Runs the runtime (API, worker and the built editor) on the
// embedded database; before the runtime exists in a checkout, replays the golden scenarios instead.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureEditorBuilt } from './build-editor.mjs';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

const runtime = 'apps/runtime/src/main.ts';
// The runtime serves the built editor at `/`: build it when it is missing or older than its sources.
if (existsSync(runtime) && existsSync('apps/editor/package.json') && !ensureEditorBuilt()) process.exit(1);
const args = existsSync(runtime) ? ['tsx', runtime, ...process.argv.slice(2)] : ['tsx', 'scripts/replay-golden.ts'];
const child = spawn('npx', args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
