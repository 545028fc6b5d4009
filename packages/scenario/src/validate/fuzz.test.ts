// Whatever arrives as a scenario document — random JSON, a good graph with one field made hostile,
// prototype keys, nesting deep enough to overflow a recursive reader, text of hundreds of thousands
// of characters — validate, parseGraph, upgrade and the editor document reader answer with problems
// that have codes, and never throw or touch Object.prototype.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { compile, decompile, parseEditorDocument } from '../editor/index.ts';
import { FORMAT, FORMAT_VERSION } from '../graph.ts';
import { PROBLEM_CODES, type Problem } from '../problems.ts';
import { productLineSettingsSchema } from '../product-line.ts';
import { arbitraryValidGraph } from '../testing/arbitrary.ts';
import { aGraph, dur, ev } from '../testing/builder.ts';
import {
  assertPrototypesClean,
  deeplyNestedText,
  hostileDepth,
  hostileJson,
  hostileKey,
  hostileString,
  objectPaths,
  PROTOTYPE_KEYS,
  setPath,
  withKey,
} from '../testing/hostile.ts';
import { upgrade } from '../upgrade/index.ts';
import { hasErrors, parseGraph, validate } from './index.ts';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);

/** Every problem is one the docs list: a known code, a severity, a field, both languages. */
function expectWellFormed(problems: unknown): asserts problems is Problem[] {
  expect(Array.isArray(problems)).toBe(true);
  for (const p of problems as Problem[]) {
    expect(Object.keys(PROBLEM_CODES)).toContain(p.code);
    expect(['error', 'warning']).toContain(p.severity);
    expect(p.nodeId === null || typeof p.nodeId === 'string').toBe(true);
    expect(typeof p.field).toBe('string');
    expect(typeof p.message.en).toBe('string');
    expect(typeof p.message.ja).toBe('string');
    expect(p.message.en.length).toBeGreaterThan(0);
  }
}

/** Everything that reads a document, on one input: none may throw, all answer with codes. */
function readEverywhere(input: unknown): Problem[] {
  const problems = validate(input);
  expectWellFormed(problems);
  const parsed = parseGraph(input);
  // Structure is parseGraph's part of validate: a document validate finds no error in parses.
  if (!hasErrors(problems)) expect(parsed.ok).toBe(true);
  if (!parsed.ok) {
    expectWellFormed(parsed.problems);
    expect(parsed.problems.length).toBeGreaterThan(0);
  }
  const upgraded = upgrade(input);
  if (!upgraded.ok) expectWellFormed(upgraded.problems);
  const editor = parseEditorDocument(input);
  if (editor.ok) expectWellFormed(compile(editor.doc).problems);
  else expectWellFormed(editor.problems);
  assertPrototypesClean();
  return problems;
}

const aValid = () => arbitraryValidGraph({ maxNodes: 12 });

afterEach(() => assertPrototypesClean());

