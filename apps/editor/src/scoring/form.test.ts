import { describe, expect, it } from 'vitest';
import { draftOf, formPath, isChanged, parsedScoring, previewRows, scoringIssues, settingsWithScoring, type ScoringDraft } from './form.ts';

const saved = {
  rules: [
    { id: 'opened', event: 'email_opened', points: 5, maxPerDay: 10 },
    { id: 'pricing', event: 'page_visited', points: 15, filters: [{ field: 'path', op: 'eq' as const, value: '/pricing' }] },
  ],
  hotThreshold: 40,
};

const withRule = (rule: Record<string, unknown>): unknown => ({ ...draftOf(saved), rules: [...draftOf(saved).rules!, rule] });
const codes = (draft: unknown) => scoringIssues(draft).map((i) => [i.path, i.code, i.limit]);

describe('the scoring form', () => {
  it('starts from the saved scoring with its defaults written out, so every field shows', () => {
    const draft = draftOf(saved);
    expect(draft.ranks).toEqual([
      { rank: 'A', minScore: 80 },
      { rank: 'B', minScore: 50 },
      { rank: 'C', minScore: 20 },
    ]);
    expect(draft.rules![0]).toEqual({ id: 'opened', event: 'email_opened', points: 5, maxPerDay: 10, filters: [] });
    expect(draft.hotThreshold).toBe(40);
    expect(scoringIssues(draft)).toEqual([]);
    expect(isChanged(saved, draft)).toBe(false);
  });

  it('names each bad field with the format schema’s reason: a fraction of a point, a missing number, a bad event name', () => {
    expect(codes(withRule({ id: 'half', event: 'form_submitted', points: 1.5 }))).toEqual([['rules.2.points', 'whole', undefined]]);
    expect(codes(withRule({ id: 'none', event: 'form_submitted' }))).toEqual([['rules.2.points', 'required', undefined]]);
    expect(codes(withRule({ id: 'big', event: 'Form Submitted', points: 20_000 }))).toEqual([
      ['rules.2.event', 'eventFormat', undefined],
      ['rules.2.points', 'max', 10_000],
    ]);
    expect(codes(withRule({ id: '', event: 'form_submitted', points: 1 }))).toEqual([['rules.2.id', 'required', undefined]]);
    expect(codes(withRule({ id: 'ルール', event: 'form_submitted', points: 1 }))).toEqual([['rules.2.id', 'idFormat', undefined]]);
    expect(codes(withRule({ id: 'cap', event: 'form_submitted', points: 1, maxPerDay: 0 }))).toEqual([['rules.2.maxPerDay', 'min', 1]]);
  });

  it('checks decay and the hot threshold', () => {
    const draft = { ...draftOf(saved), decay: { points: 0, everyDays: 400 }, hotThreshold: undefined } as unknown;
    expect(codes(draft)).toEqual([
      ['decay.points', 'min', 1],
      ['decay.everyDays', 'max', 365],
      // Emptied, it is missing — not the schema's default of 60.
      ['hotThreshold', 'required', undefined],
    ]);
    expect(codes({ ...draftOf(saved), hotThreshold: 'sixty' })).toEqual([['hotThreshold', 'number', undefined]]);
  });

  it('refuses a rule id used twice, since daily caps count per rule id', () => {
    const issues = scoringIssues(withRule({ id: 'opened', event: 'link_clicked', points: 10 }));
    expect(issues).toEqual([expect.objectContaining({ path: 'rules.2.id', code: 'duplicateRuleId' })]);
  });

  it('refuses a rank given twice, and a higher rank whose threshold is not above a lower one’s', () => {
    const twice = { ...draftOf(saved), ranks: [{ rank: 'A', minScore: 80 }, { rank: 'A', minScore: 60 }] };
    expect(codes(twice)).toEqual([['ranks.1.rank', 'duplicateRank', undefined]]);
    const crossed = { ...draftOf(saved), ranks: [{ rank: 'A', minScore: 40 }, { rank: 'B', minScore: 50 }, { rank: 'C', minScore: 20 }] };
    expect(scoringIssues(crossed)).toEqual([expect.objectContaining({ path: 'ranks.0.minScore', code: 'rankOrder', other: 'B', limit: 50 })]);
    const ranks = { ...draftOf(saved), ranks: [{ rank: 'A', minScore: 'x' }] };
    expect(codes(ranks)).toEqual([['ranks.0.minScore', 'number', undefined]]);
  });

  it('sees a changed hot threshold as a change, and gives the scoring to save with defaults filled in', () => {
    const draft: ScoringDraft = { ...draftOf(saved), hotThreshold: 30 };
    expect(isChanged(saved, draft)).toBe(true);
    const scoring = parsedScoring(draft)!;
    expect(scoring.hotThreshold).toBe(30);
    expect(scoring.rules[1]!.filters).toEqual([{ field: 'path', op: 'eq', value: '/pricing' }]);
    expect(parsedScoring({ ...draft, hotThreshold: undefined })).toBeNull();
  });

  it('saves the scoring inside the settings as read, so the other settings and the masked secrets go back as they came', () => {
    const settings = { timezone: 'Asia/Tokyo', scoring: saved, smtp: { url: 'smtp://crm:********@mail.example.jp:587' }, salesEmail: 'sales@example.jp' };
    const scoring = parsedScoring({ ...draftOf(saved), hotThreshold: 70 })!;
    expect(settingsWithScoring(settings, scoring)).toEqual({ ...settings, scoring });
  });

  it('finds the form field a runtime error names', () => {
    expect(formPath('body.settings.scoring.rules[0].points')).toBe('rules.0.points');
    expect(formPath('body.scoring.ranks[1].minScore')).toBe('ranks.1.minScore');
    expect(formPath('body.scoring.hotThreshold')).toBe('hotThreshold');
    expect(formPath('body.scoring')).toBe('');
    expect(formPath('body.settings.salesEmail')).toBeNull();
    expect(formPath('body.settings.scoringX')).toBeNull();
  });

  it('lays the preview out as rows per rank and hot with the difference', () => {
    const rows = previewRows({
      productLine: 'crm',
      leads: 7,
      now: { ranks: { A: 0, B: 3, C: 1, D: 3 }, hot: 3 },
      proposed: { ranks: { A: 1, B: 3, C: 0, D: 3 }, hot: 4 },
      changed: { rank: 2, hot: 1, becomeHot: 1, leaveHot: 0 },
      moves: [],
    });
    expect(rows.map((r) => [r.key, r.now, r.proposed, r.delta])).toEqual([
      ['A', 0, 1, 1],
      ['B', 3, 3, 0],
      ['C', 1, 0, -1],
      ['D', 3, 3, 0],
      ['hot', 3, 4, 1],
    ]);
  });
});
