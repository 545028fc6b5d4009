import { compile, type Graph } from '@nurtureflow/scenario';
import { aGraph, arbitraryValidGraph, dur, ev } from '@nurtureflow/scenario/testing';
import fc from 'fast-check';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { plainTranslate, setupI18n } from '../i18n/index.ts';
import { nodeSummary } from './summary.ts';
import { documentFromDraft, toEditorDocument } from './types.ts';

const own = (g: Graph) => ({ scenarioId: g.scenarioId, productLine: g.productLine, name: g.name });

describe('what the editor opens and saves', () => {
  it('a stored graph, opened and saved unchanged, compiles back to the same graph', () => {
    fc.assert(
      fc.property(arbitraryValidGraph(), (graph) => {
        const saved = toEditorDocument(documentFromDraft(graph, own(graph)));
        expect(compile(saved).graph).toStrictEqual(graph);
      }),
      { numRuns: 60 },
    );
  });

  it('the editor document it saves opens again as it was', () => {
    const g = aGraph().trigger('t', ev('form_submitted')).email('m', 'welcome').waitForEvent('w', 'email_opened', dur(3)).exit('x').build();
    const doc = documentFromDraft(g, own(g));
    const again = documentFromDraft(JSON.parse(JSON.stringify(toEditorDocument(doc))), own(g));
    expect(again).toEqual(doc);
  });

  it('the scenario keeps its own id and product line whatever the draft says', () => {
    const g = aGraph().trigger('t').exit('x').build();
    const doc = documentFromDraft({ ...g, scenarioId: 'other', productLine: 'elsewhere' }, own(g));
    expect([doc.meta.scenarioId, doc.meta.productLine]).toEqual([g.scenarioId, g.productLine]);
  });

  it('an unreadable draft opens as an empty scenario rather than not at all', () => {
    const doc = documentFromDraft({ nonsense: true }, { scenarioId: 's', productLine: 'crm', name: 'S' });
    expect(doc.nodes).toEqual([]);
    expect(doc.meta.settings.timezone).toBe('Asia/Tokyo');
  });
});

describe('node essentials on the canvas', () => {
  setupI18n('en');
  const summary = (lng: 'en' | 'ja', kind: Parameters<typeof nodeSummary>[1], data: Record<string, unknown>) =>
    nodeSummary(plainTranslate(i18next.getFixedT(lng)), kind, data);

  it('reads as a marketer says it, in both languages', () => {
    const wait = { wait: { mode: 'for', duration: { amount: 3, unit: 'businessDays' } } };
    expect(summary('en', 'wait', wait)).toBe('Wait 3 business days');
    expect(summary('ja', 'wait', wait)).toBe('3営業日待つ');
    expect(summary('en', 'email', { template: 'reminder', subject: '導入事例のご紹介' })).toBe('Email: 導入事例のご紹介');
    const split = { variants: [{ id: 'A', weight: 1 }, { id: 'B', weight: 1 }] };
    expect(summary('en', 'split', split)).toBe('Split A 50% / B 50%');
    expect(summary('ja', 'waitForEvent', { event: 'email_opened', timeout: { amount: 3, unit: 'days' } })).toBe('メール開封を最大3日待つ');
    expect(summary('en', 'score', { points: -5 })).toBe('Score -5');
    expect(summary('en', 'branch', { cases: [{ id: 'hot' }] })).toBe('1 case + default');
    expect(summary('en', 'branch', { cases: [{ id: 'hot' }, { id: 'warm' }] })).toBe('2 cases + default');
  });
});
