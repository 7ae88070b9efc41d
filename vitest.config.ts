// Test runner settings: unit tests are quick; integration tests boot real UML guests, so they run one file at a
// time (two cores, and every guest is a handful of host processes) with generous per-test timeouts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    fileParallelism: false,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
