import { aGraph, dur } from '@nurtureflow/scenario/testing';
import type { GoldenFixture } from './fixture.ts';

/**
 * (b) Seminar attendees are scored by what they do next; only leads above the hot threshold reach
 * sales, the rest get case studies.
 */
const graph = aGraph({ productLine: 'crm-cloud', scenarioId: 'seminar-follow', name: 'セミナー参加者フォロー' })
  .trigger('t', { type: 'event', event: 'seminar_attended' })
  .email('m1', 'seminar-thanks')
  .waitForEvent('w1', 'whitepaper_downloaded', dur(7, 'days'))
  .branch('b1', [{ id: 'hot', label: 'ホットリード', condition: { type: 'score', op: 'gte', value: 60 } }])
  .handoff('h1', { reason: 'セミナー後の行動でホット化' })
  .from('b1', 'default')
  .email('m2', 'case-studies')
  .exit('x1')
  .connect('w1', 'timeout', 'b1')
  .connect('h1', 'returned', 'm2')
  .input();

export const seminarHotLeads: GoldenFixture = {
  name: 'seminar-hot-leads',
  description: 'Seminar attendees scored by behaviour; only leads above the hot threshold are handed to sales',
  productLines: [
    {
      id: 'crm-cloud',
      name: 'CRMクラウド',
      settings: {
        scoring: {
          rules: [
            { id: 'attended', event: 'seminar_attended', points: 30 },
            { id: 'opened', event: 'email_opened', points: 5, maxPerDay: 5 },
            { id: 'clicked', event: 'link_clicked', points: 10 },
            { id: 'whitepaper', event: 'whitepaper_downloaded', points: 20 },
          ],
          hotThreshold: 60,
        },
      },
    },
  ],
  graphs: [graph],
  leads: [
    { id: 'L1', email: 'ichiro@example.co.jp', name: '鈴木 一郎', company: '株式会社アルファ' },
    { id: 'L2', email: 'jiro@example.co.jp', name: '田中 次郎', company: 'ベータ株式会社' },
    { id: 'L3', email: 'saburo@example.co.jp', name: '高橋 三郎', company: 'ガンマ工業' },
  ],
  timeline: [
    { at: '2026-04-14T18:00:00+09:00', lead: 'L1', event: { kind: 'seminar_attended', productLine: 'crm-cloud' } },
    { at: '2026-04-14T18:00:00+09:00', lead: 'L2', event: { kind: 'seminar_attended', productLine: 'crm-cloud' } },
    { at: '2026-04-14T18:00:00+09:00', lead: 'L3', event: { kind: 'seminar_attended', productLine: 'crm-cloud' } },
    { at: '2026-04-15T09:00:00+09:00', lead: 'L1', event: { kind: 'email_opened', productLine: 'crm-cloud', scenarioId: 'seminar-follow' } },
    // A second open the same day adds nothing: at most 5 points a day from opens.
    { at: '2026-04-15T09:01:00+09:00', lead: 'L1', event: { kind: 'email_opened', productLine: 'crm-cloud', scenarioId: 'seminar-follow' } },
    { at: '2026-04-15T09:05:00+09:00', lead: 'L1', event: { kind: 'link_clicked', productLine: 'crm-cloud', scenarioId: 'seminar-follow' } },
    { at: '2026-04-15T12:00:00+09:00', lead: 'L2', event: { kind: 'email_opened', productLine: 'crm-cloud', scenarioId: 'seminar-follow' } },
    // L1: 30 + 5 + 10 + 20 = 65, above 60 → hot. L3: 30 + 20 = 50 → not hot.
    { at: '2026-04-16T12:00:00+09:00', lead: 'L1', event: { kind: 'whitepaper_downloaded', productLine: 'crm-cloud' } },
    { at: '2026-04-17T12:00:00+09:00', lead: 'L3', event: { kind: 'whitepaper_downloaded', productLine: 'crm-cloud' } },
  ],
  until: '2026-05-31T00:00:00+09:00',
  expect: [
    {
      lead: 'L1',
      scenarioId: 'seminar-follow',
      runs: [{ path: ['t', 'm1', 'w1', 'b1', 'h1'], status: 'waiting', nodeId: 'h1', effects: ['sendEmail:m1', 'handOff:h1'] }],
    },
    {
      lead: 'L2',
      scenarioId: 'seminar-follow',
      runs: [{ path: ['t', 'm1', 'w1', 'b1', 'm2', 'x1'], status: 'completed', nodeId: 'x1', effects: ['sendEmail:m1', 'sendEmail:m2'] }],
    },
    {
      lead: 'L3',
      scenarioId: 'seminar-follow',
      runs: [{ path: ['t', 'm1', 'w1', 'b1', 'm2', 'x1'], status: 'completed', nodeId: 'x1', effects: ['sendEmail:m1', 'sendEmail:m2'] }],
    },
  ],
};
