import { branchCaseSchema, durationSchema, settingsSchema, splitVariantSchema } from '@nurtureflow/scenario';
import { describe, expect, it } from 'vitest';
import { defaultFor, enumOptions, nodeKindSchema, numberBounds, setIn, shapeOf, unwrap, variantsOf, widgetOf } from './introspect.ts';

describe('forms from the format schemas', () => {
  it('a wait node is edited as a choice between waiting for a duration and until a time of day', () => {
    const wait = unwrap(shapeOf(nodeKindSchema('wait'))['wait']!).schema;
    expect(widgetOf(wait)).toBe('variant');
    const { discriminator, options } = variantsOf(wait);
    expect(discriminator).toBe('mode');
    expect(options.map((o) => o.tag)).toEqual(['for', 'until']);
    expect(widgetOf(shapeOf(options[0]!.schema)['duration']!)).toBe('duration');
    expect(widgetOf(shapeOf(options[1]!.schema)['time']!)).toBe('time');
  });

  it('a duration offers business days among its units', () => {
    expect(enumOptions(shapeOf(durationSchema)['unit']!)).toContain('businessDays');
  });

  it('a branch case is edited with the condition builder', () => {
    expect(widgetOf(unwrap(shapeOf(branchCaseSchema)['condition']!).schema)).toBe('condition');
    expect(defaultFor(branchCaseSchema)).toEqual({ id: '', label: '', condition: { type: 'score', op: 'gte', value: 50 } });
  });

  it('a call task attempts field knows it is a whole number from 1 to 20 that defaults to 3', () => {
    const u = unwrap(shapeOf(nodeKindSchema('callTask'))['maxAttempts']!);
    expect(u.defaultValue).toBe(3);
    expect(numberBounds(u.schema)).toEqual({ min: 1, max: 20, int: true });
  });

  it('settings start at their defaults, with quiet hours left unset', () => {
    const d = defaultFor(settingsSchema) as Record<string, unknown>;
    expect(d['timezone']).toBe('Asia/Tokyo');
    expect(d['quietHours']).toBeUndefined();
    expect(defaultFor(splitVariantSchema)).toEqual({ id: '', label: '', weight: 0, holdout: false });
  });

  it('setIn copies the path it changes and removes a field set to undefined', () => {
    const v = { wait: { mode: 'for', duration: { amount: 3, unit: 'days' } }, keep: { a: 1 } };
    const next = setIn(v, ['wait', 'duration', 'amount'], 5) as typeof v;
    expect(next.wait.duration.amount).toBe(5);
    expect(v.wait.duration.amount).toBe(3);
    expect(next.keep).toBe(v.keep);
    expect(setIn({ a: 1, b: 2 }, ['b'], undefined)).toEqual({ a: 1 });
    expect(setIn({ list: [1, 2] }, ['list', 1], 9)).toEqual({ list: [1, 9] });
  });
});
