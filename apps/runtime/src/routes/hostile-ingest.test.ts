// Lead import and event ingestion under hostile input: random bytes, CSV in the wrong or a
// mislabelled encoding (invalid UTF-8, Shift_JIS sent as UTF-8 and the reverse, BOMs, UTF-16),
// huge cells, spreadsheet formulas, SQL and template text, prototype keys, times at the edges of
// the calendar. Each request answers a 2xx with its per-row or per-event report or a 4xx naming the
// field, never a 500; a refused request writes nothing; what a report counts is what was written.
// And what comes back out as CSV never starts a cell with a formula.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { anyString, HOSTILE_STRINGS, hostileJson, hostileKey, hostileString, objectPaths, setPath } from '@nurtureflow/scenario/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { printJobsCsv, type ExportRow } from '../channels/print-export.ts';
import { kpiCsv } from '../kpis/csv.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { fuzzRuns, hostile, labelOf, rowCounts, type Answer } from './hostile-testing.ts';
import { ok } from './testing.ts';

const HEADERS = ['email', 'メールアドレス', '氏名', '会社名', 'phone', '電話番号', 'tags', 'stage:fz', 'stage:Bad Line', '部署', 'id'];

/** A cell of a lead list: an address, a name, or something hostile. */
const cell = () =>
  fc.oneof(
    fc.emailAddress(),
    fc.constantFrom('山田 太郎', '株式会社テスト', '03-1234-5678', 'prospect', 'loyal', ''),
    hostileString(20_000),
  );

/** CSV text with a header row (known and hostile headers) and hostile cells, quoted as Excel does. */
const csvText = () =>
  fc
    .tuple(fc.array(fc.oneof(fc.constantFrom(...HEADERS), hostileKey()), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 6 }))
    .chain(([header, rows]) => fc.tuple(fc.constant(header), fc.array(fc.array(cell(), { minLength: header.length, maxLength: header.length + 1 }), { minLength: rows, maxLength: rows })))
    .map(([header, rows]) => [header, ...rows].map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n'));

/** The bytes and content type of an import: CSV in many encodings (some mislabelled), JSON, or noise. */
const importBody = (): fc.Arbitrary<{ bytes: Uint8Array; type: string; how: string }> =>
  fc.oneof(
    fc.tuple(csvText(), fc.constantFrom('utf-8', 'utf-8-bom', 'cp932', 'cp932-as-utf8', 'utf8-as-sjis', 'utf-16le', 'latin1-declared', 'unknown-charset')).map(([text, how]) => {
      const utf8 = new TextEncoder().encode(text);
      const table: Record<string, [Uint8Array, string]> = {
        'utf-8': [utf8, 'text/csv'],
        'utf-8-bom': [new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]), 'text/csv; charset=utf-8'],
        cp932: [new Uint8Array(iconv.encode(text, 'cp932')), 'text/csv'],
        'cp932-as-utf8': [new Uint8Array(iconv.encode(text, 'cp932')), 'text/csv; charset=utf-8'],
        'utf8-as-sjis': [utf8, 'text/csv; charset=Shift_JIS'],
        'utf-16le': [new Uint8Array([0xff, 0xfe, ...iconv.encode(text, 'utf-16le')]), 'text/csv'],
        'latin1-declared': [utf8, 'text/csv; charset=iso-8859-1'],
        'unknown-charset': [utf8, 'text/csv; charset=x-klingon'],
      };
      const [bytes, type] = table[how]!;
      return { bytes, type, how };
    }),
    fc.array(fc.oneof(hostileJson(3), fc.record({ email: fc.oneof(fc.emailAddress(), hostileString(1000)), name: hostileString(1000), attributes: fc.dictionary(hostileKey(), hostileJson(1), { maxKeys: 4 }) }, { requiredKeys: [] })), { maxLength: 6 }).map((rows) => ({
      bytes: new TextEncoder().encode(JSON.stringify(rows)),
      type: 'application/json',
      how: 'json',
    })),
    fc.tuple(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom('text/csv', 'application/json', 'text/plain', 'application/octet-stream', '', 'image/png', 'text/csv; charset=shift_jis')).map(([bytes, type]) => ({ bytes, type, how: 'random bytes' })),
  );

/** A time as clients send it, including the edges Postgres cannot store. */
const eventTime = () =>
  fc.oneof(
    fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom('0000-01-01T00:00:00Z', '0001-01-01T00:00:00+09:00', '9999-12-31T23:59:59-14:00', '9999-12-31T23:59:59Z', '2026-02-30T09:00:00+09:00', '2026-04-06T24:00:00Z', '2026-04-06T09:00:00.123456789+09:00'),
    hostileString(100),
  );

