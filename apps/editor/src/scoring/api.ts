// The runtime calls the scoring editor makes: preview proposed rules, and save them in the product
// line's settings (PATCH /product-lines/:id; the rest of the settings go back as they were read).
import type { ProductLineSettingsInput, Scoring } from '@nurtureflow/scenario';
import { call, type ProductLine } from '../api/client.ts';
import type { ScoringPreview } from './form.ts';

const enc = encodeURIComponent;

/** The scoring editor's calls. */
export const scoringApi = {
  productLine: (id: string) => call<ProductLine>('GET', `/product-lines/${enc(id)}`),
  preview: (productLine: string, scoring: Scoring) => call<ScoringPreview>('POST', `/product-lines/${enc(productLine)}/scoring/preview`, { scoring }),
  save: (productLine: string, settings: ProductLineSettingsInput) => call<ProductLine>('PATCH', `/product-lines/${enc(productLine)}`, { settings }),
};
