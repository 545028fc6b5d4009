import { eachDialect } from '@nurtureflow/db/testing';
import { beforeAll, expect, it } from 'vitest';
import { resolveLeadId, resolveLeadIds } from './resolve.ts';
import { leadInputSchema, type LeadInput } from './schemas.ts';
import { aLeadWaitingOnACall, seedProductLines } from './testing.ts';
import { upsertLeads } from './upsert.ts';

const now = new Date('2026-04-06T09:00:00Z');
const later = new Date('2026-04-07T09:00:00Z');
const lead = (input: unknown): LeadInput => leadInputSchema.parse(input);

eachDialect('upsertLeads', (current) => {
  beforeAll(async () => {
    await seedProductLines(current().db);
  });

  it('one person arriving in different forms is one lead', async () => {
    const { db } = current();
    const [first] = await upsertLeads(db, [lead({ email: 'Taro.Yamada@Example.co.jp', name: '山田　太郎', company: '株式会社サンプル' })], now);
    expect(first).toMatchObject({ created: true, matchedBy: null, mergedLeadIds: [] });
    const again = await upsertLeads(
      db,
      [
        lead({ email: 'ｔａｒｏ．ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ', phone: '03-1234-5678' }),
        lead({ phone: '0312345678', attributes: { title: '部長' } }),
        lead({ name: '山田太郎', company: '(株)サンプル', tags: ['seminar'] }),
      ],
      later,
    );
    expect(again.map((r) => [r.leadId, r.created, r.matchedBy])).toEqual([
      [first!.leadId, false, 'email'],
      [first!.leadId, false, 'phone'],
      [first!.leadId, false, 'companyName'],
    ]);
    const row = await db.selectFrom('leads').selectAll().where('id', '=', first!.leadId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      email: 'ｔａｒｏ．ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ',
      email_norm: 'taro.yamada@example.co.jp',
      phone_norm: '0312345678',
      attributes: { name: '山田太郎', company: '(株)サンプル', phone: '0312345678', title: '部長' },
      tags: ['seminar'],
      updated_at: later,
    });
  });

  it('rows of one batch see the leads earlier rows created', async () => {
    const { db } = current();
    const results = await upsertLeads(db, [lead({ email: 'batch@example.jp' }), lead({ email: 'BATCH@example.jp', phone: '090-0000-0001' }), lead({ phone: '09000000001' })], now);
    expect(results.map((r) => r.created)).toEqual([true, false, false]);
    expect(new Set(results.map((r) => r.leadId)).size).toBe(1);
  });

  it("keeps the client's id, and finds the lead by it later", async () => {
    const { db } = current();
    const [created] = await upsertLeads(db, [lead({ id: 'crm-0001', email: 'client-id@example.jp' })], now);
    expect(created).toMatchObject({ leadId: 'crm-0001', created: true });
    const [found] = await upsertLeads(db, [lead({ id: 'crm-0001', attributes: { plan: 'gold' } })], now);
    expect(found).toMatchObject({ leadId: 'crm-0001', created: false, matchedBy: 'id' });
  });

  it('keeps a phone too short to identify anyone as written, without matching on it', async () => {
    const { db } = current();
    const [a] = await upsertLeads(db, [lead({ email: 'ext@example.jp', phone: '内線 1234' })], now);
    const [b] = await upsertLeads(db, [lead({ email: 'ext2@example.jp', phone: '内線 1234' })], now);
    expect(b!.leadId).not.toBe(a!.leadId);
    const row = await db.selectFrom('leads').selectAll().where('id', '=', a!.leadId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ phone_norm: null, attributes: { phone: '内線 1234' } });
    expect(leadInputSchema.safeParse({ phone: '内線 1234' }).error?.issues[0]?.path).toEqual(['phone']);
  });

  it('a shared switchboard number does not make two people with different e-mails one', async () => {
    const { db } = current();
    const [a] = await upsertLeads(db, [lead({ email: 'sato@switch.example', phone: '03-5555-0000' })], now);
    const [b] = await upsertLeads(db, [lead({ email: 'suzuki@switch.example', phone: '03-5555-0000' })], now);
    expect(b).toMatchObject({ created: true, mergedLeadIds: [] });
    expect(b!.leadId).not.toBe(a!.leadId);
  });

  it('an input matching two leads merges the second into the first and moves everything it had', async () => {
    const { db } = current();
    const [a] = await upsertLeads(db, [lead({ email: 'hanako@merge.example', products: { crm: { stage: 'prospect' } } })], now);
    const [b] = await upsertLeads(db, [lead({ phone: '06-1111-2222', name: '花子', company: 'マージ', products: { crm: { stage: 'existing' }, sfa: { stage: 'newCustomer' } } })], now);
    await db.updateTable('lead_products').set({ score: 40, rank: 'B' }).where('lead_id', '=', a!.leadId).execute();
    await db.updateTable('lead_products').set({ score: 25, rank: 'C', hot: true, hot_at: now }).where('lead_id', '=', b!.leadId).where('product_line', '=', 'crm').execute();
    await aLeadWaitingOnACall(db, a!.leadId, 'en-1', 'ev-a', now);
    await aLeadWaitingOnACall(db, b!.leadId, 'en-1', 'ev-b', now);
    await db.insertInto('events').values([
      { lead_id: a!.leadId, id: 'same-form-post', kind: 'form_submitted', at: now },
      { lead_id: b!.leadId, id: 'same-form-post', kind: 'form_submitted', at: now },
    ]).execute();

    const [merged] = await upsertLeads(db, [lead({ email: 'hanako@merge.example', phone: '06-1111-2222' })], later);
    expect(merged).toEqual({ leadId: a!.leadId, created: false, matchedBy: 'email', mergedLeadIds: [b!.leadId] });

    const bRow = await db.selectFrom('leads').selectAll().where('id', '=', b!.leadId).executeTakeFirstOrThrow();
    expect(bRow.merged_into).toBe(a!.leadId);
    const history = await db.selectFrom('lead_merges').selectAll().where('merged_lead_id', '=', b!.leadId).executeTakeFirstOrThrow();
    expect(history).toMatchObject({ lead_id: a!.leadId, matched_by: 'phone', at: later });
    expect(history.snapshot).toMatchObject({ lead: { id: b!.leadId, phone_norm: '0611112222' }, products: [{ product_line: 'crm', score: 25 }, { product_line: 'sfa' }] });
    expect(history.snapshot['duplicateEvents']).toMatchObject([{ id: 'same-form-post' }]);

    // Nothing is left on the merged lead, and everything it had is on the survivor.
    for (const table of ['events', 'enrollments', 'enrollment_history', 'outbox', 'lead_products'] as const) {
      const left = await db.selectFrom(table).select('lead_id').where('lead_id', '=', b!.leadId).execute();
      expect(left, table).toEqual([]);
    }
    const events = await db.selectFrom('events').select(['id', 'effect_key']).where('lead_id', '=', a!.leadId).orderBy('id').execute();
    expect(events).toEqual([
      { id: 'ev-a', effect_key: 'en-1:1:0' },
      { id: 'ev-b', effect_key: `en-1~${b!.leadId}:1:0` },
      { id: 'same-form-post', effect_key: null },
    ]);
    const enrollments = await db.selectFrom('enrollments').select(['id', 'state']).where('lead_id', '=', a!.leadId).orderBy('id').execute();
    expect(enrollments.map((e) => [e.id, e.state.id, e.state.leadId, e.state.pendingKey])).toEqual([
      ['en-1', 'en-1', a!.leadId, 'en-1:1:0'],
      [`en-1~${b!.leadId}`, `en-1~${b!.leadId}`, a!.leadId, `en-1~${b!.leadId}:1:0`],
    ]);
    const outbox = await db.selectFrom('outbox').select(['key', 'enrollment_id']).where('lead_id', '=', a!.leadId).orderBy('key').execute();
    expect(outbox).toEqual([
      { key: 'en-1:1:0', enrollment_id: 'en-1' },
      { key: `en-1~${b!.leadId}:1:0`, enrollment_id: `en-1~${b!.leadId}` },
    ]);
    const steps = await db.selectFrom('enrollment_history').select('enrollment_id').where('lead_id', '=', a!.leadId).orderBy('enrollment_id').execute();
    expect(steps.map((s) => s.enrollment_id)).toEqual(['en-1', `en-1~${b!.leadId}`]);

    // One standing per product line: the higher score with its rank, the more advanced stage, hot if either was.
    const products = await db.selectFrom('lead_products').selectAll().where('lead_id', '=', a!.leadId).orderBy('product_line').execute();
    expect(products).toMatchObject([
      { product_line: 'crm', score: 40, rank: 'B', stage: 'existing', hot: true, hot_at: now },
      { product_line: 'sfa', stage: 'newCustomer' },
    ]);

    // The merged lead's id keeps working.
    expect(await resolveLeadId(db, b!.leadId)).toBe(a!.leadId);
    expect(await resolveLeadId(db, 'never-existed')).toBeNull();
    const [byOldId] = await upsertLeads(db, [lead({ id: b!.leadId, tags: ['vip'] })], later);
    expect(byOldId).toMatchObject({ leadId: a!.leadId, matchedBy: 'id', created: false });
  });

  it('merges within one batch chain to the last survivor, and the chain stays one hop long', async () => {
    const { db } = current();
    const [x, y, z] = await upsertLeads(db, [lead({ email: 'x@chain.example' }), lead({ phone: '045-000-0001' }), lead({ phone: '045-000-0002' })], now);
    const results = await upsertLeads(
      db,
      [lead({ email: 'x@chain.example', phone: '045-000-0001' }), lead({ id: z!.leadId, email: 'x@chain.example' })],
      later,
    );
    expect(results[0]).toMatchObject({ leadId: z!.leadId, mergedLeadIds: [y!.leadId] });
    expect(results[1]).toMatchObject({ leadId: z!.leadId, matchedBy: 'id', mergedLeadIds: [x!.leadId] });
    const ids = await resolveLeadIds(db, [x!.leadId, y!.leadId, z!.leadId]);
    expect([...ids.values()]).toEqual([z!.leadId, z!.leadId, z!.leadId]);
    const rows = await db.selectFrom('leads').select(['id', 'merged_into']).where('id', 'in', [x!.leadId, y!.leadId]).execute();
    expect(rows.every((r) => r.merged_into === z!.leadId)).toBe(true);
  });

  it('requests importing the same new person at the same time create one lead', async () => {
    const { db } = current();
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => upsertLeads(db, [lead({ email: 'race@example.jp', attributes: { [`from${i}`]: true } })], now)),
    );
    expect(new Set(results.map(([r]) => r!.leadId)).size).toBe(1);
    expect(results.filter(([r]) => r!.created)).toHaveLength(1);
    const rows = await db.selectFrom('leads').selectAll().where('email_norm', '=', 'race@example.jp').execute();
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!.attributes).sort()).toEqual(['from0', 'from1', 'from2', 'from3']);
  });

  it('rejects a product line that does not exist, writing nothing', async () => {
    const { db } = current();
    const before = await db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(upsertLeads(db, [lead({ email: 'pl@example.jp' }), lead({ email: 'pl2@example.jp', products: { nope: { stage: 'loyal' } } })], now)).rejects.toMatchObject({
      status: 400,
      issues: [{ path: '[1].products.nope', message: 'product line "nope" does not exist' }],
    });
    const after = await db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('takes a batch of thousands in a few statements', async () => {
    const { db } = current();
    const inputs = Array.from({ length: 5000 }, (_, i) => lead({ email: `bulk${i}@example.jp`, name: `名前${i}`, company: '株式会社バルク', products: { crm: { stage: 'prospect' } } }));
    const started = performance.now();
    const created = await upsertLeads(db, inputs, now);
    const again = await upsertLeads(db, inputs.map((i) => ({ ...i, attributes: { seen: 2 } })), later);
    const ms = performance.now() - started;
    expect(created.every((r) => r.created)).toBe(true);
    expect(again.every((r, i) => !r.created && r.leadId === created[i]!.leadId)).toBe(true);
    expect(ms).toBeLessThan(20_000);
  });
});
