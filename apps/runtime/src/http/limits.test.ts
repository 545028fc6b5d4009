// Request limits through the real app: a body past its route kind's limit is a 413 whether or not
// it says its length, a JSON body nested too deep is a 400 naming where, and ingestion and tracking
// answer 429 with Retry-After once a client address, credential or tracking token has used its
// window — each refusal writing nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { ok, writtenRows } from '../routes/testing.ts';
import { ALL_ROUTES } from '../routes/index.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { DEFAULT_LIMITS, httpLimitsFromEnv, type HttpLimits } from './limits.ts';

const at = '2026-04-06T09:00:00+09:00';

/** Requests to an app of the test runtime's database with limits of its own, as the admin, from `address`. */
function limitedApp(t: TestRuntime, limits: Partial<HttpLimits>) {
  const app = createApp(t.rt, ALL_ROUTES, undefined, { ...DEFAULT_LIMITS, ...limits });
  let secret: Promise<string> | undefined;
  return async (method: string, path: string, body?: BodyInit | object, options: { address?: string; headers?: Record<string, string>; token?: string } = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? (await (secret ??= t.token({ orgAdmin: true })))}`, ...options.headers };
    const init: RequestInit & { duplex?: 'half' } = { method, headers };
    if (body !== undefined) {
      const raw = typeof body === 'string' || body instanceof ReadableStream || body instanceof Uint8Array;
      init.body = raw ? (body as BodyInit) : JSON.stringify(body);
      headers['content-type'] ??= raw ? 'text/plain' : 'application/json';
      if (body instanceof ReadableStream) init.duplex = 'half';
    }
    const res = await app.request(path, init, { incoming: { socket: { remoteAddress: options.address ?? '203.0.113.1' } } });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
}

/** A body sent in chunks with no Content-Length, as a client that streams it would. */
function streamed(bytes: number): ReadableStream<Uint8Array> {
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0) return controller.close();
      const n = Math.min(left, 16 * 1024);
      left -= n;
      controller.enqueue(new TextEncoder().encode('x'.repeat(n)));
    },
  });
}

describe('limits from the environment', () => {
  it('reads sizes with k and m suffixes, counts, and RATE_LIMIT=off; a wrong value names its setting', () => {
    expect(httpLimitsFromEnv({})).toEqual(DEFAULT_LIMITS);
    const l = httpLimitsFromEnv({ BODY_LIMIT_JSON: '512k', BODY_LIMIT_BULK: '64m', RATE_LIMIT_WINDOW_SECONDS: '10', RATE_LIMIT_TRACKING_PER_TOKEN: '0', TRUSTED_PROXIES: '1' });
    expect(l.body).toMatchObject({ json: 512 * 1024, bulk: 64 * 1024 * 1024, document: DEFAULT_LIMITS.body.document });
    expect(l.rate).toMatchObject({ windowMs: 10_000, trackingPerToken: 0 });
    expect(l.trustedProxies).toBe(1);
    expect(httpLimitsFromEnv({ RATE_LIMIT: 'off' }).rate).toBeNull();
    expect(() => httpLimitsFromEnv({ BODY_LIMIT_JSON: 'lots' })).toThrow(/^BODY_LIMIT_JSON must be a size/);
    expect(() => httpLimitsFromEnv({ BODY_LIMIT_DOCUMENT: '12' })).toThrow(/^BODY_LIMIT_DOCUMENT must be a size of at least 1024 bytes/);
    expect(() => httpLimitsFromEnv({ RATE_LIMIT_INGEST_PER_ADDRESS: '-5' })).toThrow(/^RATE_LIMIT_INGEST_PER_ADDRESS must be a whole number/);
    expect(() => httpLimitsFromEnv({ JSON_DEPTH_LIMIT: '1' })).toThrow(/^JSON_DEPTH_LIMIT must be a whole number of at least 2/);
  });
});

eachRuntime('request limits', (current) => {
  beforeAll(async () => {
    const t = current();
    await ok(t, 'POST', '/product-lines', { id: 'lim', name: 'Limits' });
    await ok(t, 'POST', '/leads', { id: 'lim-1', email: 'lim-1@example.jp' });
  });

  it('a body past its route kind’s limit is a 413 naming the body, with or without Content-Length, and writes nothing', async () => {
    const t = current();
    const call = limitedApp(t, { body: { json: 4096, document: 16_384, bulk: 65_536, page: 1024 } });
    const before = await writtenRows(t.rt.db);
    const big = { id: 'big-1', kind: 'page_visited', leadId: 'lim-1', at, data: { note: 'x'.repeat(5000) } };
    for (const body of [big, streamed(5000)]) {
      const res = await call('POST', '/api/v1/events', body, { headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({ code: 'payload_too_large', issues: [{ path: 'body', message: 'must be at most 4096 bytes' }] });
    }
    // The batch route is bulk: the same event fits there; a document route takes more than a JSON route.
    expect((await call('POST', '/api/v1/events/batch', { events: [big] })).status).toBe(202);
    expect((await call('PUT', '/api/v1/scenarios/none/draft', { pad: 'x'.repeat(10_000) })).status).toBe(404);
    expect((await call('PUT', '/api/v1/scenarios/none/draft', { pad: 'x'.repeat(20_000) })).status).toBe(413);
    // A CSV import larger than the bulk limit, streamed.
    const csv = await call('POST', '/api/v1/leads/import', streamed(70_000), { headers: { 'content-type': 'text/csv' } });
    expect(csv.status).toBe(413);
    // Unsubscribe pages read a small form only.
    expect((await call('POST', '/u/whatever', streamed(2000), { headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBeLessThan(500);
    const after = await writtenRows(t.rt.db);
    expect(after.events?.length).toBe((before.events?.length ?? 0) + 1);
    expect({ ...after, events: [] }).toEqual({ ...before, events: [] });
  });

  it('JSON nested deeper than the limit is a 400 naming where, for API routes and JSON imports', async () => {
    const t = current();
    const deep = JSON.parse(`${'{"a":'.repeat(150)}1${'}'.repeat(150)}`);
    const before = await writtenRows(t.rt.db);
    const res = await t.call('POST', '/events', { id: 'deep-1', kind: 'page_visited', leadId: 'lim-1', at, data: deep });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('too_deep');
    expect(res.body.error.issues[0].path).toMatch(/^body\.data(\.a)+$/);
    const imported = await t.call('POST', '/leads/import', JSON.stringify([{ email: 'deep@example.jp', attributes: deep }]), { 'content-type': 'application/json' });
    expect(imported.status).toBe(400);
    expect(imported.body.error.issues[0].path).toMatch(/^body\[0\]\.attributes(\.a)+$/);
    // Ten thousand levels are refused the same way, not with a stack overflow.
    const deeper = `{"id":"deep-2","kind":"page_visited","leadId":"lim-1","data":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expect((await t.call('POST', '/events', deeper, { 'content-type': 'application/json' })).status).toBe(400);
    expect(await writtenRows(t.rt.db)).toEqual(before);
  });

  it('event ingestion past its limit per client address is a 429 with Retry-After; other addresses go on', async () => {
    const t = current();
    const call = limitedApp(t, { rate: { ...DEFAULT_LIMITS.rate!, ingestPerAddress: 3 } });
    const event = (n: number) => ({ id: `rate-ip-${n}`, kind: 'page_visited', leadId: 'lim-1', at });
    for (let n = 0; n < 2; n++) expect((await call('POST', '/api/v1/events', event(n), { address: '198.51.100.7' })).status).toBe(202);
    expect((await call('POST', '/api/v1/events/batch', { events: [event(2)] }, { address: '198.51.100.7' })).status).toBe(202);
    const before = await writtenRows(t.rt.db);
    const res = await call('POST', '/api/v1/events', event(3), { address: '198.51.100.7' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(res.body.error).toMatchObject({ code: 'rate_limited', issues: [{ path: 'client.address' }] });
    expect(res.body.error.message).toMatch(/^too many requests from this address: at most 3 in 60 s; retry after \d+ s$/);
    expect(await writtenRows(t.rt.db)).toEqual(before);
    expect((await call('POST', '/api/v1/events', event(4), { address: '198.51.100.8' })).status).toBe(202);
    // Other routes are not limited.
    expect((await call('GET', '/api/v1/leads/lim-1', undefined, { address: '198.51.100.7' })).status).toBe(200);
  });

  it('behind a trusted proxy the client is the address it forwards, not the proxy', async () => {
    const t = current();
    const call = limitedApp(t, { rate: { ...DEFAULT_LIMITS.rate!, ingestPerAddress: 1 }, trustedProxies: 1 });
    const event = (n: number) => ({ id: `rate-xff-${n}`, kind: 'page_visited', leadId: 'lim-1', at });
    const from = (client: string) => ({ address: '10.0.0.2', headers: { 'x-forwarded-for': `192.0.2.99, ${client}` } });
    expect((await call('POST', '/api/v1/events', event(0), from('203.0.113.50'))).status).toBe(202);
    expect((await call('POST', '/api/v1/events', event(1), from('203.0.113.51'))).status).toBe(202);
    expect((await call('POST', '/api/v1/events', event(2), from('203.0.113.50'))).status).toBe(429);
  });

  it('event ingestion past its limit per credential is a 429 naming the credential, from any address', async () => {
    const t = current();
    const call = limitedApp(t, { rate: { ...DEFAULT_LIMITS.rate!, ingestPerCredential: 2 } });
    const token = await t.token({ roles: { lim: 'editor' } });
    const event = (n: number) => ({ id: `rate-token-${n}`, kind: 'page_visited', leadId: 'lim-1', productLine: 'lim', at });
    expect((await call('POST', '/api/v1/events', event(0), { token, address: '198.51.100.20' })).status).toBe(202);
    expect((await call('POST', '/api/v1/events', event(1), { token, address: '198.51.100.21' })).status).toBe(202);
    const res = await call('POST', '/api/v1/events', event(2), { token, address: '198.51.100.22' });
    expect(res.status).toBe(429);
    expect(res.body.error.issues).toEqual([{ path: 'headers.authorization', message: 'made more than 2 requests in 60 s' }]);
    // Another credential is its own client.
    expect((await call('POST', '/api/v1/events', event(3), { address: '198.51.100.22' })).status).toBe(202);
  });

  it('tracking links past their limit per token, or per address, are a 429 with Retry-After and record nothing', async () => {
    const t = current();
    const call = limitedApp(t, { rate: { ...DEFAULT_LIMITS.rate!, trackingPerToken: 2, trackingPerAddress: 5 } });
    const before = await writtenRows(t.rt.db);
    expect((await call('GET', '/t/o/tok-a.sig', undefined, { address: '198.51.100.30' })).status).toBe(404);
    expect((await call('GET', '/t/c/tok-a.sig', undefined, { address: '198.51.100.31' })).status).toBe(404);
    const third = await call('GET', '/t/o/tok-a.sig', undefined, { address: '198.51.100.32' });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(third.body.error.issues).toEqual([{ path: 'params.token', message: 'made more than 2 requests in 60 s' }]);
    // One address over many tokens: the sixth is refused, on the unsubscribe page too.
    for (let n = 0; n < 5; n++) expect((await call('GET', `/u/tok-${n}.sig`, undefined, { address: '198.51.100.40' })).status).toBe(404);
    const sixth = await call('POST', '/u/tok-9.sig', 'List-Unsubscribe=One-Click', { address: '198.51.100.40', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.issues[0].path).toBe('client.address');
    expect(await writtenRows(t.rt.db)).toEqual(before);
  });

  it('with RATE_LIMIT=off nothing is limited', async () => {
    const t = current();
    const call = limitedApp(t, { rate: null });
    for (let n = 0; n < 30; n++) expect((await call('GET', '/t/o/tok-off.sig')).status).toBe(404);
  });
});
