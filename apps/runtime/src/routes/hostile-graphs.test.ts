// The routes that take a scenario graph — save the draft, validate, publish, simulate — under any
// document a stranger could send: hostile JSON, a good graph with one field made hostile,
// prototype keys, nesting past any stack, raw text that is not JSON. Each answers a 2xx or a 4xx
// naming the field, never a 500; a refused request writes nothing; nothing reaches a prototype.
import fc from 'fast-check';
import {
  arbitraryValidGraph,
  deeplyNestedText,
  hostileDepth,
  hostileJson,
  hostileKey,
  objectPaths,
  PROTOTYPE_KEYS,
  setPath,
  withKey,
} from '@nurtureflow/scenario/testing';
import { beforeAll, expect, it } from 'vitest';
import { aProductLine, aScenario } from '../scenarios/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { fuzzRuns, hostile, labelOf } from './hostile-testing.ts';

/** A document a stranger could send as a draft: any of the hostile shapes, as JSON text. */
function hostileDocument(): fc.Arbitrary<string> {
  const good = arbitraryValidGraph({ maxNodes: 8 });
  return fc.oneof(
    // Any JSON object.
    hostileJson(4).map((v) => JSON.stringify(typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { value: v })),
    // A valid graph with one field made hostile.
    good.chain((g) => fc.tuple(fc.constant(g), fc.constantFrom(...objectPaths(g)), hostileJson(3))).map(([g, path, v]) => JSON.stringify(setPath(g, path, v))),
    // Prototype keys where ids and names go.
    fc.tuple(good, fc.constantFrom(...PROTOTYPE_KEYS), hostileKey()).map(([g, key, other]) =>
      JSON.stringify({ ...g, nodes: withKey(g.nodes, key, { kind: 'exit', reason: other, outputs: {} }), layout: withKey(g.layout, key, { x: 0, y: 0 }), [key]: { polluted: true } }),
    ),
    // Nesting past any stack, in a condition or as the whole body.
    fc.tuple(good, hostileDepth()).map(([g, depth]) => `{"format":"nurtureflow.scenario","formatVersion":1,"nodes":${JSON.stringify(g.nodes)},"entry":{"audience":${deeplyNestedText(depth, 'object', '{"type":"tag","op":"has","tag":"x"}')}}}`),
    // Not a JSON object at all.
    fc.constantFrom('[]', 'null', '"draft"', '{"nodes": ', '\u0000', '{"a":"\\ud800"}', '{"name":"\\u0000"}'),
  );
}

eachRuntime('hostile scenario documents', (current, dialect) => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = current();
    await aProductLine(t, 'fz');
    await aScenario(t, 'fz', 'fz-s');
  });

  const json = { 'content-type': 'application/json' };

  it('PUT draft and POST validate answer every document with its problems or a 4xx naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(hostileDocument(), async (doc) => {
        const saved = await hostile(t.rt.db, `PUT draft ${labelOf(doc)}`, () => t.call('PUT', '/scenarios/fz-s/draft', doc, json));
        if (saved.status === 200) {
          expect(Array.isArray(saved.body.problems)).toBe(true);
          for (const p of saved.body.problems) expect(p.code).toMatch(/^SCN\d{3}$/);
        }
        await hostile(t.rt.db, `validate ${labelOf(doc)}`, () => t.call('POST', '/scenarios/fz-s/validate', doc, json));
      }),
      { numRuns: fuzzRuns(dialect, 25) },
    );
  });

  it('publishing and simulating whatever draft was saved is a 2xx or a 4xx, and a refused publish adds no version', async () => {
    await fc.assert(
      fc.asyncProperty(hostileDocument(), async (doc) => {
        const saved = await t.call('PUT', '/scenarios/fz-s/draft', doc, json);
        if (saved.status !== 200) return;
        const published = await hostile(t.rt.db, `publish ${labelOf(doc)}`, () => t.call('POST', '/scenarios/fz-s/publish', { note: 'fuzz' }));
        if (published.status === 422) expect(published.body.error.issues.length).toBeGreaterThan(0);
        await hostile(t.rt.db, `simulate ${labelOf(doc)}`, () => t.call('POST', '/scenarios/fz-s/simulate', { draft: true, generate: 3, days: 3 }));
      }),
      { numRuns: fuzzRuns(dialect, 15) },
    );
  });

  it('a draft with prototype keys is stored with them as plain keys, and never as a prototype', async () => {
    const doc = '{"format":"nurtureflow.scenario","formatVersion":1,"name":"proto","nodes":{"n":{"__proto__":{"kind":"exit"}}},"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
    const saved = await hostile(t.rt.db, 'proto draft', () => t.call('PUT', '/scenarios/fz-s/draft', doc, json));
    expect(saved.status).toBe(200);
    const read = await t.call('GET', '/scenarios/fz-s');
    // The top-level key is dropped by the body's schema (zod never assigns it); deeper ones stay plain keys.
    expect(read.body.draft.polluted).toBeUndefined();
    expect(Object.getPrototypeOf(read.body.draft)).toBe(Object.prototype);
    expect(Object.hasOwn(read.body.draft.nodes.n, '__proto__')).toBe(true);
    expect(read.body.draft.constructor).toEqual({ prototype: { polluted: true } });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
