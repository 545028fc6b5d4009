import { createStore, type StoreApi } from 'zustand/vanilla';
import { createDocumentSlice } from './document-slice.ts';
import { createHistorySlice } from './history-slice.ts';
import { createValidationSlice } from './validation-slice.ts';
import type { EditorState, LiveCount } from './types.ts';

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
      // Nodes no lead has reached are left out: the canvas shows counts where there are some.
      for (const { nodeId, now, passed, ended } of items) if (now + passed + ended > 0) live[nodeId] = { now, passed, ended };
      set({ live });
    },
  }));
}

export type { EditorState } from './types.ts';
