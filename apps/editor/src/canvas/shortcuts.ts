import { useEffect } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { EditorState } from '../store/types.ts';

/** What the keyboard shortcuts do besides the store's own actions. */
export interface ShortcutActions {
  fitView(): void;
  layout(): void;
  /** Where the pointer last was on the canvas, in flow coordinates: a paste lands there. */
  pointer(): { x: number; y: number } | undefined;
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The canvas's keyboard shortcuts: undo / redo, copy / paste / duplicate, select all, delete,
 * auto-layout (L) and fit view (F). Keys typed into a form field stay the field's.
 */
export function useShortcuts(store: StoreApi<EditorState>, actions: ShortcutActions): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target)) return;
      const s = store.getState();
      const mod = e.metaKey || e.ctrlKey;
      const key = e.key.toLowerCase();
      let handled = true;
      if (mod && key === 'z' && !e.shiftKey) s.undo();
      else if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) s.redo();
      else if (mod && key === 'c') s.copySelected();
      else if (mod && key === 'v') s.paste(actions.pointer());
      else if (mod && key === 'd') s.duplicateSelected();
      else if (mod && key === 'a') s.selectAll();
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) s.deleteSelected();
      else if (!mod && !e.altKey && key === 'l') actions.layout();
      else if (!mod && !e.altKey && key === 'f') actions.fitView();
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, actions]);
}
