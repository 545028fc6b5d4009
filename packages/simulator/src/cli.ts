#!/usr/bin/env node
// The `nurtureflow` command line (Node only; the rest of this package also runs in the browser).
import { runCli } from './cli/main.ts';

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  progress: process.stderr,
});
process.exitCode = code;
