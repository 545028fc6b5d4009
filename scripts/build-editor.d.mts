/** True when the built editor is missing or older than one of its sources. */
export function editorIsStale(): boolean;
/** Builds the editor if it is stale; false when the build failed. */
export function ensureEditorBuilt(options?: { quiet?: boolean }): boolean;
