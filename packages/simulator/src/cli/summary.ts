// The report as a person reads it in a terminal: per scenario a table of nodes (entered, there at
// the horizon, exited, median and 90th-percentile time there), then the KPIs, mail per lead per
// week against the limit, what is stuck at the horizon, and when leads became hot.
import type { Durations, SimulationReport } from '../report/types.ts';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A span in minutes, hours or days, whichever reads best. */
export function formatDuration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 60) return `${Math.round(minutes)}m`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours.toFixed(1)}h`;
  return `${(hours / 24).toFixed(1)}d`;
}

/** Columns of a terminal a string takes (CJK and full-width characters take two). */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}

/** A plain text table: a header row, a rule, the rows; numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(widths[i]! - displayWidth(c));
        return right[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function time(d: Durations | null, key: 'p50Ms' | 'p90Ms'): string {
  return d === null ? '–' : formatDuration(d[key]);
}

/** The whole summary, with how long the run took. */
export function summarize(r: SimulationReport, elapsedMs: number): string {
  const out: string[] = [];
  out.push(
    `Simulated ${n(r.leads)} leads over ${r.days} days from ${r.start.slice(0, 10)} (seed ${r.seed}, ${r.behaviour === 'personas' ? `personas: ${r.personas.map((p) => `${p.id} ${n(p.leads)}`).join(', ')}` : 'scripted timeline'}) in ${(elapsedMs / 1000).toFixed(2)} s`,
  );
  for (const s of r.scenarios) {
    out.push('', `Scenario ${s.scenarioId} "${s.name}" (${s.productLine}): ${n(s.enrollments.total)} enrollments of ${n(s.enrollments.leads)} leads — ${n(s.enrollments.completed)} completed, ${n(s.enrollments.waiting)} still waiting`);
    out.push(
      table(
        ['node', 'kind', 'entered', 'there', 'exited', 'median time', 'p90 time', 'mail sent / opened / clicked'],
        s.nodes.map((x) => [
          x.label === null ? x.id : `${x.id} ${x.label}`,
          x.kind,
          n(x.entered),
          n(x.there),
          n(x.exited),
          time(x.timeInNode, 'p50Ms'),
          time(x.timeInNode, 'p90Ms'),
          x.sent === undefined ? '' : `${n(x.sent)} / ${n(x.opens ?? 0)} / ${n(x.clicks ?? 0)}`,
        ]),
        [false, false, true, true, true, true, true, true],
      ),
    );
    const goals = Object.entries(s.goals);
    if (goals.length > 0) out.push(`Goals: ${goals.map(([g, c]) => `${g} ${n(c)}`).join(', ')}`);
  }
  const k = r.kpis;
  out.push(
    '',
    'KPIs',
    table(
      ['mails sent', 'open rate', 'click rate', 'downloads', 'seminars', 'call tasks', 'appointments', 'hand-offs (accepted)', 'hot leads', 'conversions', 'unsubscribes'],
      [
        [
          n(k.sent),
          pct(k.openRate),
          pct(k.clickRate),
          n(k.downloads),
          n(k.seminars),
          n(k.calls.tasks),
          n(k.calls.appointment),
          `${n(k.handoffs.sent)} (${n(k.handoffs.accepted)})`,
          n(k.hotLeads),
          `${n(k.convertedLeads)} (${pct(k.conversionRate)})`,
          n(k.unsubscribes),
        ],
      ],
      new Array(11).fill(true),
    ),
  );
  const m = r.messages.perLeadPerWeek;
  const limits = Object.entries(r.fatigue.thresholds).map(([pl, t]) => `${pl} ${t.perWeek}/week (${t.source})`).join(', ');
  out.push(
    '',
    `Mail per lead per week: mean ${m.mean}, median ${m.p50}, p90 ${m.p90}, max ${m.max}; limit ${limits}`,
    r.fatigue.leadsOver > 0
      ? `⚠ Fatigue: ${n(r.fatigue.leadsOver)} leads got more mail than the limit in ${n(r.fatigue.leadWeeksOver)} lead-weeks (e.g. ${r.fatigue.warnings.slice(0, 3).map((w) => `${w.leadId} ${w.messages} in week ${w.week + 1}`).join(', ')})`
      : 'No lead got more mail in a week than the limit.',
  );
  if (r.fatigue.capDeferred + r.fatigue.capSkipped > 0) out.push(`Caps held back ${n(r.fatigue.capDeferred)} mails and dropped ${n(r.fatigue.capSkipped)}.`);
  const stuck = r.scenarios.reduce((a, s) => ({ total: a.total + s.stuck.total, noDeadline: a.noDeadline + s.stuck.noDeadline }), { total: 0, noDeadline: 0 });
  out.push(`At the horizon: ${n(stuck.total)} enrollments still under way, ${n(stuck.noDeadline)} of them waiting for an answer with no deadline.`);
  if (r.hot.list.length > 0) {
    const weeks: number[] = [];
    r.hot.byDay.forEach((c, d) => (weeks[Math.floor(d / 7)] = (weeks[Math.floor(d / 7)] ?? 0) + c));
    out.push(`Became hot by week: ${weeks.map((c, w) => `w${w + 1} ${n(c ?? 0)}`).join(', ')}`);
  }
  for (const t of r.traces) {
    out.push('', `Trace of ${t.leadId}${t.persona ? ` (${t.persona})` : ''}:`);
    for (const row of t.rows) {
      if (row.type === 'step' && row.output !== null) out.push(`  ${row.at}  ${row.scenarioId}  ${row.nodeId} —${row.output}→ ${row.to ?? '(end)'}`);
      else if (row.type === 'event') out.push(`  ${row.at}  event ${row.kind}`);
      else if (row.type === 'hot') out.push(`  ${row.at}  became hot in ${row.productLine}`);
    }
  }
  return out.join('\n');
}
