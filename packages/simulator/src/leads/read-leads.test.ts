import { describe, expect, it } from 'vitest';
import { decodeLeadFile } from './decode.ts';
import { readLeads, readLeadsCsv, readLeadsJson } from './read-leads.ts';

describe('reading sample leads', () => {
  it('reads a CSV with Japanese headers, per-product standings and attributes', () => {
    const csv = ['リードID,氏名,会社名,メールアドレス,業種,従業員数,スコア:crm,ステージ:crm,配信停止:sfa,役職', 'L1,山田 太郎,株式会社サンプル,taro@example.co.jp,製造業,"1,200",35,prospect,はい,部長'].join('\n');
    const { leads, errors } = readLeadsCsv(csv);
    expect(errors).toEqual([]);
    expect(leads).toEqual([
      {
        id: 'L1',
        name: '山田 太郎',
        company: '株式会社サンプル',
        email: 'taro@example.co.jp',
        attributes: { industry: '製造業', employees: 1200, 役職: '部長' },
        products: { crm: { score: 35, stage: 'prospect' }, sfa: { unsubscribed: true } },
      },
    ]);
  });

  it('reports each bad row with the field and why, and keeps the good rows', () => {
    const csv = ['id,name,employees,stage:crm', 'a,A,10,prospect', 'b,B,many,prospect', 'c,C,5,customer', 'a,A again,1,prospect', ',No id,3,'].join('\n');
    const { leads, errors } = readLeadsCsv(csv);
    expect(leads.map((l) => l.id)).toEqual(['a', 'row-5']);
    expect(errors).toEqual([
      { row: 2, field: 'employees', message: '"many" is not a number' },
      { row: 3, field: 'stage:crm', message: '"customer" is not a stage (prospect, newCustomer, existing, loyal, dormant)' },
      { row: 4, field: 'id', message: '"a" is already the id of row 1' },
    ]);
  });

  it('reads JSON arrays or { leads }, naming the field of a bad lead', () => {
    expect(readLeadsJson('{"leads":[{"id":"x","products":{"crm":{"score":"high"}}}]}').errors).toEqual([{ row: 1, field: 'products.crm.score', message: 'must be a number' }]);
    expect(readLeads('[{"id":"x"},{"id":"y","tags":["a"]}]').leads).toEqual([{ id: 'x' }, { id: 'y', tags: ['a'] }]);
    expect(readLeads('{"oops": 1}').errors[0]?.message).toMatch(/expected an array of leads/);
  });

  it('decodes Shift_JIS from Japanese Excel as well as UTF-8 with a BOM', () => {
    // "氏名\n山田" in CP932.
    const sjis = new Uint8Array([0x8e, 0x81, 0x96, 0xbc, 0x0a, 0x8e, 0x52, 0x93, 0x63]);
    expect(decodeLeadFile(sjis)).toEqual({ text: '氏名\n山田', encoding: 'shift_jis' });
    expect(decodeLeadFile(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ text: 'a', encoding: 'utf-8' });
  });
});
