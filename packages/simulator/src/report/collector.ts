// Gathers the report while leads run: per scenario (scenario-stats.ts), and across the run — KPIs,
// hot leads and the day they became hot, e-mails per lead per week against the fatigue limit,
// and where leads stand at the horizon.
import type { AdvanceResult, EnrollmentState, LeadEvent } from '@nurtureflow/engine';
import { histogramPercentile } from './durations.ts';
import { ScenarioStats } from './scenario-stats.ts';
import type { FatigueReport, HotLead, Kpis, MessageStats, ScenarioReport, StandingReport } from './types.ts';
import type { Enrollment, LeadWorld, Observer } from '../world/lead-world.ts';
import type { World } from '../world/prepare.ts';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const HISTOGRAM_TOP = 20;
const MAX_WARNINGS = 200;

type Threshold = FatigueReport['thresholds'][string];

/** Accumulates the run's report from every lead's world. */
export class ReportCollector implements Observer {
  private readonly scenarios = new Map<string, ScenarioStats>();
  private readonly weeks: number;
  private readonly spanWeeks: number;
  private readonly thresholds: Record<string, Threshold>;
  private readonly kpi = {
    sent: 0,
    opens: 0,
    clicks: 0,
    downloads: 0,
    seminars: 0,
    dmVisits: 0,
    printed: 0,
    unsubscribes: 0,
    tasks: 0,
    connected: 0,
    appointment: 0,
    refused: 0,
    noAnswer: 0,
    handoffs: 0,
    accepted: 0,
    returned: 0,
    timeout: 0,
    goals: 0,
    converted: 0,
    enrolled: 0,
    hotLeads: 0,
  };
  private readonly hotList: HotLead[] = [];
  private readonly hotByDay: number[];
  private readonly byWeek: number[];
  private readonly histogram: number[] = new Array(HISTOGRAM_TOP + 1).fill(0);
  private maxPerWeek = 0;
  private leadsOver = 0;
  private leadWeeksOver = 0;
  private readonly warnings: FatigueReport['warnings'] = [];
  private readonly standings = new Map<string, { ranks: Map<string, number>; stages: Map<string, number>; hot: number; unsubscribed: number; score: number }>();
  private leads = 0;

  // Per lead, reset at `begin`.
  private mails = new Map<string, Int32Array>();
  private wasHot = false;
  private converted = false;

  constructor(
    private readonly world: World,
    private readonly start: number,
    end: number,
    defaultThreshold: number,
  ) {
    for (const g of world.graphs) this.scenarios.set(g.scenarioId, new ScenarioStats(g));
    const days = Math.max(1, Math.ceil((end - start) / DAY));
    // The horizon's own instant is in the run, so a run of whole weeks ends in a week of its own.
    this.weeks = Math.floor((end - start) / WEEK) + 1;
    this.spanWeeks = Math.max(end - start, 1) / WEEK;
    this.hotByDay = new Array(days + 1).fill(0);
    this.byWeek = new Array(this.weeks).fill(0);
    this.thresholds = thresholdsOf(world, defaultThreshold);
  }

  begin(): void {
    this.mails = new Map();
    this.wasHot = false;
    this.converted = false;
  }

  advanced(world: LeadWorld, e: Enrollment, r: AdvanceResult, _before: unknown, from: EnrollmentState | null): void {
    this.scenarios.get(e.graph.scenarioId)?.advanced(r, from);
    const k = this.kpi;
    for (const row of r.trace) {
      const reason = row.reason;
      if (reason.code === 'callOutcome') k[reason.outcome]++;
      else if (reason.code === 'callRetry') k.noAnswer++;
      else if (reason.code === 'handoff') k[reason.answer]++;
    }
    const effects = r.effects;
    for (let i = 0; i < effects.length; i++) {
      const f = effects[i]!;
      switch (f.type) {
        case 'sendEmail': {
          k.sent++;
          const week = Math.min(this.weeks - 1, Math.max(0, Math.floor((world.effectTimes[i]! - this.start) / WEEK)));
          let counts = this.mails.get(f.productLine);
          if (counts === undefined) this.mails.set(f.productLine, (counts = new Int32Array(this.weeks)));
          counts[week]!++;
          this.byWeek[week]!++;
          break;
        }
        case 'createCallTask':
          k.tasks++;
          break;
        case 'handOff':
          k.handoffs++;
          break;
        case 'printJob':
          k.printed++;
          break;
        case 'goalReached':
          k.goals++;
          this.converted = true;
          break;
        default:
          break;
      }
    }
  }

  ingested(_world: LeadWorld, event: LeadEvent): void {
    const k = this.kpi;
    switch (event.kind) {
      case 'email_opened':
        k.opens++;
        if (event.scenarioId) this.scenarios.get(event.scenarioId)?.response(event.nodeId, 'open');
        break;
      case 'link_clicked':
        k.clicks++;
        if (event.scenarioId) this.scenarios.get(event.scenarioId)?.response(event.nodeId, 'click');
        break;
      case 'whitepaper_downloaded':
        k.downloads++;
        break;
      case 'seminar_attended':
        k.seminars++;
        break;
      case 'dm_url_visited':
        k.dmVisits++;
        break;
      case 'unsubscribed':
        k.unsubscribes++;
        break;
      default:
        break;
    }
  }

