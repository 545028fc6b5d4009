import { aGraph, dur } from '@nurtureflow/scenario/testing';
import type { GoldenFixture } from './fixture.ts';

/**
 * (a) Step e-mail, then a call 2 business days later with up to three attempts; an appointment is
 * handed to sales; no appointment waits 30 days, sends new information and calls again.
 */
const graph = aGraph({ productLine: 'crm-cloud', scenarioId: 'step-call', name: 'ステップメール → 架電' })
  .trigger('t', { type: 'import' })
  .email('m1', 'step-1')
  .wait('w2', dur(2, 'businessDays'))
  .callTask('c1', { maxAttempts: 3, retryInterval: dur(1, 'businessDays'), script: '資料の感想と導入時期を確認' })
  .from('c1', 'appointment')
  .handoff('h1', { reason: 'アポイント獲得' })
  .from('h1', 'accepted')
  .goal('g1', 'appointment')
  .from('c1', 'connected')
  .wait('w30', dur(30, 'days'))
  .email('m2', 'new-info')
  .connect('m2', 'sent', 'c1')
  .connect('c1', 'noAnswer', 'w30')
  .connect('h1', 'returned', 'w30')
  .from('c1', 'refused')
  .exit('x1', 'refused')
  .input();

export const stepMailCall: GoldenFixture = {
  name: 'step-mail-call',
  description: 'Step mail → call in 2 business days, 3 attempts → appointment → hand-off; else 30 days → new info → again',
  productLines: [{ id: 'crm-cloud', name: 'CRMクラウド', settings: {} }],
  graphs: [graph],
  leads: [
    { id: 'L1', email: 'taro.yamada@example.co.jp', name: '山田 太郎', company: '株式会社サンプル' },
    { id: 'L2', email: 'hanako.sato@example.jp', name: '佐藤 花子', company: '(株)テスト商事' },
    { id: 'L3', email: 'ken.suzuki@example.com', name: 'Ken Suzuki', company: 'Example Inc.' },
  ],
  timeline: [
    { at: '2026-04-06T09:00:00+09:00', lead: 'L1', enroll: 'step-call' },
    { at: '2026-04-06T09:00:00+09:00', lead: 'L2', enroll: 'step-call' },
    { at: '2026-04-06T09:00:00+09:00', lead: 'L3', enroll: 'step-call' },
    // Wednesday 04-08 09:00: the first calls are due.
    { at: '2026-04-08T10:00:00+09:00', lead: 'L2', callOutcome: { scenarioId: 'step-call', outcome: 'noAnswer' } },
    { at: '2026-04-08T14:00:00+09:00', lead: 'L3', callOutcome: { scenarioId: 'step-call', outcome: 'refused' } },
    { at: '2026-04-08T15:00:00+09:00', lead: 'L1', callOutcome: { scenarioId: 'step-call', outcome: 'noAnswer' } },
    { at: '2026-04-09T11:00:00+09:00', lead: 'L2', callOutcome: { scenarioId: 'step-call', outcome: 'noAnswer' } },
    { at: '2026-04-09T16:00:00+09:00', lead: 'L1', callOutcome: { scenarioId: 'step-call', outcome: 'noAnswer' } },
    { at: '2026-04-10T12:00:00+09:00', lead: 'L2', callOutcome: { scenarioId: 'step-call', outcome: 'noAnswer' } },
    { at: '2026-04-10T17:00:00+09:00', lead: 'L1', callOutcome: { scenarioId: 'step-call', outcome: 'appointment' } },
    { at: '2026-04-13T10:00:00+09:00', lead: 'L1', handoff: { scenarioId: 'step-call', answer: 'accepted' } },
    // L2 got no appointment: 30 days later new information and a call, which connects.
    { at: '2026-05-11T10:00:00+09:00', lead: 'L2', callOutcome: { scenarioId: 'step-call', outcome: 'connected' } },
  ],
  until: '2026-06-30T00:00:00+09:00',
  expect: [
    {
      lead: 'L1',
      scenarioId: 'step-call',
      runs: [
        {
          path: ['t', 'm1', 'w2', 'c1', 'h1', 'g1'],
          status: 'completed',
          nodeId: 'g1',
          effects: ['sendEmail:m1', 'createCallTask:c1', 'createCallTask:c1', 'createCallTask:c1', 'handOff:h1', 'goalReached:g1'],
        },
      ],
    },
    {
      lead: 'L2',
      scenarioId: 'step-call',
      runs: [
        {
          path: ['t', 'm1', 'w2', 'c1', 'w30', 'm2', 'c1', 'w30', 'm2', 'c1'],
          status: 'waiting',
          nodeId: 'c1',
          effects: [
            'sendEmail:m1',
            'createCallTask:c1',
            'createCallTask:c1',
            'createCallTask:c1',
            'sendEmail:m2',
            'createCallTask:c1',
            'sendEmail:m2',
            'createCallTask:c1',
          ],
        },
      ],
    },
    {
      lead: 'L3',
      scenarioId: 'step-call',
      runs: [{ path: ['t', 'm1', 'w2', 'c1', 'x1'], status: 'completed', nodeId: 'x1', effects: ['sendEmail:m1', 'createCallTask:c1'] }],
    },
  ],
};
