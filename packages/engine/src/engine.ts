import type { Graph } from '@nurtureflow/scenario';
import { listHas, type LookedAt } from './conditions.ts';
import type { EventView, PreparedNode } from './nodes/handler.ts';
import { prepare } from './prepare.ts';
import { Run, nextOf } from './run.ts';
import type { AdvanceResult, EngineContext, EngineInput, EnrollmentState, LeadEvent, LeadView, Millis } from './types.ts';

const NO_CONTEXT: EngineContext = {};

/** A new enrollment of the lead at a trigger node, advanced until it waits or ends. */
export function enter(
  graph: Graph,
  args: { enrollmentId: string; lead: LeadView; triggerNodeId: string; now: Millis },
  ctx: EngineContext = NO_CONTEXT,
): AdvanceResult {
  const { enrollmentId, lead, triggerNodeId, now } = args;
  const state: EnrollmentState = {
    id: enrollmentId,
    leadId: lead.id,
    productLine: graph.productLine,
    scenarioId: graph.scenarioId,
    version: graph.version,
    status: 'active',
    nodeId: triggerNodeId,
    enteredAt: now,
    nodeEnteredAt: now,
    seq: 0,
    waiting: null,
    attempts: 0,
    pendingKey: null,
    endedAt: null,
    endReason: null,
    burst: 0,
  };
  const prepared = prepare(graph);
  const run = new Run(prepared, state, lead, ctx);
  const start = prepared.nodes.get(triggerNodeId);
  if (start === undefined) run.end('failed', { code: 'missingNode', nodeId: triggerNodeId }, now, 'missingNode');
  else if (start.node.kind !== 'trigger') run.end('failed', { code: 'notATrigger', nodeId: triggerNodeId }, now, 'notATrigger');
  else {
    run.next = triggerNodeId;
    proceed(run, now);
  }
  return run.result();
}

/**
 * Moves an enrollment on for a tick or an event, until the lead waits again or the enrollment
 * ends. A tick before the wait's end, or an event the node does not wait for, changes nothing.
 * Time inside is logical, so a late runtime and the simulator arrive at the same states and
 * effects: a wait ends at its `until` however late the tick, and a late tick also ends the waits
 * that followed and had ended before `now`; an event counts at its own time (kept within the
 * node's stay), after any deadline before it. A wait that is due already when it starts (zero
 * length) is left for the next tick, which finds it due at once.
 */
export function advance(graph: Graph, state: EnrollmentState, input: EngineInput, lead: LeadView, ctx: EngineContext = NO_CONTEXT): AdvanceResult {
  const waiting = state.waiting;
  if (state.status === 'active' && input.type === 'tick' && state.nodeId !== null && input.now >= state.nodeEnteredAt) {
    // Not left by the engine itself; resume by arriving at the node again, at the time it was reached.
    const run = new Run(prepare(graph), state, lead, ctx);
    run.next = state.nodeId;
    proceed(run, state.nodeEnteredAt);
    endWaitsBefore(run, input.now, run.maxTransitions);
    return run.result();
  }
  if (state.status !== 'waiting' || waiting === null) return unchanged(state, lead);

  if (input.type === 'tick') {
    if (waiting.until === null || waiting.until > input.now) return unchanged(state, lead);
    const run = new Run(prepare(graph), state, lead, ctx);
    endWait(run, waiting.until);
    endWaitsBefore(run, input.now, run.maxTransitions);
    return run.result();
  }

  const event = input.event;
  const at = Math.min(Math.max(event.at, state.nodeEnteredAt), input.now);
  const deadlinePassed = waiting.until !== null && waiting.until <= at;
  const prepared = prepare(graph);
  if (!deadlinePassed) {
    const node = state.nodeId === null ? undefined : prepared.nodes.get(state.nodeId);
    if (node === undefined || !listHas(waiting.events, event.kind) || !accepts(node, event, state)) return unchanged(state, lead);
  }
  const run = new Run(prepared, state, lead, ctx);
  if (deadlinePassed) {
    // Deadlines come first, as they would have for a runtime on time: the wait the enrollment was
    // in (a deadline at the event's very instant included), then any that ended before the event.
    endWait(run, waiting.until!);
    endWaitsBefore(run, at, Infinity);
  }
  const node = run.current;
  if (run.status === 'waiting' && node !== null && listHas(run.waiting!.events, event.kind) && accepts(node, event, run)) {
    const when = Math.max(at, run.nodeEnteredAt);
    if (!goalReached(run, when)) {
      node.handler.event!(run, node, event, when);
      proceed(run, when);
    }
  }
  return run.result();
}

