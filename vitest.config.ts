import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure functions, in process: seconds) and `e2e` (real git, hooks, child
 * processes, the built CLI). `npm run test:unit` / `npm run test:e2e` run one; `npm test` both.
 * A new unit test file is named `*.unit.test.ts`.
 */
const UNIT = [
  'test/**/*.unit.test.ts',
  'test/core.test.ts',
  'test/environments.test.ts',
  'test/fastYaml.test.ts',
  'test/kinds.test.ts',
  'test/schemas.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests drive real git in temporary repositories: forks keep their environments apart.
    pool: 'forks',
    // Vitest's default (cores - 1) runs the files one at a time on 2 cores. An end-to-end test
    // mostly waits on the git and node processes it starts, each on one core: as many files at once
    // as there are cores keeps both busy (the whole suite in about half the wall time).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      // The end-to-end tests drive dist/: they refuse to run on a dist/ older than src/.
      { extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'], exclude: UNIT, globalSetup: ['./test/helpers/distFresh.ts'] } },
    ],
  },
});
