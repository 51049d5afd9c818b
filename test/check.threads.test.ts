import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_FILES_FOR_WORKERS } from '../src/checks/analyzeMany.js';
import { indexHasAtLeast } from '../src/checks/workerPool.js';
import { runCli } from './helpers/cli.js';
import { minimalGitops } from './helpers/gitops.js';
import { createRepo, type TestRepo } from './helpers/repo.js';
import { fake } from './helpers/secrets.js';

/*
 * `check --all` starts its worker threads before it reads git and the policy, when the index says
 * the repository is big enough to need them, and asks `git status` in the background: the same
 * findings as one thread, the warning about uncommitted changes still given.
 */

const check = (repo: TestRepo, ...args: string[]) => runCli(['check', ...args], { cwd: repo.dir, env: repo.env });

function bigRepo(agents: number): TestRepo {
  const repo = createRepo({ branch: 'develop' });
  repo.write(minimalGitops('dev-qa-tenant', '1.2.3'));
  const files: Record<string, string> = {};
  for (let i = 0; i < agents; i++)
    files[`agents/agent_${i}.yaml`] =
      `spec_version: v1\nkind: native\nname: agent_${i}\ndescription: d\nllm: \${values.llm.default}\ntools: [${i % 50 === 0 ? 'missing_tool' : ''}]\n` +
      (i % 70 === 0 ? `password: ${fake.password()}\n` : '');
  repo.write(files);
  repo.commitAll('many agents');
  return repo;
}

describe('check --all on threads started early', () => {
  it('reads the number of files from the index header', () => {
    const small = createRepo({ branch: 'develop' });
    small.write(minimalGitops('dev-qa-tenant', '1.2.3'));
    small.commitAll('initial');
    const gitDir = join(small.dir, '.git');
    expect(indexHasAtLeast(gitDir, 1)).toBe(true);
    expect(indexHasAtLeast(gitDir, MIN_FILES_FOR_WORKERS)).toBe(false);
    expect(indexHasAtLeast(join(small.dir, 'no-such-dir'), 1)).toBe(false);
    expect(indexHasAtLeast(join(bigRepo(MIN_FILES_FOR_WORKERS).dir, '.git'), MIN_FILES_FOR_WORKERS)).toBe(true);
  });

  it('finds what one thread finds, and still says when the work tree has uncommitted changes', () => {
    const repo = bigRepo(MIN_FILES_FOR_WORKERS + 40);
    const one = check(repo, '--all', '--jobs', '1', '--format', 'json');
    const two = check(repo, '--all', '--jobs', '2', '--format', 'json');
    expect(one.status).toBe(1);
    const findings = JSON.parse(one.stdout).findings as { rule: string }[];
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(['secrets', 'schema', 'references']));
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).not.toContain('uncommitted');

    repo.write({ 'notes.txt': 'not committed\n' });
    const dirty = check(repo, '--all', '--jobs', '2', '--format', 'json');
    expect(dirty.stdout).toBe(one.stdout);
    expect(dirty.stderr).toContain('the work tree has uncommitted changes that were not judged');
  });
});
