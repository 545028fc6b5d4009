import { describe, expect, it } from 'vitest';
import { normalizeCompany, normalizeEmail, normalizeName, normalizePhone } from './normalize.ts';

describe('名寄せ normalisation', () => {
  it('folds e-mail case, spaces and full-width characters', () => {
    expect(normalizeEmail(' Taro.Yamada@Example.CO.JP ')).toBe('taro.yamada@example.co.jp');
    expect(normalizeEmail('ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ')).toBe('taro@example.jp');
    expect(normalizeEmail('not an address')).toBeNull();
    expect(normalizeEmail('')).toBeNull();
  });

  it('reduces phone numbers with and without hyphens, in full width or international form, to the same digits', () => {
    const forms = ['03-1234-5678', '0312345678', '０３－１２３４－５６７８', '03(1234)5678', '+81 3-1234-5678', '(03) 1234 5678'];
    expect(new Set(forms.map(normalizePhone))).toEqual(new Set(['0312345678']));
    expect(normalizePhone('090-1234-5678')).toBe('09012345678');
    expect(normalizePhone('123')).toBeNull();
  });

  it('folds 株式会社, (株), ㈱ and half-width kana in company names', () => {
    const forms = ['株式会社サンプル', '(株)サンプル', '㈱サンプル', 'サンプル株式会社', 'ｻﾝﾌﾟﾙ(株)', '株式会社　サンプル', '（株）サンプル'];
    expect(new Set(forms.map(normalizeCompany))).toEqual(new Set(['サンプル']));
    expect(normalizeCompany('Example Co., Ltd.')).toBe(normalizeCompany('EXAMPLE Inc.'));
    expect(normalizeCompany('株式会社')).toBeNull();
    expect(normalizeCompany('Princeton Inc.')).toBe('princeton');
    expect(normalizeCompany('Incubate Corp')).toBe('incubate');
  });

  it('compares names without spaces, width or case', () => {
    expect(normalizeName('山田　太郎')).toBe(normalizeName('山田太郎'));
    expect(normalizeName('Taro  YAMADA')).toBe(normalizeName('taro yamada'));
    expect(normalizeName('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe('ヤマダタロウ');
  });
});
