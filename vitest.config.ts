import { defineConfig } from 'vitest/config';

// The main suite: files run in parallel. Timing-sensitive tests (*.timing.test.ts: client timing
// against the simulator's ground truth, the simulator's own write lateness) run afterwards, one
// file at a time, from vitest.timing.config.ts, so other test files do not steal their CPU.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.timing.test.ts', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-results.json' },
  },
});
