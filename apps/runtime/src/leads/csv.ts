// Lead lists as CSV, the way marketers have them: saved by Japanese Excel in CP932 (Shift_JIS),
// or as UTF-8 with or without a BOM, or as Excel's "Unicode text" (UTF-16, tab-separated), with
// Japanese or English headers. Each data row becomes a LeadInput-shaped value; checking it is the
// import's job, so a bad row is reported with the others kept.
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { ApiError, type Issue } from '../errors.ts';
import type { ImportRow } from './import.ts';

/** Header words (NFKC, lower case, without spaces) for each identity field. */
const FIELD_HEADERS: Readonly<Record<string, 'email' | 'phone' | 'name' | 'company' | 'id' | 'tags'>> = {
  email: 'email',
  'e-mail': 'email',
  mail: 'email',
  emailaddress: 'email',
  'e-mailaddress': 'email',
  メールアドレス: 'email',
  メール: 'email',
  eメール: 'email',
  'e-mailアドレス': 'email',
  phone: 'phone',
  tel: 'phone',
  telephone: 'phone',
  電話番号: 'phone',
  電話: 'phone',
  name: 'name',
  fullname: 'name',
  氏名: 'name',
  名前: 'name',
  お名前: 'name',
  company: 'company',
  companyname: 'company',
  会社名: 'company',
  会社: 'company',
  企業名: 'company',
  leadid: 'id',
  lead_id: 'id',
  tags: 'tags',
  タグ: 'tags',
};

/** `stage:<product line>` (or `ステージ:`) sets the lead's stage in that product line. */
const STAGE_HEADER = /^(?:stage|ステージ)[:：](.+)$/i;

/** The bytes U+FFFD stands for: neither valid UTF-8 nor valid CP932. */
const UNDECODABLE = '\uFFFD';

/** What a CSV body decoded to. */
export interface DecodedCsv {
  text: string;
  /** The character set read: `utf-8`, `cp932`, `utf-16le`, or the one the request declared. */
  encoding: string;
}

/**
 * Turns the body's bytes into text: a charset the request declares (other than UTF-8) is used as
 * declared; otherwise a UTF-16 BOM means UTF-16, valid UTF-8 (with or without BOM) is UTF-8, and
 * anything else is read as CP932, the Shift_JIS that Japanese Excel writes.
 */
export function decodeCsv(bytes: Uint8Array, contentType: string | undefined): DecodedCsv {
  const declared = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  if (declared !== undefined && declared !== 'utf-8' && declared !== 'utf8') {
    if (!iconv.encodingExists(declared)) {
      throw new ApiError(415, 'unsupported_charset', `charset "${declared}" is not one this server reads; send UTF-8 or Shift_JIS (CP932)`, [
        { path: 'headers.content-type', message: `charset "${declared}" is not supported` },
      ]);
    }
    // Excel's "Shift_JIS" is really CP932 (it has ①, ㈱, 髙…): read the superset.
    const encoding = /^(shift[-_]?jis|sjis|x-sjis|ms_kanji|windows-31j|csshiftjis)$/.test(declared) ? 'cp932' : declared;
    return { text: iconv.decode(bytes, encoding), encoding };
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'cp932'), encoding: 'cp932' };
  }
}

