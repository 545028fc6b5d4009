import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { csvRows, decodeCsv } from './csv.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const BOM = [0xef, 0xbb, 0xbf];

describe('reading a CSV file as Excel saves it', () => {
  const text = 'メールアドレス,氏名,会社名,部署\r\ntaro@example.jp,山田　太郎,株式会社サンプル,営業部\r\n';

  it('reads UTF-8 with or without a BOM', () => {
    expect(decodeCsv(utf8(text), 'text/csv')).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(new Uint8Array([...BOM, ...utf8(text)]), 'text/csv')).toEqual({ text, encoding: 'utf-8' });
  });

  it('reads CP932 (Shift_JIS from Japanese Excel) when the bytes are not UTF-8', () => {
    const sjis = iconv.encode(`${text}hanako@example.jp,髙橋　花子,㈱サンプル,①課\r\n`, 'cp932');
    const decoded = decodeCsv(sjis, 'text/csv');
    expect(decoded.encoding).toBe('cp932');
    expect(decoded.text).toContain('髙橋　花子,㈱サンプル,①課');
  });

  it('uses a charset the request declares', () => {
    const sjis = iconv.encode(text, 'cp932');
    expect(decodeCsv(sjis, 'text/csv; charset=Shift_JIS')).toEqual({ text, encoding: 'cp932' });
    expect(decodeCsv(iconv.encode(text, 'euc-jp'), 'text/csv; charset="EUC-JP"')).toEqual({ text, encoding: 'euc-jp' });
    expect(() => decodeCsv(sjis, 'text/csv; charset=klingon')).toThrow(expect.objectContaining({ status: 415, issues: [expect.objectContaining({ path: 'headers.content-type' })] }));
  });

  it("reads Excel's Unicode text: UTF-16 with a BOM, tab-separated", () => {
    const tsv = 'メールアドレス\t氏名\ntaro@example.jp\t山田太郎\n';
    const decoded = decodeCsv(new Uint8Array([0xff, 0xfe, ...iconv.encode(tsv, 'utf-16le')]), 'text/plain');
    expect(decoded.encoding).toBe('utf-16le');
    expect(csvRows(decoded.text)[0]?.value).toEqual({ email: 'taro@example.jp', name: '山田太郎' });
  });
});

describe('CSV rows', () => {
  it('maps Japanese and English headers, stage columns and the rest to attributes, skipping blank rows', () => {
    const rows = csvRows(
      [
        'メールアドレス,電話番号,氏名,会社名,stage:crm,部署,tags',
        'taro@example.jp,03-1234-5678,山田太郎,株式会社サンプル,existing,営業部,"seminar,展示会"',
        ',,,,,,',
        'hanako@example.jp,,,,,,',
        '"multi@example.jp",,"二行の',
        '名前",,,,',
      ].join('\n'),
    );
    expect(rows.map((r) => [r.row, r.line])).toEqual([
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
    expect(rows[0]?.value).toEqual({
      email: 'taro@example.jp',
      phone: '03-1234-5678',
      name: '山田太郎',
      company: '株式会社サンプル',
      tags: ['seminar', '展示会'],
      attributes: { 部署: '営業部' },
      products: { crm: { stage: 'existing' } },
    });
    expect(rows[1]?.value).toEqual({ email: 'hanako@example.jp' });
    expect(rows[0]?.columns?.get('email')).toBe('メールアドレス');
  });

  it('flags a cell with bytes that were neither UTF-8 nor CP932, naming its row and column', () => {
    const rows = csvRows('email,会社名\nok@example.jp,サンプル\nbad@example.jp,\uFFFD\uFFFD\n');
    expect(rows[0]?.issues).toEqual([]);
    expect(rows[1]?.issues).toEqual([{ path: 'rows[1].company', message: expect.stringContaining('会社名: has bytes that are neither UTF-8 nor Shift_JIS') }]);
  });

  it('flags a value in a column without a header', () => {
    expect(csvRows('email\nok@example.jp,stray\n')[0]?.issues).toEqual([{ path: 'rows[0]', message: 'has a value in column 2, which has no header' }]);
  });

  it('rejects a file whose header repeats a column or identifies nobody, or that is cut off, naming where', () => {
    expect(() => csvRows('email,メールアドレス\na@example.jp,b@example.jp\n')).toThrow(
      expect.objectContaining({ status: 400, issues: [{ path: 'header.メールアドレス', message: 'column 2 repeats column 1' }] }),
    );
    expect(() => csvRows('部署,役職\n営業部,部長\n')).toThrow(expect.objectContaining({ status: 400, code: 'invalid_csv_header' }));
    expect(() => csvRows('email,stage:CRM Cloud!\na@example.jp,loyal\n')).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'header.stage:CRM Cloud!' })] }));
    expect(() => csvRows('email,氏名\na@example.jp,"unterminated\n')).toThrow(expect.objectContaining({ status: 400, code: 'invalid_csv', message: expect.stringContaining('line') }));
    expect(() => csvRows('')).toThrow(expect.objectContaining({ status: 400 }));
  });
});
