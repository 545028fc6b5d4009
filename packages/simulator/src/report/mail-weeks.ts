// E-mails per lead per week, against the weekly limit of each product line: the tightest
// `perWeek` cap of the product line, its scenarios and the global cap, else a default. Weeks count
// from the run's start; the horizon's own instant is in the run, so a run of whole weeks ends in a
// week of its own.
import { histogramPercentile } from './durations.ts';
import type { FatigueReport, MessageStats } from './types.ts';
import type { World } from '../world/prepare.ts';

const WEEK = 7 * 86_400_000;
const HISTOGRAM_TOP = 20;
const MAX_WARNINGS = 200;

type Threshold = FatigueReport['thresholds'][string];

/** Mail counts from some of the leads, as plain data. */
export interface MailPartial {
  byWeek: number[];
  histogram: number[];
  total: number;
  leads: number;
  max: number;
  leadsOver: number;
  leadWeeksOver: number;
  warnings: FatigueReport['warnings'];
}

/** Counts each lead's mail by product line and week, then folds it into the run's figures. */
export class MailWeeks {
  readonly thresholds: Record<string, Threshold>;
  private readonly weeks: number;
  private readonly spanWeeks: number;
  private readonly byWeek: number[];
  private readonly histogram: number[] = new Array(HISTOGRAM_TOP + 1).fill(0);
  private total = 0;
  private leads = 0;
  private max = 0;
  private leadsOver = 0;
  private leadWeeksOver = 0;
  private readonly warnings: FatigueReport['warnings'] = [];
  /** Mail by product line and week, of the lead that last got mail in that product line; kept from lead to lead. */
  private readonly lines = new Map<string, { productLine: string; counts: Int32Array; lead: number }>();
  /** The product lines the current lead got mail in, in the order of their first mail. */
  private readonly touched: { productLine: string; counts: Int32Array; lead: number }[] = [];
  private nTouched = 0;
  /** The product line mail was last counted in (most runs have one). */
  private lastLine: { productLine: string; counts: Int32Array; lead: number } | null = null;
  private lead = 0;
  private readonly perWeek: Int32Array;

  constructor(
    world: World,
    private readonly start: number,
    end: number,
    fallback: number,
  ) {
    this.weeks = Math.floor((end - start) / WEEK) + 1;
    this.spanWeeks = Math.max(end - start, 1) / WEEK;
    this.byWeek = new Array(this.weeks).fill(0);
    this.perWeek = new Int32Array(this.weeks);
    this.thresholds = thresholdsOf(world, fallback);
  }

  /** A new lead begins. */
  begin(): void {
    this.lead++;
    this.nTouched = 0;
  }

  /** A mail sent to the current lead. */
  sent(productLine: string, at: number): void {
    const week = Math.min(this.weeks - 1, Math.max(0, Math.floor((at - this.start) / WEEK)));
    let line = this.lastLine !== null && this.lastLine.productLine === productLine ? this.lastLine : this.lines.get(productLine);
    if (line === undefined) this.lines.set(productLine, (line = { productLine, counts: new Int32Array(this.weeks), lead: -1 }));
    this.lastLine = line;
    if (line.lead !== this.lead) {
      line.lead = this.lead;
      line.counts.fill(0);
      this.touched[this.nTouched++] = line;
    }
    line.counts[week]!++;
    this.byWeek[week]!++;
    this.total++;
  }

  /** The current lead reached the horizon: every week counts, the weeks without mail too. */
  end(leadId: string): void {
    this.leads++;
    const perWeek = this.perWeek;
    perWeek.fill(0);
    let over = false;
    for (let i = 0; i < this.nTouched; i++) {
      const { productLine: pl, counts } = this.touched[i]!;
      const limit = this.thresholds[pl]?.perWeek ?? Infinity;
      for (let w = 0; w < this.weeks; w++) {
        const n = counts[w]!;
        perWeek[w]! += n;
        if (n > limit) {
          over = true;
          this.leadWeeksOver++;
          if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ leadId, productLine: pl, week: w, messages: n });
        }
      }
    }
    if (over) this.leadsOver++;
    for (let w = 0; w < this.weeks; w++) {
      const n = perWeek[w]!;
      this.histogram[Math.min(HISTOGRAM_TOP, n)]!++;
      if (n > this.max) this.max = n;
    }
  }

  /** What this share of the run counted, as plain data. */
  partial(): MailPartial {
    return { byWeek: this.byWeek, histogram: this.histogram, total: this.total, leads: this.leads, max: this.max, leadsOver: this.leadsOver, leadWeeksOver: this.leadWeeksOver, warnings: this.warnings };
  }

  /** Adds a later share of the run (its leads come after this one's). */
  absorb(p: MailPartial): void {
    p.byWeek.forEach((n, i) => (this.byWeek[i] = (this.byWeek[i] ?? 0) + n));
    p.histogram.forEach((n, i) => (this.histogram[i] = (this.histogram[i] ?? 0) + n));
    this.total += p.total;
    this.leads += p.leads;
    this.max = Math.max(this.max, p.max);
    this.leadsOver += p.leadsOver;
    this.leadWeeksOver += p.leadWeeksOver;
    for (const w of p.warnings) if (this.warnings.length < MAX_WARNINGS) this.warnings.push(w);
  }

  messages(): MessageStats {
    const h = this.histogram;
    const leadWeeks = this.leads * this.spanWeeks;
    return {
      total: this.total,
      perLeadPerWeek: {
        mean: leadWeeks === 0 ? 0 : Math.round((this.total / leadWeeks) * 1000) / 1000,
        p50: histogramPercentile(h, 0.5),
        p90: histogramPercentile(h, 0.9),
        p99: histogramPercentile(h, 0.99),
        max: this.max,
      },
      byWeek: this.byWeek,
      histogram: h,
    };
  }

  /** Limits and the leads over them (the caps' own figures are the caller's). */
  over(): Pick<FatigueReport, 'thresholds' | 'leadsOver' | 'leadWeeksOver' | 'warnings'> {
    return { thresholds: this.thresholds, leadsOver: this.leadsOver, leadWeeksOver: this.leadWeeksOver, warnings: this.warnings };
  }
}

/** The weekly mail limit per product line: the tightest cap that applies, else the default. */
function thresholdsOf(world: World, fallback: number): Record<string, Threshold> {
  const out: Record<string, Threshold> = {};
  for (const [pl, s] of [...world.settings].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let best: Threshold | null = null;
    const consider = (perWeek: number | undefined, source: Threshold['source']) => {
      if (perWeek !== undefined && (best === null || perWeek < best.perWeek)) best = { perWeek, source };
    };
    consider(s.frequencyCaps.perWeek, 'productLine');
    for (const g of world.graphs) if (g.productLine === pl) consider(g.settings.frequencyCaps.perWeek, 'scenario');
    consider(world.ctx.globalCaps?.perWeek, 'global');
    out[pl] = best ?? { perWeek: fallback, source: 'default' };
  }
  return out;
}
