import { expect, it } from 'vitest';
import { eachRuntime } from './testing.ts';

const PREFIX = '/api/v1';
/** Routes under /api/v1 left out of the document: none (health, readiness and the document itself are in it too). */
const ABOUT_THE_API: string[] = [];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { content: Record<string, unknown> };
  responses?: Record<string, unknown>;
}

eachRuntime('OpenAPI document', (current) => {
  it('is OpenAPI 3.1 and documents exactly the operations the app routes', async () => {
    const { app, call } = current();
    const res = await call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; info: { title: string; version: string }; servers: { url: string }[]; paths: Record<string, Record<string, Operation>> };
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: PREFIX }]);

    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${PREFIX}${path.replace(/\{([A-Za-z_]+)\}/g, ':$1')}`),
    );
    // What the Hono app actually routes under /api/v1: its handlers, not middleware (method ALL).
    const routed = app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith(`${PREFIX}/`)).map((r) => `${r.method} ${r.path}`);
    expect(new Set(routed).size, 'no route registered twice').toBe(routed.length);
    expect(new Set(documented).size).toBe(documented.length);
    const resources = routed.filter((r) => !ABOUT_THE_API.includes(r));
    expect(resources.length).toBeGreaterThanOrEqual(35);
    expect(documented.length, 'one documented operation per api.route registration').toBe(resources.length);
    expect([...documented].sort()).toEqual([...resources].sort());
  });

  it('every documented operation answers at its path and method, never with "no route"', async () => {
    const { app, call } = current();
    const doc = (await call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const sample: Record<string, string> = { id: 'no-such-id', version: '1', key: 'no-such-key' };
    let requested = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(METHODS, `${method} ${path}`).toContain(method);
        const names = [...path.matchAll(/\{([A-Za-z_]+)\}/g)].map((m) => m[1]!);
        // The path's parameters are documented as path parameters, and nothing else is.
        expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort(), `${method} ${path}`).toEqual([...names].sort());
        expect(op.summary, `${method} ${path}`).toEqual(expect.any(String));
        expect(Object.keys(op.responses ?? {}), `${method} ${path}`).toContain('4XX');
        const url = PREFIX + path.replace(/\{([A-Za-z_]+)\}/g, (_m, name: string) => sample[name] ?? 'x');
        const response = await app.request(url, { method: method.toUpperCase() });
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        const noRoute = response.status === 404 && /^no route for /.test(body?.error?.message ?? '');
        expect(noRoute, `${method.toUpperCase()} ${url} → ${response.status} ${JSON.stringify(body)}`).toBe(false);
        requested++;
      }
    }
    expect(requested).toBeGreaterThanOrEqual(35);
    // And the check can tell: a path no route serves is the "no route" 404.
    const missing = await app.request(`${PREFIX}/nowhere`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/^no route for GET \/api\/v1\/nowhere/);
  });
});
