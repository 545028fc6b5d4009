// Everything a run derives once from its graphs and product lines: parsed graphs, the engine's
// context (scoring, quiet hours and caps per product line), and how much of a lead's past the
// graphs look at, so lead views stay small however long the run.
import { eventLookBack, type EngineContext } from '@nurtureflow/engine';
import {
  graphSchema,
  hasErrors,
  productLineSettingsSchema,
  validate,
  type Graph,
  type GraphInput,
  type ProductLineSettings,
  type ProductLineSettingsInput,
  type Problem,
} from '@nurtureflow/scenario';
import { tzOffset } from '@date-fns/tz';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** A graph that cannot be simulated: every error `validate` found. */
export class InvalidGraphError extends Error {
  constructor(
    readonly scenarioId: string,
    readonly problems: Problem[],
  ) {
    super(
      `scenario "${scenarioId}" has ${problems.length} error${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ${p.code} ${p.nodeId === null ? '' : `node ${p.nodeId} `}${p.field ? `${p.field}: ` : ''}${p.message.en}`).join('\n'),
    );
  }
}

/** The run's fixed world: graphs, product lines, the engine's context and what lead views must keep. */
export interface World {
  graphs: readonly Graph[];
  byScenario: ReadonlyMap<string, Graph>;
  settings: ReadonlyMap<string, ProductLineSettings>;
  /** The same, as a list (walked for every lead). */
  lines: readonly { productLine: string; settings: ProductLineSettings }[];
  ctx: EngineContext;
  /** How far back events must be kept on the lead view (null: not at all). */
  eventWindowMs: number | null;
  /** Whether sent messages must be kept on the lead view (some cap counts them). */
  keepsMessages: boolean;
  /** Per event kind, the product lines whose scoring rules look at it. */
  scoredBy: ReadonlyMap<string, readonly { productLine: string; settings: ProductLineSettings }[]>;
  /** Graphs with an event trigger; graphs with segment, score or rank triggers. */
  eventTriggered: readonly Graph[];
  leadTriggered: readonly Graph[];
  /** The calendar day (days since the epoch, local) of an instant in a product line's zone. */
  dayOf(productLine: string, at: number): number;
}

/** Parses and validates graphs; throws InvalidGraphError listing the problems of the first bad one. */
export function parseGraphs(inputs: readonly (GraphInput | Graph)[]): Graph[] {
  return inputs.map((input) => {
    const problems = validate(input).filter((p) => p.severity === 'error');
    const scenarioId = typeof (input as { scenarioId?: unknown }).scenarioId === 'string' ? (input as { scenarioId: string }).scenarioId : '(unnamed)';
    if (hasErrors(problems)) throw new InvalidGraphError(scenarioId, problems);
    return graphSchema.parse(input);
  });
}

/**
 * Builds the world of a run over `span` (milliseconds). Product lines the graphs name but the
 * settings do not get the defaults.
 */
export function prepareWorld(
  graphs: readonly Graph[],
  productLines: Readonly<Record<string, ProductLineSettingsInput | ProductLineSettings>>,
  span: { start: number; end: number },
  globalCaps?: EngineContext['globalCaps'],
): World {
  const settings = new Map<string, ProductLineSettings>();
  for (const [id, s] of Object.entries(productLines)) settings.set(id, productLineSettingsSchema.parse(s));
  for (const g of graphs) if (!settings.has(g.productLine)) settings.set(g.productLine, productLineSettingsSchema.parse({}));
  const ctx: EngineContext = {
    ...(globalCaps ? { globalCaps } : {}),
    scoring: Object.fromEntries([...settings].map(([id, s]) => [id, s.scoring])),
    productLines: Object.fromEntries([...settings].map(([id, s]) => [id, { ...(s.quietHours ? { quietHours: s.quietHours } : {}), frequencyCaps: s.frequencyCaps }])),
  };
  const scoredBy = new Map<string, { productLine: string; settings: ProductLineSettings }[]>();
  for (const [productLine, s] of settings) {
    for (const kind of new Set(s.scoring.rules.map((r) => r.event))) {
      let list = scoredBy.get(kind);
      if (list === undefined) scoredBy.set(kind, (list = []));
      list.push({ productLine, settings: s });
    }
  }
  const byScenario = new Map(graphs.map((g) => [g.scenarioId, g]));
  const triggersOf = (g: Graph) => Object.values(g.nodes).flatMap((n) => (n.kind === 'trigger' ? [n.trigger.type] : []));
  const zones = new Map([...settings].map(([id, s]) => [id, dayCounter(s.timezone, span)]));
  const capped =
    globalCaps?.perWeek !== undefined ||
    globalCaps?.perDay !== undefined ||
    [...settings.values()].some((s) => s.frequencyCaps.perWeek !== undefined || s.frequencyCaps.perDay !== undefined) ||
    graphs.some((g) => g.settings.frequencyCaps.perWeek !== undefined || g.settings.frequencyCaps.perDay !== undefined);
  return {
    graphs,
    byScenario,
    settings,
    lines: [...settings].map(([productLine, s]) => ({ productLine, settings: s })),
    ctx,
    eventWindowMs: eventWindow(graphs),
    keepsMessages: capped,
    scoredBy,
    eventTriggered: graphs.filter((g) => triggersOf(g).includes('event')),
    leadTriggered: graphs.filter((g) => triggersOf(g).some((t) => t === 'segment' || t === 'score' || t === 'rank')),
    dayOf: dayOfLine(zones),
  };
}

/** A product line's calendar day of an instant, remembering the product line asked last (most runs have one). */
function dayOfLine(zones: ReadonlyMap<string, (at: number) => number>): World['dayOf'] {
  let lastLine = '';
  let lastCounter: ((at: number) => number) | undefined;
  return (productLine, at) => {
    if (productLine !== lastLine || lastCounter === undefined) {
      lastCounter = zones.get(productLine)!;
      lastLine = productLine;
    }
    return lastCounter(at);
  };
}

/** The widest look-back of any event condition in the graphs. */
function eventWindow(graphs: readonly Graph[]): number | null {
  let window: number | null = null;
  for (const g of graphs) {
    const w = eventLookBack(g);
    if (w !== null && (window === null || w > window)) window = w;
  }
  return window;
}

/**
 * Local calendar days in a zone, as the runtime counts a scoring rule's daily maximum. Offsets
 * change only on a quarter hour, so each quarter hour's offset is looked up once.
 */
function dayCounter(timeZone: string, span: { start: number; end: number }): (at: number) => number {
  // Most zones this serves (Asia/Tokyo) keep one offset through a run: then it is one addition.
  const samples: number[] = [];
  for (let at = span.start - 2 * WEEK; at <= span.end + 2 * WEEK; at += WEEK) samples.push(tzOffset(timeZone, new Date(at)));
  if (samples.every((o) => o === samples[0])) {
    const fixed = samples[0]! * 60_000;
    return (at) => Math.floor((at + fixed) / DAY);
  }
  const offsets = new Map<number, number>();
  return (at) => {
    const bucket = Math.floor(at / 900_000);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      offset = tzOffset(timeZone, new Date(bucket * 900_000)) * 60_000;
      if (offsets.size > 100_000) offsets.clear();
      offsets.set(bucket, offset);
    }
    return Math.floor((at + offset) / DAY);
  };
}

export { DAY, WEEK };
