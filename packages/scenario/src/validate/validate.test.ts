import { describe, expect, it } from 'vitest';
import { FORMAT } from '../graph.ts';
import type { Problem } from '../problems.ts';
import { aGraph, dur, ev } from '../testing/builder.ts';
import { hasErrors, parseGraph, validate } from './index.ts';

const codes = (problems: Problem[]) => problems.map((p) => `${p.code} ${p.nodeId ?? '-'} ${p.field}`);

/** A complete, valid journey: form → welcome mail → wait for an open → call or reminder. */
function journey() {
  return aGraph()
    .trigger('t', ev('form_submitted'))
    .email('welcome', 'welcome-mail')
    .connect('welcome', 'skipped', 'done')
    .waitForEvent('opened', 'email_opened', dur(3))
    .callTask('call')
    .connect('call', 'noAnswer', 'done')
    .connect('call', 'appointment', 'done')
    .connect('call', 'refused', 'done')
    .handoff('sales', { reason: 'Picked up the phone' })
    .connect('sales', 'returned', 'done')
    .exit('done')
    .from('opened', 'timeout')
    .email('reminder', 'reminder-mail')
    .connect('reminder', 'skipped', 'done')
    .connect('reminder', 'sent', 'done');
}

describe('validate: a complete journey', () => {
  it('a journey with every output connected has no problems', () => {
    expect(validate(journey().input())).toEqual([]);
  });

  it('hasErrors is false for warnings only and true once an error appears', () => {
    const warning: Problem = { code: 'SCN014', severity: 'warning', nodeId: 'x', field: 'outputs.skipped', message: { en: '', ja: '' } };
    expect(hasErrors([warning])).toBe(false);
    expect(hasErrors([warning, { ...warning, code: 'SCN003', severity: 'error' }])).toBe(true);
  });
});

