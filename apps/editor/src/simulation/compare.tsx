// Two runs over the same leads and seed, side by side: the draft against the published version or
// another saved version, or one split's variants against each other (every lead sent down one,
// then the other). Both runs' counts go on the canvas; the KPIs' differences are listed here.
import type { GraphInput } from '@nurtureflow/scenario';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ScenarioSummary } from '../api/client.ts';
import { useEditor } from '../store/context.ts';
import { useAsync } from '../use-async.ts';
import { useSimulation, useSimulationStore } from './context.ts';
import { runTargetFor } from './environment.ts';
import { kpiDiff, nodeDiff } from './overlay.ts';
import { formatKpi } from './results.tsx';
import { forceVariant, type RunTarget } from './settings.ts';

function SplitChoice({ splitId, setSplitId, variants, va, vb, setVa, setVb }: { splitId: string; setSplitId: (s: string) => void; variants: Record<string, string[]>; va: string; vb: string; setVa: (s: string) => void; setVb: (s: string) => void }) {
  const { t } = useTranslation();
  const list = variants[splitId] ?? [];
  return (
    <div className="sim-grid">
      <div className="field">
        <label htmlFor="sim-split">{t('simulation.compare.split')}</label>
        <select id="sim-split" data-testid="sim-compare-split" value={splitId} onChange={(e) => setSplitId(e.target.value)}>
          {Object.keys(variants).map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="sim-va">A</label>
        <select id="sim-va" data-testid="sim-compare-va" value={va} onChange={(e) => setVa(e.target.value)}>
          {list.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="sim-vb">B</label>
        <select id="sim-vb" data-testid="sim-compare-vb" value={vb} onChange={(e) => setVb(e.target.value)}>
          {list.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** The comparison tab. */
export function ComparePane({ scenario, draftTarget, onBlocked }: { scenario: ScenarioSummary; draftTarget: () => Promise<RunTarget | { errors: number }>; onBlocked: (errors: number) => void }) {
  const { t, i18n } = useTranslation();
  const sim = useSimulationStore();
  const a = useSimulation((s) => s.a);
  const b = useSimulation((s) => s.b);
  const busy = useSimulation((s) => s.status === 'preparing' || s.status === 'running');
  const versions = useAsync(() => api.versions(scenario.id), [scenario.id, scenario.publishedVersion]);
  // The splits of the draft as drawn, and their variants.
  const nodes = useEditor((s) => s.nodes);
  const variants = useMemo<Record<string, string[]>>(
    () =>
      Object.fromEntries(
        nodes
          .filter((n) => n.type === 'split')
          .map((n) => [n.id, (Array.isArray(n.data['variants']) ? (n.data['variants'] as { id?: unknown }[]) : []).flatMap((v) => (typeof v.id === 'string' ? [v.id] : []))]),
      ),
    [nodes],
  );
  const [against, setAgainst] = useState<string>(scenario.publishedVersion !== null ? `v${scenario.publishedVersion}` : Object.keys(variants).length > 0 ? 'split' : '');
  const [splitId, setSplitId] = useState(Object.keys(variants)[0] ?? '');
  const [va, setVa] = useState(variants[splitId]?.[0] ?? '');
  const [vb, setVb] = useState(variants[splitId]?.[1] ?? '');

  const start = async () => {
    const draft = await draftTarget();
    if ('errors' in draft) return onBlocked(draft.errors);
    if (against === 'split') {
      const [first, ...rest] = draft.graphs;
      if (first === undefined) return;
      const g = first as GraphInput;
      return sim.getState().compare(
        { ...draft, label: `${splitId}: ${va}`, graphs: [forceVariant(g, splitId, va), ...rest] },
        { ...draft, label: `${splitId}: ${vb}`, graphs: [forceVariant(g, splitId, vb), ...rest] },
      );
    }
    const version = Number(against.slice(1));
    const graph = (await api.version(scenario.id, version)).graph;
    return sim.getState().compare(draft, await runTargetFor(`v${version}`, graph));
  };

  const lang = i18n.language;
  return (
    <div className="sim-compare" data-testid="sim-compare">
      <div className="field">
        <label htmlFor="sim-against">{t('simulation.compare.against')}</label>
        <select id="sim-against" data-testid="sim-compare-against" value={against} onChange={(e) => setAgainst(e.target.value)}>
          {versions.data?.map((v) => (
            <option key={v.version} value={`v${v.version}`}>
              {v.current ? t('simulation.compare.published', { version: v.version }) : t('simulation.compare.version', { version: v.version })}
            </option>
          ))}
          {Object.keys(variants).length > 0 && <option value="split">{t('simulation.compare.variants')}</option>}
        </select>
        {versions.data?.length === 0 && Object.keys(variants).length === 0 && <p className="muted small">{t('simulation.compare.nothing')}</p>}
      </div>
      {against === 'split' && (
        <SplitChoice
          splitId={splitId}
          setSplitId={(id) => {
            setSplitId(id);
            setVa(variants[id]?.[0] ?? '');
            setVb(variants[id]?.[1] ?? '');
          }}
          variants={variants}
          va={va}
          vb={vb}
          setVa={setVa}
          setVb={setVb}
        />
      )}
      <button className="primary" data-testid="sim-compare-run" disabled={busy || against === ''} onClick={() => void start()}>
        {t('simulation.compare.run')}
      </button>
      <p className="muted small">{t('simulation.compare.hint')}</p>

      {a && b && (
        <>
          <h3>{t('simulation.compare.kpis')}</h3>
          <table className="sim-table" data-testid="sim-compare-kpis">
            <thead>
              <tr>
                <th />
                <th>{a.label}</th>
                <th>{b.label}</th>
                <th>{t('simulation.compare.diff')}</th>
              </tr>
            </thead>
            <tbody>
              {kpiDiff(a.report.kpis, b.report.kpis).map((d) => (
                <tr key={d.key} data-testid={`sim-compare-${d.key}`} data-diff={d.diff}>
                  <th scope="row">{t(`simulation.kpis.${d.key}`)}</th>
                  <td>{formatKpi(d.key, d.a, lang)}</td>
                  <td>{formatKpi(d.key, d.b, lang)}</td>
                  <td className={d.diff > 0 ? 'up' : d.diff < 0 ? 'down' : ''}>
                    {d.diff > 0 ? '+' : ''}
                    {d.rate ? `${(d.diff * 100).toFixed(1)} pt` : d.diff.toLocaleString(lang)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('simulation.compare.nodes')}</h3>
          <table className="sim-table" data-testid="sim-compare-nodes">
            <thead>
              <tr>
                <th>{t('simulation.compare.node')}</th>
                <th>{a.label}</th>
                <th>{b.label}</th>
                <th>{t('simulation.compare.diff')}</th>
              </tr>
            </thead>
            <tbody>
              {nodeDiff(a.overlay, b.overlay).map((n) => (
                <tr key={n.id}>
                  <td className="mono">{n.id}</td>
                  <td>{n.a ? `${n.a.entered} / ${n.a.there} / ${n.a.exited}` : '—'}</td>
                  <td>{n.b ? `${n.b.entered} / ${n.b.there} / ${n.b.exited}` : '—'}</td>
                  <td className={n.diff > 0 ? 'up' : n.diff < 0 ? 'down' : ''}>
                    {n.diff > 0 ? '+' : ''}
                    {n.diff}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">{t('simulation.compare.legend')}</p>
        </>
      )}
    </div>
  );
}
