import type { StateCreator } from 'zustand';
import type { EditorState, HistorySlice, Snapshot } from './types.ts';

/** How long typing in one field keeps adding to the same undo step. */
export const COALESCE_MS = 1500;
/** How many steps back undo reaches. */
export const HISTORY_LIMIT = 200;

function snapshot(s: EditorState): Snapshot {
  return { meta: s.meta, nodes: s.nodes, edges: s.edges };
}

/** Undo and redo over whole-document snapshots (arrays are shared, so a step costs little). */
export const createHistorySlice: StateCreator<EditorState, [], [], HistorySlice> = (set, get) => {
  const restore = (to: Snapshot, past: Snapshot[], future: Snapshot[]) => {
    const s = get();
    set({
      ...to,
      past,
      future,
      lastCapture: null,
      dragging: false,
      revision: s.revision + 1,
      structure: s.structure + 1,
      selectedNodes: to.nodes.filter((n) => n.selected).map((n) => n.id),
      selectedEdges: to.edges.filter((e) => e.selected).map((e) => e.id),
    });
  };
  return {
    past: [],
    future: [],
    lastCapture: null,
    dragging: false,

    capture(policy) {
      if (policy === 'never') return;
      const s = get();
      const now = Date.now();
      if (typeof policy === 'object') {
        const last = s.lastCapture;
        if (last && last.key === policy.coalesce && now - last.at < COALESCE_MS) {
          set({ lastCapture: { key: policy.coalesce, at: now } });
          return;
        }
      }
      set({
        past: [...s.past.slice(-(HISTORY_LIMIT - 1)), snapshot(s)],
        future: [],
        lastCapture: typeof policy === 'object' ? { key: policy.coalesce, at: now } : null,
      });
    },

    undo() {
      const s = get();
      const to = s.past[s.past.length - 1];
      if (!to || s.readOnly) return;
      restore(to, s.past.slice(0, -1), [snapshot(s), ...s.future]);
    },

    redo() {
      const s = get();
      const [to, ...rest] = s.future;
      if (!to || s.readOnly) return;
      restore(to, [...s.past, snapshot(s)], rest);
    },
  };
};
