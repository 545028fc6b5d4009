import { useCallback, useEffect, useRef, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { api } from '../api/client.ts';
import { toEditorDocument } from '../document/types.ts';
import type { EditorState } from '../store/types.ts';

/** Where the draft stands against the server. */
export type SaveState = { state: 'saved' | 'saving' | 'unsaved' } | { state: 'failed'; message: string };

/** How long after the last change the draft is saved. */
export const SAVE_DELAY_MS = 700;

/**
 * Saves the draft (the editor document; the runtime compiles it) a moment after each change, one
 * save at a time, and again if something changed while saving. `flush` saves now and resolves once
 * the server has everything (publishing waits for it).
 */
export function useAutosave(store: StoreApi<EditorState>, scenarioId: string, enabled: boolean): { save: SaveState; flush: () => Promise<void> } {
  const [save, setSave] = useState<SaveState>({ state: 'saved' });
  const saved = useRef(0);
  const running = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const run = useCallback(async (): Promise<void> => {
    while (running.current) await running.current;
    const s = store.getState();
    if (!s.meta || s.revision === saved.current) return;
    const revision = s.revision;
    setSave({ state: 'saving' });
    const work = api.saveDraft(scenarioId, toEditorDocument({ meta: s.meta, nodes: s.nodes, edges: s.edges })).then(
      () => {
        saved.current = revision;
        setSave(store.getState().revision === revision ? { state: 'saved' } : { state: 'unsaved' });
      },
      (e: unknown) => setSave({ state: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
    running.current = work;
    await work;
    running.current = null;
  }, [store, scenarioId]);

  useEffect(() => {
    if (!enabled) return;
    saved.current = store.getState().revision;
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.revision === prev.revision || s.revision === saved.current || s.readOnly) return;
      setSave((x) => (x.state === 'saving' ? x : { state: 'unsaved' }));
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void run(), SAVE_DELAY_MS);
    });
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (store.getState().revision !== saved.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      unsubscribe();
      window.removeEventListener('beforeunload', beforeUnload);
      if (timer.current) clearTimeout(timer.current);
      // Leaving the editor saves what is left.
      void run();
    };
  }, [store, enabled, run]);

  const flush = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    await run();
    if (store.getState().revision !== saved.current) throw new Error('the draft could not be saved');
  }, [run, store]);

  return { save, flush };
}
