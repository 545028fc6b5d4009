import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

describe('the simulator package', () => {
  it('imports nothing Node-only outside its command line, so the editor can run it in a web worker', () => {
    const offenders = sources(root)
      .map((f) => relative(root, f))
      .filter((f) => f !== 'cli.ts' && !f.startsWith('cli/'))
      .filter((f) => /from ['"](node:|commander|cli-progress|fs|path|os|child_process)/.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
