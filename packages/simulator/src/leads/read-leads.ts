// Sample leads from a file a marketer has: JSON (an array of leads, or `{ leads: [...] }`) or CSV
// with Japanese or English headers. Every bad row is reported with the field and why; the good
// rows are kept. Browser-safe: papaparse reads the CSV.
import { stages } from '@nurtureflow/scenario';
import Papa from 'papaparse';
import { sampleLeadSchema, type SampleLead } from '../schemas.ts';

/** One bad row: its number (1 = the first lead), the field, and why. */
export interface RowError {
  row: number;
  field: string;
  message: string;
}

/** The leads read and the rows that could not be. */
export interface LeadFile {
  leads: SampleLead[];
  errors: RowError[];
}

type Column =
  | { to: 'id' | 'email' | 'name' | 'company' | 'phone' | 'persona' | 'tags' | 'unsubscribedAll' }
  | { to: 'attribute'; key: string; numeric: boolean }
  | { to: 'score' | 'stage' | 'unsubscribed'; productLine: string };

/** Header words (NFKC, lower case, no spaces) for each field. */
const HEADERS: Readonly<Record<string, Column>> = {
  id: { to: 'id' },
  leadid: { to: 'id' },
  lead_id: { to: 'id' },
  リードid: { to: 'id' },
  email: { to: 'email' },
  'e-mail': { to: 'email' },
  mail: { to: 'email' },
  メールアドレス: { to: 'email' },
  メール: { to: 'email' },
  name: { to: 'name' },
  fullname: { to: 'name' },
  氏名: { to: 'name' },
  名前: { to: 'name' },
  お名前: { to: 'name' },
  company: { to: 'company' },
  companyname: { to: 'company' },
  会社名: { to: 'company' },
  会社: { to: 'company' },
  企業名: { to: 'company' },
  phone: { to: 'phone' },
  tel: { to: 'phone' },
  電話番号: { to: 'phone' },
  電話: { to: 'phone' },
  persona: { to: 'persona' },
  ペルソナ: { to: 'persona' },
  tags: { to: 'tags' },
  タグ: { to: 'tags' },
  unsubscribed: { to: 'unsubscribedAll' },
  配信停止: { to: 'unsubscribedAll' },
  industry: { to: 'attribute', key: 'industry', numeric: false },
  業種: { to: 'attribute', key: 'industry', numeric: false },
  employees: { to: 'attribute', key: 'employees', numeric: true },
  従業員数: { to: 'attribute', key: 'employees', numeric: true },
  社員数: { to: 'attribute', key: 'employees', numeric: true },
};

/** `score:crm`, `stage:crm`, `unsubscribed:crm` (or スコア / ステージ / 配信停止) name a product line's standing. */
const PER_PRODUCT = /^(score|スコア|stage|ステージ|unsubscribed|配信停止)[:：](.+)$/i;
const PER_PRODUCT_FIELD: Record<string, 'score' | 'stage' | 'unsubscribed'> = {
  score: 'score',
  スコア: 'score',
  stage: 'stage',
  ステージ: 'stage',
  unsubscribed: 'unsubscribed',
  配信停止: 'unsubscribed',
};

function headerKey(h: string): string {
  return h.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
}

function columnOf(header: string): Column {
  const key = headerKey(header);
  const known = HEADERS[key];
  if (known !== undefined) return known;
  const m = PER_PRODUCT.exec(key);
  if (m) return { to: PER_PRODUCT_FIELD[m[1]!.toLowerCase()] ?? 'score', productLine: m[2]! };
  return { to: 'attribute', key: header.normalize('NFKC').trim(), numeric: false };
}

function yes(v: string): boolean | null {
  const s = v.normalize('NFKC').trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 'はい', '済', '○'].includes(s)) return true;
  if (['false', '0', 'no', 'n', 'いいえ', ''].includes(s)) return false;
  return null;
}

function number(v: string): number | null {
  const n = Number(v.normalize('NFKC').replace(/[,\s]/g, ''));
  return v.trim() === '' || !Number.isFinite(n) ? null : n;
}

