import type { GraphInput, ProductLineSettingsInput, Scalar, Stage } from '@nurtureflow/scenario';
import type { EnrollmentStatus, EffectType } from '../types.ts';

/**
 * A golden fixture: scenarios from practice, sample leads, a timeline of what the leads do, and the
 * expected path and effects of every enrollment. The engine tests, the simulator and the runtime's
 * integration tests replay the same fixture, which is what proves they agree.
 */
export interface GoldenFixture {
  name: string;
  description: string;
  productLines: { id: string; name: string; settings: ProductLineSettingsInput }[];
  graphs: GraphInput[];
  leads: GoldenLead[];
  /** Timeline, in time order; ISO times with offsets. */
  timeline: GoldenStep[];
  /** The virtual clock runs to here. */
  until: string;
  expect: GoldenExpectation[];
}

export interface GoldenLead {
  id: string;
  email?: string;
  name?: string;
  company?: string;
  attributes?: Record<string, Scalar>;
  tags?: string[];
  products?: Record<string, { stage?: Stage; unsubscribed?: boolean; score?: number }>;
  unsubscribedAll?: boolean;
}

export type GoldenStep =
  /** Enrol by hand or import (the scenario's import/manual trigger). */
  | { at: string; lead: string; enroll: string }
  /** The lead does something; scored by its product line, may trigger and wake enrollments. */
  | { at: string; lead: string; event: { kind: string; productLine?: string; scenarioId?: string; data?: Record<string, Scalar> } }
  /** Inside sales completes the lead's open call task in that scenario. */
  | { at: string; lead: string; callOutcome: { scenarioId: string; outcome: 'connected' | 'noAnswer' | 'appointment' | 'refused' } }
  /** Sales answers the lead's open hand-off in that scenario. */
  | { at: string; lead: string; handoff: { scenarioId: string; answer: 'accepted' | 'returned' } }
  /** Segment and schedule triggers sweep every lead. */
  | { at: string; sweep: true };

export interface GoldenExpectation {
  lead: string;
  scenarioId: string;
  /** Every enrollment of the lead in the scenario, in the order they began. */
  runs: {
    /** Node ids in the order visited (a node revisited appears again). */
    path: string[];
    status: EnrollmentStatus;
    nodeId: string | null;
    /** `${type}:${nodeId}` of each effect, in order. */
    effects: `${EffectType}:${string}`[];
  }[];
}
