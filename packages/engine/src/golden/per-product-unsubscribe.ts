import { aGraph, dur } from '@nurtureflow/scenario/testing';
import type { GoldenFixture } from './fixture.ts';

/**
 * (d) Unsubscribing is per product line: a lead who refuses product A's mail still receives
 * product B's. The send re-checks the list at the moment it is sent, not when the lead entered.
 */
const newsletter = (productLine: string, scenarioId: string) =>
  aGraph({ productLine, scenarioId, name: `${productLine} ニュースレター` })
    .trigger('t', { type: 'import' })
    .wait('w1', dur(1, 'days'))
    .email('m1', 'newsletter')
    .exit('x1')
    .from('m1', 'skipped')
    .exit('x2', 'unsubscribed')
    .input();

export const perProductUnsubscribe: GoldenFixture = {
  name: 'per-product-unsubscribe',
  description: 'A lead unsubscribed from product A still receives product B’s scenario; a global unsubscribe stops both',
  productLines: [
    { id: 'crm-cloud', name: 'CRMクラウド', settings: {} },
    { id: 'sfa-suite', name: 'SFAスイート', settings: {} },
  ],
  graphs: [newsletter('crm-cloud', 'crm-news'), newsletter('sfa-suite', 'sfa-news')],
  leads: [
    { id: 'L1', email: 'a@example.co.jp', name: '小林 直樹', company: '株式会社イータ', products: { 'crm-cloud': { unsubscribed: true } } },
    { id: 'L2', email: 'b@example.co.jp', name: '加藤 美咲', company: 'シータ株式会社', unsubscribedAll: true },
    { id: 'L3', email: 'c@example.co.jp', name: '吉田 健', company: '株式会社イオタ' },
    { id: 'L4', email: 'd@example.co.jp', name: '山本 彩', company: 'カッパ株式会社' },
  ],
  timeline: [
    { at: '2026-04-06T09:00:00+09:00', lead: 'L1', enroll: 'crm-news' },
    { at: '2026-04-06T09:00:00+09:00', lead: 'L1', enroll: 'sfa-news' },
    { at: '2026-04-06T09:00:00+09:00', lead: 'L2', enroll: 'crm-news' },
    { at: '2026-04-06T09:00:00+09:00', lead: 'L2', enroll: 'sfa-news' },
    { at: '2026-04-06T09:00:00+09:00', lead: 'L3', enroll: 'crm-news' },
    { at: '2026-04-06T09:00:00+09:00', lead: 'L3', enroll: 'sfa-news' },
    // L3 unsubscribes from CRM while waiting: CRM's mail is skipped at send time, SFA's is sent.
    { at: '2026-04-06T09:00:00+09:00', lead: 'L4', enroll: 'crm-news' },
    { at: '2026-04-06T09:00:00+09:00', lead: 'L4', enroll: 'sfa-news' },
    { at: '2026-04-06T15:00:00+09:00', lead: 'L3', event: { kind: 'unsubscribed', productLine: 'crm-cloud' } },
    // L4 unsubscribes from everything: both mails are skipped.
    { at: '2026-04-06T16:00:00+09:00', lead: 'L4', event: { kind: 'unsubscribed' } },
  ],
  until: '2026-04-10T00:00:00+09:00',
  expect: [
    // Unsubscribed from CRM before entering: never enters CRM's scenario (entry excludes them).
    { lead: 'L1', scenarioId: 'crm-news', runs: [] },
    { lead: 'L1', scenarioId: 'sfa-news', runs: [{ path: ['t', 'w1', 'm1', 'x1'], status: 'completed', nodeId: 'x1', effects: ['sendEmail:m1'] }] },
    { lead: 'L2', scenarioId: 'crm-news', runs: [] },
    { lead: 'L2', scenarioId: 'sfa-news', runs: [] },
    { lead: 'L3', scenarioId: 'crm-news', runs: [{ path: ['t', 'w1', 'm1', 'x2'], status: 'completed', nodeId: 'x2', effects: [] }] },
    { lead: 'L3', scenarioId: 'sfa-news', runs: [{ path: ['t', 'w1', 'm1', 'x1'], status: 'completed', nodeId: 'x1', effects: ['sendEmail:m1'] }] },
    { lead: 'L4', scenarioId: 'crm-news', runs: [{ path: ['t', 'w1', 'm1', 'x2'], status: 'completed', nodeId: 'x2', effects: [] }] },
    { lead: 'L4', scenarioId: 'sfa-news', runs: [{ path: ['t', 'w1', 'm1', 'x2'], status: 'completed', nodeId: 'x2', effects: [] }] },
  ],
};
