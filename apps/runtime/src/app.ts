import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestAuthenticator, type Authenticator } from './auth/authenticate.ts';
import { ApiError, errorResponse } from './errors.ts';
import { Api } from './http/api.ts';
import { observeRequests } from './ops/observe-requests.ts';
import { opsRoutes } from './ops/routes.ts';
import type { Runtime } from './runtime.ts';

/** The largest request body the API reads (a 10,000-event batch or a large CSV import fits). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** A module that adds one resource's routes. */
export type Routes = (api: Api, rt: Runtime) => void;

/**
 * Builds the HTTP app: `/api/v1` with every route, its OpenAPI document, one error mapping. Callers
 * are found by `authenticate` (API tokens and session cookies in the database unless given).
 */
export function createApp(rt: Runtime, routes: readonly Routes[], authenticate: Authenticator = requestAuthenticator(rt)): Hono {
  const app = new Hono();
  app.use('*', observeRequests(rt));
  app.onError((err, c) => errorResponse(err, c));
  app.notFound((c) => errorResponse(new ApiError(404, 'not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`), c));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  const api = new Api(app, '/api/v1', authenticate);
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
