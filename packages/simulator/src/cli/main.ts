// `nurtureflow simulate <scenario.json> --leads <file> | --generate <n> --days 90 --seed 1
// [--json out.json]`: reads the files, runs the simulation with a progress bar when it takes more
// than a second, prints the summary and writes the full report. Bad files and graphs with errors
// are reported clearly, with exit code 1.
import { readFileSync, writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { generateLeads } from '../leads/generate.ts';
import { decodeLeadFile } from '../leads/decode.ts';
import { readLeads } from '../leads/read-leads.ts';
import type { SimulationReport } from '../report/types.ts';
import { SimulationInputError } from '../run/timeline.ts';
import { readScenarioFile, ScenarioFileError } from '../scenario-file.ts';
import { personaSchema, type PersonaInput, type SampleLead } from '../schemas.ts';
import { simulate } from '../simulate.ts';
import { InvalidGraphError } from '../world/prepare.ts';
import { summarize } from './summary.ts';

/** Where the command writes. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The stream a progress bar draws on (none: no bar). */
  progress?: NodeJS.WriteStream;
}

/** A problem the user can fix; printed without a stack trace. */
class UserError extends Error {}

function readText(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read the ${what} file ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
  }
}

function readJson(path: string, what: string): unknown {
  const text = decodeLeadFile(readText(path, what)).text;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`the ${what} file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

const whole = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
};

/** `ja=7,en=3` → weights. */
function parseLocales(value: string): { ja: number; en: number } {
  const out = { ja: 0, en: 0 };
  for (const part of value.split(',')) {
    const [k, v] = part.split('=');
    const w = Number(v);
    if ((k !== 'ja' && k !== 'en') || !Number.isFinite(w) || w < 0) throw new InvalidArgumentError('--locale is like ja=7,en=3');
    out[k] = w;
  }
  return out;
}

/** Today at 09:00 in Tokyo: a stable default start for a day's runs. */
function defaultStart(): string {
  return `${new Date().toISOString().slice(0, 10)}T09:00:00+09:00`;
}

interface SimulateOptions {
  leads?: string;
  generate?: number;
  days: number;
  seed: number;
  start?: string;
  personas?: string;
  productLines?: string;
  arrivalDays: number;
  locale?: { ja: number; en: number };
  trace?: string[];
  json?: string;
  progress: boolean;
}

function loadLeads(o: SimulateOptions, productLine: string | undefined, io: CliIo): SampleLead[] {
  if ((o.leads === undefined) === (o.generate === undefined)) throw new UserError('give either --leads <file> or --generate <n>');
  if (o.generate !== undefined) return generateLeads(o.generate, { seed: o.seed, ...(o.locale ? { locales: o.locale } : {}), ...(productLine ? { productLine } : {}) });
  const file = readLeads(decodeLeadFile(readText(o.leads!, 'leads')).text);
  if (file.errors.length > 0) {
    io.err(`${o.leads}: ${file.errors.length} row${file.errors.length === 1 ? '' : 's'} skipped:`);
    for (const e of file.errors.slice(0, 20)) io.err(`  row ${e.row}, ${e.field}: ${e.message}`);
    if (file.errors.length > 20) io.err(`  … and ${file.errors.length - 20} more`);
  }
  if (file.leads.length === 0) throw new UserError(`${o.leads} has no lead that could be read`);
  return file.leads;
}

function loadPersonas(path: string | undefined, fromFile: PersonaInput[] | undefined): PersonaInput[] | undefined {
  if (path === undefined) return fromFile;
  const raw = readJson(path, 'personas');
  const list = Array.isArray(raw) ? raw : (raw as { personas?: unknown })?.personas;
  const r = z.array(personaSchema).safeParse(list);
  if (!r.success) {
    throw new UserError(`the personas file ${path} has mistakes:\n${r.error.issues.map((i) => `  ${i.path.map(String).join('.') || '(file)'}: ${i.message}`).join('\n')}`);
  }
  return list as PersonaInput[];
}

async function simulateCommand(scenarioPath: string, o: SimulateOptions, io: CliIo): Promise<void> {
  let file;
  try {
    file = readScenarioFile(readJson(scenarioPath, 'scenario'));
  } catch (e) {
    if (e instanceof ScenarioFileError) throw new UserError(`${scenarioPath} is not a scenario that can be read:\n${e.message.replace(/^/gm, '  ')}`);
    throw e instanceof UserError ? e : new UserError(`${scenarioPath}: ${(e as Error).message}`);
  }
  const productLines = o.productLines === undefined ? {} : (readJson(o.productLines, 'product lines') as Record<string, never>);
  const firstLine = (file.graphs[0] as { productLine?: string } | undefined)?.productLine;
  const leads = loadLeads(o, firstLine, io);
  const personas = loadPersonas(o.personas, file.personas);

  const started = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  let report: SimulationReport;
  try {
    report = simulate({
      graphs: file.graphs,
      productLines: { ...file.productLines, ...(Array.isArray(productLines) ? Object.fromEntries((productLines as { id: string; settings: never }[]).map((p) => [p.id, p.settings])) : productLines) },
      leads,
      behaviour: { ...(personas ? { personas } : {}), arrival: { days: o.arrivalDays } },
      start: o.start ?? defaultStart(),
      days: o.days,
      seed: o.seed,
      ...(o.trace ? { trace: o.trace } : {}),
      onProgress: ({ done, total }) => {
        if (bar === null && o.progress && io.progress && Date.now() - started > 1000 && done < total) {
          bar = new cliProgress.SingleBar({ stream: io.progress, format: 'simulating {bar} {percentage}% | {value}/{total} leads | {duration_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic);
          bar.start(total, done);
        }
        bar?.update(done);
      },
    });
  } finally {
    (bar as cliProgress.SingleBar | null)?.stop();
  }
  io.out(summarize(report, Date.now() - started));
  if (o.json !== undefined) {
    try {
      writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
    } catch (e) {
      throw new UserError(`cannot write the report to ${o.json}: ${(e as Error).message}`);
    }
    io.out(`\nFull report written to ${o.json}`);
  }
}

/** Runs the command line; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('nurtureflow')
    .description('Nurtureflow: lead-nurturing scenarios on the command line')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  let failed: number | null = null;
  program
    .command('simulate')
    .description('Simulate a scenario over sample leads on a virtual clock and summarise what it would do')
    .argument('<scenario>', 'a scenario JSON file: a graph, an editor document, or { graphs, productLines, personas }')
    .option('--leads <file>', 'sample leads as CSV or JSON')
    .option('--generate <n>', 'generate this many sample leads instead', whole('--generate', 0, 1_000_000))
    .option('--days <n>', 'the horizon in days', whole('--days', 0, 3650), 90)
    .option('--seed <n>', 'seed of the random behaviour (and of generated leads)', whole('--seed', -2_147_483_648, 2_147_483_647), 1)
    .option('--start <time>', 'when the virtual clock starts (ISO 8601 with an offset; default today 09:00 JST)')
    .option('--personas <file>', 'personas as JSON (a list); the defaults when absent')
    .option('--product-lines <file>', 'product line settings as JSON ({ id: settings } or [{ id, settings }])')
    .option('--arrival-days <n>', 'spread the leads’ arrival over the first n days', whole('--arrival-days', 0, 3650), 0)
    .option('--locale <mix>', 'Japanese and English mix of generated leads, like ja=7,en=3', parseLocales)
    .option('--trace <leadIds...>', 'show these leads’ paths step by step')
    .option('--json <file>', 'write the full report as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (scenario: string, options: SimulateOptions) => {
      try {
        await simulateCommand(scenario, options, io);
      } catch (e) {
        if (e instanceof UserError || e instanceof InvalidGraphError || e instanceof SimulationInputError) {
          io.err(`error: ${e.message}`);
          failed = 1;
        } else throw e;
      }
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return failed ?? 0;
}
