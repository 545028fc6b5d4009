import { z } from 'zod';
import type { Routes } from '../app.ts';
import { eventInputSchema, ingestEvents } from '../core/ingest.ts';
import { ApiError, fieldPath } from '../errors.ts';

/** The most events one batch request may carry. */
export const MAX_BATCH = 10_000;

/** At most this many issues go into the 422 for a batch whose every event was rejected. */
const MAX_ISSUES = 100;

/** Event ingestion: one, or a batch of up to 10,000, idempotent by the client's event id. */
export const eventRoutes: Routes = (api, rt) => {
  api.route(
    { method: 'post', path: '/events', summary: 'Ingest one event', tag: 'events', body: eventInputSchema, status: 202, access: { org: 'member' } },
    async ({ body }) => {
      const [outcome] = await ingestEvents(rt, [body]);
      if (outcome?.status === 'rejected') throw new ApiError(422, 'event_rejected', outcome.issues[0]?.message ?? 'event rejected', outcome.issues.map((i) => ({ ...i, path: i.path.replace(/^events\[0\]/, 'body') })));
      return outcome;
    },
  );
  api.route(
    {
      method: 'post',
      path: '/events/batch',
      summary: 'Ingest up to 10,000 events; each is accepted, a duplicate, or rejected with the reason',
      tag: 'events',
      body: z.object({ events: z.array(z.unknown()).min(1, { error: 'send at least one event' }).max(MAX_BATCH, { error: `at most ${MAX_BATCH} events per request` }) }),
      status: 202,
      access: { org: 'member' },
    },
    async ({ body }) => {
      // Each event is checked on its own, so one bad event does not cost the batch.
      const valid: z.infer<typeof eventInputSchema>[] = [];
      const positions: number[] = [];
      const rejected: { index: number; id: string | null; status: 'rejected'; issues: { path: string; message: string }[] }[] = [];
      body.events.forEach((raw, index) => {
        const r = eventInputSchema.safeParse(raw);
        if (r.success) {
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
