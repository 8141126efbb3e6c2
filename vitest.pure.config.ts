import { defineConfig } from 'vitest/config';

// Pure unit tests (no built workers needed): `npx vitest run -c vitest.pure.config.ts test/unit/ml-….test.ts`.
// Skips the global build, so several of these can run while another build is going on.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    reporters: ['default'],
  },
});
