import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { ApiError, invalid } from '../errors.ts';

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
  /** The success status (200 unless given). */
  status?: 200 | 201 | 202 | 204;
  response?: z.ZodType;
}

export interface RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.infer<P>;
  query: z.infer<Q>;
  body: z.infer<B>;
  raw: string;
  c: Context;
}

const empty = z.object({});

/**
 * Registers routes on a Hono app with zod validation of params, query and body, and collects the
 * OpenAPI 3.1 document from the same schemas (z.toJSONSchema), so they never drift apart.
 */
export class Api {
  private readonly paths: Record<string, Record<string, unknown>> = {};

  constructor(
    private readonly app: Hono,
    private readonly prefix: string,
  ) {}

  /** Add a route; the handler returns the JSON body (or a Response). */
  route<P extends z.ZodType = typeof empty, Q extends z.ZodType = typeof empty, B extends z.ZodType = z.ZodUnknown>(
    spec: RouteSpec<P, Q, B>,
    handler: (input: RouteInput<P, Q, B>) => Promise<unknown> | unknown,
  ): void {
    this.document(spec);
    this.app.on(spec.method.toUpperCase(), this.prefix + spec.path, async (c) => {
      const params = parse(spec.params ?? empty, c.req.param(), 'params');
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
        }
        if (spec.body && !(spec.rawBody && typeof body === 'string')) body = parse(spec.body, body, 'body');
      }
      const result = await handler({ params, query, body, raw, c } as RouteInput<P, Q, B>);
      if (result instanceof Response) return result;
      if (spec.status === 204) return c.body(null, 204);
      return c.json(result as object, spec.status ?? 200);
    });
  }

  /**
   * A public page outside the API prefix, at `path` as given (tracking links, unsubscribe pages that
   * e-mail recipients open): no JSON body parsing, not in the OpenAPI document.
   */
  page(method: 'get' | 'post', path: string, handler: (c: Context) => Promise<Response> | Response): void {
    this.app.on(method.toUpperCase(), path, handler);
  }

  /** The OpenAPI 3.1 document of every route added so far. */
  openapi(info: { title: string; version: string; description?: string }): object {
    return { openapi: '3.1.0', info, servers: [{ url: this.prefix }], paths: this.paths };
  }

  private document(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): void {
    const path = spec.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters = [
      ...fields(spec.params).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...fields(spec.query).map(([name, schema, required]) => ({ name, in: 'query', required, schema })),
    ];
    const op: Record<string, unknown> = {
      summary: spec.summary,
      tags: [spec.tag],
      parameters,
      responses: {
        [String(spec.status ?? 200)]: {
          description: 'OK',
          ...(spec.response ? { content: { 'application/json': { schema: jsonSchema(spec.response) } } } : {}),
        },
        '4XX': { description: 'The request was wrong; `error.issues` names each field and why.' },
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
