import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { SimulationState } from './store.ts';

/** The open scenario's simulation store, provided by the simulation host. */
export const SimulationStoreContext = createContext<StoreApi<SimulationState> | null>(null);

/** The simulation store itself, for actions. */
export function useSimulationStore(): StoreApi<SimulationState> {
  const store = useContext(SimulationStoreContext);
  if (!store) throw new Error('useSimulationStore outside a simulation host');
  return store;
}

/** A slice of the simulation's state; the component re-renders only when it changes. */
export function useSimulation<U>(selector: (s: SimulationState) => U): U {
  return useStore(useSimulationStore(), selector);
}
