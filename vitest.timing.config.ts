import { defineConfig } from 'vitest/config';

// Timing-sensitive tests, run alone and one file at a time (see vitest.config.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.timing.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-timing-results.json' },
  },
});
