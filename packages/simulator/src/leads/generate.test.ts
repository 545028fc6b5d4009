import { describe, expect, it } from 'vitest';
import { companySizeOf } from '../behaviour/personas.ts';
import { generateLeads, INDUSTRIES } from './generate.ts';

describe('generated sample leads', () => {
  const leads = generateLeads(2_000, { seed: 4, productLine: 'crm' });

  it('are the same for the same seed and differ for another', () => {
    expect(generateLeads(50, { seed: 4, productLine: 'crm' })).toEqual(leads.slice(0, 50));
    expect(generateLeads(50, { seed: 5, productLine: 'crm' })).not.toEqual(leads.slice(0, 50));
  });

  it('mix Japanese and English people and companies as asked', () => {
    const japanese = leads.filter((l) => l.attributes?.['locale'] === 'ja');
    expect(japanese.length / leads.length).toBeGreaterThan(0.65);
    expect(japanese.length / leads.length).toBeLessThan(0.75);
    expect(japanese[0]?.name).toMatch(/^\S+ \S+$/);
    expect(japanese.every((l) => /[\u3040-\u30ff\u4e00-\u9faf]/.test(`${l.name}${l.company}`))).toBe(true);
    const english = generateLeads(20, { seed: 1, locales: { ja: 0, en: 1 } });
    expect(english.every((l) => /^[\x20-\x7e]+$/.test(l.name ?? ''))).toBe(true);
  });

  it('have industries, sizes and starting scores under the hot threshold', () => {
    const ids = new Set<string>(INDUSTRIES.map((i) => i.id));
    expect(leads.every((l) => ids.has(l.attributes?.['industry'] as string))).toBe(true);
    const sizes = new Set(leads.map((l) => companySizeOf(l.attributes ?? {})));
    expect(sizes).toEqual(new Set(['small', 'medium', 'large', 'enterprise']));
    const scores = leads.map((l) => l.products?.['crm']?.score ?? -1);
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...scores)).toBeLessThanOrEqual(59);
    expect(new Set(leads.map((l) => l.id)).size).toBe(leads.length);
  });
});