describe('validate: format and schema (SCN019, SCN001)', () => {
  it('a document of format version 0 is reported as SCN019 and nothing else', () => {
    const problems = validate({ format: FORMAT, formatVersion: 0, nodes: [] });
    expect(codes(problems)).toEqual(['SCN019 - formatVersion']);
    expect(problems[0]?.message.en).toMatch(/version 0/);
  });

  it('a document from a newer release, another format tag, or not an object at all is SCN019', () => {
    expect(codes(validate({ ...journey().input(), formatVersion: 2 }))).toEqual(['SCN019 - formatVersion']);
    expect(codes(validate({ format: 'bpmn', formatVersion: 1 }))).toEqual(['SCN019 - format']);
    expect(codes(validate('hello'))).toEqual(['SCN019 - format']);
    expect(codes(validate(null))).toEqual(['SCN019 - format']);
  });

  it('a whole number field given a fraction is SCN001 on that node with the dotted field path', () => {
    const g = aGraph().trigger('t').waitForEvent('w', 'email_opened', dur(1)).exit('x').from('w', 'timeout').exit('y').input();
    g.nodes['w'] = { ...g.nodes['w'], timeout: { amount: 1.5, unit: 'days' } } as never;
    const problems = validate(g);
    expect(codes(problems)).toEqual(['SCN001 w timeout.amount']);
    expect(problems[0]?.message).toEqual({
      en: 'In node "w", timeout.amount must be a whole number.',
      ja: 'ノード「w」の timeout.amount は整数にしてください。',
    });
  });

  it('one broken node does not hide structural problems elsewhere in the graph', () => {
    const g = aGraph().trigger('t').email('m', 'bad template!').exit('x').connect('m', 'sent', 'x').detached().exit('orphan').input();
    expect(codes(validate(g))).toEqual([
      'SCN001 m template',
      'SCN006 orphan ',
    ]);
  });

  it('a node that does not match the format still passes leads on through its outputs, so what follows is not called unreachable', () => {
    const g = aGraph().trigger('t').add('m', { kind: 'email' } as never).input();
    g.nodes['m'] = { kind: 'email', outputs: { sent: 'x' } } as never;
    g.nodes['x'] = { kind: 'exit', outputs: {} };
    g.nodes['t'] = { kind: 'trigger', trigger: { type: 'manual' }, outputs: { next: 'm' } };
    expect(codes(validate(g))).toEqual(['SCN001 m template']);
  });

  it('an unknown node kind is SCN001 on kind, listing the kinds there are', () => {
    const g = aGraph().trigger('t').exit('x').input();
    g.nodes['x'] = { kind: 'sms', outputs: {} } as never;
    const [p] = validate(g);
    expect(p?.field).toBe('kind');
    expect(p?.message.en).toMatch(/must be one of trigger, email, callTask/);
  });

  it('a missing required field is SCN001 saying it is required', () => {
    const g = aGraph().trigger('t').exit('x').input();
    g.nodes['m'] = { kind: 'email', outputs: {} } as never;
    g.nodes['t'] = { kind: 'trigger', trigger: { type: 'manual' }, outputs: { next: 'm' } };
    const problems = validate(g).filter((p) => p.code === 'SCN001');
    expect(problems.map((p) => [p.nodeId, p.field, p.message.en])).toEqual([['m', 'template', 'In node "m", template is required.']]);
  });

  it('a mistake inside a nested condition is reported on the predicate field, not as a vague union error', () => {
    const g = aGraph().trigger('t').branch('b', [{ id: 'hot', condition: { all: [{ type: 'rank', op: 'in', ranks: ['Z' as 'A'] }] } }]).exit('x').exit('y').connect('b', 'hot', 'x').connect('b', 'default', 'y').input();
    expect(codes(validate(g))).toEqual(['SCN001 b cases.0.condition.all.0.ranks.0']);
    expect(validate(g)[0]?.message.en).toBe('In node "b", cases.0.condition.all.0.ranks.0 must be one of A, B, C, D.');
  });

  it('a broken scenario field is SCN001 on the scenario and node checks still run', () => {
    const g = aGraph({ name: '' }).trigger('t').input();
    const problems = validate(g);
    expect(codes(problems)).toEqual(['SCN001 - name', 'SCN003 t outputs.next']);
    expect(problems[0]?.message.en).toBe('Give the scenario a name (the scenario, name).');
    expect(problems[0]?.message.ja).toBe('シナリオに名前を付けてください（シナリオ の name）。');
  });

  it('a node id that breaks the id rules is SCN001 on the node, and on every output that names it', () => {
    const g = aGraph().trigger('t').exit('bad id').input();
    expect(codes(validate(g))).toEqual(['SCN001 bad id id', 'SCN001 t outputs.next']);
  });

  it('nodes given as a list instead of a map is SCN001 on nodes', () => {
    const g = { ...aGraph().input(), nodes: [] };
    expect(codes(validate(g))).toEqual(['SCN001 - nodes']);
  });

  it('the node label in a message uses the marketer-given name when there is one', () => {
    const g = aGraph().trigger('t').add('m', { kind: 'email', template: 'w', name: 'Welcome mail' }).exit('x').input();
    const [p] = validate(g);
    expect(p?.message.en).toBe('The "skipped" output of node "Welcome mail" (m) is not connected: leads who take it leave the scenario there.');
    expect(p?.message.ja).toBe('ノード「Welcome mail」(m)の「スキップ」出力が未接続です。ここに進んだリードはシナリオを終了します。');
  });
});

describe('parseGraph', () => {
  it('gives the typed graph with defaults filled in', () => {
    const r = parseGraph(journey().input());
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.graph.settings.timezone).toBe('Asia/Tokyo');
      expect(r.graph.nodes['welcome']).toMatchObject({ kind: 'email', onCap: 'defer', respectQuietHours: true });
    }
  });

  it('parses a graph with structural problems: those are for validate to report', () => {
    expect(parseGraph(aGraph().trigger('t').input()).ok).toBe(true);
  });

  it('fails with the schema problems when the document does not match the format', () => {
    const r = parseGraph(aGraph().trigger('t').email('m', '').input());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(codes(r.problems)).toEqual(['SCN001 m template']);
  });
});

