import { nestedTooDeep } from '@nurtureflow/scenario';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { ANONYMOUS, type Auth, type Permission } from '../auth/access.ts';
import type { Authenticator } from '../auth/authenticate.ts';
import { sameSecret } from '../auth/secrets.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { ApiError, fieldPath, invalid } from '../errors.ts';
import { bodyLimitFor, DEFAULT_LIMITS, type BodyKind, type HttpLimits } from './limits.ts';

export type { Auth, Permission } from '../auth/access.ts';

/**
 * Who may call a route. A caller with no role on the product line gets 404 (so other product lines'
 * ids do not leak), one with a role but without the permission 403; no credential at all is a 401.
 */
export type Access<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> =
  /** No login: health, the OpenAPI document, login, inbound mail with its own secret. */
  | { public: true }
  /** Organisation admins only (product lines, people). */
  | { org: 'admin' }
  /** Any logged-in user or token; the handler filters what it lists to the caller's product lines (`input.auth`). */
  | { org: 'member' }
  /**
   * The permission on the product line of the object touched (any of them, when a list is given);
   * `productLine` returns null when the object does not exist, which is a 404 as well.
   */
  | { need: Permission | readonly Permission[]; productLine: (input: RouteInput<P, Q, B>) => string | null | Promise<string | null> };

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One API route: its schemas are the validation and the OpenAPI document at once. */
export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** Hono-style path under /api/v1, e.g. `/scenarios/:id/publish`. */
  path: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Accept `text/csv` (and other text) bodies as a string instead of JSON. */
  rawBody?: boolean;
  /** A body the handler reads itself (bytes, e.g. `message/rfc822`): documented under this media type, not read here. */
  bytesBody?: string;
  /** How large a body it takes: `json` (the default, small), `document` (scenario drafts) or `bulk` (imports, batches). */
  bodyKind?: Exclude<BodyKind, 'page'>;
  /** The success status (200 unless given). */
  status?: 200 | 201 | 202 | 204;
  response?: z.ZodType;
  /** Who may call it: required, so a route cannot be added without saying. */
  access: Access<P, Q, B>;
}

export interface RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.infer<P>;
  query: z.infer<Q>;
  body: z.infer<B>;
  raw: string;
  c: Context;
  /** The caller (anonymous on public routes). */
  auth: Auth;
}

const empty = z.object({});

/** Methods that change nothing, so a cookie alone may make them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Registers routes on a Hono app with zod validation of params, query and body, and collects the
 * OpenAPI 3.1 document from the same schemas (z.toJSONSchema), so they never drift apart.
 */
export class Api {
  private readonly paths: Record<string, Record<string, unknown>> = {};

  constructor(
    private readonly app: Hono,
    private readonly prefix: string,
    private readonly authenticate: Authenticator,
    private readonly limits: Pick<HttpLimits, 'body' | 'jsonDepth'> = DEFAULT_LIMITS,
  ) {}

  /** How deep a JSON body may nest, for routes that read their body themselves. */
  get jsonDepth(): number {
    return this.limits.jsonDepth;
  }

