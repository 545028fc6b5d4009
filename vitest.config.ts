import { defineConfig } from 'vitest/config';

// One runner over the whole workspace: every package's `*.test.ts` beside its code, plus e2e/.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
