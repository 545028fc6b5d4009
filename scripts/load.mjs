#!/usr/bin/env node
// `pnpm load`: the bounded load test (apps/runtime/bench/load.ts) — minutes long, so neither part of
// `pnpm test` nor of `pnpm bench`. LOAD_LEADS, LOAD_WORKERS, LOAD_CONCURRENCY, LOAD_TIME_LIMIT_S and
// LOAD_KEEP tune it (see the README's "Load test").
import { spawnSync } from 'node:child_process';
import { ensureServices } from './services.mjs';

process.chdir(new URL('..', import.meta.url).pathname);
ensureServices();
process.exit(spawnSync('npx', ['tsx', 'apps/runtime/bench/load.ts'], { stdio: 'inherit' }).status ?? 1);
