import { fakerJA as faker } from '@faker-js/faker';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import type { Hono } from 'hono';
import { createApiToken } from './auth/tokens.ts';
import type { Runtime } from './runtime.ts';

export const DEMO_PRODUCT_LINE = 'crm-cloud';
export const DEMO_SCENARIO = 'demo-welcome';

/**
 * The demo a newcomer sees on first start: a product line with scoring, a published scenario
 * whose waits are minutes long so leads visibly move, and sample leads with Japanese names,
 * companies and phone numbers (from faker's ja locale, seeded so every first start looks alike).
 * It goes through the public API, like any client would, with an organisation admin's token made
 * for it and revoked when it is done.
 */
export async function seedDemo(rt: Runtime, app: Hono, leads = 40): Promise<void> {
  const existing = await rt.db.selectFrom('product_lines').select('id').limit(1).execute();
  if (existing.length > 0) return;
  const { token, secret } = await createApiToken(rt.db, { name: 'demo data (first start)', orgAdmin: true }, new Date(rt.clock.now()));
  try {
    await seedThroughApi(rt, app, secret, leads);
  } finally {
    await rt.db.updateTable('api_tokens').set({ revoked_at: new Date(rt.clock.now()) }).where('id', '=', token.id).execute();
  }
}

async function seedThroughApi(rt: Runtime, app: Hono, secret: string, leads: number): Promise<void> {
  const call = async (method: string, path: string, body: unknown) => {
    const res = await app.request(`/api/v1${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`seeding ${method} ${path} failed: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  await call('POST', '/product-lines', {
    id: DEMO_PRODUCT_LINE,
    name: 'CRMクラウド',
    settings: {
      scoring: {
        rules: [
          { id: 'opened', event: 'email_opened', points: 5, maxPerDay: 10 },
          { id: 'clicked', event: 'link_clicked', points: 10 },
          { id: 'whitepaper', event: 'whitepaper_downloaded', points: 20 },
          { id: 'seminar', event: 'seminar_attended', points: 30 },
        ],
        hotThreshold: 40,
      },
      sender: { name: 'CRMクラウド事務局', email: 'info@crm-cloud.example.jp' },
    },
  });
  const graph = aGraph({ productLine: DEMO_PRODUCT_LINE, scenarioId: DEMO_SCENARIO, name: 'デモ: 資料請求フォロー' })
    .trigger('t', { type: 'import' })
    .email('m1', 'welcome', { subject: '資料請求ありがとうございます' })
    .waitForEvent('w1', 'email_opened', dur(2, 'minutes'))
    .score('s1', 10, '初回メール開封')
    .branch('b1', [{ id: 'hot', label: 'ホット', condition: { type: 'score', op: 'gte', value: 40 } }])
    .handoff('h1', { reason: 'スコアがホット基準を超えました' })
    .from('b1', 'default')
    .callTask('c1', { maxAttempts: 3, retryInterval: dur(1, 'minutes'), script: '資料の感想と導入時期を確認' })
    .from('w1', 'timeout')
    .email('m2', 'reminder', { subject: '導入事例のご紹介' })
    .wait('w2', dur(1, 'minutes'))
    .exit('x1')
    .connect('c1', 'connected', 'x1')
    .connect('c1', 'noAnswer', 'x1')
    .connect('c1', 'appointment', 'h1')
    .connect('h1', 'returned', 'x1')
    .with({ settings: { timezone: 'Asia/Tokyo' } })
    .input();
  await call('POST', '/scenarios', { id: DEMO_SCENARIO, productLine: DEMO_PRODUCT_LINE, name: graph.name, draft: graph });
  await call('POST', `/scenarios/${DEMO_SCENARIO}/publish`, { note: 'デモ用の初版' });

  faker.seed(20261125);
  const ids: string[] = [];
  for (let i = 0; i < leads; i++) {
    const last = faker.person.lastName();
    const first = faker.person.firstName();
    const lead = await call('POST', '/leads', {
      email: `demo${i + 1}@${faker.helpers.arrayElement(['example.co.jp', 'example.jp', 'example.com'])}`,
      name: `${last} ${first}`,
      company: faker.company.name(),
      phone: faker.phone.number(),
      attributes: { industry: faker.helpers.arrayElement(['製造業', '小売業', 'IT・通信', '金融', '建設']), employees: faker.number.int({ min: 10, max: 5000 }) },
    });
    ids.push(lead.id ?? lead.lead?.id);
  }
  await call('POST', '/enrollments', { scenarioId: DEMO_SCENARIO, leadIds: ids });
  // A third of the leads open the mail a little later, so the canvas shows leads taking both paths.
  const now = rt.clock.now();
  const events = ids
    .filter((_, i) => i % 3 === 0)
    .map((leadId, i) => ({ id: `demo-open-${leadId}`, kind: 'email_opened', leadId, productLine: DEMO_PRODUCT_LINE, scenarioId: DEMO_SCENARIO, at: new Date(now + 1000 * (i + 1)).toISOString() }));
  if (events.length) await call('POST', '/events/batch', { events });
}
