// A scripted product line for the scoring preview and the sales view: seven leads of product line
// pv (and one other product line), scored through the API by events and a scenario's score node.
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { drain } from '../golden/drive.ts';
import { ok } from '../routes/testing.ts';
import type { TestRuntime } from '../testing.ts';

export const DAY = 86_400_000;

/** pv's rules as saved. Ranks are the defaults (A 80, B 50, C 20); hot at 60. */
export const scoring = {
  rules: [
    { id: 'opened', event: 'email_opened', points: 5, maxPerDay: 5 },
    { id: 'wp', event: 'whitepaper_downloaded', points: 20 },
    { id: 'pricing', event: 'page_visited', points: 15, filters: [{ field: 'path', op: 'eq', value: '/pricing' }] },
    { id: 'seminar', event: 'seminar_attended', points: 30 },
  ],
  hotThreshold: 60,
};

/**
 * Seven leads of product line pv and one other product line, scored through the API:
 * - pv-1: whitepaper (T-3d), seminar (T-2d), pricing page (T-1d): 20 + 30 + 15 = 65, B, hot
 * - pv-2: three opens in one morning, capped at 5 a day (for every product line), then a whitepaper: 25, C
 * - pv-3: two seminars (T-3d, T-1d+6h): 60, B, hot
 * - pv-4: pricing page (T-1d) 15, then a score node +50 (at T): 65, B, hot
 * - pv-5: a standing in pv and nothing done: 0, D
 * - pv-6: a standing in pv; its whitepaper and form count for `other` only: 0, D in pv
 * - pv-7: enrolled in a pv scenario, no standing; a form (no product line) that pv's rules do not score: 0, D
 */
export async function script(t: TestRuntime): Promise<number> {
  const T = t.clock.now();
  await ok(t, 'POST', '/product-lines', { id: 'pv', name: 'プレビュー', settings: { scoring } });
  await ok(t, 'POST', '/product-lines', {
    id: 'other',
    name: '別商材',
    settings: { scoring: { rules: [{ id: 'wp', event: 'whitepaper_downloaded', points: 20 }, { id: 'form', event: 'form_submitted', points: 10 }], hotThreshold: 20 } },
  });
  for (const [n, name, company, phone] of [
    [1, '坂本 美咲', '株式会社サクラ精機', '03-1234-5678'],
    [2, '中村 大輔', 'ミドリ物産株式会社', '06-2345-6789'],
    [3, '高橋 由美', '(株)アオバ商事', '052-345-6789'],
    [4, '伊藤 翔太', 'ヒカリ電機株式会社', '011-456-7890'],
    [5, '渡辺 健', 'ツバサ工業株式会社', '092-567-8901'],
    [6, '山本 愛', 'ソラ通信株式会社', '045-678-9012'],
    [7, '小林 誠', 'カエデ建設株式会社', '022-789-0123'],
  ] as const) {
    const products = n === 5 || n === 6 ? { products: { pv: { stage: 'prospect' } } } : {};
    await ok(t, 'POST', '/leads', { id: `pv-${n}`, email: `pv${n}@example.jp`, name, company, phone, ...products });
  }
  const at = (ms: number) => new Date(ms).toISOString();
  const events = [
    { id: 'e1', kind: 'whitepaper_downloaded', leadId: 'pv-1', productLine: 'pv', at: at(T - 3 * DAY) },
    { id: 'e2', kind: 'seminar_attended', leadId: 'pv-1', productLine: 'pv', at: at(T - 2 * DAY) },
    { id: 'e3', kind: 'page_visited', leadId: 'pv-1', productLine: 'pv', at: at(T - DAY), data: { path: '/pricing' } },
    { id: 'e4', kind: 'email_opened', leadId: 'pv-2', at: at(T - 2 * DAY) },
    { id: 'e5', kind: 'email_opened', leadId: 'pv-2', at: at(T - 2 * DAY + 60_000) },
    { id: 'e6', kind: 'email_opened', leadId: 'pv-2', at: at(T - 2 * DAY + 120_000) },
    { id: 'e7', kind: 'whitepaper_downloaded', leadId: 'pv-2', productLine: 'pv', at: at(T - 2 * DAY + 3 * 3_600_000) },
    { id: 'e8', kind: 'seminar_attended', leadId: 'pv-3', productLine: 'pv', at: at(T - 3 * DAY) },
    { id: 'e9', kind: 'seminar_attended', leadId: 'pv-3', productLine: 'pv', at: at(T - DAY + 6 * 3_600_000) },
    { id: 'e10', kind: 'page_visited', leadId: 'pv-4', productLine: 'pv', at: at(T - DAY), data: { path: '/pricing' } },
    { id: 'e11', kind: 'page_visited', leadId: 'pv-4', productLine: 'pv', at: at(T - DAY), data: { path: '/blog' } },
    { id: 'e12', kind: 'whitepaper_downloaded', leadId: 'pv-6', productLine: 'other', at: at(T - DAY) },
    { id: 'e13', kind: 'form_submitted', leadId: 'pv-6', productLine: 'other', at: at(T - DAY) },
    { id: 'e14', kind: 'form_submitted', leadId: 'pv-7', at: at(T - DAY) },
  ];
  await ok(t, 'POST', '/events/batch', { events });
  const boost = aGraph({ productLine: 'pv', scenarioId: 'pv-boost', name: '個別相談' }).trigger('t').score('s1', 50, '個別相談会に参加').exit('x').input();
  const nurture = aGraph({ productLine: 'pv', scenarioId: 'pv-nurture', name: '育成' }).trigger('t').wait('w', dur(30, 'days')).exit('x').input();
  for (const g of [boost, nurture]) {
    await ok(t, 'POST', '/scenarios', { id: g.scenarioId, productLine: 'pv', name: g.name, draft: g });
    await ok(t, 'POST', `/scenarios/${g.scenarioId}/publish`, { note: 'test' });
  }
  await ok(t, 'POST', '/enrollments', { scenarioId: 'pv-boost', leadIds: ['pv-4'] });
  await ok(t, 'POST', '/enrollments', { scenarioId: 'pv-nurture', leadIds: ['pv-7'] });
  await drain(t);
  return T;
}
