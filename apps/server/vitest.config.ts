import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The tests build images on the engine through the server, and some wait for a queue.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // One file at a time: the engine and the two cores are shared.
    maxWorkers: 1,
  },
});
