import { describe, expect, it } from 'vitest';
import { aGraph, ev } from '../../../scenario/src/testing/builder.ts';
import { enter } from '../engine.ts';
import { aLead, jst } from '../testing/a-lead.ts';

const at = jst('2026-04-06T09:00');
const graph = aGraph({ scenarioId: 'welcome', version: 3 }).trigger('t', ev('form_submitted')).exit('x').build();

describe('trigger', () => {
  it('starts the enrollment and passes it to `next`', () => {
    const r = enter(graph, { enrollmentId: 'e1', lead: aLead({ id: 'L1' }), triggerNodeId: 't', now: at });
    expect(r.trace[0]).toEqual({ seq: 1, at, nodeId: 't', output: 'next', to: 'x', reason: { code: 'entered', trigger: 'event:form_submitted' } });
    expect(r.state).toMatchObject({ id: 'e1', leadId: 'L1', productLine: 'crm', scenarioId: 'welcome', version: 3, enteredAt: at });
  });

  it('fails to start at a node that does not exist or is not a trigger', () => {
    expect(enter(graph, { enrollmentId: 'e1', lead: aLead(), triggerNodeId: 'nope', now: at }).state).toMatchObject({ status: 'failed', endReason: 'missingNode' });
    const r = enter(graph, { enrollmentId: 'e1', lead: aLead(), triggerNodeId: 'x', now: at });
    expect(r.state).toMatchObject({ status: 'failed', endReason: 'notATrigger' });
    expect(r.trace).toEqual([{ seq: 1, at, nodeId: 'x', output: null, to: null, reason: { code: 'notATrigger', nodeId: 'x' } }]);
  });
});