/** The header's key form: full width folded, lower case, no spaces. */
function headerKey(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * Parses CSV text with a header row into import rows (1-based `row` over the non-blank data rows,
 * `line` as Excel numbers it). A malformed file or header is a 400 naming the line or column.
 */
export function csvRows(text: string): ImportRow[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: false }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new ApiError(400, 'invalid_csv', `the CSV cannot be read at line ${err.lines ?? '?'}: ${err.message}`, [
      { path: `line ${err.lines ?? '?'}`, message: err.message },
    ]);
  }
  const [header, ...data] = records;
  if (!header) throw new ApiError(400, 'invalid_csv', 'the CSV is empty: it needs a header row and at least one data row', [{ path: 'body', message: 'is empty' }]);
  const columns = headerColumns(header.record);
  const names = columnNames(columns);

  const rows: ImportRow[] = [];
  for (const { record, info } of data) {
    if (record.every((cell) => cell.trim() === '')) continue;
    const row = rows.length + 1;
    const issues: Issue[] = [];
    const value: Record<string, unknown> = {};
    const attributes: Record<string, string> = {};
    const products: Record<string, { stage: string }> = {};
    record.forEach((raw, index) => {
      const cell = raw.trim();
      const column = columns[index];
      if (cell === '') return;
      if (column === undefined || column.header === '') {
        issues.push({ path: `rows[${row - 1}]`, message: `has a value in column ${index + 1}, which has no header` });
        return;
      }
      if (cell.includes(UNDECODABLE)) {
        issues.push({ path: `rows[${row - 1}].${column.path}`, message: `${column.header}: has bytes that are neither UTF-8 nor Shift_JIS (CP932); save the file as "CSV UTF-8" or "CSV (Shift_JIS)"` });
        return;
      }
      if (column.kind === 'field') value[column.field] = column.field === 'tags' ? cell.split(/[,;、|]/).map((t) => t.trim()).filter(Boolean) : cell;
      else if (column.kind === 'stage') products[column.productLine] = { stage: cell };
      else if (column.kind === 'attribute') attributes[column.header] = cell;
    });
    if (Object.keys(attributes).length > 0) value['attributes'] = attributes;
    if (Object.keys(products).length > 0) value['products'] = products;
    rows.push({ row, line: info.lines, value, issues, columns: names });
  }
  return rows;
}

type Column =
  | { kind: 'field'; field: 'email' | 'phone' | 'name' | 'company' | 'id' | 'tags'; header: string; path: string }
  | { kind: 'stage'; productLine: string; header: string; path: string }
  | { kind: 'attribute'; header: string; path: string }
  | { kind: 'ignored'; header: string; path: string };

function headerColumns(header: readonly string[]): Column[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  const columns = header.map((raw, index): Column => {
    const text = raw.trim();
    const key = headerKey(text);
    let column: Column;
    // Own keys only: a header "__proto__" or "constructor" must not find Object.prototype's.
    const field = Object.hasOwn(FIELD_HEADERS, key) ? FIELD_HEADERS[key] : undefined;
    const stage = STAGE_HEADER.exec(text.normalize('NFKC'));
    if (text === '') column = { kind: 'ignored', header: text, path: '' };
    else if (field) column = { kind: 'field', field, header: text, path: field };
    else if (stage) {
      const productLine = stage[1]!.trim().toLowerCase();
      if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(productLine)) {
        issues.push({ path: `header.${text}`, message: `"${stage[1]}" is not a product line id (lowercase letters, digits, "_" and "-")` });
      }
      column = { kind: 'stage', productLine, header: text, path: `products.${productLine}.stage` };
    } else if (text === '__proto__' || text.length > 64) {
      issues.push({ path: `header.${text.slice(0, 64)}`, message: 'cannot be an attribute name (at most 64 characters, not __proto__)' });
      column = { kind: 'ignored', header: text, path: '' };
    } else column = { kind: 'attribute', header: text, path: `attributes.${text}` };
    const identity = column.kind === 'field' ? column.field : column.kind === 'stage' ? column.path : key;
    if (text !== '' && seen.has(identity)) {
      issues.push({ path: `header.${text}`, message: `column ${index + 1} repeats column ${seen.get(identity)! + 1}` });
    }
    seen.set(identity, index);
    return column;
  });
  if (issues.length > 0) throw new ApiError(400, 'invalid_csv_header', `the CSV header is wrong: ${issues[0]!.path}: ${issues[0]!.message}`, issues);
  if (!columns.some((c) => c.kind === 'field' && c.field !== 'tags')) {
    throw new ApiError(400, 'invalid_csv_header', 'the CSV header names no column that identifies a lead (email / メールアドレス, phone / 電話番号, name / 氏名 with company / 会社名)', [
      { path: 'header', message: 'needs an email, phone, or name and company column' },
    ]);
  }
  return columns;
}

/** Field path → the header it came from, so a row's issue can name the column as the file does. */
function columnNames(columns: readonly Column[]): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  for (const c of columns) if (c.path !== '') names.set(c.path, c.header);
  return names;
}
