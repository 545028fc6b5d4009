// /product-lines/:productLine/scoring/preview: what proposed scoring rules would make of the
// product line's current leads, before they are saved with PATCH /product-lines/:id.
import { productLineIdSchema, scoringSchema } from '@nurtureflow/scenario';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { previewScoring } from '../scoring/preview.ts';
import { refineStorable } from '../scenarios/storable-json.ts';
import { settingsOr404 } from './sales.ts';

/** The scoring preview route. */
export const scoringRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'post',
      path: '/product-lines/:productLine/scoring/preview',
      summary: "Counts the product line's current leads per rank and hot, now and under proposed scoring rules (replayed from their stored events); nothing is saved",
      tag: 'Product lines',
      params: z.object({ productLine: productLineIdSchema }),
      body: z.strictObject({ scoring: scoringSchema.superRefine(refineStorable) }),
      // A what-if over stored data, like a simulation: nothing is written, so no more than that is asked.
      access: { need: 'simulate', productLine: ({ params }) => params.productLine },
    },
    async ({ params, body }) => previewScoring(rt.db, params.productLine, await settingsOr404(rt.db, params.productLine), body.scoring),
  );
};