describe('validate: connections (SCN002–SCN006, SCN014, SCN015)', () => {
  it('a scenario without a trigger is SCN002 on the scenario', () => {
    const problems = validate(aGraph().email('m', 'w').exit('x').input());
    expect(codes(problems)).toContain('SCN002 - nodes');
  });

  it('an empty scenario is SCN002', () => {
    expect(codes(validate(aGraph().input()))).toEqual(['SCN002 - nodes']);
  });

  it('a wait-for-event node without a timeout output connected is reported as SCN003 on outputs.timeout', () => {
    const g = aGraph().trigger('t').waitForEvent('w', 'email_opened', dur(3)).exit('x').input();
    const problems = validate(g);
    expect(codes(problems)).toEqual(['SCN003 w outputs.timeout']);
    expect(problems[0]?.severity).toBe('error');
  });

  it('a hand-off with a response timeout needs its timeout output; without one it does not', () => {
    const withTimeout = aGraph().trigger('t').handoff('h', { responseTimeout: dur(5) }).exit('x').connect('h', 'returned', 'x').input();
    expect(codes(validate(withTimeout))).toEqual(['SCN003 h outputs.timeout']);
    const without = aGraph().trigger('t').handoff('h').exit('x').input();
    expect(codes(validate(without))).toEqual(['SCN003 h outputs.returned']);
  });

  it('an unconnected optional output (a skipped mail) is a SCN014 warning, not an error', () => {
    const problems = validate(aGraph().trigger('t').email('m', 'w').exit('x').input());
    expect(problems.map((p) => [p.code, p.severity, p.field])).toEqual([['SCN014', 'warning', 'outputs.skipped']]);
  });

  it('an explicitly empty output counts as unconnected', () => {
    const g = aGraph().trigger('t').exit('x').connect('t', 'next', null).input();
    expect(codes(validate(g))).toEqual(['SCN003 t outputs.next', 'SCN006 x ']);
  });

  it('an output pointing at a node that does not exist is SCN004 on that output', () => {
    const g = aGraph().trigger('t').connect('t', 'next', 'ghost').input();
    const problems = validate(g);
    expect(codes(problems)).toEqual(['SCN004 t outputs.next']);
    expect(problems[0]?.message.en).toBe('The "next" output of node "t" leads to node "ghost", which does not exist.');
  });

  it('an output the node does not offer is SCN005: an error when connected, a warning when left empty', () => {
    const g = aGraph().trigger('t').exit('x').connect('t', 'yes', 'x').connect('t', 'maybe', null).input();
    expect(validate(g).map((p) => [p.code, p.severity, p.field])).toEqual([
      ['SCN005', 'warning', 'outputs.maybe'],
      ['SCN005', 'error', 'outputs.yes'],
    ]);
  });

  it('a branch output left over from a deleted case is SCN005', () => {
    const g = aGraph().trigger('t').branch('b', [{ id: 'hot', condition: { type: 'tag', op: 'has', tag: 'vip' } }]).exit('x').from('b', 'default').exit('y').connect('b', 'warm', 'y').input();
    expect(codes(validate(g))).toEqual(['SCN005 b outputs.warm']);
  });

  it('a node that no trigger leads to is SCN006, and so is everything only it leads to', () => {
    const g = aGraph().trigger('t').exit('x').detached().score('island', 5).exit('island-end').input();
    expect(codes(validate(g))).toEqual(['SCN006 island ', 'SCN006 island-end ']);
  });

  it('a connection from an output the node does not offer does not make its target reachable', () => {
    const g = aGraph().trigger('t').exit('x').detached().exit('y').connect('t', 'other', 'y').input();
    expect(codes(validate(g))).toEqual(['SCN005 t outputs.other', 'SCN006 y ']);
  });

  it('an output leading back into a trigger is SCN015', () => {
    const g = aGraph().trigger('t').wait('w', dur(1)).connect('w', 'next', 't').input();
    expect(codes(validate(g))).toEqual(['SCN015 w outputs.next']);
  });

  it('with two triggers every node reachable from either one is fine', () => {
    const g = aGraph().trigger('form', ev('form_submitted')).exit('x').trigger('seminar', ev('seminar_attended')).exit('y').input();
    expect(validate(g)).toEqual([]);
  });
});

