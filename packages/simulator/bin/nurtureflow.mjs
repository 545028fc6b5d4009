#!/usr/bin/env node
// The `nurtureflow` command: runs the TypeScript CLI through tsx, as the rest of the workspace runs its sources.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
