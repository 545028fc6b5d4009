import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { EditorState } from './types.ts';

/** The open scenario's store, provided by the editor page. */
export const EditorStoreContext = createContext<StoreApi<EditorState> | null>(null);

/** The open scenario's store itself, for actions and reads outside rendering. */
export function useEditorStore(): StoreApi<EditorState> {
  const store = useContext(EditorStoreContext);
  if (!store) throw new Error('useEditorStore outside an editor');
  return store;
}

/** A slice of the open scenario's state; the component re-renders only when it changes. */
export function useEditor<U>(selector: (s: EditorState) => U): U {
  return useStore(useEditorStore(), selector);
}
