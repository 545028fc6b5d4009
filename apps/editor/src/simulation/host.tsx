// Where the simulation meets the editor page: the store and its worker for the open scenario, the
// canvas extensions that draw the results, the toolbar button and the panel in the inspector's place.
import { useEffect, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { ScenarioSummary } from '../api/client.ts';
import { CanvasExtensionsContext, type CanvasExtensions } from '../canvas/extensions.ts';
import { SIMULATION_CANVAS } from './canvas-overlay.tsx';
import { SimulationClient, type WorkerLike } from './client.ts';
import { SimulationStoreContext, useSimulation, useSimulationStore } from './context.ts';
import { SimulationPanel } from './panel.tsx';
import { createSimulationStore } from './store.ts';
import './simulation.css';

/** A module web worker running the simulator (bundled by vite from `worker.ts`). */
function spawnWorker(): WorkerLike {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  return {
    postMessage: (m) => worker.postMessage(m),
    addEventListener: (_type, listener) => worker.addEventListener('message', (e) => listener({ data: e.data as unknown })),
    terminate: () => worker.terminate(),
  };
}

const NOTHING: CanvasExtensions = {};

/**
 * Gives its children the open scenario's simulation store and draws its results on the canvas —
 * only while there are results, so editing without them runs React Flow's own edges untouched.
 */
export function SimulationHost({ children }: { children: ReactNode }) {
  const client = useMemo(() => new SimulationClient(spawnWorker), []);
  const store = useMemo(() => createSimulationStore(client), [client]);
  const shown = useStore(store, (s) => s.a !== null);
  useEffect(() => () => client.dispose(), [client]);
  return (
    <SimulationStoreContext.Provider value={store}>
      <CanvasExtensionsContext.Provider value={shown ? SIMULATION_CANVAS : NOTHING}>{children}</CanvasExtensionsContext.Provider>
    </SimulationStoreContext.Provider>
  );
}

/** The toolbar's button that opens and closes the panel. */
export function SimulationButton() {
  const { t } = useTranslation();
  const store = useSimulationStore();
  const open = useSimulation((s) => s.open);
  return (
    <button data-testid="simulate" aria-pressed={open} className={open ? 'active' : undefined} onClick={() => store.getState().setOpen(!open)}>
      ▶ {t('simulation.button')}
    </button>
  );
}

/** The panel while it is open, else what the slot holds otherwise (the inspector). */
export function SimulationSlot({ scenario, children }: { scenario: ScenarioSummary; children: ReactNode }) {
  const open = useSimulation((s) => s.open);
  return open ? <SimulationPanel scenario={scenario} /> : <>{children}</>;
}
