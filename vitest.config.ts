import { defineConfig } from 'vitest/config';

// Tests import packages through the "source" export condition, so they run on the
// TypeScript sources; `npm test` still type-checks and builds first (workers load dist/).
export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
