/**
 * Normalisation for 名寄せ (merging the same person arriving in different forms): full-width and
 * half-width folded by NFKC, case and spacing folded, 株式会社 / (株) / ㈱ and friends removed from
 * company names, phone numbers reduced to digits in a national form.
 */

/** Japanese legal forms, removed wherever they stand (前株 and 後株 alike). NFKC turns ㈱ into (株). */
const JA_LEGAL_FORMS = [
  '特定非営利活動法人',
  '一般社団法人',
  '一般財団法人',
  '公益社団法人',
  '公益財団法人',
  '社会福祉法人',
  '株式会社',
  '有限会社',
  '合同会社',
  '合資会社',
  '合名会社',
  '医療法人',
  '学校法人',
  '(株)',
  '(有)',
  '(同)',
  '(社)',
  '(財)',
];

/** Latin legal forms, removed only as whole words at the start or end ("Princeton Inc" keeps its "inc"). */
const LATIN_LEGAL_FORM = /(^|[\s,])(kabushiki\s?kaisha|co\.?,?\s?ltd\.?|inc\.?|corporation|corp\.?|k\.k\.|ltd\.?|llc|limited|gmbh)(?=$|[\s,])/g;

/** NFKC, lower case, every run of white space (including 全角スペース) folded to nothing. */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** `Taro.Yamada@Example.CO.JP ` and its full-width twin → `taro.yamada@example.co.jp`; null if not an address. */
export function normalizeEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const e = fold(email).replace(/\s/g, '');
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e) ? e : null;
}

/**
 * `03-1234-5678`, `０３（１２３４）５６７８` and `+81 3 1234 5678` → `0312345678`. Null when fewer
 * than 9 digits remain: too short to identify anyone.
 */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let digits = fold(phone).replace(/[^0-9+]/g, '');
  if (digits.startsWith('+81')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('0081')) digits = `0${digits.slice(4)}`;
  digits = digits.replace(/\+/g, '');
  return digits.length >= 9 ? digits : null;
}

/** `株式会社サンプル`, `(株)サンプル`, `サンプル 株式会社` and `ｻﾝﾌﾟﾙ(株)` → `サンプル`. */
export function normalizeCompany(company: string | null | undefined): string | null {
  if (!company) return null;
  // NFKC turns ㈱ into (株) and half-width kana into full-width.
  let c = fold(company);
  for (const form of JA_LEGAL_FORMS) c = c.split(form).join(' ');
  c = c.replace(LATIN_LEGAL_FORM, ' ');
  c = c.replace(/[\s,.・･]+/g, '');
  return c.length > 0 ? c : null;
}

/** `山田　太郎`, `山田太郎` and `ﾔﾏﾀﾞ ﾀﾛｳ`'s NFKC form compare equal without spaces; Latin names ignore case. */
export function normalizeName(name: string | null | undefined): string | null {
  if (!name) return null;
  const n = fold(name).replace(/[\s・･]+/g, '');
  return n.length > 0 ? n : null;
}
