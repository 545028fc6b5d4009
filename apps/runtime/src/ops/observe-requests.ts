// Every HTTP request is timed into the metrics (by route pattern, so ids do not make new series)
// and, when the process logs, written as one line: method, path (tokens masked, no query string),
// route, status and milliseconds.
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Runtime } from '../runtime.ts';
import { loggedPath } from './logger.ts';
import { httpSeconds } from './metrics.ts';

/** The middleware; installed first, so it sees the status of errors mapped by the app too. */
export function observeRequests(rt: Runtime): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    // After next(), the index is the handler that answered; '' when no route matched.
    const route = routePath(c) || 'unmatched';
    const status = c.res.status;
    httpSeconds.observe({ method: c.req.method, route, status: String(status) }, ms / 1000);
    if (rt.log) {
      const line = { method: c.req.method, path: loggedPath(c.req.path, c.req.param() as Record<string, string>), route, status, ms: Math.round(ms * 10) / 10 };
      if (status >= 500) rt.log.error(line, 'request');
      else rt.log.info(line, 'request');
    }
  };
}