  becameHot(world: LeadWorld, productLine: string, at: number): void {
    const day = Math.max(0, Math.floor((at - this.start) / DAY));
    this.hotList.push({ leadId: world.lead.id, productLine, day, at: new Date(at).toISOString() });
    if (day < this.hotByDay.length) this.hotByDay[day]!++;
    this.wasHot = true;
  }

  end(world: LeadWorld): void {
    this.leads++;
    const k = this.kpi;
    const seen = new Set<string>();
    for (const e of world.enrollments) {
      const stats = this.scenarios.get(e.graph.scenarioId);
      if (stats === undefined) continue;
      stats.final(e.state);
      if (!seen.has(e.graph.scenarioId)) {
        seen.add(e.graph.scenarioId);
        stats.countLead();
      }
    }
    if (world.enrollments.length > 0) k.enrolled++;
    if (this.converted) k.converted++;
    if (this.wasHot) k.hotLeads++;

    // E-mails per week: every lead and week counts, the weeks without mail too.
    const perWeek = new Int32Array(this.weeks);
    let over = false;
    for (const [pl, counts] of this.mails) {
      const limit = this.thresholds[pl]?.perWeek ?? Infinity;
      for (let w = 0; w < this.weeks; w++) {
        const n = counts[w]!;
        perWeek[w]! += n;
        if (n > limit) {
          over = true;
          this.leadWeeksOver++;
          if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ leadId: world.lead.id, productLine: pl, week: w, messages: n });
        }
      }
    }
    if (over) this.leadsOver++;
    for (let w = 0; w < this.weeks; w++) {
      const n = perWeek[w]!;
      this.histogram[Math.min(HISTOGRAM_TOP, n)]!++;
      if (n > this.maxPerWeek) this.maxPerWeek = n;
    }

    for (const [pl, s] of Object.entries(world.lead.products)) {
      let st = this.standings.get(pl);
      if (st === undefined) this.standings.set(pl, (st = { ranks: new Map(), stages: new Map(), hot: 0, unsubscribed: 0, score: 0 }));
      const rank = s.rank ?? 'none';
      st.ranks.set(rank, (st.ranks.get(rank) ?? 0) + 1);
      st.stages.set(s.stage, (st.stages.get(s.stage) ?? 0) + 1);
      if (s.hot) st.hot++;
      if (s.unsubscribed || world.lead.unsubscribedAll) st.unsubscribed++;
      st.score += s.score;
    }
  }

  /** Per-scenario reports, in the order the graphs were given. */
  scenarioReports(): ScenarioReport[] {
    return [...this.scenarios.values()].map((s) => s.report());
  }

  kpis(): Kpis {
    const k = this.kpi;
    const rate = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);
    return {
      sent: k.sent,
      opens: k.opens,
      clicks: k.clicks,
      openRate: rate(k.opens, k.sent),
      clickRate: rate(k.clicks, k.sent),
      clickToOpenRate: rate(k.clicks, k.opens),
      downloads: k.downloads,
      seminars: k.seminars,
      dmVisits: k.dmVisits,
      printed: k.printed,
      unsubscribes: k.unsubscribes,
      calls: { tasks: k.tasks, connected: k.connected, appointment: k.appointment, refused: k.refused, noAnswer: k.noAnswer },
      handoffs: { sent: k.handoffs, accepted: k.accepted, returned: k.returned, timeout: k.timeout },
      hotLeads: k.hotLeads,
      goals: k.goals,
      convertedLeads: k.converted,
      conversionRate: rate(k.converted, k.enrolled),
      enrolledLeads: k.enrolled,
    };
  }

  hot(): { leads: number; byDay: number[]; list: HotLead[] } {
    return { leads: this.kpi.hotLeads, byDay: this.hotByDay, list: this.hotList };
  }

  messages(): MessageStats {
    const h = this.histogram;
    const leadWeeks = this.leads * this.spanWeeks;
    return {
      total: this.kpi.sent,
      perLeadPerWeek: {
        mean: leadWeeks === 0 ? 0 : Math.round((this.kpi.sent / leadWeeks) * 1000) / 1000,
        p50: histogramPercentile(h, 0.5),
        p90: histogramPercentile(h, 0.9),
        p99: histogramPercentile(h, 0.99),
        max: this.maxPerWeek,
      },
      byWeek: this.byWeek,
      histogram: h,
    };
  }

  fatigue(): FatigueReport {
    let capDeferred = 0;
    let capSkipped = 0;
    let quiet = 0;
    for (const s of this.scenarios.values()) {
      capDeferred += s.capDeferred;
      capSkipped += s.capSkipped;
      quiet += s.quietDeferred;
    }
    return {
      thresholds: this.thresholds,
      leadsOver: this.leadsOver,
      leadWeeksOver: this.leadWeeksOver,
      warnings: this.warnings,
      capDeferred,
      capSkipped,
      quietHoursDeferred: quiet,
    };
  }

  standingReports(): Record<string, StandingReport> {
    const out: Record<string, StandingReport> = {};
    for (const [pl, s] of [...this.standings].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out[pl] = {
        ranks: Object.fromEntries([...s.ranks].sort(([a], [b]) => (a < b ? -1 : 1))),
        stages: Object.fromEntries([...s.stages].sort(([a], [b]) => (a < b ? -1 : 1))),
        hot: s.hot,
        unsubscribed: s.unsubscribed,
        meanScore: this.leads === 0 ? 0 : Math.round((s.score / this.leads) * 100) / 100,
      };
    }
    return out;
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
