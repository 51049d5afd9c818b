import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests drive real git in temporary repositories: forks keep their environments apart.
    pool: 'forks',
  },
});
