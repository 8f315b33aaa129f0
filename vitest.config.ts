import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests of pure logic, end-to-end tests on real X displays, and the one
// timing test run alone after them.
// On CI an end-to-end test gets one retry: 2 shared cores and a dozen X displays make timing vary
// more than on a desk. Every retried pass is listed at the end by the flaky reporter, never hidden.
const retry = process.env['CI'] ? 1 : 0;

export default defineConfig({
  test: {
    reporters: ['default', './e2e/support/flaky-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['agents/**/*.test.ts', 'renderer/**/*.test.ts'],
          pool: 'forks',
          // Several tests drive the real loop, SQLite and sharp: 5 s is too tight on 2 busy cores.
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          exclude: ['e2e/abort.test.ts'],
          pool: 'forks',
          sequence: { groupOrder: 1 },
          globalSetup: ['e2e/system-check.ts'],
          retry,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file starts its own displays; two at a time suits these 2-core machines.
          maxWorkers: 2,
          fileParallelism: true,
        },
      },
      {
        test: {
          // Asserts input stops within 100 ms of abort: run alone, after the rest, so load cannot skew it.
          name: 'e2e-timing',
          include: ['e2e/abort.test.ts'],
          pool: 'forks',
          sequence: { groupOrder: 2 },
          globalSetup: ['e2e/system-check.ts'],
          retry,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
