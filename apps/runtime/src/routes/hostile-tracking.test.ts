// The public links in every e-mail and the inbound mail endpoints under hostile input: random
// tokens, real tokens tampered with (a character changed, cut short, lengthened), tokens signed by
// another server, tokens this server signed over hostile payloads; raw messages of random bytes or
// hostile headers, and provider notifications of any shape. Each answers 200, 302, or a 4xx — never
// a 500 — and nothing is recorded for a token this server did not sign as it stands.
import fc from 'fast-check';
import { aGraph, hostileJson, hostileString } from '@nurtureflow/scenario/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDsn, aMail, headersOf } from '../channels/report-testing.ts';
import { drainAll, hrefs, pixelUrl, startTestSmtp, type Received, type TestSmtp } from '../channels/testing.ts';
import { emailChannel, type EmailChannel } from '../channels/email.ts';
import { createSigner, trackingSigner } from '../tracking/tokens.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { fuzzRuns, hostile, labelOf, type Answer } from './hostile-testing.ts';
import { ok } from './testing.ts';

const INBOUND_SECRET = 'hostile-inbound-secret-0123';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('');

/** A real token spoiled: one character changed, cut short, lengthened, or its halves swapped. */
const tampered = (token: string) =>
  fc.oneof(
    fc.tuple(fc.nat({ max: token.length - 1 }), fc.constantFrom(...B64URL, '.', '%', '~')).map(([i, ch]) => token.slice(0, i) + ch + token.slice(i + 1)),
    fc.nat({ max: token.length - 1 }).map((n) => token.slice(0, n)),
    fc.string({ minLength: 1, maxLength: 8 }).map((s) => token + s),
    fc.constant(token.split('.').reverse().join('.')),
  );

/** What a stranger could put where a token goes. */
const strangeToken = (real: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(...real).chain(tampered),
    fc.string({ maxLength: 60 }),
    fc.array(fc.constantFrom(...B64URL), { minLength: 20, maxLength: 120 }).map((cs) => `${cs.slice(0, cs.length - 22).join('')}.${cs.slice(-22).join('')}`),
    fc.tuple(fc.constantFrom('open', 'click', 'unsubscribe'), hostileString(200), hostileString(200)).map(([kind, leadId, key]) =>
      createSigner('another server').sign(kind === 'click' ? { kind, leadId, key, index: 0 } : kind === 'open' ? { kind, leadId, key } : { kind, leadId, key, productLine: 'ht' }),
    ),
    fc.constant('x'.repeat(5000)),
  );

describe('what the fuzz tests found in tracking tokens', () => {
  const signer = createSigner('a secret');
  const token = signer.sign({ kind: 'open', leadId: 'ld_1', key: 'k1' });

  it('a token with a stray character, or another last letter of the same bits, no longer verifies', () => {
    expect(signer.verify(token)).toEqual({ kind: 'open', leadId: 'ld_1', key: 'k1' });
    expect(signer.verify(`${token} `)).toBeNull();
    expect(signer.verify(`${token}=`)).toBeNull();
    // The tag's last base64url letter carries 2 spare bits: its neighbours decode to the same bytes.
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBits = alphabet[(alphabet.indexOf(last) ^ 1)]!;
    expect(Buffer.from(token.slice(token.indexOf('.') + 1, -1) + sameBits, 'base64url')).toEqual(Buffer.from(token.slice(token.indexOf('.') + 1), 'base64url'));
    expect(signer.verify(token.slice(0, -1) + sameBits)).toBeNull();
  });

  it('a signed payload naming something no id can be (NUL, a lone surrogate, kilobytes) does not verify', () => {
    for (const leadId of ['a\u0000b', '\uD800', 'x'.repeat(600)]) expect(signer.verify(signer.sign({ kind: 'open', leadId, key: 'k' }))).toBeNull();
    expect(signer.verify(signer.sign({ kind: 'unsubscribe', leadId: 'ld_1', key: 'k', productLine: '\uDC00' }))).toBeNull();
  });
});

