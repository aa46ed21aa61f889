import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI end-to-end tests spawn node processes; keep them from starving each other on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
