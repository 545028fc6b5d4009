import { z } from 'zod';
import type { Routes } from '../app.ts';
import { eventInputSchema, ingestEvents } from '../core/ingest.ts';
import { ApiError, fieldPath, type Issue } from '../errors.ts';
import type { Auth } from '../auth/access.ts';

/**
 * Why the caller may not send this event, or null when they may: everyone but an organisation admin
 * names a product line of theirs on which they may write (events for every product line are the
 * organisation's). The status is 404 for a product line they have no role on, else 403.
 */
function refusal(auth: Auth, productLine: string | null | undefined, path: string): { status: 403 | 404; issue: Issue } | null {
  if (auth.orgAdmin) return null;
  if (productLine === null || productLine === undefined) return { status: 403, issue: { path, message: 'name your product line: only an organisation admin sends events for every product line' } };
  if (!auth.roles.has(productLine)) return { status: 404, issue: { path, message: `product line "${productLine}" does not exist` } };
  if (!auth.can(productLine, 'write')) return { status: 403, issue: { path, message: `your role on product line "${productLine}" may not send its events` } };
  return null;
}

/** The most events one batch request may carry. */
export const MAX_BATCH = 10_000;

/** At most this many issues go into the 422 for a batch whose every event was rejected. */
const MAX_ISSUES = 100;

/** Event ingestion: one, or a batch of up to 10,000, idempotent by the client's event id. */
export const eventRoutes: Routes = (api, rt) => {
  api.route(
    { method: 'post', path: '/events', summary: 'Ingest one event', tag: 'events', body: eventInputSchema, status: 202, access: { org: 'member' } },
    async ({ body, auth }) => {
      const refused = refusal(auth, body.productLine, 'body.productLine');
      if (refused) throw new ApiError(refused.status, refused.status === 404 ? 'not_found' : 'forbidden', refused.issue.message, [refused.issue]);
      const [outcome] = await ingestEvents(rt, [body]);
      if (outcome?.status === 'rejected') throw new ApiError(422, 'event_rejected', outcome.issues[0]?.message ?? 'event rejected', outcome.issues.map((i) => ({ ...i, path: i.path.replace(/^events\[0\]/, 'body') })));
      return outcome;
    },
  );
  api.route(
    {
      method: 'post',
      path: '/events/batch',
      bodyKind: 'bulk',
      summary: 'Ingest up to 10,000 events; each is accepted, a duplicate, or rejected with the reason',
      tag: 'events',
      body: z.object({ events: z.array(z.unknown()).min(1, { error: 'send at least one event' }).max(MAX_BATCH, { error: `at most ${MAX_BATCH} events per request` }) }),
      status: 202,
      access: { org: 'member' },
    },
    async ({ body, auth }) => {
      // Each event is checked on its own, so one bad event does not cost the batch.
      const valid: z.infer<typeof eventInputSchema>[] = [];
      const positions: number[] = [];
      const rejected: { index: number; id: string | null; status: 'rejected'; issues: { path: string; message: string }[] }[] = [];
      body.events.forEach((raw, index) => {
        const r = eventInputSchema.safeParse(raw);
        const refused = r.success ? refusal(auth, r.data.productLine, fieldPath('events', [index, 'productLine'])) : null;
        if (r.success && refused) rejected.push({ index, id: r.data.id, status: 'rejected', issues: [refused.issue] });
        else if (r.success) {
          valid.push(r.data);
          positions.push(index);
        } else {
          const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : null;
          rejected.push({ index, id, status: 'rejected', issues: r.error.issues.map((i) => ({ path: fieldPath('events', [index, ...i.path]), message: i.message })) });
        }
      });
      const outcomes = valid.length > 0 ? await ingestEvents(rt, valid) : [];
      const results = [
        ...outcomes.map((o) => ({ ...o, index: positions[o.index]!, ...(o.status === 'rejected' ? { issues: o.issues.map((i) => ({ ...i, path: i.path.replace(/^events\[(\d+)\]/, (_m, n) => `events[${positions[Number(n)]}]`) })) } : {}) })),
        ...rejected,
      ].sort((a, b) => a.index - b.index);
      const rejectedCount = results.filter((r) => r.status === 'rejected').length;
      // As with lead imports: a batch of which nothing could be taken is the client's error, not a success.
      if (rejectedCount === results.length) {
        const issues = results.flatMap((r) => (r.status === 'rejected' ? r.issues : []));
        throw new ApiError(422, 'events_rejected', `no event could be ingested: all ${results.length} were rejected; the first: ${issues[0]?.path}: ${issues[0]?.message}`, issues.slice(0, MAX_ISSUES));
      }
      return {
        accepted: results.filter((r) => r.status === 'accepted').length,
        duplicates: results.filter((r) => r.status === 'duplicate').length,
        rejected: rejectedCount,
        results,
      };
    },
  );
};
