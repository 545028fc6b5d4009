// Channels benchmark, on the local Postgres and on the embedded PGlite:
// - e-mail: messages per second rendered (Liquid, tracked links, pixel, text part) and handed to a
//   local SMTP server (smtp-server in its own process) through the dispatcher; target ≥ 1,000/s;
// - tracking: pixel and link hits per second through the app (token check, message lookup, events
//   ingested and scored, 302 or the GIF); target ≥ 5,000/s.
// Other channels (webhooks, print jobs…) may add their own figures to this file.
import { benchRequest, openBenchRuntime } from './bench-runtime.ts';
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { createApp } from '../src/app.ts';
import { httpLimitsFromEnv } from '../src/http/limits.ts';
import { emailChannel } from '../src/channels/email.ts';
import { startDispatcher } from '../src/channels/start-dispatcher.ts';
import { ManualClock } from '../src/clock.ts';
import { ALL_ROUTES } from '../src/routes/index.ts';
import type { Runtime } from '../src/runtime.ts';
import { trackingSigner } from '../src/tracking/tokens.ts';

const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 5_000);
const HITS = Number(process.env['BENCH_HITS'] ?? 20_000);
const IN_FLIGHT = Number(process.env['BENCH_IN_FLIGHT'] ?? 256);

const TEMPLATE = {
  id: 'news',
  name: 'ニュースレター',
  subject: '{{ lead.company }} {{ lead.name }} 様 {{ product_line.name }} ニュース',
  html: `<html><body><table width="600"><tr><td>
<h1>{{ product_line.name }} ニュース</h1>
<p>{{ lead.company }}<br>{{ lead.name }} 様</p>
<p>いつもお世話になっております。{{ product_line.name }}の最新情報をお届けします。{% if lead.industry %}{{ lead.industry }}業界の事例もご紹介します。{% endif %}</p>
<ul>{% for n in (1..3) %}<li>トピック {{ n }}: 導入企業が増えています。</li>{% endfor %}</ul>
<p><a href="https://example.com/news?id={{ lead.id }}&amp;src=mail">続きを読む</a></p>
<p><a href="https://example.com/cases">導入事例</a> · <a href="https://example.com/seminar">セミナー申込</a></p>
<p>{{ sender.name }}<br>{{ sender.email }}</p>
</td></tr></table></body></html>`,
};

interface Sink {
  url: string;
  counts(): Promise<{ total: number; keys: number; twice: number; cpuMs: number }>;
  stop(): void;
}

async function startSink(): Promise<Sink> {
  const child: ChildProcess = fork(new URL('./smtp-sink.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  return {
    url: `smtp://127.0.0.1:${port}`,
    counts: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as { total: number; keys: number; twice: number; cpuMs: number }));
        child.send({ type: 'counts' });
      }),
    stop: () => void child.send({ type: 'stop' }),
  };
}



/** A product line, its template, a mail-then-wait-for-a-click scenario and MESSAGES enrolled leads: MESSAGES pending mails. */
async function seed(rt: Runtime): Promise<void> {
  await benchRequest(rt, 'POST', '/product-lines', {
    id: 'bench',
    name: 'CRMクラウド',
    settings: { sender: { name: 'CRMクラウド事務局', email: 'info@crm.example.jp' }, scoring: { rules: [{ id: 'o', event: 'email_opened', points: 5, maxPerDay: 10 }, { id: 'c', event: 'link_clicked', points: 10 }], hotThreshold: 100_000 } },
  });
  await benchRequest(rt, 'POST', '/product-lines/bench/templates', TEMPLATE);
  const graph = aGraph({ productLine: 'bench', scenarioId: 'news', name: 'news' }).trigger('t', { type: 'import' }).email('m1', 'news').waitForEvent('w1', 'link_clicked', dur(3, 'days')).exit('x1').connect('w1', 'timeout', 'x1').input();
  await benchRequest(rt, 'POST', '/scenarios', { id: 'news', productLine: 'bench', name: 'news', draft: graph });
  await benchRequest(rt, 'POST', '/scenarios/news/publish', { note: 'bench' });
  const ids = Array.from({ length: MESSAGES }, (_, i) => `lead-${i}`);
  for (let i = 0; i < ids.length; i += 5000) {
    await rt.db
      .insertInto('leads')
      .values(ids.slice(i, i + 5000).map((id, k) => ({ id, email: `${id}@example.jp`, attributes: { name: `山田 ${i + k}`, company: `株式会社サンプル${(i + k) % 97}`, industry: 'IT' }, tags: [] })))
      .execute();
  }
  for (let i = 0; i < ids.length; i += 2000) await benchRequest(rt, 'POST', '/enrollments', { scenarioId: 'news', leadIds: ids.slice(i, i + 2000) });
}