describe('the graph readers under hostile input', () => {
  it('any JSON value, with hostile keys and strings, gets problems with codes and never an exception', () => {
    fc.assert(
      fc.property(hostileJson(5), (value) => {
        readEverywhere(value);
      }),
      { numRuns: RUNS },
    );
  });

  it('a document that claims the format but holds anything is SCN001/SCN019, never an exception', () => {
    const envelope = fc.record({ format: fc.constant(FORMAT), formatVersion: fc.oneof(fc.constant(FORMAT_VERSION), fc.constant(0), hostileJson(1)) }, { requiredKeys: ['format'] });
    fc.assert(
      fc.property(envelope, fc.array(fc.tuple(hostileKey(), hostileJson(3)), { maxLength: 8 }), (head, fields) => {
        const doc = fields.reduce<Record<string, unknown>>((d, [k, v]) => withKey(d, k, v), { ...head });
        readEverywhere(doc);
      }),
      { numRuns: RUNS },
    );
  });

  it('a valid graph with any one field made hostile is still read: the field is named, nothing throws', () => {
    fc.assert(
      fc.property(
        aValid().chain((g) => {
          const paths = objectPaths(g);
          return fc.tuple(fc.constant(g), fc.constantFrom(...paths), hostileJson(3));
        }),
        ([graph, path, value]) => {
          const doc = setPath(graph, path, value);
          const problems = readEverywhere(doc);
          // The editor's form of the same graph, with the same envelope field spoiled, reads alike.
          if (path[0] !== 'nodes' && path[0] !== 'layout') readEverywhere(setPath(decompile(graph), path, value));
          expectWellFormed(problems);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a valid graph with hostile node ids, output targets and keys is read without reaching a prototype', () => {
    fc.assert(
      fc.property(aValid(), fc.constantFrom(...PROTOTYPE_KEYS, 'toString', 'valueOf', 'hasOwnProperty'), hostileKey(), (graph, key, other) => {
        const nodes = graph.nodes as Record<string, unknown>;
        const [firstId] = Object.keys(nodes);
        const first = nodes[firstId!] as { outputs: Record<string, unknown> };
        const variants: unknown[] = [
          // A node under the key, and an output naming it.
          { ...graph, nodes: withKey(nodes, key, { kind: 'exit', reason: '', outputs: {} }) },
          // An output naming the key when no node has it: a dangling output.
          { ...graph, nodes: withKey(nodes, firstId!, { ...first, outputs: withKey(first.outputs, Object.keys(first.outputs)[0] ?? 'next', key) }) },
          // The key as an output name, in the layout, in the settings, as the whole nodes record.
          { ...graph, nodes: withKey(nodes, firstId!, { ...first, outputs: withKey(first.outputs, key, other) }) },
          { ...graph, layout: withKey(graph.layout, key, { x: 1, y: 2 }) },
          { ...graph, settings: withKey(graph.settings, key, { polluted: true }) },
          withKey(graph, key, { polluted: true }),
          { ...graph, nodes: JSON.parse(`{"${key}": {"kind": "exit", "reason": "", "outputs": {}}}`) },
        ];
        for (const doc of variants) readEverywhere(doc);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it('an output into a name that only Object.prototype has is a dangling output (SCN004)', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const g = aGraph().trigger('t', ev('form_submitted')).exit('x').input();
      (g.nodes['t'] as { outputs: Record<string, string> }).outputs['next'] = name;
      const problems = validate(g);
      expect(problems.map((p) => `${p.code} ${p.nodeId} ${p.field}`)).toContain('SCN004 t outputs.next');
      expect(parseGraph(g).ok).toBe(true);
    }
  });

  it('conditions, payloads and documents nested far past any stack are refused with a problem, not an overflow', () => {
    fc.assert(
      fc.property(hostileDepth(), fc.constantFrom('object', 'array') as fc.Arbitrary<'object' | 'array'>, fc.constantFrom('audience', 'goal', 'payload', 'document'), (depth, shape, where) => {
        const nested = JSON.parse(deeplyNestedText(depth, shape, '{"type":"tag","op":"has","tag":"x"}', shape === 'object' ? 'not' : 'x'));
        const base = aGraph().trigger('t', ev('form_submitted')).webhook('h', 'https://example.com/hook').exit('x').input() as Record<string, any>;
        const doc =
          where === 'audience'
            ? { ...base, entry: { audience: nested } }
            : where === 'goal'
              ? { ...base, goals: [{ id: 'g', condition: nested }] }
              : where === 'payload'
                ? { ...base, nodes: { ...base.nodes, h: { ...base.nodes.h, payload: { deep: nested } } } }
                : nested;
        readEverywhere(doc);
      }),
      { numRuns: 25 },
    );
  });

  it('text far longer than any field allows is SCN001 on that field', () => {
    fc.assert(
      fc.property(hostileString().filter((s) => s.length > 5_000), fc.constantFrom('name', 'description', 'settings.timezone', 'scenarioId', 'productLine'), (text, field) => {
        const g = aGraph().trigger('t', ev('form_submitted')).exit('x').input();
        const problems = readEverywhere(setPath(g, field.split('.'), text));
        expect(problems.map((p) => `${p.code} ${p.field}`)).toContain(`SCN001 ${field}`);
      }),
      { numRuns: 30 },
    );
  });

  it('a wait with a hostile duration is SCN001 on its amount or unit', () => {
    fc.assert(
      fc.property(hostileJson(1), (amount) => {
        const g = aGraph().trigger('t', ev('form_submitted')).wait('w', dur(1)).exit('x').input();
        const problems = readEverywhere(setPath(g, ['nodes', 'w', 'wait', 'duration', 'amount'], amount));
        if (!(typeof amount === 'number' && Number.isInteger(amount) && amount >= 0 && amount <= 100_000)) {
          expect(problems.map((p) => `${p.code} ${p.nodeId} ${p.field}`)).toContain('SCN001 w wait.duration.amount');
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('nesting limits', () => {
  it('a condition nested past 64 levels is SCN001 naming where, instead of a stack overflow', () => {
    const g = aGraph().trigger('t', ev('form_submitted')).exit('x').input();
    const audience = JSON.parse(deeplyNestedText(10_000, 'object', '{"type":"tag","op":"has","tag":"x"}'));
    const problems = validate({ ...g, entry: { audience } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'SCN001', nodeId: null });
    expect(problems[0]!.field).toMatch(/^entry\.audience(\.not)+$/);
    expect(problems[0]!.message.en).toMatch(/nested more than 64 levels deep/);
    // Inside a node, the node is named and the field is the node's own.
    const h = aGraph().trigger('t', ev('form_submitted')).webhook('h').exit('x').input() as Record<string, any>;
    h.nodes.h.payload = { deep: JSON.parse(deeplyNestedText(100, 'array')) };
    expect(parseGraph(h)).toMatchObject({ ok: false, problems: [{ code: 'SCN001', nodeId: 'h' }] });
    expect(upgrade({ ...g, formatVersion: 0, nodes: JSON.parse(deeplyNestedText(500, 'array')) })).toMatchObject({ ok: false, problems: [{ code: 'SCN001' }] });
  });

  it('a condition nested a few levels, as marketers draw them, is read as before', () => {
    const g = aGraph().trigger('t', ev('form_submitted')).exit('x').input();
    const audience = JSON.parse(deeplyNestedText(20, 'object', '{"type":"tag","op":"has","tag":"x"}'));
    expect(validate({ ...g, entry: { audience } })).toEqual([]);
  });
});

describe('length limits where strangers write', () => {
  it('editor ids and handles, webhook payload keys and time zones past their limits are SCN001 on the field', () => {
    const graph = aGraph().trigger('t', ev('form_submitted')).webhook('h').exit('x').build();
    const editor = decompile(graph);
    const long = 'e'.repeat(300);
    const doc = { ...editor, edges: editor.edges.map((e, i) => (i === 0 ? { ...e, id: long } : e)) };
    const read = parseEditorDocument(doc);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems.map((p) => p.field)).toContain('edges.0.id');
    const payload = validate(setPath(graph, ['nodes', 'h', 'payload'], { [long]: 1 }));
    expect(payload.map((p) => `${p.code} ${p.nodeId} ${p.field}`)).toContain(`SCN001 h payload.${long}`);
    expect(productLineSettingsSchema.safeParse({ timezone: `Asia/${'x'.repeat(100)}` }).error?.issues[0]?.message).toBe('must be at most 64 characters');
  });
});
