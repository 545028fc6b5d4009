// The bench scenario (apps/runtime/bench/bench-scenario.ts) as a team writes it by hand for a job
// queue: a switch over the node ids with the waits, scores, branches and the A/B split spelled out.
// No graph is read and Nurtureflow's engine is not used; only the hash that puts a lead in a split
// variant is the one published in packages/engine/src/split-bucket.ts, so a lead gets the same
// variant here as there (a team migrating a live A/B test would keep it for the same reason).

/** Where a lead is in the journey: one row of the baseline's `lead_state` table. */
export interface Journey {
  leadId: string;
  /** The node it is at; null before it is enrolled. */
  node: string | null;
  status: 'new' | 'waiting' | 'completed';
  /** History rows written so far (the last row's seq). */
  seq: number;
  score: number;
  tags: string[];
  unsubscribed: boolean;
  /** When it reached its current node (ms). */
  nodeEnteredAt: number;
  /** When its wait ends (ms); null when only an event ends it, or it is not waiting. */
  wakeAt: number | null;
}

/** One history row: the node, the output taken and where it led, and why. */
export interface HistoryRow {
  seq: number;
  at: number;
  node: string;
  output: string | null;
  to: string | null;
  reason: string;
}

/** One outbox row: a message to send or a change to record, keyed for idempotent delivery. */
export interface OutboxRow {
  key: string;
  node: string;
  type: 'sendEmail' | 'changeScore' | 'updateLead' | 'handOff' | 'goalReached';
  data: Record<string, string | number>;
}

/** What wakes a waiting lead: its wait ending, or an event it waits for. */
export type Wake = { type: 'timer' } | { type: 'event'; kind: string };

/** The new state of the lead, with the history and outbox rows of the walk. */
export interface Walked {
  journey: Journey;
  history: HistoryRow[];
  outbox: OutboxRow[];
}

const MINUTE = 60_000;
const WAIT = 10 * MINUTE;
/** Events the wait for an event listens to, and the hand-off's answers. */
export const OPENED = 'email_opened';
export const HANDOFF_ANSWERS: readonly string[] = ['handoff_accepted', 'handoff_returned'];
/** The product line's scoring rule: an opened mail is worth 5 points. */
export const OPEN_POINTS = 5;

/** FNV-1a over UTF-16 code units, then murmur3's finaliser (the split's published bucket hash). */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Variant a for the first half of the buckets, b for the rest (weights 50/50). */
function variantOf(leadId: string, scenarioId: string): 'a' | 'b' {
  return hash32(`${leadId}\u0000${scenarioId}\u0000sp`) / 4_294_967_296 < 0.5 ? 'a' : 'b';
}

/**
 * Moves a lead from where it is (a new lead: the trigger) until it waits or finishes, at time `at`:
 * the scenario's nodes one by one, each writing its history row and its outbox rows.
 */