/** Reads sample leads from CSV text: a header row, then one lead per row. */
export function readLeadsCsv(text: string): LeadFile {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: 'greedy' });
  const rows = parsed.data;
  const errors: RowError[] = parsed.errors.map((e) => ({ row: Math.max(0, e.row ?? 0), field: '(row)', message: e.message }));
  const header = rows[0];
  if (header === undefined) return { leads: [], errors: [{ row: 0, field: '(header)', message: 'the file has no header row' }] };
  const columns = header.map(columnOf);
  const raw: unknown[] = [];
  const issues: RowError[] = [];
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r]!;
    const lead: Record<string, unknown> = {};
    const attributes: Record<string, string | number> = {};
    const products: Record<string, Record<string, unknown>> = {};
    columns.forEach((col, c) => {
      const value = (cells[c] ?? '').trim();
      const field = header[c] ?? `column ${c + 1}`;
      if (value === '' && col.to !== 'unsubscribed' && col.to !== 'unsubscribedAll') return;
      switch (col.to) {
        case 'attribute': {
          if (col.numeric) {
            const n = number(value);
            if (n === null) issues.push({ row: r, field, message: `"${value}" is not a number` });
            else attributes[col.key] = n;
          } else attributes[col.key] = value;
          break;
        }
        case 'tags':
          lead['tags'] = value.split(/[;,、]/).map((t) => t.trim()).filter(Boolean);
          break;
        case 'unsubscribedAll': {
          const b = yes(value);
          if (b === null) issues.push({ row: r, field, message: `"${value}" is not yes or no` });
          else if (b) lead['unsubscribedAll'] = true;
          break;
        }
        case 'score': {
          const n = number(value);
          if (n === null) issues.push({ row: r, field, message: `"${value}" is not a number` });
          else (products[col.productLine] ??= {})['score'] = n;
          break;
        }
        case 'stage':
          if (!(stages as readonly string[]).includes(value)) issues.push({ row: r, field, message: `"${value}" is not a stage (${stages.join(', ')})` });
          else (products[col.productLine] ??= {})['stage'] = value;
          break;
        case 'unsubscribed': {
          const b = yes(value);
          if (b === null) issues.push({ row: r, field, message: `"${value}" is not yes or no` });
          else if (b) (products[col.productLine] ??= {})['unsubscribed'] = true;
          break;
        }
        default:
          lead[col.to] = value;
      }
    });
    if (Object.keys(attributes).length > 0) lead['attributes'] = attributes;
    if (Object.keys(products).length > 0) lead['products'] = products;
    raw.push(lead);
  }
  const checked = checkLeads(raw, (i, path) => (path === '' ? '(row)' : header[columns.findIndex((c) => fieldOf(c) === path)] ?? path));
  const bad = new Set(issues.map((i) => i.row));
  return {
    leads: checked.leads.filter((l) => !bad.has(l.row)).map((l) => l.lead),
    errors: [...errors, ...issues, ...checked.errors].sort((a, b) => a.row - b.row),
  };
}

function fieldOf(c: Column): string {
  if (c.to === 'attribute') return `attributes.${c.key}`;
  if (c.to === 'score' || c.to === 'stage' || c.to === 'unsubscribed') return `products.${c.productLine}.${c.to}`;
  return c.to;
}

/** Reads sample leads from JSON text: an array of leads or `{ "leads": [...] }`. */
export function readLeadsJson(text: string): LeadFile {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { leads: [], errors: [{ row: 0, field: '(file)', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  const list = Array.isArray(data) ? data : typeof data === 'object' && data !== null && Array.isArray((data as { leads?: unknown }).leads) ? (data as { leads: unknown[] }).leads : null;
  if (list === null) return { leads: [], errors: [{ row: 0, field: '(file)', message: 'expected an array of leads, or an object with a "leads" array' }] };
  const checked = checkLeads(list, (_i, path) => path || '(row)');
  return { leads: checked.leads.map((l) => l.lead), errors: checked.errors };
}

/** Reads a lead file as JSON when it starts like JSON, else as CSV. */
export function readLeads(text: string): LeadFile {
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '[' || first === '{' ? readLeadsJson(text) : readLeadsCsv(text);
}

/** Each row through the lead schema; rows without an id get `row-<n>`; a repeated id is an error. */
function checkLeads(rows: readonly unknown[], name: (row: number, path: string) => string): { leads: { row: number; lead: SampleLead }[]; errors: RowError[] } {
  const leads: { row: number; lead: SampleLead }[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  rows.forEach((value, i) => {
    const row = i + 1;
    const withId = typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { id?: unknown }).id === undefined ? { id: `row-${row}`, ...value } : value;
    const r = sampleLeadSchema.safeParse(withId);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const path = issue.path.map(String).join('.');
        errors.push({ row, field: name(row, path), message: issue.message });
      }
      return;
    }
    const before = seen.get(r.data.id);
    if (before !== undefined) {
      errors.push({ row, field: name(row, 'id'), message: `"${r.data.id}" is already the id of row ${before}` });
      return;
    }
    seen.set(r.data.id, row);
    leads.push({ row, lead: r.data });
  });
  return { leads, errors };
}
