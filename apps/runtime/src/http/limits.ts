// What one request may cost: how large its body may be (by the kind of route), how deep its JSON
// may nest, and how often one client may call the routes strangers can reach in bulk — event
// ingestion and the tracking links in every e-mail. Set from the environment (documented in the
// README, "Hostile input and limits"); the defaults sit far above any real client.
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { rateLimiter } from 'hono-rate-limiter';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { ApiError, errorResponse } from '../errors.ts';

/** The kinds of route by what they read: most take a small JSON body, a few take documents or bulk. */
export type BodyKind = 'json' | 'document' | 'bulk' | 'page';

/** The largest body, in bytes, per kind of route. */
export type BodyLimits = Record<BodyKind, number>;

/** How often one client may call ingestion and tracking, per window; 0 turns one limit off. */
export interface RateLimits {
  windowMs: number;
  /** POST /events and /events/batch, per client address. */
  ingestPerAddress: number;
  /** The same, per credential (API token or session). */
  ingestPerCredential: number;
  /** /t/o, /t/c and /u, per client address. */
  trackingPerAddress: number;
  /** The same, per tracking token (one message's pixel, link or unsubscribe page). */
  trackingPerToken: number;
}

/** Everything one request is limited by. */
export interface HttpLimits {
  body: BodyLimits;
  /** How deep a JSON body may nest (the body itself is level 1). */
  jsonDepth: number;
  /** null turns rate limiting off. */
  rate: RateLimits | null;
  /**
   * How many proxies in front of the runtime append to X-Forwarded-For: the client address is the
   * entry that many places from the right. 0 (the default) trusts no header and takes the socket's.
   */
  trustedProxies: number;
}

const MiB = 1024 * 1024;

/** The defaults: small bodies for most routes; drafts of a few MB; 32 MB for imports and batches. */
export const DEFAULT_LIMITS: HttpLimits = {
  body: { json: 1 * MiB, document: 4 * MiB, bulk: 32 * MiB, page: 16 * 1024 },
  jsonDepth: 100,
  rate: { windowMs: 60_000, ingestPerAddress: 6_000, ingestPerCredential: 6_000, trackingPerAddress: 6_000, trackingPerToken: 120 },
  trustedProxies: 0,
};

/** The settings that change the limits, and what each sets. */
export const LIMIT_SETTINGS = {
  BODY_LIMIT_JSON: 'largest body of most API routes (bytes; k/m suffixes allowed)',
  BODY_LIMIT_DOCUMENT: 'largest body of scenario drafts, validation and creation',
  BODY_LIMIT_BULK: 'largest body of lead imports, event batches, simulations and inbound mail',
  JSON_DEPTH_LIMIT: 'deepest nesting of a JSON body',
  RATE_LIMIT: '"off" turns every rate limit off',
  RATE_LIMIT_WINDOW_SECONDS: 'the window each rate limit counts over',
  RATE_LIMIT_INGEST_PER_ADDRESS: 'event ingestion requests per window per client address (0: no limit)',
  RATE_LIMIT_INGEST_PER_CREDENTIAL: 'event ingestion requests per window per API token or session (0: no limit)',
  RATE_LIMIT_TRACKING_PER_ADDRESS: 'tracking and unsubscribe hits per window per client address (0: no limit)',
  RATE_LIMIT_TRACKING_PER_TOKEN: 'hits per window on one tracking token (0: no limit)',
  TRUSTED_PROXIES: 'how many proxies in front append to X-Forwarded-For (0: use the socket address)',
} as const;

/** The limits the environment sets; throws with the setting's name on a value that is not a size or count. */
export function httpLimitsFromEnv(env: Readonly<Record<string, string | undefined>>): HttpLimits {
  const d = DEFAULT_LIMITS;
  const rateOff = (env['RATE_LIMIT'] ?? '').trim().toLowerCase() === 'off';
  const rate = d.rate!;
  return {
    body: {
      json: size(env, 'BODY_LIMIT_JSON', d.body.json),
      document: size(env, 'BODY_LIMIT_DOCUMENT', d.body.document),
      bulk: size(env, 'BODY_LIMIT_BULK', d.body.bulk),
      page: d.body.page,
    },
    jsonDepth: count(env, 'JSON_DEPTH_LIMIT', d.jsonDepth, 2),
    rate: rateOff
      ? null
      : {
          windowMs: count(env, 'RATE_LIMIT_WINDOW_SECONDS', rate.windowMs / 1000, 1) * 1000,
          ingestPerAddress: count(env, 'RATE_LIMIT_INGEST_PER_ADDRESS', rate.ingestPerAddress, 0),
          ingestPerCredential: count(env, 'RATE_LIMIT_INGEST_PER_CREDENTIAL', rate.ingestPerCredential, 0),
          trackingPerAddress: count(env, 'RATE_LIMIT_TRACKING_PER_ADDRESS', rate.trackingPerAddress, 0),
          trackingPerToken: count(env, 'RATE_LIMIT_TRACKING_PER_TOKEN', rate.trackingPerToken, 0),
        },
    trustedProxies: count(env, 'TRUSTED_PROXIES', d.trustedProxies, 0),
  };
}

