import { aGraph, dur } from '@nurtureflow/scenario/testing';
import type { GoldenFixture } from './fixture.ts';

/**
 * (c) A dormant customer gets a coupon by direct mail with a personal URL; visiting it re-activates
 * the customer. One who does not respond may enter again 90 days after the last run ended.
 */
const graph = aGraph({ productLine: 'crm-cloud', scenarioId: 'dormant-dm', name: '休眠顧客 DM クーポン' })
  .with({ entry: { reEntry: { mode: 'after', period: dur(90, 'days') } } })
  .trigger('t', { type: 'segment', condition: { type: 'stage', op: 'in', stages: ['dormant'] } })
  .directMail('d1', 'coupon-spring', 'https://example.com/coupon')
  .waitForEvent('w1', 'dm_url_visited', dur(30, 'days'), { sameScenario: true })
  .update('u1', [
    { op: 'setStage', stage: 'existing' },
    { op: 'addTag', tag: 'reactivated' },
  ])
  .goal('g1', 'reactivated')
  .from('w1', 'timeout')
  .exit('x1', 'no response')
  .input();

export const dormantCoupon: GoldenFixture = {
  name: 'dormant-coupon',
  description: 'Dormant customers get a coupon DM with a personal URL; a visit re-activates them, silence re-enters after 90 days',
  productLines: [{ id: 'crm-cloud', name: 'CRMクラウド', settings: {} }],
  graphs: [graph],
  leads: [
    { id: 'L1', email: 'keiko@example.co.jp', name: '伊藤 恵子', company: '株式会社デルタ', products: { 'crm-cloud': { stage: 'dormant' } } },
    { id: 'L2', email: 'makoto@example.co.jp', name: '渡辺 誠', company: 'イプシロン有限会社', products: { 'crm-cloud': { stage: 'dormant' } } },
    { id: 'L3', email: 'yui@example.co.jp', name: '中村 結衣', company: 'ゼータ株式会社', products: { 'crm-cloud': { stage: 'existing' } } },
  ],
  timeline: [
    { at: '2026-04-06T09:00:00+09:00', sweep: true },
    { at: '2026-04-10T20:00:00+09:00', lead: 'L1', event: { kind: 'dm_url_visited', productLine: 'crm-cloud', scenarioId: 'dormant-dm' } },
    // L2's first run ended on 05-06 with no response: too early to re-enter on 07-01, due again on 08-10.
    { at: '2026-07-01T09:00:00+09:00', sweep: true },
    { at: '2026-08-10T09:00:00+09:00', sweep: true },
  ],
  until: '2026-08-20T00:00:00+09:00',
  expect: [
    {
      lead: 'L1',
      scenarioId: 'dormant-dm',
      runs: [{ path: ['t', 'd1', 'w1', 'u1', 'g1'], status: 'completed', nodeId: 'g1', effects: ['printJob:d1', 'updateLead:u1', 'goalReached:g1'] }],
    },
    {
      lead: 'L2',
      scenarioId: 'dormant-dm',
      runs: [
        { path: ['t', 'd1', 'w1', 'x1'], status: 'completed', nodeId: 'x1', effects: ['printJob:d1'] },
        { path: ['t', 'd1', 'w1'], status: 'waiting', nodeId: 'w1', effects: ['printJob:d1'] },
      ],
    },
    { lead: 'L3', scenarioId: 'dormant-dm', runs: [] },
  ],
};