async function pendingMails(rt: Runtime): Promise<number> {
  const r = await rt.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', 'sendEmail').where('status', '=', 'pending').executeTakeFirst();
  return Number(r?.n ?? 0);
}

async function messagesPerSecond(rt: Runtime) {
  const sink = await startSink();
  const channel = emailChannel(rt, { baseUrl: 'http://bench.local', smtpUrl: sink.url, maxConnections: 8 });
  try {
    if ((await pendingMails(rt)) !== MESSAGES) throw new Error('seeding did not queue every mail');
    const sinkBefore = await sink.counts();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const stop = startDispatcher(rt, [channel], { idleMs: 5, batch: Number(process.env['BENCH_BATCH'] ?? 100), ...(process.env['BENCH_LOOPS'] ? { concurrency: Number(process.env['BENCH_LOOPS']) } : {}), onError: (e) => console.error(e) });
    while ((await pendingMails(rt)) > 0 && performance.now() - t0 < 300_000) await new Promise((r) => setTimeout(r, 20));
    await stop();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const counts = await sink.counts();
    if (counts.total !== MESSAGES || counts.twice !== 0) throw new Error(`the sink got ${counts.total} messages (${counts.twice} keys twice)`);
    // CPU time per message, in this process (render, tracking, MIME, SMTP client, database client) and in the SMTP server.
    const cpuMs = { sender: (cpu.user + cpu.system) / 1000 / MESSAGES, smtp: (counts.cpuMs - sinkBefore.cpuMs) / MESSAGES };
    return { messages: MESSAGES, seconds, perSecond: Math.round(MESSAGES / seconds), cpuMs };
  } finally {
    channel.close();
    sink.stop();
  }
}

async function trackingHitsPerSecond(rt: Runtime) {
  // Every hit comes from this one process, so the rate limits are off here: the figure is the cost
  // of the tracking path itself, not of a client held back.
  const app = createApp(rt, ALL_ROUTES, undefined, { ...httpLimitsFromEnv(process.env), rate: null });
  const signer = await trackingSigner(rt.db, rt.db);
  const sent = await rt.db.selectFrom('sent_emails').select(['lead_id', 'key', 'links']).execute();
  // Half opens, half clicks on one of the message's links.
  const paths = Array.from({ length: HITS }, (_, i) => {
    const m = sent[i % sent.length]!;
    return i % 2 === 0
      ? `/t/o/${signer.sign({ kind: 'open', leadId: m.lead_id, key: m.key })}`
      : `/t/c/${signer.sign({ kind: 'click', leadId: m.lead_id, key: m.key, index: i % m.links.length })}`;
  });
  const before = await rt.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  let next = 0;
  let bad = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < paths.length) {
        const res = await app.request(paths[next++]!);
        if (res.status !== 200 && res.status !== 302) bad++;
        await res.arrayBuffer();
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (bad > 0) throw new Error(`${bad} hits were not answered 200/302`);
  const after = await rt.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return { hits: HITS, events: Number(after?.n ?? 0) - Number(before?.n ?? 0), seconds, perSecond: Math.round(HITS / seconds) };
}

const rows: [string, string][] = [];
const figures: [string, number][] = [];
for (const dialect of (process.env['BENCH_DIALECTS']?.split(',') ?? ['postgres', 'pglite']) as ('postgres' | 'pglite')[]) {
  const s = await openBenchRuntime(dialect, new ManualClock(Date.parse('2026-04-06T00:00:00Z')));
  try {
    await seed(s.rt);
    const m = await messagesPerSecond(s.rt);
    rows.push([`${dialect}: e-mail to SMTP`, `${m.messages} messages in ${m.seconds.toFixed(2)} s = ${m.perSecond}/s (CPU per message: ${m.cpuMs.sender.toFixed(2)} ms here, ${m.cpuMs.smtp.toFixed(2)} ms in the SMTP server)`]);
    const h = await trackingHitsPerSecond(s.rt);
    rows.push([`${dialect}: tracking hits`, `${h.hits} hits (${h.events} events) in ${h.seconds.toFixed(2)} s = ${h.perSecond}/s`]);
    const prefix = dialect === 'postgres' ? 'channels' : 'channels.pglite';
    figures.push([`${prefix}.messages_per_s`, m.perSecond], [`${prefix}.tracking_hits_per_s`, h.perSecond]);
  } finally {
    await s.drop();
  }
}
console.log(`\nChannels (${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${MESSAGES} e-mails through the dispatcher to a local SMTP server; ${HITS} tracking hits, ${IN_FLIGHT} in flight)`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(28)} ${v}`);
for (const [k, v] of figures) console.log(`bench ${k} ${v}`);
