import type { EffectType, EnrollmentStatus, Reason, WaitReason } from '@nurtureflow/engine';

/** How long leads stayed at a node before moving on, in milliseconds. */
export interface Durations {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One node: visits that reached it, are there at the horizon, left it (or ended there). */
export interface NodeReport {
  id: string;
  kind: string;
  label: string | null;
  /** Visits that arrived (a lead revisiting counts again). */
  entered: number;
  /** Enrollments at the node when the horizon came (waiting, or in a deferral). */
  there: number;
  /** Visits that are over: entered − there (moved on, or the enrollment ended here). */
  exited: number;
  /** Enrollments that ended at this node (exit, goal, unconnected output…). */
  ended: number;
  /** Time from arrival to leaving by an output; stays still open at the horizon are not counted. */
  timeInNode: Durations | null;
  /** E-mails sent here, and the opens and clicks they drew. */
  sent?: number;
  opens?: number;
  clicks?: number;
}

export interface EdgeReport {
  from: string;
  output: string;
  /** null: the output is not connected and the enrollment ended there. */
  to: string | null;
  count: number;
}

export interface StuckReport {
  /** Enrollments still under way at the horizon. */
  total: number;
  /** Waiting for an answer that has no deadline (a call outcome, a hand-off without a timeout). */
  noDeadline: number;
  /** In a timed wait that ends after the horizon. */
  dueAfterHorizon: number;
  byNode: { nodeId: string; count: number; reasons: Partial<Record<WaitReason, number>> }[];
}

/** One scenario's part of the run. */
export interface ScenarioReport {
  scenarioId: string;
  productLine: string;
  name: string;
  version: number;
  enrollments: { total: number; leads: number; endReasons: Record<string, number> } & Record<EnrollmentStatus, number>;
  nodes: NodeReport[];
  edges: EdgeReport[];
  effects: Partial<Record<EffectType, number>>;
  /** Goal id → times reached. */
  goals: Record<string, number>;
  stuck: StuckReport;
}

export interface Kpis {
  /** E-mails sent, opens and clicks of them, and the rates per mail sent. */
  sent: number;
  opens: number;
  clicks: number;
  openRate: number;
  clickRate: number;
  clickToOpenRate: number;
  downloads: number;
  seminars: number;
  dmVisits: number;
  printed: number;
  unsubscribes: number;
  calls: { tasks: number; connected: number; appointment: number; refused: number; noAnswer: number };
  handoffs: { sent: number; accepted: number; returned: number; timeout: number };
  /** Leads hot in some product line by the horizon after crossing during the run. */
  hotLeads: number;
  /** Goals reached (conversions), leads that reached one, and those leads per lead that entered a scenario. */
  goals: number;
  convertedLeads: number;
  conversionRate: number;
  /** Leads that entered at least one scenario. */
  enrolledLeads: number;
}

export interface HotLead {
  leadId: string;
  productLine: string;
  /** Days since the start (0 = the first day). */
  day: number;
  at: string;
}

export interface MessageStats {
  /** E-mails sent to all leads. */
  total: number;
  /** E-mails per lead per week, over every lead and week of the run. */
  perLeadPerWeek: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** E-mails sent in each week of the run. */
  byWeek: number[];
  /** Lead-weeks by the number of e-mails in them (the last bucket holds that many or more). */
  histogram: number[];
}

export interface FatigueReport {
  /** The weekly limit per product line, and where it comes from. */
  thresholds: Record<string, { perWeek: number; source: 'productLine' | 'scenario' | 'global' | 'default' }>;
  /** Leads who got more than the limit in some week, and how many such lead-weeks. */
  leadsOver: number;
  leadWeeksOver: number;
  warnings: { leadId: string; productLine: string; week: number; messages: number }[];
  /** How often caps held a mail back or dropped it, and quiet hours deferred one. */
  capDeferred: number;
  capSkipped: number;
  quietHoursDeferred: number;
}

/** Where leads stand in each product line at the horizon. */
export interface StandingReport {
  ranks: Record<string, number>;
  stages: Record<string, number>;
  hot: number;
  unsubscribed: number;
  meanScore: number;
}

/** One row of a traced lead's path, in time order. */
export type TraceRow =
  | { type: 'step'; at: string; scenarioId: string; enrollmentId: string; seq: number; nodeId: string | null; output: string | null; to: string | null; reason: Reason }
  | { type: 'effect'; at: string; scenarioId: string; enrollmentId: string; effect: EffectType; nodeId: string | null; key: string }
  | { type: 'event'; at: string; kind: string; productLine: string | null; scenarioId: string | null }
  | { type: 'hot'; at: string; productLine: string };

export interface LeadTrace {
  leadId: string;
  persona: string | null;
  rows: TraceRow[];
  final: { scenarioId: string; status: EnrollmentStatus; nodeId: string | null; endReason: string | null }[];
}

/** What a simulation reports. Plain JSON; the same input and seed give the same report. */
export interface SimulationReport {
  format: 'nurtureflow.simulation';
  formatVersion: 1;
  seed: number;
  start: string;
  end: string;
  days: number;
  behaviour: 'scripted' | 'personas';
  leads: number;
  personas: { id: string; name: string | null; leads: number }[];
  scenarios: ScenarioReport[];
  kpis: Kpis;
  hot: { leads: number; byDay: number[]; list: HotLead[] };
  messages: MessageStats;
  fatigue: FatigueReport;
  standings: Record<string, StandingReport>;
  traces: LeadTrace[];
}
