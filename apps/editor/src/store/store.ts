import { createStore, type StoreApi } from 'zustand/vanilla';
import { createDocumentSlice } from './document-slice.ts';
import { createHistorySlice } from './history-slice.ts';
import { createValidationSlice } from './validation-slice.ts';
import type { EditorState, LiveCount } from './types.ts';

const ENDED = new Set(['completed', 'exited', 'failed']);

/** One editor's store: document, history, selection, ui, live counts and validation slices. */
export function createEditorStore(): StoreApi<EditorState> {
  return createStore<EditorState>()((set, get, api) => ({
    ...createDocumentSlice(set, get, api),
    ...createHistorySlice(set, get, api),
    ...createValidationSlice(set, get, api),
    selectedNodes: [],
    selectedEdges: [],
    focus: null,
    clip: null,
    focusNode(id) {
      get().selectNode(id);
      set({ focus: { id, seq: (get().focus?.seq ?? 0) + 1 } });
    },
    live: null,
    setLive(items) {
      if (items === null) return set({ live: null });
      const live: Record<string, LiveCount> = {};
      for (const { nodeId, status, count } of items) {
        if (nodeId === null) continue;
        const c = (live[nodeId] ??= { now: 0, ended: 0 });
        if (ENDED.has(status)) c.ended += count;
        else c.now += count;
      }
      set({ live });
    },
  }));
}

export type { EditorState } from './types.ts';
