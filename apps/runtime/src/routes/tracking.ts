// The public links inside e-mails: `/t/o/:token` (open pixel), `/t/c/:token` (tracked link, 302 to
// the original URL) and `/u/:token` (unsubscribe page; POST unsubscribes, also as the one-click
// List-Unsubscribe-Post). A token that is not signed by this server, or names no message that was
// sent, gets 404 and records nothing.
import type { Context } from 'hono';
import type { Routes } from '../app.ts';
import { ingestEvents } from '../core/ingest.ts';
import { HitRecorder } from '../tracking/hits.ts';
import { trackingSigner, type TokenPayload } from '../tracking/tokens.ts';
import { confirmPage, donePage, invalidPage } from '../tracking/unsubscribe-page.ts';

const PIXEL = new Uint8Array(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
const NO_STORE = { 'cache-control': 'no-store, private', 'referrer-policy': 'no-referrer' };
// Made once: thousands of pixels a second need not each build the same headers (the body is copied into each response).
const PIXEL_HEADERS = { ...NO_STORE, 'content-type': 'image/gif', 'content-length': String(PIXEL.length) };

/** Tracking and unsubscribe pages, outside /api/v1. */
export const trackingRoutes: Routes = (api, rt) => {
  const hits = new HitRecorder(rt);
  const verify = async <K extends TokenPayload['kind']>(c: Context, kind: K): Promise<Extract<TokenPayload, { kind: K }> | null> => {
    const signer = await trackingSigner(rt.db, rt.db);
    const payload = signer.verify(c.req.param('token') ?? '');
    return payload?.kind === kind ? (payload as Extract<TokenPayload, { kind: K }>) : null;
  };
  const notFound = (c: Context) => c.text('not found', 404, NO_STORE);

  api.page('get', '/t/o/:token', async (c) => {
    const p = await verify(c, 'open');
    if (!p) return notFound(c);
    const r = await hits.record({ kind: 'open', leadId: p.leadId, key: p.key });
    if (!r.found) return notFound(c);
    return c.body(PIXEL, 200, PIXEL_HEADERS);
  });

  api.page('get', '/t/c/:token', async (c) => {
    const p = await verify(c, 'click');
    if (!p) return notFound(c);
    const r = await hits.record({ kind: 'click', leadId: p.leadId, key: p.key, index: p.index });
    if (!r.found || r.url === null) return notFound(c);
    return c.redirect(r.url, 302);
  });

  const productLineName = async (id: string) =>
    (await rt.db.selectFrom('product_lines').select('name').where('id', '=', id).executeTakeFirst())?.name ?? null;

  api.page('get', '/u/:token', async (c) => {
    const p = await verify(c, 'unsubscribe');
    const name = p && (await productLineName(p.productLine));
    if (!p || name === null) return c.html(invalidPage(), 404, NO_STORE);
    return c.html(confirmPage(name), 200, NO_STORE);
  });

  api.page('post', '/u/:token', async (c) => {
    const p = await verify(c, 'unsubscribe');
    const name = p && (await productLineName(p.productLine));
    if (!p || name === null) return c.html(invalidPage(), 404, NO_STORE);
    if (Number(c.req.header('content-length') ?? 0) > 10_000) return c.text('request too large', 413);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    // The one-click POST (RFC 8058) sends `List-Unsubscribe=One-Click`: this product line only.
    const all = form['scope'] === 'all';
    const now = rt.clock.now();
    const [outcome] = await ingestEvents(rt, [
      {
        id: `unsubscribe:${all ? '*' : p.productLine}:${p.key}:${now}`,
        kind: 'unsubscribed',
        leadId: p.leadId,
        at: new Date(now).toISOString(),
        productLine: all ? null : p.productLine,
        effectKey: p.key,
        data: { via: form['List-Unsubscribe'] === 'One-Click' ? 'one-click' : 'page', scope: all ? 'all' : 'productLine', productLine: p.productLine },
      },
    ]);
    if (outcome?.status === 'rejected') return c.html(invalidPage(), 404, NO_STORE);
    return c.html(donePage(name, all), 200, NO_STORE);
  });
};
