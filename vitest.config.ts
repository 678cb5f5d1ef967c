import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests import packages through the "source" export condition, so they run on the TypeScript
// sources, never on a stale dist/; `npm test` still type-checks and builds first (workers load dist/).
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // Some suites solve or train in beforeAll; on a loaded 2-core machine that takes more than the 10 s default.
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
