import { Hono } from 'hono';
import { requestAuthenticator, type Authenticator } from './auth/authenticate.ts';
import { ApiError, errorResponse } from './errors.ts';
import { Api } from './http/api.ts';
import { bodyLimitFor, httpLimitsFromEnv, ingestionLimits, trackingLimits, type HttpLimits } from './http/limits.ts';
import { observeRequests } from './ops/observe-requests.ts';
import { opsRoutes } from './ops/routes.ts';
import type { Runtime } from './runtime.ts';

/** A module that adds one resource's routes. */
export type Routes = (api: Api, rt: Runtime) => void;

/**
 * Builds the HTTP app: `/api/v1` with every route, its OpenAPI document, one error mapping. Callers
 * are found by `authenticate` (API tokens and session cookies in the database unless given). Body
 * sizes, JSON depth and the rate limits of ingestion and tracking are `limits` (from the environment
 * unless given).
 */
export function createApp(
  rt: Runtime,
  routes: readonly Routes[],
  authenticate: Authenticator = requestAuthenticator(rt),
  limits: HttpLimits = httpLimitsFromEnv(process.env),
): Hono {
  const app = new Hono();
  app.use('*', observeRequests(rt));
  app.onError((err, c) => errorResponse(err, c));
  app.notFound((c) => errorResponse(new ApiError(404, 'not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`), c));
  // Each route limits its own body by its kind (api.ts); this is the ceiling for anything else.
  app.use('/api/*', bodyLimitFor('bulk', limits.body));
  // Ingestion and the links in every e-mail are what strangers can call in bulk.
  const ingestion = ingestionLimits(limits);
  // Middleware (method ALL) rather than routes, so the app still routes each operation once; both paths take POST only.
  for (const path of ['/api/v1/events', '/api/v1/events/batch']) if (ingestion.length > 0) app.use(path, ...ingestion);
  const tracking = trackingLimits(limits);
  if (tracking.length > 0) app.on(['GET', 'POST'], ['/t/*', '/u/*'], ...tracking);

  const api = new Api(app, '/api/v1', authenticate, limits);
  opsRoutes(api, rt);
  // The document lists itself; it is made once every route is in.
  let doc: object = {};
  api.route({ method: 'get', path: '/openapi.json', summary: 'This OpenAPI 3.1 document', tag: 'Operations', access: { public: true } }, () => doc);
  for (const add of routes) add(api, rt);
  doc = api.openapi({
    title: 'Nurtureflow API',
    version: '1',
    description: 'Product lines, scenarios, leads, events, enrollments and the outbox of the Nurtureflow runtime.',
  });
  return app;
}