describe('validate: loops (SCN007)', () => {
  it('a loop with a wait in it is fine', () => {
    const g = aGraph().trigger('t').email('m', 'w').connect('m', 'skipped', 'pause').wait('pause', dur(7)).connect('pause', 'next', 'm').input();
    expect(validate(g)).toEqual([]);
  });

  it('a loop through mails and scores only is SCN007, reported once on the loop\'s first node by id', () => {
    const g = aGraph().trigger('t').email('m1', 'w').score('s', 5).connect('s', 'next', 'm1').from('m1', 'skipped').exit('x').input();
    const problems = validate(g).filter((p) => p.code === 'SCN007');
    expect(codes(problems)).toEqual(['SCN007 m1 outputs.sent']);
    expect(problems[0]?.message.en).toContain('m1 → s → m1');
  });

  it('a node that loops straight back to itself without waiting is SCN007', () => {
    const g = aGraph().trigger('t').score('s', 1).connect('s', 'next', 's').input();
    expect(codes(validate(g))).toEqual(['SCN007 s outputs.next']);
  });

  it('a wait elsewhere in the same tangle does not excuse a loop that skips it', () => {
    // a → b → a has no wait, even though a → w → a does.
    const g = aGraph()
      .trigger('t')
      .branch('a', [{ id: 'again', condition: { type: 'tag', op: 'has', tag: 'x' } }])
      .score('b', 1)
      .connect('b', 'next', 'a')
      .from('a', 'default')
      .wait('w', dur(1))
      .connect('w', 'next', 'a')
      .input();
    expect(codes(validate(g))).toEqual(['SCN007 a outputs.again']);
  });

  it('two separate loops without waits are reported once each', () => {
    const g = aGraph()
      .trigger('t')
      .split('s', [{ id: 'A', weight: 1 }, { id: 'B', weight: 1 }])
      .score('a1', 1)
      .score('a2', 1)
      .connect('a2', 'next', 'a1')
      .from('s', 'B')
      .score('b1', 1)
      .connect('b1', 'next', 'b1')
      .input();
    expect(codes(validate(g))).toEqual(['SCN007 a1 outputs.next', 'SCN007 b1 outputs.next']);
  });

  it('a call task, a hand-off and a wait-for-event each count as waiting', () => {
    for (const hold of ['call', 'handoff', 'event'] as const) {
      let b = aGraph().trigger('t').score('s', 1);
      if (hold === 'call') b = b.callTask('h').connect('h', 'noAnswer', 's').connect('h', 'appointment', 's').connect('h', 'refused', 's').connect('h', 'connected', 's');
      if (hold === 'handoff') b = b.handoff('h').connect('h', 'returned', 's').connect('h', 'accepted', 's');
      if (hold === 'event') b = b.waitForEvent('h', 'email_opened', dur(1)).connect('h', 'event', 's').connect('h', 'timeout', 's');
      expect(validate(b.input())).toEqual([]);
    }
  });
});

