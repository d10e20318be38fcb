import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Engine tests create, run and commit containers: seconds each, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two files at a time: the machine has two cores and the engine is shared.
    maxWorkers: 2,
  },
});
