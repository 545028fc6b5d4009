import { beforeAll, expect, it } from 'vitest';
import { aLeadWaitingOnACall, leadTableCounts, seedProductLines } from '../leads/testing.ts';
import { eachRuntime } from '../testing.ts';

eachRuntime('leads API', (current) => {
  beforeAll(async () => {
    await seedProductLines(current().rt.db);
  });

  it('the same person arriving as 全角 e-mail, (株), a phone with hyphens and a name with 全角スペース becomes one lead', async () => {
    const { call } = current();
    const first = await call('POST', '/leads', { email: 'Ichiro.Suzuki@Sample.co.jp', name: '鈴木 一郎', company: '株式会社サンプル商事' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: true, matchedBy: null, lead: { email: 'Ichiro.Suzuki@Sample.co.jp', name: '鈴木 一郎' } });
    const id = first.body.lead.id;

    const forms = [
      { body: { email: 'ｉｃｈｉｒｏ．ｓｕｚｕｋｉ＠ｓａｍｐｌｅ．ｃｏ．ｊｐ', phone: '03-9876-5432' }, by: 'email' },
      { body: { phone: '０３９８７６５４３２', attributes: { 役職: '課長' } }, by: 'phone' },
      { body: { name: '鈴木　一郎', company: '(株)サンプル商事', tags: ['展示会2026'] }, by: 'companyName' },
      { body: { name: '鈴木一郎', company: 'ｻﾝﾌﾟﾙ商事 株式会社', products: { crm: { stage: 'newCustomer' } } }, by: 'companyName' },
    ];
    for (const { body, by } of forms) {
      const res = await call('POST', '/leads', body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(res.body).toMatchObject({ created: false, matchedBy: by, lead: { id } });
    }

    const found = await call('GET', `/leads?email=${encodeURIComponent('ICHIRO.SUZUKI@sample.co.jp')}`);
    expect(found.body.leads.map((l: { id: string }) => l.id)).toEqual([id]);
    const byCompany = await call('GET', `/leads?q=${encodeURIComponent('㈱サンプル商事')}`);
    expect(byCompany.body.leads.map((l: { id: string }) => l.id)).toEqual([id]);

    const lead = await call('GET', `/leads/${id}`);
    expect(lead.body).toMatchObject({
      id,
      phone: '０３９８７６５４３２',
      attributes: { 役職: '課長' },
      tags: ['展示会2026'],
      products: [{ productLine: 'crm', stage: 'newCustomer', score: 0, rank: null, hot: false, unsubscribed: false }],
      mergedFrom: null,
      merges: [],
    });
  });

  it('a lead matching two existing leads merges them: events, enrollments and outbox follow, and the merge is kept in history', async () => {
    const { call, rt, clock } = current();
    const a = (await call('POST', '/leads', { email: 'sato@merge.example', name: '佐藤花子', company: '株式会社マージ' })).body.lead.id;
    const b = (await call('POST', '/leads', { phone: '045-123-4567', attributes: { source: '名刺' } })).body.lead.id;
    const at = new Date(clock.now());
    await aLeadWaitingOnACall(rt.db, a, 'en_a', 'ev-a', at);
    await aLeadWaitingOnACall(rt.db, b, 'en_b', 'ev-b', new Date(at.getTime() + 60_000));
    clock.advance(3_600_000);

    const res = await call('POST', '/leads', { email: 'SATO@merge.example', phone: '０４５（１２３）４５６７' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: false, matchedBy: 'email', mergedLeadIds: [b], lead: { id: a, attributes: { source: '名刺', name: '佐藤花子' } } });

    for (const table of ['events', 'enrollments', 'enrollment_history', 'outbox'] as const) {
      const rows = await rt.db.selectFrom(table).select('lead_id').where('lead_id', 'in', [a, b]).execute();
      expect(rows.map((r) => r.lead_id), table).toEqual([a, a]);
    }

    // The merged id still answers, with the survivor.
    const viaB = await call('GET', `/leads/${b}?timelineLimit=10`);
    expect(viaB.status).toBe(200);
    expect(viaB.body).toMatchObject({ id: a, mergedFrom: b, merges: [{ mergedLeadId: b, into: a, matchedBy: 'phone', snapshot: { lead: { id: b, attributes: { source: '名刺' } } } }] });
    expect(viaB.body.enrollments.map((e: { id: string; scenarioId: string; status: string }) => [e.id, e.scenarioId, e.status]).sort()).toEqual([
      ['en_a', 's1', 'waiting'],
      ['en_b', 's1', 'waiting'],
    ]);
    // Newest first: b's step and event (a minute later) before a's.
    expect(viaB.body.timeline.map((t: { type: string; id?: string; enrollmentId?: string }) => `${t.type}:${t.id ?? t.enrollmentId}`)).toEqual([
      'step:en_b',
      'event:ev-b',
      'step:en_a',
      'event:ev-a',
    ]);
    const limited = await call('GET', `/leads/${a}?timelineLimit=1`);
    expect(limited.body).toMatchObject({ timeline: [{ type: 'step', enrollmentId: 'en_b' }], timelineTruncated: true });
    expect((await call('GET', `/leads?q=${encodeURIComponent('045-123')}`)).body.leads.map((l: { id: string }) => l.id)).toEqual([a]);
  });

  it('PATCH changes attributes, tags, stage and unsubscribes per product line or from everything', async () => {
    const { call } = current();
    const id = (await call('POST', '/leads', { email: 'patch@example.jp', attributes: { 部署: '営業部', 役職: '主任' }, tags: ['a', 'b'] })).body.lead.id;
    const res = await call('PATCH', `/leads/${id}`, {
      attributes: { 役職: '課長', 部署: null, 従業員数: 120 },
      addTags: ['hot'],
      removeTags: ['a'],
      products: { crm: { stage: 'existing' }, sfa: { unsubscribed: true } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      attributes: { 役職: '課長', 従業員数: 120 },
      tags: ['b', 'hot'],
      unsubscribedAll: false,
      products: [
        { productLine: 'crm', stage: 'existing', unsubscribed: false },
        { productLine: 'sfa', stage: 'prospect', unsubscribed: true },
      ],
    });
    expect(res.body.attributes).not.toHaveProperty('部署');
    const all = await call('PATCH', `/leads/${id}`, { unsubscribedAll: true, tags: ['only'], products: { sfa: { unsubscribed: false } } });
    expect(all.body).toMatchObject({ unsubscribedAll: true, tags: ['only'], products: [{ productLine: 'crm' }, { productLine: 'sfa', unsubscribed: false }] });
    // An upsert cannot re-subscribe: only unsubscribing sticks.
    await call('POST', '/leads', { email: 'patch@example.jp', unsubscribedAll: false });
    expect((await call('GET', `/leads/${id}`)).body.unsubscribedAll).toBe(true);
  });

  it('lists leads newest first, page by page', async () => {
    const { call, clock } = current();
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await call('POST', '/leads', { email: `page${i}@paging.example`, company: 'ページング', name: `頁${i}` });
    }
    const first = await call('GET', `/leads?q=${encodeURIComponent('ページング')}&limit=2`);
    expect(first.body.leads.map((l: { email: string }) => l.email)).toEqual(['page4@paging.example', 'page3@paging.example']);
    const second = await call('GET', `/leads?q=${encodeURIComponent('ページング')}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.leads.map((l: { email: string }) => l.email)).toEqual(['page2@paging.example', 'page1@paging.example']);
    const third = await call('GET', `/leads?q=${encodeURIComponent('ページング')}&limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body).toMatchObject({ leads: [{ email: 'page0@paging.example' }], nextCursor: null });
  });

  it('bad input to any lead route is a 4xx naming the field, and writes nothing', async () => {
    const { call, rt } = current();
    const id = (await call('POST', '/leads', { email: 'exists@example.jp' })).body.lead.id;
    const before = await leadTableCounts(rt.db);
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/leads', { email: 'not-an-address', name: '山田' }, 400, 'body.email'],
      ['POST', '/leads', { name: '山田太郎' }, 400, 'body.company'],
      ['POST', '/leads', {}, 400, 'body.email'],
      ['POST', '/leads', { phone: '12-34' }, 400, 'body.phone'],
      ['POST', '/leads', { email: 'x@example.jp', attributes: { nested: { a: 1 } } }, 400, 'body.attributes.nested'],
      ['POST', '/leads', { email: 'x@example.jp', attributes: { name: 'shadow' } }, 400, 'body.attributes.name'],
      ['POST', '/leads', { email: 'x@example.jp', tags: 'vip' }, 400, 'body.tags'],
      ['POST', '/leads', { email: 'x@example.jp', products: { crm: { stage: 'vip' } } }, 400, 'body.products.crm.stage'],
      ['POST', '/leads', { email: 'x@example.jp', products: { nope: { stage: 'loyal' } } }, 400, 'body.products.nope'],
      ['POST', '/leads', { email: 'x@example.jp', emial: 'typo' }, 400, 'body'],
      ['POST', '/leads', { email: 42 }, 400, 'body.email'],
      ['GET', '/leads?limit=0', undefined, 400, 'query.limit'],
      ['GET', '/leads?limit=abc', undefined, 400, 'query.limit'],
      ['GET', '/leads?email=nobody', undefined, 400, 'query.email'],
      ['GET', '/leads?cursor=zzz', undefined, 400, 'query.cursor'],
      ['GET', '/leads/no%20such%20id', undefined, 400, 'params.id'],
      ['GET', '/leads/ld_missing', undefined, 404, 'params.id'],
      ['GET', `/leads/${id}?timelineLimit=-1`, undefined, 400, 'query.timelineLimit'],
      ['PATCH', `/leads/${id}`, {}, 400, 'body'],
      ['PATCH', `/leads/${id}`, { attributes: { company: 'x' } }, 400, 'body.attributes.company'],
      ['PATCH', `/leads/${id}`, { tags: [''] }, 400, 'body.tags[0]'],
      ['PATCH', `/leads/${id}`, { products: { nope: { stage: 'loyal' } } }, 400, 'body.products.nope'],
      ['PATCH', `/leads/${id}`, { unsubscribedAll: 'yes' }, 400, 'body.unsubscribedAll'],
      ['PATCH', `/leads/${id}`, { email: 'new@example.jp' }, 400, 'body.email'],
      ['PATCH', '/leads/ld_missing', { tags: ['x'] }, 404, ''],
    ];
    for (const [method, path, body, status, field] of cases) {
      const res = await call(method, path, body);
      const label = `${method} ${path} ${JSON.stringify(body)}`;
      expect(res.status, label).toBe(status);
      expect(res.body.error.code, label).toBeTypeOf('string');
      if (field !== '') expect(res.body.error.issues.map((i: { path: string }) => i.path), label).toContain(field);
    }
    expect(await leadTableCounts(rt.db)).toEqual(before);
  });
});
