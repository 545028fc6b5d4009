// The merge fields a template sees. Names are the API's: `{{ lead.name }}`, `{{ lead.company }}`,
// `{{ lead.email }}`, any attribute as `{{ lead.attributes.industry }}` (or `{{ lead.industry }}`),
// the product line (`{{ product_line.name }}`), its sender (`{{ sender.name }}`) and the
// recipient's own unsubscribe link (`{{ unsubscribe_url }}`; added as a footer when not used).
import type { JsonObject } from '@nurtureflow/db';

/** The lead as templates see it. */
export interface MergeLead {
  id: string;
  email: string | null;
  attributes: JsonObject;
  tags: readonly string[];
}

/** The product line as templates see it. */
export interface MergeProductLine {
  id: string;
  name: string;
  sender: { name: string; email: string };
}

/** A sample lead for previews that name none. */
export const SAMPLE_LEAD: MergeLead = {
  id: 'sample',
  email: 'taro.yamada@example.co.jp',
  attributes: { name: '山田 太郎', company: '株式会社サンプル', industry: 'IT' },
  tags: [],
};

/** The variables a template renders with. */
export function mergeFields(lead: MergeLead, productLine: MergeProductLine, unsubscribeUrl: string): Record<string, unknown> {
  const text = (key: string) => {
    const v = lead.attributes[key];
    return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
  };
  return {
    lead: {
      ...lead.attributes,
      id: lead.id,
      email: lead.email ?? '',
      name: text('name'),
      company: text('company'),
      phone: text('phone'),
      tags: lead.tags,
      attributes: lead.attributes,
    },
    product_line: { id: productLine.id, name: productLine.name },
    sender: productLine.sender,
    unsubscribe_url: unsubscribeUrl,
  };
}
