#!/usr/bin/env node
// `pnpm bench [area]`: runs every benchmark, or one area's. Each benchmark is a script that prints a
// readable table and one `bench <name> <number>` line per figure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureServices } from './services.mjs';

const AREAS = ['engine', 'runtime', 'channels', 'editor', 'simulator', 'baseline'];
const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

const wanted = process.argv[2];
if (wanted && !AREAS.includes(wanted)) {
  console.error(`unknown bench area "${wanted}"; choose one of: ${AREAS.join(', ')}`);
  process.exit(2);
}

const scripts = [];
for (const top of ['packages', 'apps', 'e2e']) {
  if (!existsSync(top)) continue;
  for (const pkg of readdirSync(top)) {
    const dir = top === 'e2e' ? join(top) : join(top, pkg, 'bench');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      const area = file.split('.')[0];
      if (file.endsWith('.bench.ts') && AREAS.includes(area) && (!wanted || area === wanted)) scripts.push(join(dir, file));
    }
  }
}
const unique = [...new Set(scripts)].sort((a, b) => AREAS.indexOf(a.split('/').pop().split('.')[0]) - AREAS.indexOf(b.split('/').pop().split('.')[0]));

ensureServices();
let failed = 0;
for (const script of unique) {
  console.log(`\n▶ ${script}`);
  const status = spawnSync('npx', ['tsx', script], { stdio: 'inherit' }).status;
  if (status !== 0) failed++;
}
for (const area of AREAS) {
  if ((!wanted || wanted === area) && !unique.some((s) => s.split('/').pop().startsWith(`${area}.`))) {
    console.log(`\n(${area}: no benchmark yet)`);
  }
}
process.exit(failed ? 1 : 0);
