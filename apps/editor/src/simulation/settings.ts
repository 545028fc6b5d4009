// The panel's settings — sample leads, horizon, arrivals, seed, personas — as a zod schema, so a
// bad value is named by field before anything is sent to the worker, and the run's input from them.
import { TZDate } from '@date-fns/tz';
import type { Graph, GraphInput, ProductLineSettingsInput } from '@nurtureflow/scenario';
import { parsePersonas, personaSchema, type PersonaInput } from '@nurtureflow/simulator';
import { z } from 'zod';
import type { LeadSource, RunInput } from './protocol.ts';

/** The most leads the panel makes up (a 100,000-lead run takes a few seconds in the worker). */
export const MAX_LEADS = 200_000;

const whole = (min: number, max: number) => z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });

/** The panel's settings. */
export const settingsSchema = z.object({
  source: z.enum(['generate', 'file']),
  count: whole(1, MAX_LEADS),
  leadSeed: whole(-2_147_483_648, 2_147_483_647),
  ja: z.number().min(0).max(100),
  en: z.number().min(0).max(100),
  days: whole(1, 365),
  arrivalDays: z.number({ error: 'must be a number' }).min(0, { error: 'must not be negative' }).max(365, { error: 'must be at most 365' }),
  seed: whole(-2_147_483_648, 2_147_483_647),
  startDate: z.iso.date({ error: 'must be a date' }),
  personas: z.array(personaSchema).min(1, { error: 'give at least one persona' }).max(100),
});
export type SimulationSettings = z.input<typeof settingsSchema>;

/** Why a setting is refused, for the panel to say in the marketer's language. */
export type SettingIssueCode = 'min' | 'max' | 'number' | 'whole' | 'date' | 'clickAboveOpen' | 'outcomesAboveOne' | 'invalid';

/** A problem with a setting: the field (`days`, `personas.1.click`), why, and the limit broken. */
export interface SettingIssue {
  path: string;
  message: string;
  code: SettingIssueCode;
  limit?: number;
}

function issueCode(i: z.core.$ZodIssue): { code: SettingIssueCode; limit?: number } {
  switch (i.code) {
    case 'too_small':
      return { code: 'min', limit: Number(i.minimum) };
    case 'too_big':
      return { code: 'max', limit: Number(i.maximum) };
    case 'invalid_type':
      return { code: i.expected === 'int' ? 'whole' : 'number' };
    case 'invalid_format':
      return { code: 'date' };
    case 'custom':
      return { code: i.path.at(-1) === 'click' ? 'clickAboveOpen' : i.path.at(-1) === 'refused' ? 'outcomesAboveOne' : 'invalid' };
    default:
      return { code: 'invalid' };
  }
}

/** Today's date where the marketer is, as yyyy-mm-dd. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The default personas with every probability written out, so the table shows what a run uses. */
export function defaultPersonas(): PersonaInput[] {
  return parsePersonas(undefined).map((p) => ({ ...p }));
}

/** Settings a first run starts from. */
export function defaultSettings(): SimulationSettings {
  return { source: 'generate', count: 1000, leadSeed: 1, ja: 7, en: 3, days: 90, arrivalDays: 14, seed: 1, startDate: today(), personas: defaultPersonas() };
}

/** The settings' problems, each naming its field; empty when they are good. */
export function settingIssues(settings: SimulationSettings): SettingIssue[] {
  const parsed = settingsSchema.safeParse(settings);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, ...issueCode(i) }));
}

/** The first instant of the run: 09:00 on the start date in the scenario's time zone. */
export function startInstant(date: string, timezone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, 9, 0, 0, 0, timezone).getTime();
}

/** What a run simulates: the graphs (the first one's leads arrive) and the product lines' settings. */
export interface RunTarget {
  /** Shown beside the results: "下書き", "v3", "A のみ"… */
  label: string;
  graphs: readonly (GraphInput | Graph)[];
  productLines: Readonly<Record<string, ProductLineSettingsInput>>;
}

/** The scenario a target's leads arrive in. */
export function entryGraph(target: RunTarget): GraphInput | Graph {
  const g = target.graphs[0];
  if (g === undefined) throw new Error('a run needs a graph');
  return g;
}

/** Where the run's sample leads come from. */
export function leadSource(settings: SimulationSettings, productLine: string, file: { name: string; bytes: ArrayBuffer } | null): LeadSource {
  if (settings.source === 'file') {
    if (file === null) throw new Error('choose a file of sample leads');
    return { kind: 'file', name: file.name, bytes: file.bytes };
  }
  return { kind: 'generate', count: settings.count, seed: settings.leadSeed, ja: settings.ja, en: settings.en, productLine };
}

/** The worker's run input from the settings and the target. */
export function runInput(settings: SimulationSettings, target: RunTarget): RunInput {
  const entry = entryGraph(target);
  const timezone = entry.settings?.timezone ?? 'Asia/Tokyo';
  return {
    graphs: target.graphs,
    productLines: target.productLines,
    behaviour: { personas: settings.personas, arrival: { days: settings.arrivalDays } },
    start: startInstant(settings.startDate, timezone),
    days: settings.days,
    seed: settings.seed,
  };
}

/**
 * The graph with every lead sent down one variant of a split (the others weighted 0): two such
 * runs over the same leads and seed compare the variants on the same people.
 */
export function forceVariant<G extends GraphInput | Graph>(graph: G, splitId: string, variant: string): G {
  const node = graph.nodes[splitId];
  if (node === undefined || node.kind !== 'split') throw new Error(`no split "${splitId}"`);
  const variants = node.variants.map((v) => ({ ...v, weight: v.id === variant ? 100 : 0 }));
  return { ...graph, nodes: { ...graph.nodes, [splitId]: { ...node, variants } } };
}
