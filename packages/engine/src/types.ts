import type { CallOutcome, FrequencyCaps, LeadChange, QuietHours, Rank, Scalar, Scoring, Stage } from '@nurtureflow/scenario';

/** Milliseconds since the epoch, UTC. The engine never reads a clock; `now` always comes in. */
export type Millis = number;

/** Something a lead did, or something that happened to a lead. */
export interface LeadEvent {
  /** Client-supplied, unique: ingestion is idempotent by it. */
  id: string;
  kind: string;
  at: Millis;
  /** The product line the event belongs to; null for events that count for every product line. */
  productLine: string | null;
  /** Set when the event answers something a scenario did (an open of its mail, a call outcome). */
  scenarioId?: string | null;
  nodeId?: string | null;
  /** For call outcomes and hand-off answers: the key of the effect being answered. */
  effectKey?: string | null;
  data: Readonly<Record<string, Scalar>>;
}

/** A lead's standing in one product line. */
export interface ProductStanding {
  score: number;
  rank: Rank | null;
  stage: Stage;
  hot: boolean;
  unsubscribed: boolean;
}

/** What the engine may know about a lead: the lead as it is now, never a copy from before a wait. */
export interface LeadView {
  id: string;
  attributes: Readonly<Record<string, Scalar>>;
  tags: readonly string[];
  /** Per product line; a product line the lead has no standing in reads as score 0, prospect. */
  products: Readonly<Record<string, ProductStanding>>;
  unsubscribedAll: boolean;
  /** The lead's current e-mail address bounced for good (hard bounce, complaint-free): no mail can reach it. */
  emailBounced?: boolean;
  /** Recent events, oldest first, covering at least the longest window the graph looks back. */
  recentEvents: readonly LeadEvent[];
  /** Messages already sent to the lead (any product line), for frequency caps, oldest first. */
  messages: readonly { at: Millis; productLine: string }[];
}

export type EnrollmentStatus = 'active' | 'waiting' | 'completed' | 'exited' | 'failed';

/** What an enrollment waits for: a time, some event kinds, or both (whichever comes first). */
export interface Waiting {
  /** Wake at this time (a wait's end, a timeout, the end of quiet hours); null for none. */
  until: Millis | null;
  /** Event kinds that wake it; the node decides whether a given event of such a kind counts. */
  events: readonly string[];
  /** Why it waits, for the history and the canvas. */
  reason: WaitReason;
}

export type WaitReason = 'wait' | 'event' | 'quietHours' | 'frequencyCap' | 'callOutcome' | 'callRetry' | 'handoffResponse';

/** One lead in one published scenario version. Plain JSON: the runtime stores it as is. */
export interface EnrollmentState {
  id: string;
  leadId: string;
  productLine: string;
  scenarioId: string;
  version: number;
  status: EnrollmentStatus;
  /** The node the lead is at (waiting there, or last reached when ended). */
  nodeId: string | null;
  enteredAt: Millis;
  nodeEnteredAt: Millis;
  /**
   * History rows written so far (each transition and each wait that starts is one row); effect keys
   * are made from it, so a replay makes the same keys.
   */
  seq: number;
  waiting: Waiting | null;
  /** Call attempts made at the current node. */
  attempts: number;
  /** The key of the effect the lead waits on (call task, hand-off), to match its answer. */
  pendingKey: string | null;
  endedAt: Millis | null;
  endReason: string | null;
  /**
   * Transitions taken at the logical time `nodeEnteredAt`, across advances. Only a loop without a
   * real wait (zero-length waits count as none) keeps it growing; the loop guard stops it. Absent
   * in states stored before it existed, which reads as 0.
   */
  burst?: number;
}

