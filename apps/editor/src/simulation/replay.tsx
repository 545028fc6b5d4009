// A lead's path replayed on the canvas: find the lead, then step through what happened to it —
// steps, mails, its own events, the hot crossing — at their virtual times, the node it is at and
// the connections it took highlighted.
import type { TraceRow } from '@nurtureflow/simulator';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSimulation, useSimulationStore } from './context.ts';
import type { LeadRow } from './protocol.ts';

/** How long each step shows while playing. */
const PLAY_MS = 700;
const DAY = 86_400_000;

function describe(row: TraceRow, t: (k: string, o?: Record<string, unknown>) => string): string {
  switch (row.type) {
    case 'step':
      return row.to !== null
        ? t('simulation.replay.moved', { from: row.nodeId ?? '', output: row.output ?? '', to: row.to, reason: row.reason.code })
        : t('simulation.replay.stayed', { node: row.nodeId ?? '', reason: row.reason.code });
    case 'effect':
      return t('simulation.replay.effect', { effect: row.effect, node: row.nodeId ?? '' });
    case 'event':
      return t('simulation.replay.event', { kind: row.kind });
    case 'hot':
      return t('simulation.replay.hot', { productLine: row.productLine });
  }
}

function LeadSearch() {
  const { t } = useTranslation();
  const sim = useSimulationStore();
  const run = useSimulation((s) => s.a);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ leads: LeadRow[]; total: number } | null>(null);
  useEffect(() => {
    if (run === null) return;
    let live = true;
    const timer = setTimeout(() => void sim.getState().searchLeads(query).then((r) => live && setFound(r), () => undefined), 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, run, sim]);
  const hot = run?.report.hot.list.slice(0, 8) ?? [];
  return (
    <div className="sim-search">
      <input data-testid="sim-lead-search" type="search" placeholder={t('simulation.replay.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
      {hot.length > 0 && (
        <p className="small">
          {t('simulation.replay.hotLeads')}{' '}
          {hot.map((h) => (
            <button key={h.leadId} className="link mono" onClick={() => void sim.getState().openReplay(h.leadId)}>
              {h.leadId}
            </button>
          ))}
        </p>
      )}
      {found && (
        <>
          <p className="muted small">{t('simulation.replay.found', { shown: found.leads.length, total: found.total.toLocaleString() })}</p>
          <ul className="sim-lead-list" data-testid="sim-lead-list">
            {found.leads.map((l) => (
              <li key={l.id}>
                <button data-testid={`sim-lead-${l.id}`} onClick={() => void sim.getState().openReplay(l.id)}>
                  <span className="mono">{l.id}</span> {l.name ?? ''} <span className="muted">{l.company ?? ''}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** The replay tab. */
export function ReplayPane() {
  const { t, i18n } = useTranslation();
  const sim = useSimulationStore();
  const run = useSimulation((s) => s.a);
  const replay = useSimulation((s) => s.replay);
  const playing = replay?.playing ?? false;
  const rows = useRef<HTMLOListElement>(null);
  const index = replay?.index ?? 0;

  // The step shown stays in sight as the replay moves on.
  useEffect(() => {
    rows.current?.querySelector('li.current')?.scrollIntoView({ block: 'nearest' });
  }, [index]);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => sim.getState().replayStep(1), PLAY_MS);
    return () => clearInterval(timer);
  }, [playing, sim]);

  if (run === null) return <p className="muted">{t('simulation.results.none')}</p>;
  const start = Date.parse(run.report.start);
  const timezone = (run.input.graphs?.[0] ?? run.input.graph)?.settings?.timezone ?? 'Asia/Tokyo';
  const fmt = new Intl.DateTimeFormat(i18n.language, { timeZone: timezone, month: 'short', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit' });
  const tt = (k: string, o: Record<string, unknown> = {}) => t(k, o);
  return (
    <div className="sim-replay" data-testid="sim-replay">
      {replay === null ? (
        <LeadSearch />
      ) : (
        <>
          <div className="sim-replay-head">
            <strong className="mono" data-testid="sim-replay-lead">
              {replay.leadId}
            </strong>
            {replay.trace.persona && <span className="muted small"> · {t('simulation.replay.persona', { persona: replay.trace.persona })}</span>}
            <button className="link" data-testid="sim-replay-close" onClick={() => sim.getState().closeReplay()}>
              {t('simulation.replay.other')}
            </button>
          </div>
          <div className="sim-replay-controls">
            <button data-testid="sim-replay-first" onClick={() => sim.getState().replayTo(0)} title={t('simulation.replay.first')}>
              «
            </button>
            <button data-testid="sim-replay-prev" onClick={() => sim.getState().replayStep(-1)} title={t('simulation.replay.prev')}>
              ◀
            </button>
            <button data-testid="sim-replay-play" onClick={() => sim.getState().setPlaying(!playing)} title={playing ? t('simulation.replay.pause') : t('simulation.replay.play')}>
              {playing ? '⏸' : '▶'}
            </button>
            <button data-testid="sim-replay-next" onClick={() => sim.getState().replayStep(1)} title={t('simulation.replay.next')}>
              ▶▶
            </button>
            <span data-testid="sim-replay-position">{t('simulation.replay.position', { at: replay.index + 1, of: replay.frames.length })}</span>
          </div>
          {replay.frames.length === 0 && <p className="muted">{t('simulation.replay.nothing')}</p>}
          <ol className="sim-replay-rows" data-testid="sim-replay-rows" ref={rows}>
            {replay.frames.map((f, i) => {
              const at = Date.parse(f.row.at);
              return (
                <li key={i} className={`${i === replay.index ? 'current' : ''} row-${f.row.type}`} data-testid="sim-replay-row" aria-current={i === replay.index ? 'step' : undefined} onClick={() => sim.getState().replayTo(i)}>
                  <span className="sim-time">
                    {t('simulation.replay.day', { day: Math.floor((at - start) / DAY) + 1 })} · {fmt.format(at)}
                  </span>
                  <span>{describe(f.row, tt)}</span>
                </li>
              );
            })}
          </ol>
          <p className="muted small">
            {replay.trace.final.map((x) => t('simulation.replay.final', { scenario: x.scenarioId, status: x.status, node: x.nodeId ?? '—' })).join(' · ')}
          </p>
        </>
      )}
    </div>
  );
}
