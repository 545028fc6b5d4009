import type { Routes } from '../app.ts';

/** Every resource's routes, in the order they appear in the OpenAPI document. */
export const ALL_ROUTES: Routes[] = [];