/** Something a step asks the world to do; the runtime commits it to the outbox with the state. */
export type Effect =
  | { type: 'sendEmail'; key: string; nodeId: string; productLine: string; template: string; subject: string | null }
  | {
      type: 'createCallTask';
      key: string;
      nodeId: string;
      productLine: string;
      attempt: number;
      maxAttempts: number;
      dueAt: Millis;
      script: string;
    }
  | { type: 'handOff'; key: string; nodeId: string; productLine: string; to: string; reason: string }
  | {
      type: 'printJob';
      key: string;
      nodeId: string;
      productLine: string;
      medium: 'mail' | 'fax';
      template: string;
      landingUrl: string;
      /** Personal code for the tracking URL / QR, stable per (lead, scenario, node). */
      trackingCode: string;
    }
  | { type: 'callWebhook'; key: string; nodeId: string; productLine: string; url: string; channel: string; payload: Readonly<Record<string, unknown>> }
  | { type: 'changeScore'; key: string; nodeId: string; productLine: string; points: number; reason: string }
  | { type: 'updateLead'; key: string; nodeId: string; productLine: string; changes: readonly LeadChange[] }
  | { type: 'enroll'; key: string; nodeId: string; productLine: string; scenarioId: string }
  | { type: 'goalReached'; key: string; nodeId: string | null; productLine: string; goal: string }
  | { type: 'exited'; key: string; nodeId: string | null; productLine: string; reason: string };

export type EffectType = Effect['type'];

/** Why a step went where it went: every decision is explained. */
export type Reason =
  | { code: 'entered'; trigger: string }
  | { code: 'passed' }
  | { code: 'case'; caseId: string; values: Readonly<Record<string, unknown>> }
  | { code: 'default'; values: Readonly<Record<string, unknown>> }
  | { code: 'split'; variant: string; bucket: number }
  | { code: 'sent' }
  | { code: 'skipped'; why: 'unsubscribed' | 'unsubscribedAll' | 'frequencyCap' | 'bounced' }
  | { code: 'deferred'; why: 'quietHours' | 'frequencyCap'; until: Millis }
  | { code: 'waitStarted'; until: Millis | null; events: readonly string[] }
  | { code: 'waitOver' }
  | { code: 'event'; eventId: string; kind: string }
  | { code: 'timeout' }
  | { code: 'callOutcome'; outcome: CallOutcome; attempt: number }
  | { code: 'callRetry'; attempt: number; until: Millis }
  | { code: 'handoff'; answer: 'accepted' | 'returned' | 'timeout' }
  /** A goal node reached, or one of the scenario's exit goals matched (then with the values looked at). */
  | { code: 'goal'; goal: string; values?: Readonly<Record<string, unknown>> }
  | { code: 'exit'; why: string }
  | { code: 'unconnected'; output: string }
  | { code: 'loopGuard'; transitions: number }
  /** A move node enrolled the lead elsewhere. */
  | { code: 'moved'; scenarioId: string; productLine: string }
  /** An output points at a node the graph does not have. */
  | { code: 'missingNode'; nodeId: string }
  /** `enter` was asked to start at a node that is not a trigger. */
  | { code: 'notATrigger'; nodeId: string };

/** One row of the enrollment's history. */
export interface TraceEntry {
  seq: number;
  at: Millis;
  nodeId: string | null;
  /** The output taken, or null where the lead stays (a wait begins) or the enrollment ends. */
  output: string | null;
  to: string | null;
  reason: Reason;
}

/** What happens next for an enrollment after a step. */
export type Next = { type: 'wait'; waiting: Waiting } | { type: 'done'; status: 'completed' | 'exited' | 'failed' };

/** The result of one advance: new state, effects to commit with it, its history rows. */
export interface AdvanceResult {
  state: EnrollmentState;
  effects: Effect[];
  trace: TraceEntry[];
  next: Next;
  /** The lead as the step left it (score changes and updates applied), for the caller's next look. */
  lead: LeadView;
  /** Node-to-node transitions taken in this advance. */
  transitions: number;
}

/** Input to an advance: the clock reached `now`, or an event arrived at `now`. */
export type EngineInput = { type: 'tick'; now: Millis } | { type: 'event'; now: Millis; event: LeadEvent };

/** Settings that come from outside the graph: the product line's caps and quiet hours, the global cap. */
export interface EngineContext {
  /** A cap across all product lines, protecting the lead from too many messages. */
  globalCaps?: { perWeek?: number; perDay?: number };
  /** Stop an advance after this many transitions (default 1000) and report it. */
  maxTransitions?: number;
  /** Scoring per product line; score nodes recompute rank and hot with it (else only the score moves). */
  scoring?: Record<string, Scoring>;
  /**
   * Quiet hours and caps per product line. The graph's own quiet hours win when it sets them; caps
   * from both apply (the stricter one bites).
   */
  productLines?: Record<string, { quietHours?: QuietHours; frequencyCaps?: FrequencyCaps }>;
}
