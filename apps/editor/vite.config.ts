import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The editor is served by the runtime at `/` (see apps/runtime/src/main.ts); in development vite
// proxies the API to a runtime on port 3000.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One vendor chunk keeps the first load to a few requests; the editor is one screen.
    chunkSizeWarningLimit: 2000,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
