// The audit log records each kind of change with who made it and what changed, in the change's own
// transaction (a refused change leaves no entry), and lists a product line's entries with filters
// and pages to the callers who may read that product line.
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { expect, it } from 'vitest';
import { ok } from '../routes/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { DRAFT_COALESCE_MS } from './record.ts';

const ADMIN = 'token:test admin';
const MARKETER = 'token:marketer';
const MINUTE = 60_000;

type Entry = { actor: string; action: string; objectKind: string; objectId: string; at: string; details: Record<string, unknown> };

/** Every entry of the product line, oldest first. */
async function entries(t: TestRuntime, pl: string, query = ''): Promise<Entry[]> {
  const { items } = await ok(t, 'GET', `/product-lines/${pl}/audit?limit=500${query}`);
  return [...items].reverse();
}

async function setup(t: TestRuntime, pl: string): Promise<{ as: TestRuntime['call'] }> {
  await ok(t, 'POST', '/product-lines', { id: pl, name: `商材 ${pl}` });
  const secret = await t.token({ roles: { [pl]: 'editor' }, name: 'marketer' });
  return { as: t.as(secret) };
}

const flow = (pl: string, id: string) =>
  aGraph({ productLine: pl, scenarioId: id, name: 'ようこそ' }).trigger('t', { type: 'import' }).email('m1', 'welcome').wait('w', dur(2, 'days')).exit('x').input();

