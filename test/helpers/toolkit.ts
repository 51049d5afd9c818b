import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli, type CliResult } from './cli.js';
import type { TestRepo } from './repo.js';

/**
 * What `npm install` of the devDependencies puts in a GitOps repository, as links to this
 * project: node_modules/wxo-policy (this package, built), husky and lint-staged, and their bins.
 * Then `init`, which also runs `install` — the same as `npm install` running `prepare`.
 */
export function linkToolkit(repo: TestRepo): void {
  const nm = join(repo.dir, 'node_modules');
  mkdirSync(join(nm, '.bin'), { recursive: true });
  symlinkSync(PROJECT_ROOT, join(nm, 'wxo-policy'));
  symlinkSync(join(PROJECT_ROOT, 'node_modules', 'husky'), join(nm, 'husky'));
  symlinkSync(join(PROJECT_ROOT, 'node_modules', 'lint-staged'), join(nm, 'lint-staged'));
  symlinkSync('../wxo-policy/bin/wxo-policy.js', join(nm, '.bin', 'wxo-policy'));
  symlinkSync('../husky/bin.js', join(nm, '.bin', 'husky'));
}

export function initToolkit(repo: TestRepo, env: NodeJS.ProcessEnv = repo.env): CliResult {
  linkToolkit(repo);
  const r = runCli(['init'], { cwd: repo.dir, env });
  if (r.status !== 0) throw new Error(`init failed: ${r.output}`);
  return r;
}
