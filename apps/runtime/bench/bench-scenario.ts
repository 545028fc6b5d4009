// The 20-node scenario every worker benchmark runs: the runtime's own benches and the job-queue
// baseline (apps/baseline), which implements the same journey by hand.
import { aGraph, dur } from '@nurtureflow/scenario/testing';

/** 20 nodes: branches, a split, scores, mails, waits and a wait for an event. */
export function benchGraph(scenarioId: string, waitUnit: 'minutes' | 'days', waitAmount: number) {
  return aGraph({ productLine: 'bench', scenarioId, name: 'bench 20 nodes' })
    .trigger('t', { type: 'import' })
    .email('m1', 'welcome')
    .wait('w1', dur(waitAmount, waitUnit))
    .score('s1', 5)
    .branch('b1', [{ id: 'warm', condition: { type: 'score', op: 'gte', value: 5 } }])
    .split('sp', [
      { id: 'a', weight: 50 },
      { id: 'b', weight: 50 },
    ])
    .email('ma', 'variant-a')
    .wait('w2', dur(waitAmount, waitUnit))
    .update('u1', [{ op: 'addTag', tag: 'nurtured' }])
    .waitForEvent('we', 'email_opened', dur(waitAmount, waitUnit))
    .email('m3', 'case-study')
    .wait('w3', dur(waitAmount, waitUnit))
    .score('s2', 3)
    .branch('b2', [{ id: 'hot', condition: { type: 'score', op: 'gte', value: 50 } }])
    .handoff('h1')
    .from('b2', 'default')
    .email('m4', 'newsletter')
    .goal('g1', 'nurtured')
    .from('sp', 'b')
    .email('mb', 'variant-b')
    .connect('mb', 'sent', 'w2')
    .connect('we', 'timeout', 'm3')
    .connect('we', 'event', 'm3')
    .from('b1', 'default')
    .exit('x1')
    .connect('h1', 'returned', 'm4')
    .input();
}