describe('validate: references (SCN008, SCN009, SCN016)', () => {
  const g = () =>
    aGraph({ productLine: 'crm' })
      .trigger('t', { type: 'score', productLine: 'erp', min: 50 })
      .email('m', 'welcome')
      .connect('m', 'skipped', 'dm')
      .directMail('dm', 'catalogue')
      .branch('b', [{ id: 'c', condition: { any: [{ type: 'rank', productLine: 'hr', op: 'in', ranks: ['A'] }] } }])
      .move('mv', 'upsell', 'erp')
      .from('b', 'default')
      .move('mv2', 'nurture');

  it('templates, product lines and scenarios are not checked when no list is given', () => {
    expect(validate(g().input())).toEqual([]);
  });

  it('an e-mail or direct mail template missing from the list is SCN008 on template', () => {
    expect(codes(validate(g().input(), { templates: ['welcome'] }))).toEqual(['SCN008 dm template']);
  });

  it('every product line the graph names is checked against the list: scenario, triggers, predicates, moves', () => {
    expect(codes(validate(g().input(), { productLines: ['crm'] }))).toEqual([
      'SCN009 b cases.0.condition.any.0.productLine',
      'SCN009 mv productLine',
      'SCN009 t trigger.productLine',
    ]);
    expect(codes(validate(g().input(), { productLines: ['erp', 'hr'] }))).toEqual(['SCN009 - productLine']);
  });

  it('product lines in exit goals and the audience are checked too', () => {
    const doc = g()
      .with({
        entry: { audience: { type: 'stage', productLine: 'hr', op: 'in', stages: ['prospect'] } },
        goals: [{ id: 'bought', condition: { type: 'event', event: 'purchased', within: dur(30), op: 'atLeast', productLine: 'ghost' } }],
      })
      .input();
    expect(codes(validate(doc, { productLines: ['crm', 'erp'] }))).toEqual([
      'SCN009 - entry.audience.productLine',
      'SCN009 - goals.0.condition.productLine',
      'SCN009 b cases.0.condition.any.0.productLine',
    ]);
  });

  it('a move to a scenario missing from the list is SCN016; a move without a product line means the scenario\'s own', () => {
    const scenarios = [{ productLine: 'erp', scenarioId: 'upsell' }];
    expect(codes(validate(g().input(), { scenarios }))).toEqual(['SCN016 mv2 scenarioId']);
    expect(validate(g().input(), { scenarios: [...scenarios, { productLine: 'crm', scenarioId: 'nurture' }] })).toEqual([]);
  });
});

describe('validate: splits (SCN011, SCN012, SCN018)', () => {
  const split = (variants: { id: string; weight: number }[]) => {
    let b = aGraph().trigger('t').split('s', variants).exit('x');
    for (const v of variants.slice(1)) b = b.connect('s', v.id, 'x');
    return validate(b.input());
  };

  it('an A/B split with weights is fine', () => {
    expect(split([{ id: 'A', weight: 50 }, { id: 'B', weight: 50 }])).toEqual([]);
  });

  it('a variant with weight 0 is a SCN012 warning on its weight', () => {
    expect(split([{ id: 'A', weight: 1 }, { id: 'B', weight: 0 }]).map((p) => [p.code, p.severity, p.field])).toEqual([['SCN012', 'warning', 'variants.1.weight']]);
  });

  it('a split whose weights are all zero is a SCN012 error on the variants', () => {
    expect(split([{ id: 'A', weight: 0 }, { id: 'B', weight: 0 }]).map((p) => [p.code, p.severity, p.field])).toEqual([['SCN012', 'error', 'variants']]);
  });

  it('a split with a single variant is SCN018', () => {
    expect(codes(split([{ id: 'A', weight: 1 }]))).toEqual(['SCN018 s variants']);
  });

  it('two variants with the same id, or a variant called default, are SCN011', () => {
    expect(codes(split([{ id: 'A', weight: 1 }, { id: 'A', weight: 1 }]))).toEqual(['SCN011 s variants.1.id']);
    expect(codes(split([{ id: 'A', weight: 1 }, { id: 'default', weight: 1 }]))).toEqual(['SCN011 s variants.1.id']);
  });
});

describe('validate: duplicate ids (SCN011)', () => {
  it('two branch cases with the same id, or a case called default, are SCN011', () => {
    const g = aGraph()
      .trigger('t')
      .branch('b', [
        { id: 'hot', condition: { type: 'tag', op: 'has', tag: 'a' } },
        { id: 'hot', condition: { type: 'tag', op: 'has', tag: 'b' } },
        { id: 'default', condition: { type: 'tag', op: 'has', tag: 'c' } },
      ])
      .exit('x')
      .from('b', 'default')
      .exit('y')
      .input();
    expect(codes(validate(g))).toEqual(['SCN011 b cases.1.id', 'SCN011 b cases.2.id']);
  });

  it('two exit goals with the same id are SCN011 on the scenario', () => {
    const goal = { id: 'won', condition: { type: 'event' as const, event: 'purchased', within: dur(90), op: 'atLeast' as const } };
    const g = aGraph().trigger('t').exit('x').with({ goals: [goal, goal] }).input();
    expect(codes(validate(g))).toEqual(['SCN011 - goals.1.id']);
  });
});

