import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { diffNodes } from '@nurtureflow/scenario';
import { api, type NodeCount, type ScenarioSummary } from '../api/client.ts';
import { useEditor, useEditorStore } from '../store/context.ts';
import { useAsync } from '../use-async.ts';

/** Leads in flight (active or waiting) per node, over every version, most first. */
function inFlight(nodes: readonly NodeCount[]): [string, number][] {
  return nodes
    .filter((n) => n.now > 0)
    .map((n): [string, number] => [n.nodeId, n.now])
    .sort((a, b) => b[1] - a[1]);
}

/**
 * Publishing: the note, what changes against the published version (nodes added, removed,
 * changed), how many leads are in flight and where, and whether to move them to the new version.
 */
export function PublishDialog({
  scenario,
  flush,
  onClose,
  onPublished,
}: {
  scenario: ScenarioSummary;
  flush: () => Promise<void>;
  onClose: () => void;
  onPublished: (s: ScenarioSummary) => void;
}) {
  const { t } = useTranslation();
  const store = useEditorStore();
  const compiled = useEditor((s) => s.compiled);
  const [note, setNote] = useState('');
  const [move, setMove] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const before = useAsync(async () => {
    const [published, counts] = await Promise.all([
      scenario.publishedVersion ? api.version(scenario.id, scenario.publishedVersion).then((v) => v.graph.nodes) : Promise.resolve(null),
      scenario.publishedVersion ? api.counts(scenario.id) : Promise.resolve([]),
    ]);
    return { published, flight: inFlight(counts) };
  }, [scenario.id, scenario.publishedVersion]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const after = (compiled?.nodes ?? {}) as Record<string, unknown>;
  const diff = before.data?.published ? diffNodes(before.data.published, after) : null;
  const removed = new Set(diff?.removed ?? []);
  const nodeName = (id: string) => {
    const n = store.getState().nodes.find((x) => x.id === id);
    const name = n?.data['name'];
    return typeof name === 'string' && name ? `${name} (${id})` : id;
  };

  const submit = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await flush();
      const r = await api.publish(scenario.id, { note: note.trim(), moveEnrollments: move });
      onPublished(r.scenario);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" role="presentation" onClick={onClose}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="publish-title" data-testid="publish-dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="publish-title">{t('publish.title')}</h2>
        <label className="field">
          <span>{t('publish.note')}</span>
          <textarea data-testid="publish-note" value={note} placeholder={t('publish.notePlaceholder')} onChange={(e) => setNote(e.target.value)} rows={3} autoFocus />
        </label>
        <section>
          {scenario.publishedVersion === null ? (
            <p>{t('publish.firstVersion')}</p>
          ) : (
            <>
              <h3>{t('publish.changes', { version: scenario.publishedVersion })}</h3>
              {before.loading && <p className="loading">{t('app.loading')}</p>}
              {diff && diff.added.length + diff.removed.length + diff.changed.length === 0 && <p>{t('publish.noChanges')}</p>}
              {diff && (
                <ul className="diff" data-testid="publish-diff">
                  {diff.added.map((id) => (
                    <li key={`a${id}`} className="diff-added">
                      + {t('publish.added')}: {nodeName(id)}
                    </li>
                  ))}
                  {diff.removed.map((id) => (
                    <li key={`r${id}`} className="diff-removed">
                      − {t('publish.removed')}: {id}
                    </li>
                  ))}
                  {diff.changed.map((id) => (
                    <li key={`c${id}`} className="diff-changed">
                      ~ {t('publish.changed')}: {nodeName(id)}
                    </li>
                  ))}
                </ul>
              )}
              <h3>{t('publish.inFlight')}</h3>
              {before.data && before.data.flight.length === 0 && <p>{t('publish.inFlightNone')}</p>}
              <ul className="in-flight" data-testid="publish-in-flight">
                {before.data?.flight.map(([id, count]) => (
                  <li key={id} className={removed.has(id) ? 'diff-removed' : ''}>
                    {t('publish.inFlightAt', { count, node: nodeName(id) })}
                    {removed.has(id) && ` — ${t('publish.removedNode')}`}
                  </li>
                ))}
              </ul>
              <label className="check">
                <input type="checkbox" checked={move} onChange={(e) => setMove(e.target.checked)} /> {t('publish.move')}
              </label>
            </>
          )}
        </section>
        {failure && <p className="error">{failure}</p>}
        <div className="modal-actions">
          <button onClick={onClose}>{t('publish.cancel')}</button>
          <button className="primary" data-testid="publish-submit" disabled={busy || note.trim() === ''} onClick={() => void submit()}>
            {t('publish.submit')}
          </button>
        </div>
      </div>
    </div>
  );
}
