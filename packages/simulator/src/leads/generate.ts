// Sample leads made up by @faker-js/faker in Japanese and English: people's names, companies,
// e-mail addresses, phone numbers, job titles and prefectures or states, with an industry and a
// company size, and optionally a starting score in a product line. Seeded, so the same options
// give the same leads.
import { base, en, Faker, ja } from '@faker-js/faker';
import type { SampleLead } from '../schemas.ts';

/** Industries by the major groups of Japan's standard industrial classification, with rough shares of B2B lists. */
export const INDUSTRIES = [
  { id: 'manufacturing', ja: '製造業', en: 'Manufacturing', share: 22 },
  { id: 'it', ja: '情報通信業', en: 'Information & communications', share: 18 },
  { id: 'wholesale-retail', ja: '卸売業・小売業', en: 'Wholesale & retail', share: 14 },
  { id: 'services', ja: 'サービス業', en: 'Services', share: 12 },
  { id: 'construction', ja: '建設業', en: 'Construction', share: 9 },
  { id: 'healthcare', ja: '医療・福祉', en: 'Healthcare & welfare', share: 7 },
  { id: 'finance', ja: '金融業・保険業', en: 'Finance & insurance', share: 6 },
  { id: 'logistics', ja: '運輸業・郵便業', en: 'Transport & logistics', share: 5 },
  { id: 'real-estate', ja: '不動産業', en: 'Real estate', share: 4 },
  { id: 'education', ja: '教育・学習支援業', en: 'Education', share: 3 },
] as const;

/** Company sizes by employees, with rough shares of B2B lists. */
const SIZES = [
  { min: 5, max: 49, share: 45 },
  { min: 50, max: 299, share: 30 },
  { min: 300, max: 999, share: 15 },
  { min: 1000, max: 30_000, share: 10 },
] as const;

export interface GenerateOptions {
  seed?: number;
  /** Weights of Japanese and English leads (default 7:3). */
  locales?: { ja?: number | undefined; en?: number | undefined };
  /** Give leads a starting score and stage in this product line (ranks then differ, for personas by rank). */
  productLine?: string;
  /** Highest starting score (default 59: nobody starts hot under the default threshold of 60). */
  maxScore?: number;
  /** Ids are `${idPrefix}${n}` (default `lead-`). */
  idPrefix?: string;
}

/** `n` sample leads, the same ones for the same options. */
export function generateLeads(n: number, options: GenerateOptions = {}): SampleLead[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('the number of leads must be a whole number of 0 or more');
  const seed = options.seed ?? 1;
  const jaWeight = options.locales?.ja ?? 7;
  const enWeight = options.locales?.en ?? 3;
  if (jaWeight < 0 || enWeight < 0 || jaWeight + enWeight <= 0) throw new RangeError('locale weights must not be negative, and one must be above 0');
  const fakerJa = new Faker({ locale: [ja, en, base], seed });
  const fakerEn = new Faker({ locale: [en, base], seed: seed + 1 });
  const pick = new Faker({ locale: [base], seed: seed + 2 });
  const maxScore = options.maxScore ?? 59;
  // Fixed width, so the first leads of a larger sample are the same leads.
  const width = Math.max(6, String(n).length);
  const prefix = options.idPrefix ?? 'lead-';
  const industryWeights = INDUSTRIES.map((i) => ({ weight: i.share, value: i }));
  const sizeWeights = SIZES.map((s) => ({ weight: s.share, value: s }));
  const leads: SampleLead[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const japanese = pick.number.float({ min: 0, max: jaWeight + enWeight }) < jaWeight;
    const f = japanese ? fakerJa : fakerEn;
    const industry = pick.helpers.weightedArrayElement(industryWeights);
    const size = pick.helpers.weightedArrayElement(sizeWeights);
    // Many small companies, few large ones, within each band.
    const employees = Math.round(size.min * Math.pow(size.max / size.min, pick.number.float({ min: 0, max: 1 })));
    const lastName = f.person.lastName();
    const firstName = f.person.firstName();
    const company = f.company.name();
    const lead: SampleLead = {
      id: `${prefix}${String(i + 1).padStart(width, '0')}`,
      name: japanese ? `${lastName} ${firstName}` : `${firstName} ${lastName}`,
      company,
      email: japanese ? f.internet.email() : f.internet.email({ firstName, lastName, provider: `${f.internet.domainWord()}.com` }),
      phone: f.phone.number(),
      attributes: {
        industry: industry.id,
        employees,
        title: f.person.jobTitle(),
        region: f.location.state(),
        locale: japanese ? 'ja' : 'en',
      },
    };
    if (options.productLine !== undefined) {
      // Most leads start cold; a few have history.
      const score = Math.min(maxScore, Math.floor(Math.pow(pick.number.float({ min: 0, max: 1 }), 2.5) * (maxScore + 1)));
      lead.products = { [options.productLine]: { score, stage: 'prospect' } };
    }
    leads[i] = lead;
  }
  return leads;
}
