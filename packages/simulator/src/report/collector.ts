// Gathers the report while leads run: per scenario (scenario-stats.ts), and across the run — KPIs,
// hot leads and the day they became hot, e-mails per lead per week against the fatigue limit,
// and where leads stand at the horizon.
import type { AdvanceResult, EnrollmentState, LeadEvent } from '@nurtureflow/engine';
import { MailWeeks, type MailPartial } from './mail-weeks.ts';
import { ScenarioStats, type ScenarioPartial } from './scenario-stats.ts';
import type { FatigueReport, HotLead, Kpis, MessageStats, ScenarioReport, StandingReport } from './types.ts';
import type { Enrollment, LeadWorld, Observer } from '../world/lead-world.ts';
import type { World } from '../world/prepare.ts';

const DAY = 86_400_000;

type Standing = { ranks: Map<string, number>; stages: Map<string, number>; hot: number; unsubscribed: number; score: number };

/** What some of the leads added to the report, as plain data: another thread's share of a run. */
export interface CollectorPartial {
  scenarios: ScenarioPartial[];
  kpi: Record<string, number>;
  hotList: HotLead[];
  hotByDay: number[];
  mail: MailPartial;
  standings: [string, { ranks: [string, number][]; stages: [string, number][]; hot: number; unsubscribed: number; score: number }][];
  leads: number;
}

/** Accumulates the run's report from every lead's world. */
export class ReportCollector implements Observer {
  private readonly scenarios = new Map<string, ScenarioStats>();
  /** The stats of each of the world's graphs, by its place there. */
  private readonly statsOf: (ScenarioStats | undefined)[];
  private readonly mail: MailWeeks;
  /** Counts across scenarios; what each scenario's stats count already (effects, call and hand-off answers) is summed from them. */
  private readonly kpi = {
    opens: 0,
    clicks: 0,
    downloads: 0,
    seminars: 0,
    dmVisits: 0,
    unsubscribes: 0,
    converted: 0,
    enrolled: 0,
    hotLeads: 0,
  };
  /** Hot crossings with their time as a number: written as ISO text only when the report is read. */
  private readonly hotList: (Omit<HotLead, 'at'> & { at: number })[] = [];
  private readonly hotByDay: number[];
  private readonly standings = new Map<string, Standing>();
  private leads = 0;

  // Per lead, reset at `begin`.
  private wasHot = false;
  private converted = false;

  constructor(
    world: World,
    private readonly start: number,
    end: number,
    defaultThreshold: number,
  ) {
    for (const g of world.graphs) this.scenarios.set(g.scenarioId, new ScenarioStats(g));
    this.statsOf = world.graphs.map((g) => this.scenarios.get(g.scenarioId));
    const days = Math.max(1, Math.ceil((end - start) / DAY));
    this.hotByDay = new Array(days + 1).fill(0);
    this.mail = new MailWeeks(world, start, end, defaultThreshold);
  }

  begin(): void {
    this.mail.begin();
    this.wasHot = false;
    this.converted = false;
  }

