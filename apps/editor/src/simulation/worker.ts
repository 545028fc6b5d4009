// The web worker the simulation panel runs in (vite: `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`).
import { serveEditorWorker, type EditorWorkerScope } from './worker-handler.ts';

serveEditorWorker(self as unknown as EditorWorkerScope);
