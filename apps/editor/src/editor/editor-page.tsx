import type { NodeKind } from '@nurtureflow/scenario';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ScenarioSummary } from '../api/client.ts';
import { Canvas } from '../canvas/canvas.tsx';
import { Palette } from '../canvas/palette.tsx';
import { documentFromDraft } from '../document/types.ts';
import { Inspector } from '../inspector/inspector.tsx';
import { ProblemsPanel } from '../problems/problems-panel.tsx';
import { EditorStoreContext } from '../store/context.ts';
import { createEditorStore } from '../store/store.ts';
import type { EditorState } from '../store/types.ts';
import { useAsync } from '../use-async.ts';
import { Toolbar } from './toolbar.tsx';
import { SimulationHost, SimulationSlot } from '../simulation/host.tsx';
import { useAutosave } from './use-autosave.ts';
import { useLiveCounts } from './use-live.ts';
import type { StoreApi } from 'zustand/vanilla';

/** How long after the last structural change the drawing is validated again. */
const VALIDATE_DELAY_MS = 120;

/** Loads a scenario's draft (or one published version, read-only) and opens it in the editor. */
export function EditorPage({ scenarioId, version }: { scenarioId: string; version: number | null }) {
  const { t } = useTranslation();
  const store = useMemo(() => createEditorStore(), []);
  const loaded = useAsync(async () => {
    const [scenario, productLines, scenarios] = await Promise.all([api.scenario(scenarioId), api.productLines(), api.scenarios()]);
    const own = { scenarioId, productLine: scenario.productLine, name: scenario.name };
    const source = version ? (await api.version(scenarioId, version)).graph : scenario.draft;
    return {
      scenario,
      doc: documentFromDraft(source, own),
      refs: { productLines: productLines.map((p) => p.id), scenarios: scenarios.map((s) => ({ productLine: s.productLine, scenarioId: s.id })) },
    };
  }, [scenarioId, version]);
  const [summary, setSummary] = useState<ScenarioSummary | null>(null);

  useEffect(() => {
    if (!loaded.data) return;
    const { scenario, doc, refs } = loaded.data;
    store.getState().setRefs(refs);
    store.getState().load(doc, { readOnly: version !== null || scenario.status === 'archived' });
    setSummary(scenario);
  }, [loaded.data, store, version]);

  if (loaded.error) return <p className="error">{t('app.error', { message: loaded.error.message })}</p>;
  if (!summary) return <p className="loading">{t('app.loading')}</p>;
  return (
    <EditorStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <SimulationHost>
          <EditorLayout store={store} scenario={summary} version={version} onScenario={setSummary} />
        </SimulationHost>
      </ReactFlowProvider>
    </EditorStoreContext.Provider>
  );
}

function EditorLayout({ store, scenario, version, onScenario }: { store: StoreApi<EditorState>; scenario: ScenarioSummary; version: number | null; onScenario: (s: ScenarioSummary) => void }) {
  const rf = useReactFlow();
  const editable = version === null && scenario.status !== 'archived';
  const { save, flush } = useAutosave(store, scenario.id, editable);
  useLiveCounts(store, scenario.id, scenario.publishedVersion !== null, version);

  // Validation follows the drawing a moment behind, and never on moves alone.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.structure === prev.structure) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => store.getState().revalidate(), VALIDATE_DELAY_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store]);

  const addAtCenter = (kind: NodeKind) => {
    // Nodes added one after another by click fan out instead of stacking.
    const step = (store.getState().nodes.length % 6) * 24;
    const box = document.querySelector('.canvas')?.getBoundingClientRect();
    const p = rf.screenToFlowPosition(box ? { x: box.left + box.width / 2, y: box.top + box.height / 2 } : { x: 400, y: 300 });
    store.getState().addNode(kind, { x: Math.round(p.x - 120 + step), y: Math.round(p.y - 40 + step) });
  };

  return (
    <div className="editor">
      <Toolbar scenario={scenario} version={version} save={save} flush={flush} onScenario={onScenario} />
      <div className="editor-body">
        <Palette onAdd={addAtCenter} disabled={!editable} />
        <Canvas />
        <SimulationSlot scenario={scenario}>
          <Inspector />
        </SimulationSlot>
      </div>
      <ProblemsPanel />
    </div>
  );
}
