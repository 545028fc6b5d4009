// /product-lines/:productLine/hot-leads and /handoffs: what the sales view lists for one product
// line. Answering a hand-off (accept, return) is in outbox.ts; the call-task queue in call-tasks.ts.
import { productLineIdSchema, type ProductLineSettings } from '@nurtureflow/scenario';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import type { Db } from '../core/bulk.ts';
import { notFound } from '../errors.ts';
import { handoffQueue } from '../sales/handoff-queue.ts';
import { hotLeads } from '../sales/hot-leads.ts';
import { getProductLineSettings } from '../scenarios/product-lines.ts';

const tag = 'sales';
const params = z.object({ productLine: productLineIdSchema });
const page = {
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

/** The product line's settings; 404 when it does not exist. */
export async function settingsOr404(db: Db, productLine: string): Promise<ProductLineSettings> {
  const settings = (await getProductLineSettings(db, [productLine])).get(productLine);
  if (!settings) throw notFound('product line', productLine);
  return settings;
}

/** The sales view's lists: hot leads and hand-offs of one product line. */
export const salesRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'get',
      path: '/product-lines/:productLine/hot-leads',
      summary: "The product line's hot leads, most recently hot first, each with its score history and recent events",
      tag,
      params,
      query: z.object(page),
      access: { need: ['read', 'sales'], productLine: ({ params }) => params.productLine },
    },
    async ({ params, query }) => hotLeads(rt.db, params.productLine, await settingsOr404(rt.db, params.productLine), query),
  );

  api.route(
    {
      method: 'get',
      path: '/product-lines/:productLine/handoffs',
      summary: "The product line's hand-offs, newest first: open (to accept or return), answered, or all; each with its record and answer",
      tag,
      params,
      query: z.object({ state: z.enum(['open', 'answered', 'all'], { error: 'must be open, answered or all' }).default('open'), ...page }),
      access: { need: ['read', 'sales'], productLine: ({ params }) => params.productLine },
    },
    async ({ params, query }) => {
      await settingsOr404(rt.db, params.productLine);
      const { total, items } = await handoffQueue(rt.db, params.productLine, query);
      return { productLine: params.productLine, state: query.state, total, offset: query.offset, limit: query.limit, items };
    },
  );
};