eachRuntime('hostile tracking links and inbound mail', (current, dialect) => {
  let t: TestRuntime;
  let smtp: TestSmtp;
  let channel: EmailChannel;
  let mail: Received;
  const tokens: string[] = [];
  beforeAll(async () => {
    t = current();
    process.env['INBOUND_SECRET'] = INBOUND_SECRET;
    smtp = await startTestSmtp();
    channel = emailChannel(t.rt, { baseUrl: 'http://nf.test', smtpUrl: smtp.url });
    await ok(t, 'POST', '/product-lines', { id: 'ht', name: 'Hostile' });
    await ok(t, 'POST', '/product-lines/ht/templates', { id: 'hello', name: 'hello', subject: 'hello', html: '<p><a href="https://example.com/a">a</a></p>' });
    await ok(t, 'POST', '/scenarios', { id: 'ht-s', productLine: 'ht', name: 'mail', draft: aGraph({ productLine: 'ht', scenarioId: 'ht-s', name: 'mail' }).trigger('t', { type: 'import' }).email('m1', 'hello').exit('x').connect('m1', 'skipped', 'x').input() });
    await ok(t, 'POST', '/scenarios/ht-s/publish', { note: 'v1' });
    await ok(t, 'POST', '/leads', { id: 'ht-1', email: 'ht-1@example.jp' });
    await ok(t, 'POST', '/enrollments', { scenarioId: 'ht-s', leadIds: ['ht-1'] });
    await drainAll(t, [channel]);
    mail = smtp.received.find((m) => m.envelopeTo.includes('ht-1@example.jp'))!;
    for (const url of [pixelUrl(mail.html), ...hrefs(mail.html).filter((h) => h.includes('/t/c/'))]) tokens.push(url.slice(url.lastIndexOf('/') + 1));
    const unsubscribe = /\/u\/([^>\s]+)>/.exec(mail.listUnsubscribe)?.[1];
    if (unsubscribe) tokens.push(unsubscribe);
  });
  afterAll(async () => {
    delete process.env['INBOUND_SECRET'];
    channel?.close();
    await smtp?.stop();
  });

  const get = async (method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await t.app.request(path, { method, ...(body !== undefined ? { body } : {}), headers });
    return { status: res.status, body: await res.text() };
  };

  it('the real tokens work, so the refusals below are the tokens’ own doing', async () => {
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect((await get('GET', `/t/o/${tokens[0]}`)).status).toBe(200);
    expect((await get('GET', `/t/c/${tokens[1]}`)).status).toBe(302);
    expect((await get('GET', `/u/${tokens[tokens.length - 1]}`)).status).toBe(200);
  });

  it('a token this server did not sign as it stands is a 404 on every tracking page, and records nothing', async () => {
    const signer = await trackingSigner(t.rt.db, t.rt.db);
    await fc.assert(
      fc.asyncProperty(strangeToken(tokens), fc.constantFrom('GET /t/o/', 'GET /t/c/', 'GET /u/', 'POST /u/'), async (token, route) => {
        const [method, prefix] = route.split(' ') as [string, string];
        const path = prefix + encodeURIComponent(token);
        const form = method === 'POST' ? { body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } } : { headers: {} };
        // Only the tokens as they were signed verify: no change to one, however small, still passes.
        if (!tokens.includes(token)) expect(signer.verify(token), token).toBeNull();
        const res = await hostile(t.rt.db, `${route}${labelOf(token)}`, () => get(method, path, form.body, form.headers), { plain: true });
        if (!tokens.includes(token)) expect(res.status, `${route}${token}`).toBe(404);
      }),
      { numRuns: fuzzRuns(dialect, 50) },
    );
  });

  it('tokens this server signed over payloads that name nothing are a 404', async () => {
    const signer = await trackingSigner(t.rt.db, t.rt.db);
    await fc.assert(
      fc.asyncProperty(hostileString(300), hostileString(300), fc.integer(), async (leadId, key, index) => {
        for (const [prefix, token] of [
          ['/t/o/', signer.sign({ kind: 'open', leadId, key })],
          ['/t/c/', signer.sign({ kind: 'click', leadId, key, index: Math.abs(index) })],
          ['/u/', signer.sign({ kind: 'unsubscribe', leadId, key, productLine: key })],
        ] as const) {
          const res = await hostile(t.rt.db, `${prefix}${labelOf([leadId, key])}`, () => get('GET', prefix + token), { plain: true });
          if (token.length <= 2000) expect(res.status).toBe(404);
        }
      }),
      { numRuns: fuzzRuns(dialect, 20) },
    );
  });

  it('inbound mail of any bytes or hostile headers is handled or refused with a 4xx, never a 500', async () => {
    const message = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 3000 }),
      fc.tuple(hostileString(2000), hostileString(2000), hostileString(5000)).map(([to, subject, body]) => new TextEncoder().encode(aMail({ to, subject, body }))),
      fc.tuple(hostileString(300), hostileString(40), hostileString(2000)).map(([recipient, status, diagnostic]) =>
        new TextEncoder().encode(aDsn({ to: mail.envelopeFrom, recipient, status, diagnostic, original: headersOf(mail.raw) })),
      ),
      fc.tuple(hostileString(200), hostileString(200)).map(([returnPath, subject]) => new TextEncoder().encode(aMail({ to: returnPath, subject, from: returnPath }))),
    );
    await fc.assert(
      fc.asyncProperty(message, fc.option(hostileString(600), { nil: undefined }), async (bytes, recipient) => {
        let query = '';
        try {
          if (recipient !== undefined) query = `?recipient=${encodeURIComponent(recipient)}`;
        } catch {
          // a lone surrogate has no URL form: send it as bytes that do not decode
          query = '?recipient=%ED%A0%80';
        }
        await hostile(t.rt.db, `inbound ${labelOf(new TextDecoder().decode(bytes.slice(0, 200)))}`, async () => {
          const res = await t.app.request(`/api/v1/inbound/mail${query}`, { method: 'POST', body: bytes, headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${INBOUND_SECRET}` } });
          return { status: res.status, body: await res.json() };
        });
      }),
      { numRuns: fuzzRuns(dialect, 25) },
    );
  });

  it('a bounce notification of any shape is handled or a 4xx naming the field', async () => {
    const note = fc.oneof(
      hostileJson(3),
      fc.record({ type: fc.oneof(fc.constantFrom('hard', 'soft', 'complaint'), hostileString(50)), email: fc.oneof(fc.constant('ht-1@example.jp'), hostileString(400)), outboxKey: hostileString(300), reason: hostileString(3000) }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(note, async (body) => {
        await hostile(t.rt.db, `bounces ${labelOf(body)}`, () => t.call('POST', '/inbound/bounces', body, { authorization: `Bearer ${INBOUND_SECRET}` }));
      }),
      // A NUL in the reason once reached Postgres as a 500.
      { numRuns: fuzzRuns(dialect, 25), examples: [[{ type: 'hard', email: 'ht-1@example.jp', reason: '\u0000' }]] },
    );
  });
});
