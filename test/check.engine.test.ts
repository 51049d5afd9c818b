import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FactsCache } from '../src/checks/factsCache.js';
import { runChecks } from '../src/checks/runChecks.js';
import { baseEntriesOf, stagedChanges } from '../src/git/queries.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { DEFAULT_POLICY, minimalGitops } from './helpers/gitops.js';
import { createRepo, type TestRepo } from './helpers/repo.js';
import { tempDir } from './helpers/tmp.js';

/**
 * The engine in this process, for what a CLI run does not show: which threads it starts and what
 * it reads. Worker threads are replaced by a recorder (the in-thread path gives the same findings).
 */
const started = vi.hoisted(() => ({ workers: 0 }));
vi.mock('node:worker_threads', async (original) => ({
  ...(await original<typeof import('node:worker_threads')>()),
  Worker: class {
    constructor() {
      started.workers++;
    }
    on() {}
    off() {}
    postMessage() {}
    terminate() {
      return Promise.resolve(0);
    }
  },
}));

const policy = parsePolicy(DEFAULT_POLICY, 'wxo-policy.yaml', DEFAULT_POLICY);
const gitTrace = () => {
  const file = join(tempDir(), 'trace');
  writeFileSync(file, '');
  process.env.GIT_TRACE = file;
  return () =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /git cat-file --batch$/.test(l)).length;
};
afterEach(() => {
  delete process.env.GIT_TRACE;
  vi.restoreAllMocks();
  started.workers = 0;
});

describe('the engine does only the work a check needs', () => {
  it('starts no worker threads for a whole snapshot of a few files', async () => {
    const repo = createRepo({ branch: 'develop' });
    repo.write(minimalGitops());
    const head = repo.commitAll('initial');
    const result = await runChecks({ root: repo.dir, policy, source: { type: 'commit', rev: head }, jobs: 4 });
    expect(result.filesChecked).toBe(5);
    expect(started.workers).toBe(0);
  });

  it('a change to documents only reads neither values.yaml nor the facts cache', async () => {
    const repo = createRepo({ branch: 'develop' });
    repo.write({ ...minimalGitops(), 'docs/guide.md': '# Guide\n' });
    const head = repo.commitAll('initial');
    repo.write({ 'docs/guide.md': '# Guide\n\nMore.\n' });
    repo.run('add', 'docs/guide.md');
    // Unstaged edits on top: a file is then read from git (the work tree no longer holds its blob), where the trace counts it.
    repo.write({
      'docs/guide.md': '# Guide\n\nMore, unstaged.\n',
      'values.yaml': `${readFileSync(join(repo.dir, 'values.yaml'), 'utf8')}# unstaged\n`,
    });
    const load = vi.spyOn(FactsCache, 'load');
    const blobReads = gitTrace();
    const change = stagedChange(repo, head);
    const result = await runChecks({
      root: repo.dir,
      policy,
      source: { type: 'index' },
      paths: ['docs/guide.md'],
      change,
      cacheDir: join(repo.dir, '.git'),
    });
    expect(result.findings).toEqual([]);
    expect(load).not.toHaveBeenCalled();
    expect(blobReads()).toBe(1); // the document itself
  });

  it('a staged values.yaml is read once (and its committed version once: what the change removed)', async () => {
    const repo = createRepo({ branch: 'develop' });
    repo.write(minimalGitops());
    const head = repo.commitAll('initial');
    const cacheDir = join(repo.dir, '.git');
    await runChecks({ root: repo.dir, policy, source: { type: 'commit', rev: head }, cacheDir });
    repo.write({ 'values.yaml': `${readFileSync(join(repo.dir, 'values.yaml'), 'utf8')}    other: x\n` });
    repo.run('add', 'values.yaml');
    repo.write({ 'values.yaml': `${readFileSync(join(repo.dir, 'values.yaml'), 'utf8')}# unstaged\n` }); // read from git, counted
    const blobReads = gitTrace();
    const change = stagedChange(repo, head);
    const result = await runChecks({ root: repo.dir, policy, source: { type: 'index' }, paths: ['values.yaml'], change, cacheDir });
    expect(result.findings).toEqual([]);
    expect(blobReads()).toBe(2);
  });
});

/** The staged change as the pre-commit's scope gives it to the engine: its paths and their blobs at the base. */
function stagedChange(repo: TestRepo, head: string) {
  const changes = stagedChanges(repo.dir, head);
  return { base: { type: 'commit' as const, rev: head }, paths: changes.map((c) => c.path), entries: baseEntriesOf(changes) };
}
