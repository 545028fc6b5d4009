// Opens and clicks become events. Hits arrive one HTTP request at a time and many at once, so they
// are committed in groups: each request waits for the batch it joined (one lookup of the messages,
// one ingestion transaction), which keeps a response's promise — the event is stored — while
// thousands of hits a second share a handful of transactions.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { records } from '../core/bulk.ts';
import { ingestEvents, type EventInput } from '../core/ingest.ts';
import type { Runtime } from '../runtime.ts';
import { sentOfMergedLeads } from './merged-messages.ts';

/** Repeated opens of one message within this window are one `email_opened` event (images reload, clients prefetch). */
export const OPEN_WINDOW_MS = 10 * 60_000;

/** How many sent messages the recorder keeps in memory. */
const MAX_CACHED = 100_000;

/** A verified hit: the open pixel, or the click on link `index` of the message `key`. */
export type Hit = { kind: 'open'; leadId: string; key: string } | { kind: 'click'; leadId: string; key: string; index: number };

/** What a hit found: the message (and, for a click, the URL it leads to), or nothing (404). */
export type HitResult = { found: false } | { found: true; url: string | null };

interface Pending {
  hit: Hit;
  at: number;
  resolve: (r: HitResult) => void;
  reject: (e: unknown) => void;
}

interface SentRow {
  lead_id: string;
  key: string;
  product_line: string;
  scenario_id: string;
  node_id: string;
  links: string[];
}

/** Records hits in groups; one per app. */
export class HitRecorder {
  private queue: Pending[] = [];
  private running = 0;
  /** Groups about to take their share of the queue. */
  private taking = 0;
  /** Sent messages by lead and key: a row never changes once written, and hits cluster on recent mail. */
  private readonly sent = new Map<string, SentRow>();
  /** Open events already stored: a reload within the window is a duplicate, so it need not reach the database. */
  private readonly opened = new Set<string>();

  /**
   * `concurrency` groups commit at once: two on Postgres, so one group is being looked up and
   * ingested while the other commits; one on PGlite, which has a single connection.
   */
  constructor(
    private readonly rt: Runtime,
    private readonly concurrency = rt.dialect === 'postgres' ? 2 : 1,
    private readonly maxBatch = 2_000,
  ) {}

  /** Records a hit and resolves once its event is committed (or the message is found not to exist). */
  record(hit: Hit): Promise<HitResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ hit, at: this.rt.clock.now(), resolve, reject });
      if (this.running < this.concurrency) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running++;
    try {
      while (this.queue.length > 0) {
        // One turn of the event loop first: the requests a group just answered come back with their
        // next hits in it, and join this group instead of leaving it one hit long. Groups that wake
        // together share what is queued, so they commit side by side rather than one after the other.
        this.taking++;
        await new Promise<void>((r) => setImmediate(r));
        const batch = this.queue.splice(0, Math.min(this.maxBatch, Math.ceil(this.queue.length / this.taking)));
        this.taking--;
        if (batch.length === 0) continue;
        try {
          await this.flush(batch);
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.running--;
    }
  }

  private async flush(batch: readonly Pending[]): Promise<void> {
    const sent = this.sent;
    const missing = new Map<string, { lead_id: string; key: string }>();
    for (const p of batch) {
      const id = `${p.hit.leadId}\u0000${p.hit.key}`;
      if (!sent.has(id)) missing.set(id, { lead_id: p.hit.leadId, key: p.hit.key });
    }
    if (missing.size > 0) {
      const found = await sql<SentRow>`
        select s.lead_id, s.key, s.product_line, s.scenario_id, s.node_id, s.links
        from sent_emails s join ${records([...missing.values()])} as r(lead_id text, key text) on s.lead_id = r.lead_id and s.key = r.key`.execute(this.rt.db);
      if (sent.size + found.rows.length > MAX_CACHED) sent.clear();
      // Only messages that exist are kept: one not found may be committing its send right now.
      for (const r of found.rows) sent.set(`${r.lead_id}\u0000${r.key}`, r);
      // Not found where the token says: the lead may have been merged into another since the mail went out.
      const elsewhere = [...missing].filter(([id]) => !sent.has(id)).map(([, m]) => m);
      for (const r of await sentOfMergedLeads(this.rt.db, elsewhere)) sent.set(`${r.token_lead}\u0000${r.key}`, r);
    }
    const events: EventInput[] = [];
    const opens = new Set<string>();
    const results: HitResult[] = [];
    for (const p of batch) {
      const row = sent.get(`${p.hit.leadId}\u0000${p.hit.key}`);
      const url = row && p.hit.kind === 'click' ? (row.links[p.hit.index] ?? null) : null;
      if (!row || (p.hit.kind === 'click' && url === null)) {
        results.push({ found: false });
        continue;
      }
      const base = { leadId: p.hit.leadId, at: new Date(p.at).toISOString(), productLine: row.product_line, scenarioId: row.scenario_id, nodeId: row.node_id, effectKey: row.key };
      // A click shows the mail was opened even when the client blocked the pixel.
      const openId = `open:${row.key}:${Math.floor(p.at / OPEN_WINDOW_MS)}`;
      const openKey = `${row.lead_id}\u0000${openId}`;
      if (!this.opened.has(openKey) && !opens.has(openKey)) {
        events.push({ ...base, id: openId, kind: 'email_opened', data: {} });
        opens.add(openKey);
      }
      if (p.hit.kind === 'click') {
        // Every click counts: scoring rules cap repeated clicks per day where the marketer wants.
        events.push({ ...base, id: `click:${row.key}:${p.hit.index}:${randomUUID()}`, kind: 'link_clicked', data: { url: url!, link: p.hit.index } });
      }
      results.push({ found: true, url });
    }
    if (events.length > 0) await ingestEvents(this.rt, events);
    if (this.opened.size + opens.size > MAX_CACHED) this.opened.clear();
    for (const id of opens) this.opened.add(id);
    batch.forEach((p, i) => p.resolve(results[i]!));
  }
}