function size(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const m = /^(\d+)\s*([km]i?b?)?$/i.exec(raw);
  const n = m ? Number(m[1]) * ({ k: 1024, m: MiB }[(m[2]?.[0] ?? '').toLowerCase() as 'k' | 'm'] ?? 1) : NaN;
  if (!Number.isSafeInteger(n) || n < 1024) throw new Error(`${name} must be a size of at least 1024 bytes, such as 1048576, 512k or 4m; got "${raw}"`);
  return n;
}

function count(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}; got "${raw}"`);
  return n;
}

/** A body limit for one kind of route: 413 naming the limit, before the body is read past it. */
export function bodyLimitFor(kind: BodyKind, limits: BodyLimits): MiddlewareHandler {
  const maxSize = limits[kind];
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `the request body is larger than ${maxSize} bytes, the most this route takes`, [
        { path: 'body', message: `must be at most ${maxSize} bytes` },
      ]);
    },
  });
}

/**
 * The client's address: the socket's peer, or with `trustedProxies` proxies in front, the
 * X-Forwarded-For entry they vouch for. Requests made in-process (tests) have neither: 'local'.
 */
export function clientAddress(c: Context, trustedProxies: number): string {
  if (trustedProxies > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const vouched = hops[hops.length - trustedProxies];
    if (vouched !== undefined) return vouched;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}

/** The credential a request presents, hashed: a token or a session, whether valid or not. */
function credentialKey(c: Context): string {
  const presented = c.req.header('authorization') ?? getCookie(c, SESSION_COOKIE) ?? '';
  return presented === '' ? 'none' : createHash('sha256').update(presented).digest('base64url');
}

/** The tracking token of a /t/o, /t/c or /u path (its last segment). */
function trackingToken(c: Context): string {
  const path = c.req.path;
  return path.slice(path.lastIndexOf('/') + 1).slice(0, 2048);
}

/**
 * One rate limit: at most `limit` requests per window per key, then 429 with Retry-After (seconds
 * to the window's end) and an error naming what was limited. A fixed window per process: N
 * processes behind a load balancer allow up to N times as much.
 */
function limiter(limit: number, windowMs: number, key: (c: Context) => string, what: { path: string; per: string }): MiddlewareHandler | null {
  if (limit <= 0) return null;
  const property = `rateLimit:${what.path}`;
  return rateLimiter({
    windowMs,
    limit,
    keyGenerator: key,
    // Only Retry-After, set below on the 429: the tracking pixel answers thousands of hits a second.
    standardHeaders: false,
    requestPropertyName: property,
    handler: (c) => {
      const info = (c.get as (k: string) => { resetTime?: Date } | undefined)(property);
      const retryAfter = Math.max(1, Math.ceil(((info?.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
      const res = errorResponse(
        new ApiError(429, 'rate_limited', `too many requests ${what.per}: at most ${limit} in ${Math.round(windowMs / 1000)} s; retry after ${retryAfter} s`, [
          { path: what.path, message: `made more than ${limit} requests in ${Math.round(windowMs / 1000)} s` },
        ]),
        c,
      );
      res.headers.set('retry-after', String(retryAfter));
      return res;
    },
  });
}

/** The rate limits of event ingestion (per address, then per credential); empty when off. */
export function ingestionLimits(limits: HttpLimits): MiddlewareHandler[] {
  const r = limits.rate;
  if (r === null) return [];
  return [
    limiter(r.ingestPerAddress, r.windowMs, (c) => clientAddress(c, limits.trustedProxies), { path: 'client.address', per: 'from this address' }),
    limiter(r.ingestPerCredential, r.windowMs, credentialKey, { path: 'headers.authorization', per: 'with this credential' }),
  ].filter((m): m is MiddlewareHandler => m !== null);
}

/** The rate limits of tracking links and unsubscribe pages (per address, then per token); empty when off. */
export function trackingLimits(limits: HttpLimits): MiddlewareHandler[] {
  const r = limits.rate;
  if (r === null) return [];
  return [
    limiter(r.trackingPerAddress, r.windowMs, (c) => clientAddress(c, limits.trustedProxies), { path: 'client.address', per: 'from this address' }),
    limiter(r.trackingPerToken, r.windowMs, trackingToken, { path: 'params.token', per: 'on this link' }),
  ].filter((m): m is MiddlewareHandler => m !== null);
}