/** An event: a valid one with any one field made hostile, or anything at all. */
const anEvent = (leadIds: readonly string[]) =>
  fc.oneof(
    fc
      .record({
        id: fc.oneof(fc.uuid(), hostileString(500)),
        kind: fc.oneof(fc.constantFrom('page_visited', 'whitepaper_downloaded', 'form_submitted'), hostileString(100)),
        leadId: fc.oneof(fc.constantFrom(...leadIds), hostileString(300)),
        at: eventTime(),
        productLine: fc.oneof(fc.constant('fz'), fc.constant(null), hostileString(80)),
        data: fc.dictionary(hostileKey(), fc.oneof(hostileString(12_000), fc.integer(), fc.boolean(), fc.constant(null), hostileJson(2)), { maxKeys: 5 }),
      }, { requiredKeys: ['id', 'kind', 'leadId'] })
      .chain((e) => fc.oneof(fc.constant<unknown>(e), fc.tuple(fc.constantFrom(...objectPaths(e)), hostileJson(2)).map(([path, v]) => setPath(e, path, v)))),
    hostileJson(3),
  );

/** Escaped as csv-stringify escapes formulas: these may not start a cell Excel reads. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

describe('CSV exports under hostile text', () => {
  it('no cell of the print shop export or the KPI report starts with a formula, whatever the lead typed', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), anyString(), fc.constantFrom('=1+1', ' =1+1', '\u3000=1+1', '-1', '+81 3-1234-5678', '@user')), { minLength: 10, maxLength: 10 }), (texts) => {
        const [name, company, department, title, postalCode, prefecture, city, address1, address2, fax] = texts as [string, string, string, string, string, string, string, string, string, string];
        const row: ExportRow = {
          key: 'k', leadId: 'ld_1', productLine: 'fz', scenarioId: 's', nodeId: 'n', medium: 'dm', template: 't', batchDay: '2026-04-06', trackingUrl: 'https://nf.example/t/d/x',
          recipient: { name, company, department, title, postalCode, prefecture, city, address1, address2, fax },
        };
        const cells = (parse(printJobsCsv([row]), { bom: true, relax_column_count: true }) as string[][]).slice(1).flat();
        for (const c of cells) expect(c, JSON.stringify(c)).not.toMatch(FORMULA_START);
        const kpi = kpiCsv({ groupBy: 'day', rows: [{ day: name } as never], totals: {} as never } as never);
        for (const c of (parse(kpi, { bom: true, relax_column_count: true }) as string[][]).slice(1).flat()) expect(c, JSON.stringify(c)).not.toMatch(FORMULA_START);
      }),
      { numRuns: 100 },
    );
  });
});

eachRuntime('hostile imports and events', (current, dialect) => {
  let t: TestRuntime;
  const leadIds = ['fz-1', 'fz-2', 'fz-3'];
  beforeAll(async () => {
    t = current();
    await ok(t, 'POST', '/product-lines', { id: 'fz', name: 'Fuzz', settings: { scoring: { rules: [{ id: 'pv', event: 'page_visited', points: 1 }], hotThreshold: 1000 } } });
    for (const id of leadIds) await ok(t, 'POST', '/leads', { id, email: `${id}@fuzz.example.jp` }, 201);
  });

  const request = async (path: string, bytes: Uint8Array | string, type: string): Promise<Answer> => {
    const res = await t.app.request(`/api/v1${path}`, { method: 'POST', body: bytes as BodyInit, headers: type ? { 'content-type': type } : {} });
    const text = await res.text();
    try {
      return { status: res.status, body: JSON.parse(text) };
    } catch {
      return { status: res.status, body: text };
    }
  };

  it('a lead import of any bytes in any encoding is a per-row report or a 4xx naming the field, and the report counts what was written', async () => {
    await fc.assert(
      fc.asyncProperty(importBody(), async ({ bytes, type, how }) => {
        const before = await rowCounts(t.rt.db);
        const res = await hostile(t.rt.db, `import (${how}, ${type}) ${labelOf(new TextDecoder().decode(bytes.slice(0, 300)))}`, () => request('/leads/import', bytes, type));
        if (res.status !== 200) return;
        const after = await rowCounts(t.rt.db);
        const { totals, rows } = res.body;
        expect(totals.rows).toBe(rows.length);
        expect(totals.created + totals.updated + totals.merged + totals.rejected).toBe(totals.rows);
        expect(after['leads']! - before['leads']!).toBe(totals.created);
        for (const r of rows) if (r.status === 'rejected') expect(r.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: fuzzRuns(dialect, 40) },
    );
  });

  it('one event of any shape is accepted, a duplicate, or a 4xx naming the field; a refused one writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(anEvent(leadIds), async (event) => {
        const before = await rowCounts(t.rt.db);
        const res = await hostile(t.rt.db, `POST /events ${labelOf(event)}`, () => request('/events', JSON.stringify(event), 'application/json'));
        const after = await rowCounts(t.rt.db);
        if (res.status === 202) expect(after['events']! - before['events']!).toBe(res.body.status === 'accepted' ? 1 : 0);
      }),
      { numRuns: fuzzRuns(dialect, 50) },
    );
  });

  it('a batch of any events reports each one; the accepted are what was stored, and a batch refused whole stores none', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(anEvent(leadIds), { minLength: 1, maxLength: 12 }).map((events) => ({ events })), hostileJson(3)), async (body) => {
        const before = await rowCounts(t.rt.db);
        const res = await hostile(t.rt.db, `POST /events/batch ${labelOf(body)}`, () => request('/events/batch', JSON.stringify(body), 'application/json'));
        if (res.status !== 202) return;
        const after = await rowCounts(t.rt.db);
        const { accepted, duplicates, rejected, results } = res.body;
        expect(accepted + duplicates + rejected).toBe((body as { events: unknown[] }).events.length);
        expect(results).toHaveLength((body as { events: unknown[] }).events.length);
        // Scoring may add a lead_became_hot event of its own; never fewer than accepted.
        expect(after['events']! - before['events']!).toBeGreaterThanOrEqual(accepted);
        for (const r of results) if (r.status === 'rejected') expect(r.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: fuzzRuns(dialect, 25) },
    );
  });

  it('bodies that are not JSON, or not UTF-8, are a 400 naming the body', async () => {
    for (const [bytes, type] of [
      [new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'application/json'],
      [new Uint8Array(iconv.encode('[{"email":"山田@example.jp"}]', 'cp932')), 'application/json'],
      ['{"id": ', 'application/json'],
    ] as const) {
      const res = await hostile(t.rt.db, `import ${labelOf(bytes)}`, () => request('/leads/import', bytes, type));
      expect(res.status).toBe(400);
      expect(res.body.error.issues[0].path).toBe('body');
    }
  });
});

eachRuntime('what the fuzz tests found', (current) => {
  beforeAll(async () => {
    await ok(current(), 'POST', '/leads', { id: 'found-1', email: 'found-1@fuzz.example.jp' }, 201);
  });
  const csv = (t: TestRuntime, text: string) => t.app.request('/api/v1/leads/import', { method: 'POST', body: text, headers: { 'content-type': 'text/csv' } });

  it('a CSV header "__proto__" is a 400 naming it, and "constructor" an attribute like any other, not Object.prototype’s', async () => {
    const t = current();
    const proto = await hostile(t.rt.db, '__proto__ header', async () => {
      const res = await csv(t, '__proto__,email\r\nx,a@found.example.jp');
      return { status: res.status, body: await res.json() };
    });
    expect(proto.status).toBe(400);
    expect(proto.body.error.issues[0].path).toBe('header.__proto__');
    const ctor = await csv(t, 'constructor,email\r\nx,b@found.example.jp');
    expect(ctor.status).toBe(200);
    const lead = await ok(t, 'GET', `/leads/${(await ctor.json()).rows[0].leadId}`);
    expect(lead.attributes).toEqual({ constructor: 'x' });
  });

  it('an event time outside the years Postgres stores, or on no real day, is a 400 naming body.at', async () => {
    const t = current();
    for (const at of ['9999-12-31T23:59:59-14:00', '0000-01-01T00:00:00Z', '1899-12-31T23:59:59Z', '2026-02-30T09:00:00+09:00']) {
      const res = await hostile(t.rt.db, at, () => t.call('POST', '/events', { id: `at-${at}`, kind: 'page_visited', leadId: 'found-1', at }));
      expect(res.status, at).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain('body.at');
    }
  });

  it('NUL or a lone surrogate in a lead or an event is a 400 (or a rejected import row) naming the field', async () => {
    const t = current();
    const event = await hostile(t.rt.db, 'nul id', () => t.call('POST', '/events', { id: 'a\u0000b', kind: 'page_visited', leadId: 'found-1' }));
    expect(event.body.error.issues[0].path).toBe('body.id');
    const data = await hostile(t.rt.db, 'surrogate data', () => t.call('POST', '/events', { id: 'sur-1', kind: 'page_visited', leadId: 'found-1', data: { note: 'x\uDFFFy' } }));
    expect(data.body.error.issues[0].path).toBe('body.data.note');
    const lead = await hostile(t.rt.db, 'nul lead', () => t.call('POST', '/leads', { email: 'nul@found.example.jp', name: 'a\u0000' }));
    expect(lead.body.error.issues[0].path).toBe('body.name');
    const imported = await hostile(t.rt.db, 'surrogate import', () => t.call('POST', '/leads/import', [{ email: 'sur@found.example.jp', name: 'x\uDFFFy' }]));
    expect(imported.status).toBe(422);
    expect(imported.body.error.issues).toEqual([{ path: 'rows[0].name', message: 'contains a character that cannot be stored (NUL or a lone surrogate)' }]);
  });
});
