// A realistic 20-node nurture scenario and its product line, shared by the tests, the benchmark
// and the command line's example: welcome mail, a wait for the open, scoring, a hot branch to
// sales, an A/B split of case studies, a call task with retries, a 30-day pause and new
// information, a goal and an exit.
import type { Graph, GraphInput, ProductLineSettingsInput } from '@nurtureflow/scenario';
import { graphSchema } from '@nurtureflow/scenario';
import { aGraph, dur } from '@nurtureflow/scenario/testing';

/** The product line the scenario belongs to: its scoring rules, hot threshold and caps. */
export const NURTURE_PRODUCT_LINE: { id: string; settings: ProductLineSettingsInput } = {
  id: 'crm',
  settings: {
    scoring: {
      rules: [
        { id: 'opened', event: 'email_opened', points: 5, maxPerDay: 10 },
        { id: 'clicked', event: 'link_clicked', points: 10 },
        { id: 'whitepaper', event: 'whitepaper_downloaded', points: 20 },
        { id: 'seminar', event: 'seminar_attended', points: 30 },
        { id: 'appointment', event: 'call_completed', filters: [{ field: 'outcome', op: 'eq', value: 'appointment' }], points: 30 },
      ],
      hotThreshold: 60,
    },
    frequencyCaps: { perWeek: 3 },
  },
};

/** The 20-node scenario as a document (before defaults). */
export function nurtureScenarioInput(): GraphInput {
  return aGraph({ productLine: 'crm', scenarioId: 'nurture', name: 'リード育成 20 ステップ' })
    .with({
      settings: {
        timezone: 'Asia/Tokyo',
        quietHours: { start: '20:00', end: '08:00', includeNonBusinessDays: false },
        frequencyCaps: { perDay: 1 },
      },
      goals: [{ id: 'customer', condition: { type: 'stage', op: 'in', stages: ['newCustomer'] } }],
    })
    .trigger('t', { type: 'import' })
    .email('m1', 'welcome')
    .waitForEvent('w1', 'link_clicked', dur(3, 'days'), { sameScenario: true })
    .score('s1', 5, 'clicked the welcome mail')
    .branch('b1', [
      { id: 'hot', label: 'ホット', condition: { type: 'score', op: 'gte', value: 60 } },
      { id: 'engaged', label: '反応あり', condition: { type: 'event', event: 'link_clicked', within: dur(14, 'days'), op: 'atLeast', count: 1, filters: [] } },
    ])
    .handoff('h1', { reason: 'スコアが閾値を超えた', responseTimeout: dur(5, 'businessDays') })
    .from('h1', 'accepted')
    .update('u2', [{ op: 'setStage', stage: 'newCustomer' }])
    .goal('g1', 'handed-over')
    .from('b1', 'engaged')
    .update('u1', [{ op: 'addTag', tag: 'engaged' }])
    .callTask('c1', { maxAttempts: 3, retryInterval: dur(1, 'businessDays'), dueIn: dur(1, 'businessDays'), script: '資料の感想と導入時期を確認' })
    .connect('c1', 'appointment', 'h1')
    .connect('c1', 'refused', 'x1')
    .from('b1', 'default')
    .split('sp1', [
      { id: 'a', weight: 50 },
      { id: 'b', weight: 50 },
    ])
    .email('m3a', 'case-study-a')
    .wait('wt2', dur(2, 'businessDays'))
    .branch('b2', [{ id: 'warm', condition: { type: 'score', op: 'gte', value: 30 } }])
    .connect('b2', 'warm', 'c1')
    .from('b2', 'default')
    .email('m4', 'newsletter')
    .exit('x1', 'nurtured')
    .from('sp1', 'b')
    .email('m3b', 'case-study-b')
    .connect('m3b', 'sent', 'wt2')
    .from('w1', 'timeout')
    .email('m2', 'reminder')
    .connect('m2', 'sent', 'b1')
    .connect('m2', 'skipped', 'b1')
    .from('c1', 'connected')
    .wait('w30', dur(30, 'days'))
    .email('m5', 'new-information')
    .connect('m5', 'sent', 'b1')
    .connect('m5', 'skipped', 'b1')
    .connect('c1', 'noAnswer', 'w30')
    .connect('h1', 'returned', 'w30')
    .connect('h1', 'timeout', 'w30')
    .connect('m1', 'skipped', 'w1')
    .connect('m3a', 'skipped', 'wt2')
    .connect('m3b', 'skipped', 'wt2')
    .connect('m4', 'skipped', 'x1')
    .input();
}

/** The scenario, parsed. */
export function nurtureScenario(): Graph {
  return graphSchema.parse(nurtureScenarioInput());
}
