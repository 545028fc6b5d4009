import { useEffect } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { api } from '../api/client.ts';
import type { EditorState } from '../store/types.ts';

/** How often live counts are fetched. */
export const LIVE_POLL_MS = 3000;

/**
 * Polls how many leads are at each node now, have passed it and ended there
 * (GET /scenarios/:id/node-counts) while the scenario has a published version; a read-only
 * version shows its own leads only.
 */
export function useLiveCounts(store: StoreApi<EditorState>, scenarioId: string, published: boolean, version: number | null): void {
  useEffect(() => {
    if (!published) {
      store.getState().setLive(null);
      return;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const items = await api.counts(scenarioId, version ?? undefined);
        if (live) store.getState().setLive(items);
      } catch {
        // A missed poll is retried on the next tick; the canvas keeps the last counts.
      }
      if (live) timer = setTimeout(() => void poll(), document.hidden ? LIVE_POLL_MS * 5 : LIVE_POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [store, scenarioId, published, version]);
}
