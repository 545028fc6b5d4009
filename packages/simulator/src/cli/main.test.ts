import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulationReport } from '../report/types.ts';
import { runCli } from './main.ts';

const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nurtureflow-cli-'));
const scenario = join(dir, 'welcome.json');
const START = '2026-04-06T09:00:00+09:00';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

beforeAll(() => {
  const graph = aGraph({ productLine: 'crm', scenarioId: 'welcome', name: 'Welcome' })
    .trigger('t', { type: 'import' })
    .email('m1', 'welcome')
    .waitForEvent('w1', 'email_opened', dur(3, 'days'))
    .callTask('c1', { maxAttempts: 2 })
    .exit('x1')
    .connect('c1', 'noAnswer', 'x1')
    .connect('c1', 'appointment', 'x1')
    .connect('c1', 'refused', 'x1')
    .connect('w1', 'timeout', 'x1')
    .connect('m1', 'skipped', 'x1')
    .input();
  writeFileSync(scenario, JSON.stringify(graph));
});

describe('nurtureflow simulate', () => {
  it('prints a summary table and writes the full report as JSON', () => {
    const out = join(dir, 'report.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'simulate', scenario, '--generate', '300', '--days', '30', '--seed', '1', '--start', START, '--json', out], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Simulated 300 leads over 30 days from 2026-04-06 \(seed 1, personas: engaged \d+, average \d+, cold \d+\)/);
    expect(r.stdout).toMatch(/node\s+kind\s+entered\s+there\s+exited\s+median time/);
    expect(r.stdout).toMatch(/\nt\s+trigger\s+300\s+0\s+300 /);
    expect(r.stdout).toMatch(/\nm1\s+email\s+300\s+0\s+300\s+\S+\s+\S+\s+300 \/ \d+ \/ \d+/);
    expect(r.stdout).toContain(`Full report written to ${out}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as SimulationReport;
    expect(report).toMatchObject({ format: 'nurtureflow.simulation', leads: 300, seed: 1, days: 30, start: '2026-04-06T00:00:00.000Z' });
    expect(report.scenarios[0]?.nodes.find((n) => n.id === 'm1')?.sent).toBe(300);
  });

  it('reads leads from a CSV file and reports the rows it skipped', async () => {
    const leads = join(dir, 'leads.csv');
    writeFileSync(leads, 'id,name,従業員数\na,A,10\nb,B,many\nc,C,\n');
    const r = await run('simulate', scenario, '--leads', leads, '--days', '10', '--start', START, '--no-progress');
    expect(r.code).toBe(0);
    expect(r.err).toContain('1 row skipped');
    expect(r.err).toContain('row 2, 従業員数: "many" is not a number');
    expect(r.out).toMatch(/^Simulated 2 leads/);
  });

  it('lists the problems of a graph with errors', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify(aGraph({ scenarioId: 'broken' }).trigger('t').waitForEvent('w', 'email_opened', dur(3)).input()));
    const r = await run('simulate', broken, '--generate', '5');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: scenario "broken" has 2 errors:\n {2}SCN003 node w outputs\.event: .*\n {2}SCN003 node w outputs\.timeout: /);
  });

  it('says clearly when a file is missing or not JSON, or the leads are not given', async () => {
    expect(await run('simulate', join(dir, 'nope.json'), '--generate', '5')).toMatchObject({ code: 1, err: expect.stringContaining('cannot read the scenario file') });
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ nodes: ');
    expect(await run('simulate', notJson, '--generate', '5')).toMatchObject({ code: 1, err: expect.stringContaining('is not valid JSON') });
    expect(await run('simulate', scenario)).toMatchObject({ code: 1, err: expect.stringContaining('give either --leads <file> or --generate <n>') });
    expect(await run('simulate', scenario, '--generate', 'lots')).toMatchObject({ code: 2, err: expect.stringContaining('--generate must be a whole number') });
  });
});