function accepts(node: PreparedNode, event: LeadEvent, view: EventView): boolean {
  return node.handler.accepts !== undefined && node.handler.event !== undefined && node.handler.accepts(node, event, view);
}

function unchanged(state: EnrollmentState, lead: LeadView): AdvanceResult {
  return { state, effects: [], trace: [], next: nextOf(state), lead, transitions: 0 };
}

/** Follow outputs from node to node at logical time `at` until the lead waits or the enrollment ends. */
function proceed(run: Run, at: Millis): void {
  const nodes = run.prepared.nodes;
  while (run.next !== null) {
    const id = run.next;
    const target = run.nextNode;
    run.next = null;
    run.nextNode = null;
    if (run.looping()) return loopGuard(run, at);
    const node = target !== null && target.id === id ? target : nodes.get(id);
    if (node === undefined) return run.end('failed', { code: 'missingNode', nodeId: id }, at, 'missingNode');
    run.arriveAt(node, at);
    if (goalReached(run, at)) return;
    node.handler.arrive(run, node, at);
  }
}

/** The current wait ends at `at` (its until): goals first, then the node decides, then onward. */
function endWait(run: Run, at: Millis): void {
  const node = run.current;
  if (node === null || node.handler.wake === undefined) {
    return run.end('failed', { code: 'missingNode', nodeId: run.nodeId ?? '' }, at, 'missingNode');
  }
  if (run.looping()) return loopGuard(run, at);
  if (goalReached(run, at)) return;
  node.handler.wake(run, node, at);
  proceed(run, at);
}

/**
 * End every wait that had ended before `now`, each at its own time: how a late advance catches
 * up. Strictly before: a wait due at `now` itself (one of zero length, say) is the next tick's, so
 * a loop through it cannot spin inside one call. A tick pauses after `limit` transitions, leaving
 * the rest due for the next tick; an event cannot, since it must reach the node of its time.
 */
function endWaitsBefore(run: Run, now: Millis, limit: number): void {
  while (run.status === 'waiting' && run.waiting!.until !== null && run.waiting!.until < now && run.transitions < limit) {
    endWait(run, run.waiting!.until);
  }
}

function loopGuard(run: Run, at: Millis): void {
  run.end('failed', { code: 'loopGuard', transitions: run.burst }, at, 'loopGuard');
}

/** The scenario's exit goals, checked whenever the lead moves: a match ends the enrollment as completed. */
function goalReached(run: Run, at: Millis): boolean {
  const goals = run.prepared.goals;
  if (goals.length === 0) return false;
  // Goal tests are pure: the same lead at the same time gives the same answer, so a lead moving
  // on through several nodes at one instant is looked at once.
  if (at === run.noGoalAt && run.leadVersion === run.noGoalVersion) return false;
  const scope = run.scope(at);
  for (let i = 0; i < goals.length; i++) {
    const { goal, test } = goals[i]!;
    // Checked at every arrival and rarely met: only the answer first, and on a match (a pure
    // test) once more for the values the history keeps.
    if (!test(run.lead, scope, null)) continue;
    const values: LookedAt = {};
    if (test(run.lead, scope, values)) {
      run.emit({ type: 'goalReached', key: run.key(), nodeId: run.nodeId, productLine: run.productLine, goal: goal.id });
      run.finish('completed', { code: 'goal', goal: goal.id, values }, at);
      return true;
    }
  }
  run.noGoalAt = at;
  run.noGoalVersion = run.leadVersion;
  return false;
}
