// Test runner settings. Unit and structure tests run first, a file per core. Tests on real UML guests run two files
// at a time: a guest spends most of a test waiting (on its boot, its console, MConsole), so two files overlap well
// on two cores; UMUX_TEST_FILES_AT_ONCE=1 runs them one at a time. Their tests may take 90 s (a cap on a hang: each
// wait inside has its own deadline), as two files booting guests at once slow each other.
import { defineConfig } from 'vitest/config';

const guestFilesAtOnce = Number(process.env.UMUX_TEST_FILES_AT_ONCE ?? 2);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/structure/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'guests',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          maxWorkers: guestFilesAtOnce,
          testTimeout: 90_000,
          hookTimeout: 90_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