export function walk(scenarioId: string, from: Journey, wake: Wake | null, at: number): Walked {
  const j: Journey = { ...from, tags: [...from.tags] };
  const history: HistoryRow[] = [];
  const outbox: OutboxRow[] = [];
  let effectIndex = 0;
  const row = (node: string, output: string | null, to: string | null, reason: string) => {
    history.push({ seq: ++j.seq, at, node, output, to, reason });
    effectIndex = 0;
  };
  const emit = (node: string, type: OutboxRow['type'], data: OutboxRow['data']) => {
    outbox.push({ key: `${j.leadId}:${scenarioId}:${j.seq + 1}:${effectIndex++}`, node, type, data });
  };
  /** Leaves `node` by `output` for `to` (null: nothing is connected, which ends the journey). */
  const go = (node: string, output: string, to: string | null, reason: string): string | null => {
    row(node, output, to, reason);
    if (to === null) finish(node, 'unconnected');
    return to;
  };
  const finish = (node: string, reason: string) => {
    row(node, null, null, reason);
    j.status = 'completed';
    j.wakeAt = null;
  };
  const wait = (node: string, until: number | null, reason: string): null => {
    j.status = 'waiting';
    j.wakeAt = until;
    row(node, null, null, reason);
    return null;
  };
  const email = (node: string, template: string, next: string): string | null => {
    if (j.unsubscribed) return go(node, 'skipped', null, 'skipped: unsubscribed');
    emit(node, 'sendEmail', { template });
    return go(node, 'sent', next, 'sent');
  };
  const score = (node: string, points: number, next: string): string => {
    emit(node, 'changeScore', { points });
    j.score += points;
    go(node, 'next', next, 'passed');
    return next;
  };

  // Leave the node the lead waited at.
  let next: string | null;
  if (j.node === null) next = 't';
  else if (j.node === 'w1') next = go('w1', 'next', 's1', 'wait over');
  else if (j.node === 'w2') next = go('w2', 'next', 'u1', 'wait over');
  else if (j.node === 'w3') next = go('w3', 'next', 's2', 'wait over');
  else if (j.node === 'we') next = wake?.type === 'event' ? go('we', 'event', 'm3', `event: ${wake.kind}`) : go('we', 'timeout', 'm3', 'timeout');
  else if (j.node === 'h1' && wake?.type === 'event') next = go('h1', wake.kind === 'handoff_accepted' ? 'accepted' : 'returned', wake.kind === 'handoff_accepted' ? null : 'm4', wake.kind);
  else throw new Error(`lead ${j.leadId} cannot be woken at ${j.node}`);

  // Arrive at nodes until one waits or the journey ends.
  while (next !== null) {
    j.node = next;
    j.nodeEnteredAt = at;
    switch (next) {
      case 't':
        next = go('t', 'next', 'm1', 'entered: import');
        break;
      case 'm1':
        next = email('m1', 'welcome', 'w1');
        break;
      case 'w1':
      case 'w2':
      case 'w3':
        next = wait(next, at + WAIT, 'wait started');
        break;
      case 's1':
        next = score('s1', 5, 'b1');
        break;
      case 'b1':
        next = j.score >= 5 ? go('b1', 'warm', 'sp', `score ${j.score} >= 5`) : go('b1', 'default', 'x1', `score ${j.score} < 5`);
        break;
      case 'sp': {
        const variant = variantOf(j.leadId, scenarioId);
        next = go('sp', variant, variant === 'a' ? 'ma' : 'mb', `split: ${variant}`);
        break;
      }
      case 'ma':
        next = email('ma', 'variant-a', 'w2');
        break;
      case 'mb':
        next = email('mb', 'variant-b', 'w2');
        break;
      case 'u1':
        emit('u1', 'updateLead', { addTag: 'nurtured' });
        if (!j.tags.includes('nurtured')) j.tags.push('nurtured');
        next = go('u1', 'next', 'we', 'passed');
        break;
      case 'we':
        next = wait('we', at + WAIT, `waiting for ${OPENED}`);
        break;
      case 'm3':
        next = email('m3', 'case-study', 'w3');
        break;
      case 's2':
        next = score('s2', 3, 'b2');
        break;
      case 'b2':
        next = j.score >= 50 ? go('b2', 'hot', 'h1', `score ${j.score} >= 50`) : go('b2', 'default', 'm4', `score ${j.score} < 50`);
        break;
      case 'h1':
        emit('h1', 'handOff', { reason: 'hot' });
        next = wait('h1', null, 'waiting for the hand-off answer');
        break;
      case 'm4':
        next = email('m4', 'newsletter', 'g1');
        break;
      case 'g1':
        emit('g1', 'goalReached', { goal: 'nurtured' });
        finish('g1', 'goal: nurtured');
        next = null;
        break;
      case 'x1':
        finish('x1', 'exit');
        next = null;
        break;
      default:
        throw new Error(`unknown node ${next}`);
    }
  }
  return { journey: j, history, outbox };
}

/** Whether an event wakes a lead waiting at its node now. */
export function wakesOn(j: Journey, kind: string, at: number): boolean {
  if (j.status !== 'waiting') return false;
  if (j.node === 'we') return kind === OPENED && (j.wakeAt === null || at < j.wakeAt);
  return j.node === 'h1' && HANDOFF_ANSWERS.includes(kind);
}
