// /product-lines/:productLine/call-tasks: inside sales' queue for one product line.
import { productLineIdSchema } from '@nurtureflow/scenario';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { callTaskQueue } from '../channels/call-task-queue.ts';
import { notFound } from '../errors.ts';

/** The call-task queue route. */
export const callTaskRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'get',
      path: '/product-lines/:productLine/call-tasks',
      summary: "Inside sales' queue: the product line's call tasks by due time, with the lead's summary and the attempt",
      tag: 'sales',
      params: z.object({ productLine: productLineIdSchema }),
      query: z.object({
        state: z.enum(['open', 'done', 'all']).default('open'),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      access: { need: ['read', 'sales'], productLine: ({ params }) => params.productLine },
    },
    async ({ params, query }) => {
      const pl = await rt.db.selectFrom('product_lines').select('id').where('id', '=', params.productLine).executeTakeFirst();
      if (!pl) throw notFound('product line', params.productLine);
      return { productLine: params.productLine, items: await callTaskQueue(rt.db, params.productLine, { state: query.state, limit: query.limit, now: rt.clock.now() }) };
    },
  );
};
