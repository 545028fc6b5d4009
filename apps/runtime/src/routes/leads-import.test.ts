import iconv from 'iconv-lite';
import { beforeAll, expect, it } from 'vitest';
import { leadTableCounts, seedProductLines } from '../leads/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';

/** A trade-show list as Japanese Excel saves it; row 3 has a broken e-mail address. */
const LIST = [
  'メールアドレス,氏名,会社名,電話番号,部署,stage:crm',
  'kenji@expo.example,高橋　健二,株式会社エキスポ,03-1111-2222,営業部,prospect',
  'yumi@expo.example,伊藤 由美,(株)エキスポ,,マーケティング部,',
  'broken-address,渡辺 翔,エキスポ,,総務部,',
  'ＫＥＮＪＩ@expo.example,,,0311112222,,existing',
].join('\r\n');

async function importBytes(rt: TestRuntime, bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<{ status: number; body: any }> {
  const res = await rt.app.request('/api/v1/leads/import', { method: 'POST', body: bytes, headers: { 'content-type': contentType } });
  return { status: res.status, body: await res.json() };
}

eachRuntime('lead import', (current) => {
  beforeAll(async () => {
    await seedProductLines(current().rt.db);
  });

  for (const [encoding, bytes] of [
    ['UTF-8 with a BOM', () => new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(LIST)])],
    ['CP932 (Shift_JIS)', () => new Uint8Array([...iconv.encode(LIST, 'cp932')])],
  ] as const) {
    it(`imports a CSV saved as ${encoding}: the bad row is rejected with its reason, the others kept`, async () => {
      const rt = current();
      await rt.rt.db.deleteFrom('lead_products').execute();
      await rt.rt.db.deleteFrom('leads').where('email_norm', 'like', '%@expo.example').execute();
      const res = await importBytes(rt, bytes(), 'text/csv');
      expect(res.status).toBe(200);
      expect(res.body.encoding).toBe(encoding.startsWith('UTF') ? 'utf-8' : 'cp932');
      expect(res.body.totals).toEqual({ rows: 4, created: 2, updated: 1, merged: 0, rejected: 1 });
      const [kenji, yumi, broken, again] = res.body.rows;
      expect(kenji).toMatchObject({ row: 1, line: 2, status: 'created' });
      expect(yumi).toMatchObject({ row: 2, line: 3, status: 'created' });
      expect(broken).toEqual({ row: 3, line: 4, status: 'rejected', issues: [{ path: 'rows[2].email', message: 'is not an e-mail address (column "メールアドレス")' }] });
      expect(again).toMatchObject({ row: 4, line: 5, status: 'updated', leadId: kenji.leadId });

      const lead = (await rt.call('GET', `/leads/${kenji.leadId}`)).body;
      expect(lead).toMatchObject({
        email: 'ＫＥＮＪＩ@expo.example',
        name: '高橋　健二',
        company: '株式会社エキスポ',
        phone: '0311112222',
        attributes: { 部署: '営業部' },
        products: [{ productLine: 'crm', stage: 'existing' }],
      });
      expect((await rt.call('GET', `/leads/${yumi.leadId}`)).body).toMatchObject({ company: '(株)エキスポ', attributes: { 部署: 'マーケティング部' } });
    });
  }

  it('imports a JSON array the same way, rejecting rows by their index', async () => {
    const rt = current();
    const res = await rt.call('POST', '/leads/import', [
      { email: 'one@json.example', products: { sfa: { stage: 'loyal' } } },
      { email: 'two@json.example', attributes: { score: { nested: true } } },
      { name: '名前だけ' },
      { email: 'three@json.example', products: { nope: { stage: 'loyal' } } },
      { phone: '+81 90-1234-0000', email: 'ONE@json.example' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.encoding).toBeUndefined();
    expect(res.body.totals).toEqual({ rows: 5, created: 1, updated: 1, merged: 0, rejected: 3 });
    expect(res.body.rows.map((r: { status: string }) => r.status)).toEqual(['created', 'rejected', 'rejected', 'rejected', 'updated']);
    expect(res.body.rows[1].issues.map((i: { path: string }) => i.path)).toEqual(['rows[1].attributes.score']);
    expect(res.body.rows[2].issues).toEqual([{ path: 'rows[2].company', message: 'is needed with name to identify the lead (or give email or phone)' }]);
    expect(res.body.rows[3].issues).toEqual([{ path: 'rows[3].products.nope', message: 'product line "nope" does not exist' }]);
  });

  it('reports a merge when a row proves two existing leads to be one person', async () => {
    const rt = current();
    const a = (await rt.call('POST', '/leads', { email: 'merge@import.example' })).body.lead.id;
    const b = (await rt.call('POST', '/leads', { phone: '06-7777-8888' })).body.lead.id;
    const res = await rt.call('POST', '/leads/import', 'email,phone\nmerge@import.example,06-7777-8888\n', { 'content-type': 'text/csv; charset=utf-8' });
    expect(res.body.rows).toEqual([{ row: 1, line: 2, status: 'merged', leadId: a, mergedLeadIds: [b] }]);
    expect(res.body.totals).toMatchObject({ merged: 1 });
  });

  it('a bad import is a 4xx saying which row, line or column, and writes nothing', async () => {
    const rt = current();
    const before = await leadTableCounts(rt.rt.db);
    const csv = { 'content-type': 'text/csv' };
    const cases: [unknown, Record<string, string>, number, string, string][] = [
      [[{ email: 'bad' }, { name: 'x' }], {}, 422, 'import_rejected', 'rows[0].email'],
      [{ email: 'a@b.jp' }, {}, 400, 'invalid_request', 'body'],
      ['[{"email": ', { 'content-type': 'application/json' }, 400, 'invalid_json', 'body'],
      [[], {}, 400, 'empty_import', 'body'],
      ['メールアドレス,氏名\n', csv, 400, 'empty_import', 'body'],
      ['部署,役職\n営業部,部長\n', csv, 400, 'invalid_csv_header', 'header'],
      ['email,メール\na@b.jp,c@d.jp\n', csv, 400, 'invalid_csv_header', 'header.メール'],
      ['email,氏名\nok@example.jp,"閉じていない\n', csv, 400, 'invalid_csv', 'line 2'],
      ['email\nnot-an-address\n', csv, 422, 'import_rejected', 'rows[0].email'],
      ['email,stage:crm\nstage@example.jp,vip\n', csv, 422, 'import_rejected', 'rows[0].products.crm.stage'],
      ['email\na@b.jp\n', { 'content-type': 'text/csv; charset=klingon' }, 415, 'unsupported_charset', 'headers.content-type'],
      ['<leads/>', { 'content-type': 'application/xml' }, 415, 'unsupported_media_type', 'headers.content-type'],
    ];
    for (const [body, headers, status, code, path] of cases) {
      const res = await rt.call('POST', '/leads/import', body, headers);
      const label = JSON.stringify(body);
      expect(res.status, label).toBe(status);
      expect(res.body.error.code, label).toBe(code);
      expect(res.body.error.issues.map((i: { path: string }) => i.path), label).toContain(path);
    }
    expect(await leadTableCounts(rt.rt.db)).toEqual(before);
  });

  it('refuses more rows than one import takes, saying how many and what to do', async () => {
    const rt = current();
    const csv = `email\n${'x@example.jp\n'.repeat(50_001)}`;
    const res = await rt.call('POST', '/leads/import', csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'too_many_rows', message: expect.stringContaining('at most 50,000 rows and this one has 50,001') });
  });
});