  /** Add a route; the handler returns the JSON body (or a Response). */
  route<P extends z.ZodType = typeof empty, Q extends z.ZodType = typeof empty, B extends z.ZodType = z.ZodUnknown>(
    spec: RouteSpec<P, Q, B>,
    handler: (input: RouteInput<P, Q, B>) => Promise<unknown> | unknown,
  ): void {
    this.document(spec);
    const access = spec.access as Access<z.ZodType, z.ZodType, z.ZodType>;
    // Routes that take a body stop reading it past their kind's limit (413).
    // One registration per route (the limit runs inside it), so the app routes each operation once.
    const limit = spec.method === 'get' ? null : bodyLimitFor(spec.bodyKind ?? 'json', this.limits.body);
    const handle = async (c: Context): Promise<Response> => {
      const auth = 'public' in access ? ANONYMOUS : await this.caller(c, 'org' in access && access.org === 'admin');
      const params = parse(spec.params ?? empty, c.req.param(), 'params');
      // A body that does not match its schema is refused after the access check when the check can
      // tell the product line anyway, so a caller without access hears 403/404 rather than what to fix.
      let badBody: ApiError | null = null;
      const query = parse(spec.query ?? empty, Object.fromEntries(new URL(c.req.url).searchParams), 'query');
      let raw = '';
      let body: unknown = undefined;
      if (spec.body || spec.rawBody) {
        raw = await c.req.text();
        const type = c.req.header('content-type') ?? '';
        if (spec.rawBody && !type.includes('json')) body = raw;
        else {
          try {
            body = raw === '' ? undefined : JSON.parse(raw);
          } catch (e) {
            throw new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(e as Error).message}`, [{ path: 'body', message: 'not valid JSON' }]);
          }
          assertJsonDepth(body, this.limits.jsonDepth);
        }
        if (spec.body && !(spec.rawBody && typeof body === 'string')) {
          const r = spec.body.safeParse(body);
          if (r.success) body = r.data;
          else badBody = invalid(r.error, 'body');
        }
      }
      const input = { params, query, body, raw, c, auth } as RouteInput<P, Q, B>;
      if ('need' in access) await allowed(access, input as RouteInput<z.ZodType, z.ZodType, z.ZodType>, badBody !== null);
      if (badBody) throw badBody;
      const result = await handler(input);
      if (result instanceof Response) return result;
      if (spec.status === 204) return c.body(null, 204);
      return c.json(result as object, spec.status ?? 200);
    };
    this.app.on(spec.method.toUpperCase(), this.prefix + spec.path, limit ? (c) => throughLimit(limit, c, handle) : handle);
  }

  /** The authenticated caller: 401 without a valid credential, 403 for a cookie without its CSRF token or a non-admin on an admin route. */
  private async caller(c: Context, orgAdmin: boolean): Promise<Auth> {
    const found = await this.authenticate(c);
    if (found === null) {
      throw new ApiError(401, 'unauthenticated', 'log in, or send an API token as "Authorization: Bearer <token>"', [{ path: 'headers.authorization', message: 'no valid session or token' }]);
    }
    if (found.via === 'session' && !SAFE_METHODS.has(c.req.method)) {
      const sent = c.req.header('x-csrf-token');
      if (sent === undefined || found.csrf === null || !sameSecret(sent, found.csrf)) {
        throw new ApiError(403, 'csrf', 'a change made with the session cookie must carry the session\'s CSRF token in X-CSRF-Token', [
          { path: 'headers.x-csrf-token', message: sent === undefined ? 'is missing' : 'is not this session\'s token' },
        ]);
      }
    }
    if (orgAdmin && !found.auth.orgAdmin) throw new ApiError(403, 'forbidden', 'only an organisation admin may do this');
    return found.auth;
  }

  /**
   * A public page outside the API prefix, at `path` as given (tracking links, unsubscribe pages that
   * e-mail recipients open): no JSON body parsing, not in the OpenAPI document.
   */
  page(method: 'get' | 'post', path: string, handler: (c: Context) => Promise<Response> | Response): void {
    if (method === 'post') this.app.on('POST', path, bodyLimitFor('page', this.limits.body), handler);
    else this.app.on('GET', path, handler);
  }

  /** The OpenAPI 3.1 document of every route added so far. */
  openapi(info: { title: string; version: string; description?: string }): object {
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: this.prefix }],
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer', description: 'An API token (nf_…) made under /tokens' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The editor session from POST /auth/login; changes also need X-CSRF-Token' },
        },
      },
      security: [{ token: [] }, { session: [] }],
      paths: this.paths,
    };
  }

  private document(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): void {
    const path = spec.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters = [
      ...fields(spec.params).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...fields(spec.query).map(([name, schema, required]) => ({ name, in: 'query', required, schema })),
    ];
    const access = spec.access;
    const op: Record<string, unknown> = {
      summary: spec.summary,
      tags: [spec.tag],
      // Who may call it, as declared: public, org admin, any member, or a permission on the object's product line.
      'x-access': 'public' in access ? { public: true } : 'org' in access ? { org: access.org } : { need: typeof access.need === 'string' ? [access.need] : [...access.need] },
      ...('public' in access ? { security: [] } : {}),
      parameters,
      responses: {
        [String(spec.status ?? 200)]: {
          description: 'OK',
          ...(spec.response ? { content: { 'application/json': { schema: jsonSchema(spec.response) } } } : {}),
        },
        '4XX': { description: 'The request was wrong; `error.issues` names each field and why. 401 without a login or token, 403 without the permission, 404 for what the caller may not see.' },
      },
    };
    if (spec.bytesBody) op.requestBody = { required: true, content: { [spec.bytesBody]: { schema: { type: 'string', format: 'binary' } } } };
    if (spec.body || spec.rawBody) {
      op.requestBody = {
        required: true,
        content: {
          ...(spec.body ? { 'application/json': { schema: jsonSchema(spec.body) } } : {}),
          ...(spec.rawBody ? { 'text/csv': { schema: { type: 'string' } } } : {}),
        },
      };
    }
    (this.paths[path] ??= {})[spec.method] = op;
  }
}

/**
 * Checks a product-line-scoped route: 404 unless the caller has a role there, 403 without the
 * permission. With a body that failed its schema (`unchecked`), a product line that cannot be read
 * from the request passes here, and the caller hears about the body.
 */
async function allowed(access: Extract<Access<z.ZodType, z.ZodType, z.ZodType>, { need: unknown }>, input: RouteInput<z.ZodType, z.ZodType, z.ZodType>, unchecked: boolean): Promise<void> {
  const { auth, c } = input;
  // An organisation admin may see everything: the handler says what is missing in its own words.
  if (auth.orgAdmin) return;
  let productLine: string | null;
  try {
    productLine = await access.productLine(input);
  } catch (e) {
    if (unchecked) return;
    throw e;
  }
  if (typeof productLine !== 'string' && unchecked) return;
  const hidden = () =>
    new ApiError(
      404,
      'not_found',
      `${new URL(c.req.url).pathname} does not exist`,
      Object.keys((input.params ?? {}) as object).map((name) => ({ path: `params.${name}`, message: 'does not exist, or is not yours to see' })),
    );
  if (productLine === null) throw hidden();
  if (!auth.roles.has(productLine)) throw hidden();
  const needs: readonly Permission[] = typeof access.need === 'string' ? [access.need] : access.need;
  if (!needs.some((p) => auth.can(productLine, p))) {
    throw new ApiError(403, 'forbidden', `your role on product line "${productLine}" (${auth.roles.get(productLine)}) may not do this: it needs ${needs.join(' or ')}`);
  }
}

/**
 * 400 naming the first value nested deeper than `maxDepth`: the schema readers and the database
 * recurse once per level, and would fail on a body nested thousands deep with a 500 instead.
 */
export function assertJsonDepth(body: unknown, maxDepth: number): void {
  const path = nestedTooDeep(body, maxDepth);
  if (path === null) return;
  const at = fieldPath('body', path);
  throw new ApiError(400, 'too_deep', `${at}: the JSON nests more than ${maxDepth} levels deep`, [{ path: at, message: `nests more than ${maxDepth} levels deep` }]);
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw invalid(r.error, where);
  return r.data;
}

function jsonSchema(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  } catch {
    return {};
  }
}

function fields(schema: z.ZodType | undefined): [string, unknown, boolean][] {
  if (!schema || !(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([k, v]) => [k, jsonSchema(v), !v.safeParse(undefined).success]);
}

/** Runs `handle` behind a body-limit middleware: its answer, or the middleware's own (a 413). */
async function throughLimit(limit: MiddlewareHandler, c: Context, handle: (c: Context) => Promise<Response>): Promise<Response> {
  let res: Response | undefined;
  const early = await limit(c, async () => {
    res = await handle(c);
  });
  if (early) return early;
  if (!res) throw new Error('the body limit ended the request without an answer');
  return res;
}