describe('validate: horizon (SCN013)', () => {
  const horizon = (days: number) => ({ settings: { horizonDays: days } });

  it('a wait longer than the horizon is SCN013 on its duration', () => {
    const g = aGraph(horizon(30)).trigger('t').wait('w', dur(5, 'weeks')).exit('x').input();
    const problems = validate(g);
    expect(codes(problems)).toEqual(['SCN013 w wait.duration']);
    expect(problems[0]?.message.en).toContain('up to 35 days');
  });

  it('a wait exactly as long as the horizon is fine', () => {
    expect(validate(aGraph(horizon(30)).trigger('t').wait('w', dur(30)).exit('x').input())).toEqual([]);
  });

  it('business days are counted generously, with a week of holidays', () => {
    // 20 business days ≤ 28 + 7 calendar days.
    expect(codes(validate(aGraph(horizon(34)).trigger('t').wait('w', dur(20, 'businessDays')).exit('x').input()))).toEqual(['SCN013 w wait.duration']);
    expect(validate(aGraph(horizon(35)).trigger('t').wait('w', dur(20, 'businessDays')).exit('x').input())).toEqual([]);
  });

  it('a wait-for-event timeout and a hand-off response timeout count', () => {
    const g = aGraph(horizon(10))
      .trigger('t')
      .waitForEvent('w', 'email_opened', dur(11))
      .handoff('h', { responseTimeout: dur(3, 'weeks') })
      .exit('x')
      .connect('w', 'timeout', 'x')
      .connect('h', 'returned', 'x')
      .connect('h', 'timeout', 'x')
      .input();
    expect(codes(validate(g))).toEqual(['SCN013 h responseTimeout', 'SCN013 w timeout']);
  });

  it('a call task counts every retry interval', () => {
    const call = (maxAttempts: number) =>
      aGraph(horizon(10)).trigger('t').callTask('c', { maxAttempts, retryInterval: dur(3) }).exit('x').connect('c', 'noAnswer', 'x').connect('c', 'appointment', 'x').connect('c', 'refused', 'x').input();
    expect(validate(call(3))).toEqual([]);
    expect(codes(validate(call(4)))).toEqual(['SCN013 c retryInterval']);
  });

  it('waiting until a time of day is never beyond the horizon', () => {
    expect(validate(aGraph(horizon(1)).trigger('t').waitUntil('w', '09:00').exit('x').input())).toEqual([]);
  });
});

describe('validate: order', () => {
  it('problems come in the same order whatever the order of the nodes in the document', () => {
    const g = aGraph().trigger('t').email('m', 'w').callTask('c').detached().exit('z').detached().score('a', 1).input();
    const reversed = { ...g, nodes: Object.fromEntries(Object.entries(g.nodes).reverse()) };
    expect(validate(reversed)).toEqual(validate(g));
    expect(validate(g).map((p) => p.nodeId)).toEqual(['a', 'a', 'c', 'c', 'c', 'c', 'm', 'z']);
  });
});

describe('validate: reserved ids', () => {
  it('a node called __proto__ is SCN001 on its id, since it cannot be a key of the nodes map', () => {
    const doc = JSON.parse(
      '{"format":"nurtureflow.scenario","formatVersion":1,"productLine":"crm","scenarioId":"s","version":1,"name":"n","nodes":{"t":{"kind":"trigger","trigger":{"type":"manual"},"outputs":{"next":"x"}},"x":{"kind":"exit"},"__proto__":{"kind":"exit"}}}',
    );
    expect(codes(validate(doc))).toEqual(['SCN001 __proto__ id', 'SCN006 __proto__ ']);
    expect(validate(doc)[0]?.message.ja).toBe('ノード「__proto__」の id は予約された名前のため使えません。');
  });
});
