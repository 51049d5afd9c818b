import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
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

/**
 * The end-to-end files that take longest (CPU seconds of `npm test`, longest first): they start
 * first, so the workers finish together instead of one of them running a long file at the end.
 * Vitest alone orders by the durations of the last run on this machine, and on a fresh clone
 * (CI) by file size, which puts short files with a slow npm install near the end.
 */
const SLOWEST = [
  'test/install.sources.test.ts',
  'test/live.drift.test.ts',
  'test/governance.tutorial.test.ts',
  'test/deploy.full.test.ts',
  'test/security.test.ts',
  'test/deploy.rollback.test.ts',
  'test/adk.deploy.test.ts',
  'test/hooks.test.ts',
  'test/deploy.changes.test.ts',
  'test/governance.reset.test.ts',
  'test/deploy.failures.test.ts',
  'test/adoption.test.ts',
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const i = SLOWEST.indexOf(relative(file.project.config.root, file.moduleId).split('\\').join('/'));
      return i < 0 ? SLOWEST.length : i;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

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
    sequence: { sequencer: SlowestFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      // The end-to-end tests drive dist/: they refuse to run on a dist/ older than src/. They share
      // one directory per run (runDir.ts) for set-ups built once for all files (runTemplate).
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: UNIT,
          globalSetup: ['./test/helpers/distFresh.ts', './test/helpers/runDir.ts'],
        },
      },
    ],
  },
});
