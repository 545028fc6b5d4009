// The runtime calls the sales view makes: a product line's hot leads, hand-offs and call tasks, and
// the answers sales give (accept or return a hand-off, complete a call with its outcome).
import { call } from '../api/client.ts';

const enc = encodeURIComponent;

/** Who the lead is and where it stands in the product line. */
export interface LeadCard {
  id: string;
  email: string | null;
  name: string | null;
  company: string | null;
  phone: string | null;
  tags: string[];
  score: number;
  rank: string | null;
  stage: string;
  hot: boolean;
}

/** One change of the score, with the total after it. */
export interface ScoreEntry {
  at: string;
  points: number;
  score: number;
  source: 'event' | 'scenario' | 'decay';
  kind?: string;
  rules?: string[];
  scenarioId?: string;
  nodeId?: string;
  reason?: string;
}

/** Something the lead did. */
export interface RecentEvent {
  at: string;
  kind: string;
  productLine: string | null;
  scenarioId: string | null;
  data: Record<string, unknown>;
}

export interface HotLead {
  lead: LeadCard | { id: string };
  score: number;
  rank: string | null;
  hotAt: string | null;
  lastActivityAt: string | null;
  scoreHistory: ScoreEntry[];
  recentEvents: RecentEvent[];
}

/** The record kept when the lead was handed off. */
export interface HandoffRecord {
  handedOffAt: string;
  node: { id: string; reason: string; to: string };
  lead: LeadCard | { id: string };
  standing: { score: number; rank: string | null; stage: string; hot: boolean; hotAt: string | null };
  scoreHistory: ScoreEntry[];
  recentEvents: RecentEvent[];
  path: { at: string; nodeId: string | null; output: string | null; toNode: string | null }[];
}

export interface Handoff {
  key: string;
  status: string;
  open: boolean;
  createdAt: string;
  scenarioId: string;
  node: { id: string; reason: string; to: string };
  lead: LeadCard | { id: string };
  record: HandoffRecord | null;
  notification: { via?: string; to?: string; status?: string } | null;
  answer: { outcome: 'accepted' | 'returned'; at: string; note: string | null } | null;
}

export interface CallTask {
  key: string;
  status: string;
  dueAt: string;
  due: boolean;
  attempt: number;
  maxAttempts: number;
  script: string;
  scenarioId: string;
  nodeId: string;
  lead: (LeadCard | { id: string }) & { recentEvents: RecentEvent[] };
}

export type CallOutcome = 'connected' | 'noAnswer' | 'appointment' | 'refused';

/** A page of a list. */
export interface Page<T> {
  total: number;
  offset: number;
  limit: number;
  items: T[];
}

/** The sales view's calls. */
export const salesApi = {
  hotLeads: (productLine: string, offset: number, limit: number) => call<Page<HotLead>>('GET', `/product-lines/${enc(productLine)}/hot-leads?offset=${offset}&limit=${limit}`),
  handoffs: (productLine: string, state: 'open' | 'answered', offset: number, limit: number) =>
    call<Page<Handoff>>('GET', `/product-lines/${enc(productLine)}/handoffs?state=${state}&offset=${offset}&limit=${limit}`),
  callTasks: (productLine: string, state: 'open' | 'done') => call<{ items: CallTask[] }>('GET', `/product-lines/${enc(productLine)}/call-tasks?state=${state}`).then((r) => r.items),
  answerHandoff: (key: string, answer: 'accept' | 'return', note: string) => call<unknown>('POST', `/handoffs/${enc(key)}/${answer}`, note.trim() === '' ? {} : { note: note.trim() }),
  completeCall: (key: string, outcome: CallOutcome, note: string) => call<unknown>('POST', `/call-tasks/${enc(key)}/complete`, { outcome, ...(note.trim() === '' ? {} : { note: note.trim() }) }),
};