  advanced(world: LeadWorld, e: Enrollment, r: AdvanceResult, _before: unknown, from: EnrollmentState | null): void {
    this.statsOf[e.graphIndex]?.advanced(r, from);
    const effects = r.effects;
    for (let i = 0; i < effects.length; i++) {
      const f = effects[i]!;
      if (f.type === 'sendEmail') this.mail.sent(f.productLine, world.effectTimes[i]!);
      else if (f.type === 'goalReached') this.converted = true;
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
    this.hotList.push({ leadId: world.lead.id, productLine, day, at });
    if (day < this.hotByDay.length) this.hotByDay[day]!++;
    this.wasHot = true;
  }

  end(world: LeadWorld): void {
    this.leads++;
    const k = this.kpi;
    const all = world.enrollments;
    for (let i = 0; i < all.length; i++) {
      const e = all[i]!;
      const stats = this.statsOf[e.graphIndex];
      if (stats === undefined) continue;
      stats.final(e.state);
      // A lead counts once per scenario, at its first enrollment there.
      let first = true;
      for (let j = 0; j < i && first; j++) if (all[j]!.graph === e.graph) first = false;
      if (first) stats.countLead();
    }
    if (world.enrollments.length > 0) k.enrolled++;
    if (this.converted) k.converted++;
    if (this.wasHot) k.hotLeads++;
    this.mail.end(world.lead.id);
    const products = world.lead.products;
    for (const pl in products) {
      const s = products[pl]!;
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

  /** What this share of the run counted, as plain data. */
  partial(): CollectorPartial {
    return {
      scenarios: [...this.scenarios.values()].map((s) => s.partial()),
      kpi: { ...this.kpi },
      hotList: this.hotLeads(),
      hotByDay: this.hotByDay,
      mail: this.mail.partial(),
      standings: [...this.standings].map(([pl, s]) => [pl, { ranks: [...s.ranks], stages: [...s.stages], hot: s.hot, unsubscribed: s.unsubscribed, score: s.score }]),
      leads: this.leads,
    };
  }

  /** Adds a later share of the run (its leads come after this one's), so the report is the one a single run gives. */
  absorb(p: CollectorPartial): void {
    [...this.scenarios.values()].forEach((s, i) => {
      const theirs = p.scenarios[i];
      if (theirs !== undefined) s.absorb(theirs);
    });
    for (const k of Object.keys(this.kpi) as (keyof typeof this.kpi)[]) this.kpi[k] += p.kpi[k] ?? 0;
    for (const h of p.hotList) this.hotList.push({ leadId: h.leadId, productLine: h.productLine, day: h.day, at: Date.parse(h.at) });
    p.hotByDay.forEach((n, i) => (this.hotByDay[i] = (this.hotByDay[i] ?? 0) + n));
    this.mail.absorb(p.mail);
    for (const [pl, theirs] of p.standings) {
      let st = this.standings.get(pl);
      if (st === undefined) this.standings.set(pl, (st = { ranks: new Map(), stages: new Map(), hot: 0, unsubscribed: 0, score: 0 }));
      for (const [k, n] of theirs.ranks) st.ranks.set(k, (st.ranks.get(k) ?? 0) + n);
      for (const [k, n] of theirs.stages) st.stages.set(k, (st.stages.get(k) ?? 0) + n);
      st.hot += theirs.hot;
      st.unsubscribed += theirs.unsubscribed;
      st.score += theirs.score;
    }
    this.leads += p.leads;
  }

  /** Per-scenario reports, in the order the graphs were given. */
  scenarioReports(): ScenarioReport[] {
    return [...this.scenarios.values()].map((s) => s.report());
  }

  kpis(): Kpis {
    const k = { ...this.kpi, sent: 0, printed: 0, tasks: 0, handoffs: 0, goals: 0, connected: 0, appointment: 0, refused: 0, noAnswer: 0, accepted: 0, returned: 0, timeout: 0 };
    for (const s of this.scenarios.values()) {
      k.sent += s.effectCount('sendEmail');
      k.printed += s.effectCount('printJob');
      k.tasks += s.effectCount('createCallTask');
      k.handoffs += s.effectCount('handOff');
      k.goals += s.effectCount('goalReached');
      const a = s.answers;
      k.connected += a.connected;
      k.appointment += a.appointment;
      k.refused += a.refused;
      k.noAnswer += a.noAnswer;
      k.accepted += a.accepted;
      k.returned += a.returned;
      k.timeout += a.timeout;
    }
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
    return { leads: this.kpi.hotLeads, byDay: this.hotByDay, list: this.hotLeads() };
  }

  private hotLeads(): HotLead[] {
    return this.hotList.map((h) => ({ leadId: h.leadId, productLine: h.productLine, day: h.day, at: new Date(h.at).toISOString() }));
  }

  messages(): MessageStats {
    return this.mail.messages();
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
      ...this.mail.over(),
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
