import type { Problem } from '@nurtureflow/scenario';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError, type z } from 'zod';

/** One thing wrong with a request, naming the field. */
export interface Issue {
  path: string;
  message: string;
}

/**
 * A user error with a stable code: the request was wrong, nothing was written. Operational
 * failures (a database down) are not ApiErrors and surface as 500 without details.
 */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

/** 404 for a thing that does not exist (or that the caller may not see). */
export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, 'not_found', `${what} "${id}" does not exist`);
}

/** 409 for a request that conflicts with the current state. */
export function conflict(code: string, message: string, issues: Issue[] = []): ApiError {
  return new ApiError(409, code, message, issues);
}

/** Zod's issues as `{ path, message }` with dotted paths, prefixed by where the value came from. */
export function zodIssues(error: { issues: readonly z.core.$ZodIssue[] }, prefix = ''): Issue[] {
  return error.issues.map((i) => ({ path: fieldPath(prefix, i.path), message: i.message }));
}

/** A field's path as every API error writes it: dotted names, array positions in brackets (`body.rules[0].event`). */
export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(root)';
}

/** 400 for a value that does not match its schema. */
export function invalid(error: { issues: readonly z.core.$ZodIssue[] }, prefix = ''): ApiError {
  const issues = zodIssues(error, prefix);
  const first = issues[0];
  return new ApiError(400, 'invalid_request', first ? `${first.path}: ${first.message}` : 'invalid request', issues);
}

/** Graph validation problems as issues with paths into the document (`nodes.m1.template`). */
export function problemIssues(problems: readonly Problem[]): Issue[] {
  return problems.map((p) => ({
    path: [p.nodeId === null ? '' : `nodes.${p.nodeId}`, p.field].filter(Boolean).join('.') || '(root)',
    message: `${p.code}: ${p.message.en}`,
  }));
}

/** Parse with a schema or throw a 400 that names the field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw invalid(r.error, prefix);
  return r.data;
}

/** The one place errors become HTTP responses (RFC 9457 problem+json with the issues). */
export function errorResponse(err: unknown, c: Context): Response {
  if (err instanceof ZodError) err = invalid(err);
  if (err instanceof ApiError) {
    return c.json(
      { type: `about:blank#${err.code}`, title: err.code, status: err.status, detail: err.message, error: { code: err.code, message: err.message, issues: err.issues } },
      err.status as ContentfulStatusCode,
      { 'content-type': 'application/problem+json' },
    );
  }
  if (isBodyTooLarge(err)) {
    return c.json({ error: { code: 'payload_too_large', message: 'request body is too large', issues: [] } }, 413);
  }
  console.error(err);
  return c.json({ type: 'about:blank#internal', title: 'internal', status: 500, detail: 'internal error', error: { code: 'internal', message: 'internal error', issues: [] } }, 500, {
    'content-type': 'application/problem+json',
  });
}

function isBodyTooLarge(err: unknown): boolean {
  return err instanceof Error && /body.*(too large|limit)/i.test(err.message);
}