eachRuntime('audit log', (current) => {
  it('a scenario’s story: created, draft saves coalesced per actor, renamed, published with the diff, paused, resumed, archived', async () => {
    const t = current();
    const pl = 'au1';
    const { as } = await setup(t, pl);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await as(method, path, body);
      expect(res.status, `${method} ${path} → ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body;
    };
    await ok(t, 'POST', `/product-lines/${pl}/templates`, { id: 'welcome', name: 'welcome', subject: 'ようこそ', html: '<p>hi</p>' });
    await call('POST', '/scenarios', { id: 'au1-s', productLine: pl, name: 'ようこそ', draft: flow(pl, 'au1-s') });

    // Three saves a minute apart are one entry; a pause longer than the window starts another.
    for (let i = 0; i < 3; i++) {
      await call('PUT', '/scenarios/au1-s/draft', flow(pl, 'au1-s'));
      t.clock.advance(MINUTE);
    }
    t.clock.advance(DRAFT_COALESCE_MS);
    await call('PUT', '/scenarios/au1-s/draft', { ...flow(pl, 'au1-s'), name: 'ようこそ（改）' });
    // Another actor's save is an entry of its own.
    await ok(t, 'PUT', '/scenarios/au1-s/draft', { ...flow(pl, 'au1-s'), name: 'ようこそ（改）' });

    await call('POST', '/scenarios/au1-s/publish', { note: '初版' });
    const v2 = aGraph({ productLine: pl, scenarioId: 'au1-s', name: 'ようこそ（改）' })
      .trigger('t', { type: 'import' })
      .email('m1', 'welcome', { subject: '変更した件名' })
      .wait('w2', dur(3, 'days'))
      .exit('x')
      .input();
    await call('PUT', '/scenarios/au1-s/draft', v2);
    await call('POST', '/scenarios/au1-s/publish', { note: '件名と待ち時間' });
    await call('POST', '/scenarios/au1-s/pause');
    await call('POST', '/scenarios/au1-s/resume');
    await call('POST', '/scenarios/au1-s/archive');

    const story = (await entries(t, pl, '&objectKind=scenario&objectId=au1-s')).map((e) => [e.actor, e.action, e.details]);
    expect(story).toEqual([
      [MARKETER, 'scenario.created', { name: 'ようこそ', fromDraft: true }],
      [MARKETER, 'scenario.draftChanged', { saves: 3, lastAt: '2026-04-06T00:02:00.000Z' }],
      // Six minutes later: a new entry, which the v2 save (within the window) joins.
      [MARKETER, 'scenario.draftChanged', { saves: 2, lastAt: '2026-04-06T00:08:00.000Z' }],
      [MARKETER, 'scenario.renamed', { from: 'ようこそ', to: 'ようこそ（改）' }],
      [ADMIN, 'scenario.draftChanged', { saves: 1, lastAt: '2026-04-06T00:08:00.000Z' }],
      [MARKETER, 'scenario.published', { version: 1, previousVersion: null, note: '初版', added: ['m1', 't', 'w', 'x'], removed: [], changed: [], moveEnrollments: false, moved: 0, stayed: 0 }],
      [MARKETER, 'scenario.published', { version: 2, previousVersion: 1, note: '件名と待ち時間', added: ['w2'], removed: ['w'], changed: ['m1'], moveEnrollments: false, moved: 0, stayed: 0 }],
      [MARKETER, 'scenario.paused', { from: 'active', to: 'paused', exited: 0 }],
      [MARKETER, 'scenario.resumed', { from: 'paused', to: 'active', exited: 0 }],
      [MARKETER, 'scenario.archived', { from: 'active', to: 'archived', exited: 0 }],
    ]);
  });

  it('templates: created, changed with the fields that changed; a PUT that changes nothing records nothing', async () => {
    const t = current();
    const pl = 'au2';
    const { as } = await setup(t, pl);
    const put = async (id: string, body: object) => expect((await as('PUT', `/product-lines/${pl}/templates/${id}`, body)).status).toBe(200);
    expect((await as('POST', `/product-lines/${pl}/templates`, { id: 'news', name: 'ニュース', subject: '4月のお知らせ', html: '<p>a</p>' })).status).toBe(201);
    await put('news', { name: 'ニュース', subject: '4月のお知らせ', html: '<p>a</p>' });
    await put('news', { name: 'ニュース', subject: '5月のお知らせ', html: '<p>b</p>' });
    await put('seminar', { name: 'セミナー', subject: 'ご招待', html: '<p>c</p>' });
    expect((await entries(t, pl, '&objectKind=template')).map((e) => [e.actor, e.action, e.objectId, e.details])).toEqual([
      [MARKETER, 'template.created', 'news', { name: 'ニュース', subject: '4月のお知らせ' }],
      [MARKETER, 'template.changed', 'news', { fields: ['subject', 'html'], subject: { before: '4月のお知らせ', after: '5月のお知らせ' } }],
      [MARKETER, 'template.created', 'seminar', { name: 'セミナー', subject: 'ご招待' }],
    ]);
  });

  it('product line settings: renamed, scoring before and after, other fields, and secrets only as set or changed — never their values', async () => {
    const t = current();
    const pl = 'au3';
    await setup(t, pl);
    const secret = 'whsec-0123456789-abcdef-SECRET';
    const password = 'p4ssw0rd-SECRET';
    const patch = (body: object) => ok(t, 'PATCH', `/product-lines/${pl}`, body);
    const base = { scoring: { rules: [{ id: 'open', event: 'email_opened', points: 5 }], hotThreshold: 60 } };
    await patch({ name: '新しい名前' });
    await patch({ settings: base });
    await patch({ settings: { ...base, scoring: { ...base.scoring, hotThreshold: 70 } } });
    await patch({ settings: { ...base, scoring: { ...base.scoring, hotThreshold: 70 }, salesEmail: 'sales@example.jp', webhookSecret: secret, smtp: { url: `smtp://mailer:${password}@smtp.example.jp:587` } } });
    // The same server with a new password: masked, the URL looks the same.
    await patch({ settings: { ...base, scoring: { ...base.scoring, hotThreshold: 70 }, salesEmail: 'sales@example.jp', smtp: { url: 'smtp://mailer:another-SECRET@smtp.example.jp:587' } } });
    // Sent back as read: nothing changes, nothing is recorded.
    const shown = await ok(t, 'GET', `/product-lines/${pl}`);
    await patch({ settings: shown.settings });

    const log = await entries(t, pl, '&objectKind=productLine');
    expect(JSON.stringify(log)).not.toContain('SECRET');
    expect(log.map((e) => [e.actor, e.action, e.details])).toEqual([
      [ADMIN, 'productLine.created', { name: '商材 au3' }],
      [ADMIN, 'productLine.renamed', { from: '商材 au3', to: '新しい名前' }],
      [ADMIN, 'scoring.changed', { before: expect.objectContaining({ hotThreshold: 60, rules: [] }), after: expect.objectContaining({ hotThreshold: 60, rules: [expect.objectContaining({ id: 'open', points: 5 })] }) }],
      [ADMIN, 'scoring.changed', { before: expect.objectContaining({ hotThreshold: 60 }), after: expect.objectContaining({ hotThreshold: 70 }) }],
      [
        ADMIN,
        'productLine.settingsChanged',
        {
          changes: { salesEmail: { before: null, after: 'sales@example.jp' }, smtp: { before: null, after: { url: 'smtp://mailer:********@smtp.example.jp:587' } } },
          secrets: { webhookSecret: 'set' },
        },
      ],
      [ADMIN, 'productLine.settingsChanged', { changes: {}, secrets: { smtpPassword: 'changed' } }],
    ]);
  });

  it('a refused change leaves no entry: a publish with errors, a save to an archived scenario, a taken id', async () => {
    const t = current();
    const pl = 'au4';
    await setup(t, pl);
    await ok(t, 'POST', '/scenarios', { id: 'au4-s', productLine: pl, name: 'broken', draft: aGraph({ productLine: pl, scenarioId: 'au4-s' }).trigger('t', { type: 'import' }).email('m1', 'missing-template').input() });
    const before = await entries(t, pl);
    expect((await t.call('POST', '/scenarios/au4-s/publish', { note: 'x' })).status).toBe(422);
    expect((await t.call('POST', '/scenarios', { id: 'au4-s', productLine: pl, name: 'again' })).status).toBe(409);
    expect((await t.call('POST', `/product-lines/${pl}/templates`, { id: 'x', name: 'x', subject: '{{ broken', html: '<p/>' })).status).toBe(400);
    await ok(t, 'POST', '/scenarios/au4-s/archive');
    expect((await t.call('PUT', '/scenarios/au4-s/draft', { name: 'late' })).status).toBe(409);
    expect((await t.call('POST', '/scenarios/au4-s/pause')).status).toBe(409);
    expect((await entries(t, pl)).map((e) => e.action)).toEqual([...before.map((e) => e.action), 'scenario.archived']);
  });

  it('lists newest first with filters and pages, to those who may read the product line only', async () => {
    const t = current();
    const pl = 'au5';
    await setup(t, pl);
    for (let i = 0; i < 5; i++) {
      t.clock.advance(MINUTE);
      await ok(t, 'POST', `/product-lines/${pl}/templates`, { id: `t${i}`, name: `t${i}`, subject: 's', html: '<p/>' });
    }
    const all = (await ok(t, 'GET', `/product-lines/${pl}/audit`)).items as Entry[];
    expect(all.map((e) => e.objectId)).toEqual(['t4', 't3', 't2', 't1', 't0', pl]);

    // Pages of two, followed to the end, give every entry once.
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { items: Entry[]; next: string | null } = await ok(t, 'GET', `/product-lines/${pl}/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.objectId));
      cursor = page.next;
    }
    expect(seen).toEqual(all.map((e) => e.objectId));

    expect((await ok(t, 'GET', `/product-lines/${pl}/audit?action=productLine.created,scenario.published`)).items.map((e: Entry) => e.action)).toEqual(['productLine.created']);
    expect((await ok(t, 'GET', `/product-lines/${pl}/audit?objectKind=template&objectId=t2`)).items).toHaveLength(1);
    expect((await ok(t, 'GET', `/product-lines/${pl}/audit?since=${encodeURIComponent(all[2]!.at)}`)).items.map((e: Entry) => e.objectId)).toEqual(['t4', 't3', 't2']);

    const refused = async (query: string, field: string) => {
      const res = await t.call('GET', `/product-lines/${pl}/audit?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    };
    await refused('action=scenario.deleted', 'query.action');
    await refused('objectKind=lead', 'query.objectKind');
    await refused('cursor=nonsense', 'query.cursor');
    await refused('since=yesterday', 'query.since');

    // An analyst reads it; sales may not (403); another product line's member gets 404, as for a line that does not exist.
    const analyst = t.as(await t.token({ roles: { [pl]: 'analyst' }, name: 'analyst' }));
    expect((await analyst('GET', `/product-lines/${pl}/audit`)).status).toBe(200);
    expect((await t.as(await t.token({ roles: { [pl]: 'sales' }, name: 'sales' }))('GET', `/product-lines/${pl}/audit`)).status).toBe(403);
    expect((await t.as(await t.token({ roles: { au1: 'admin' }, name: 'other' }))('GET', `/product-lines/${pl}/audit`)).status).toBe(404);
    expect((await t.call('GET', '/product-lines/no-such-line/audit')).status).toBe(404);
    expect((await t.as(null)('GET', `/product-lines/${pl}/audit`)).status).toBe(401);
  });
});
