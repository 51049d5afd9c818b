import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexFileOf, parseIndex as visitIndex, readIndex as visitIndexOf } from '../src/git/readIndex.js';
import { listSnapshot } from '../src/snapshot/snapshot.js';
import { createRepo, type TestRepo } from './helpers/repo.js';
import { tempDir } from './helpers/tmp.js';

/*
 * The index reader against git itself: on real repositories in many states, what readIndex
 * returns is byte for byte what `git ls-files -s -z` prints — or it returns nothing, and the
 * listing comes from git as before.
 */

interface IndexRecord {
  mode: number;
  oid: string;
  stage: number;
  path: string;
}

/** What the reader visits, collected; undefined where it leaves the listing to git. */
function parseIndex(data: Buffer): IndexRecord[] | undefined {
  const records: IndexRecord[] = [];
  return visitIndex(data, (mode, oid, stage, path) => records.push({ mode, oid, stage, path })) ? records : undefined;
}

function readIndex(root: string, gitDir: string, env: NodeJS.ProcessEnv): IndexRecord[] | undefined {
  const records: IndexRecord[] = [];
  return visitIndexOf(root, gitDir, (mode, oid, stage, path) => records.push({ mode, oid, stage, path }), env) ? records : undefined;
}

function lsFiles(dir: string, env: NodeJS.ProcessEnv): { status: number; stdout: string } {
  const r = spawnSync('git', ['ls-files', '-s', '-z'], { cwd: dir, env, maxBuffer: 1 << 28 });
  return { status: r.status ?? -1, stdout: r.stdout.toString('utf8') };
}

const asLsFiles = (records: readonly IndexRecord[]) =>
  records.map((r) => `${r.mode.toString(8).padStart(6, '0')} ${r.oid} ${r.stage}\t${r.path}\0`).join('');

const gitDirOf = (repo: TestRepo, dir = repo.dir) =>
  execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-dir'], { cwd: dir, env: repo.env, encoding: 'utf8' }).trim();

/** The reader answers, with exactly git's listing. */
function expectSameAsGit(repo: TestRepo, { dir = repo.dir, env = repo.env } = {}): IndexRecord[] {
  const records = readIndex(dir, gitDirOf(repo, dir), env);
  expect(records, 'the reader answers').toBeDefined();
  const git = lsFiles(dir, env);
  expect(git.status).toBe(0);
  expect(asLsFiles(records!)).toBe(git.stdout);
  return records!;
}

/** The reader leaves it to git; listSnapshot, given the git dir, still lists what git lists. */
function expectFallback(repo: TestRepo, { dir = repo.dir, env = repo.env } = {}): void {
  const gitDir = gitDirOf(repo, dir);
  expect(readIndex(dir, gitDir, env)).toBeUndefined();
  if (env === repo.env) expect(listSnapshot(dir, { type: 'index' }, { gitDir })).toEqual(listSnapshot(dir, { type: 'index' }));
}

const indexVersion = (file: string) => readFileSync(file).readUInt32BE(4);

/** Adds index entries as `git update-index --index-info` takes them: any bytes as a path, any stage. */
function addEntries(repo: TestRepo, entries: { mode?: string; oid: string; stage?: number; path: string | Buffer }[]): void {
  const input = Buffer.concat(
    entries.map((e) =>
      Buffer.concat([Buffer.from(`${e.mode ?? '100644'} ${e.oid} ${e.stage ?? 0}\t`), Buffer.from(e.path), Buffer.from([0])]),
    ),
  );
  execFileSync('git', ['update-index', '--add', '-z', '--index-info'], { cwd: repo.dir, env: repo.env, input });
}

const blob = (repo: TestRepo, text: string) =>
  execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo.dir, env: repo.env, input: text, encoding: 'utf8' }).trim();

/** A repository whose index holds files, an executable, a symlink, a submodule and odd names. */
function variedRepo(options: { objectFormat?: 'sha256' } = {}): TestRepo {
  const repo = createRepo();
  if (options.objectFormat) {
    rmSync(join(repo.dir, '.git'), { recursive: true, force: true });
    repo.run('init', '-q', '-b', 'main', `--object-format=${options.objectFormat}`);
  }
  repo.write({
    'a.txt': 'a\n',
    'a-b/x.txt': 'x\n',
    'a/b.txt': 'b\n',
    'a.b': 'dot\n',
    'deep/er/still/deeper/file.yaml': 'k: v\n',
    'deep/er/still/deeper/other.yaml': 'k: w\n',
    'name with spaces.md': '# s\n',
    'résumé/日本語.txt': 'unicode\n',
    'run.sh': '#!/bin/sh\n',
  });
  execFileSync('chmod', ['+x', join(repo.dir, 'run.sh')]);
  symlinkSync('a.txt', join(repo.dir, 'link-to-a'));
  repo.run('add', '-A');
  const oid = blob(repo, 'odd\n');
  addEntries(repo, [
    { mode: '160000', oid, path: 'vendor/sub' }, // git does not look the commit up
    { oid, path: 'tab\there' },
    { oid, path: 'new\nline' },
    { oid, path: Buffer.from([0x6e, 0x6f, 0x74, 0xfe, 0x2e, 0x74, 0x78, 0x74]) }, // not UTF-8
    { oid, path: Buffer.from([0x6e, 0x6f, 0x74, 0xfe, 0x78]) }, // sorts between the two that decode alike
    { oid, path: Buffer.from([0x6e, 0x6f, 0x74, 0xff, 0x2e, 0x74, 0x78, 0x74]) }, // decodes as the first
    { oid, path: Buffer.from([0x63, 0x75, 0x74, 0xe2, 0x82]) }, // a sequence cut short at the end
  ]);
  return repo;
}

describe('readIndex: the same listing as git ls-files -s -z', () => {
  it('index v2: files, an executable, a symlink, a submodule, odd and non-UTF-8 names, a name past 4 KB', () => {
    const repo = variedRepo();
    addEntries(repo, [{ oid: blob(repo, 'long\n'), path: `long/${'n'.repeat(5000)}` }]); // past the 12-bit name length
    expect(indexVersion(join(repo.dir, '.git', 'index'))).toBe(2);
    const records = expectSameAsGit(repo);
    expect(records.map((r) => r.mode.toString(8))).toEqual(expect.arrayContaining(['100644', '100755', '120000', '160000']));
    expect(records.filter((r) => r.path === 'not\ufffd.txt')).toHaveLength(2);
    // listSnapshot leaves out the symlink and the submodule, and lists the two names that decode alike once.
    const gitDir = gitDirOf(repo);
    const listed = listSnapshot(repo.dir, { type: 'index' }, { gitDir });
    expect(listed).toEqual(listSnapshot(repo.dir, { type: 'index' }));
    expect(listed.map((e) => e.path)).not.toContain('link-to-a');
    expect(listed.map((e) => e.path)).not.toContain('vendor/sub');
    expect(listed.filter((e) => e.path === 'not\ufffd.txt')).toHaveLength(1);
    expect(listSnapshot(repo.dir, { type: 'worktree' }, { gitDir })).toEqual(listSnapshot(repo.dir, { type: 'worktree' }));
  });

  it('index v3: intent-to-add (the empty blob, as ls-files prints it) and skip-worktree entries', () => {
    const repo = variedRepo();
    repo.write({ 'later.txt': 'not yet\n' });
    repo.run('add', '-N', 'later.txt');
    repo.run('update-index', '--skip-worktree', 'a.txt');
    expect(indexVersion(join(repo.dir, '.git', 'index'))).toBe(3);
    const records = expectSameAsGit(repo);
    expect(records.find((r) => r.path === 'later.txt')?.oid).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    expect(listSnapshot(repo.dir, { type: 'index' }, { gitDir: gitDirOf(repo) })).toEqual(listSnapshot(repo.dir, { type: 'index' }));
  });

  it('index v4: names compressed against the previous one', () => {
    const repo = variedRepo();
    repo.write({ 'later.txt': 'not yet\n' });
    repo.run('add', '-N', 'later.txt');
    repo.run('update-index', '--index-version', '4');
    expect(indexVersion(join(repo.dir, '.git', 'index'))).toBe(4);
    expectSameAsGit(repo);
    expect(listSnapshot(repo.dir, { type: 'index' }, { gitDir: gitDirOf(repo) })).toEqual(listSnapshot(repo.dir, { type: 'index' }));
  });

  it('a merge conflict: every stage listed, listSnapshot keeps the first of each path as before', () => {
    const repo = createRepo();
    repo.write({ 'both.txt': 'base\n', 'gone.txt': 'base\n', 'calm.txt': 'calm\n' });
    repo.commitAll('base');
    repo.run('switch', '-q', '-c', 'other');
    repo.write({ 'both.txt': 'theirs\n', 'gone.txt': 'theirs\n', 'added.txt': 'theirs\n' });
    repo.commitAll('theirs');
    repo.run('switch', '-q', 'main');
    repo.write({ 'both.txt': 'ours\n', 'added.txt': 'ours\n' });
    repo.run('rm', '-q', 'gone.txt');
    repo.commitAll('ours');
    expect(repo.attempt('merge', '-q', 'other').status).not.toBe(0);
    const records = expectSameAsGit(repo);
    expect(records.filter((r) => r.path === 'both.txt').map((r) => r.stage)).toEqual([1, 2, 3]);
    expect(records.filter((r) => r.path === 'added.txt').map((r) => r.stage)).toEqual([2, 3]);
    expect(records.filter((r) => r.path === 'gone.txt').map((r) => r.stage)).toEqual([1, 3]);
    // A conflict whose first side is a symlink: the first side that is a file counts.
    const [base, file] = [blob(repo, 'target'), blob(repo, 'file\n')];
    addEntries(repo, [
      { mode: '120000', oid: base, stage: 1, path: 'mixed' },
      { oid: file, stage: 2, path: 'mixed' },
      { oid: base, stage: 3, path: 'mixed' },
    ]);
    const gitDir = gitDirOf(repo);
    const listed = listSnapshot(repo.dir, { type: 'index' }, { gitDir });
    expect(listed).toEqual(listSnapshot(repo.dir, { type: 'index' }));
    expect(listed.filter((e) => e.path === 'mixed')).toEqual([{ path: 'mixed', oid: file }]);
    expect(listed.find((e) => e.path === 'both.txt')?.oid).toBe(records.find((r) => r.path === 'both.txt' && r.stage === 1)?.oid);
    // Resolving one records resolve-undo (REUC), an extension the reader may skip.
    repo.write({ 'both.txt': 'resolved\n' });
    repo.run('add', 'both.txt');
    expect(readFileSync(join(gitDir, 'index')).includes('REUC')).toBe(true);
    expectSameAsGit(repo);
  });

  it('GIT_INDEX_FILE, relative to the top of the work tree or absolute, and missing', () => {
    const repo = variedRepo();
    repo.run('commit', '-qm', 'all', '--no-verify');
    const other = { ...repo.env, GIT_INDEX_FILE: 'other-index' };
    execFileSync('git', ['read-tree', 'HEAD'], { cwd: repo.dir, env: other });
    repo.write({ 'only-in-other.txt': 'x\n' });
    execFileSync('git', ['add', 'only-in-other.txt'], { cwd: repo.dir, env: other });
    const records = expectSameAsGit(repo, { env: other });
    expect(records.map((r) => r.path)).toContain('only-in-other.txt');
    expect(expectSameAsGit(repo).map((r) => r.path)).not.toContain('only-in-other.txt');
    expect(indexFileOf(repo.dir, gitDirOf(repo), other)).toBe(join(repo.dir, 'other-index'));
    expectSameAsGit(repo, { env: { ...repo.env, GIT_INDEX_FILE: join(repo.dir, 'other-index') } });
    // git lists a missing index as empty; the reader does not guess.
    expect(readIndex(repo.dir, gitDirOf(repo), { ...repo.env, GIT_INDEX_FILE: 'no-such-index' })).toBeUndefined();
    expect(readIndex(repo.dir, gitDirOf(repo), { ...repo.env, GIT_INDEX_FILE: '' })).toBeUndefined();
    expect(readIndex(repo.dir, gitDirOf(repo), { ...repo.env, GIT_INDEX_FILE: '.git' })).toBeUndefined(); // a directory
    expect(readIndex(repo.dir, gitDirOf(repo), { ...repo.env, GIT_INDEX_FILE: '/dev/zero' })).toBeUndefined(); // endless
    // A relative GIT_DIR is git's to resolve.
    expect(indexFileOf(repo.dir, gitDirOf(repo), { GIT_DIR: '.git' })).toBeUndefined();
  });

  it('a `git worktree add` checkout reads its own index (.git/worktrees/<name>/index)', () => {
    const repo = variedRepo();
    repo.run('commit', '-qm', 'all', '--no-verify');
    const wt = join(tempDir(), 'wt');
    repo.run('worktree', 'add', '-q', '-b', 'side', wt);
    writeFileSync(join(wt, 'side-only.txt'), 'side\n');
    execFileSync('git', ['add', 'side-only.txt'], { cwd: wt, env: repo.env });
    const gitDir = gitDirOf(repo, wt);
    expect(gitDir).toBe(join(repo.dir, '.git', 'worktrees', 'wt'));
    expect(expectSameAsGit(repo, { dir: wt }).map((r) => r.path)).toContain('side-only.txt');
    expect(expectSameAsGit(repo).map((r) => r.path)).not.toContain('side-only.txt');
  });

  it('a git dir elsewhere (--separate-git-dir, as submodules have): its index, not one next to the work tree', () => {
    const repo = createRepo();
    const elsewhere = join(tempDir(), 'separate.git');
    rmSync(join(repo.dir, '.git'), { recursive: true, force: true });
    repo.run('init', '-q', '-b', 'main', `--separate-git-dir=${elsewhere}`);
    repo.write({ 'a.txt': 'a\n', 'b/c.txt': 'c\n' });
    repo.run('add', '-A');
    expect(gitDirOf(repo)).toBe(elsewhere);
    expect(expectSameAsGit(repo).map((r) => r.path)).toEqual(['a.txt', 'b/c.txt']);
  });

  it('SHA-256 repositories: 32-byte object names', () => {
    const repo = variedRepo({ objectFormat: 'sha256' });
    const records = expectSameAsGit(repo);
    expect(records[0]!.oid).toMatch(/^[0-9a-f]{64}$/);
    repo.run('update-index', '--index-version', '4');
    expectSameAsGit(repo);
  });

  it('optional extensions (cache tree, untracked cache, end of entries, offset table) are skipped, in v2 and v4', () => {
    const repo = createRepo();
    repo.run('config', 'core.untrackedCache', 'true');
    repo.run('config', 'index.recordEndOfIndexEntries', 'true');
    repo.run('config', 'index.recordOffsetTable', 'true');
    repo.run('config', 'index.threads', '4');
    repo.write({ 'seed.txt': 'seed\n', 'untracked.txt': 'u\n' });
    repo.commitAll('seed');
    // Enough entries for git to write the offset table in blocks (v4 names restart at each block).
    const oid = blob(repo, 'many\n');
    addEntries(
      repo,
      Array.from({ length: 12_000 }, (_, i) => ({ oid, path: `d${i % 37}/sub${i % 11}/file-${String(i).padStart(5, '0')}.yaml` })),
    );
    repo.run('status', '--porcelain');
    const index = readFileSync(join(gitDirOf(repo), 'index'));
    for (const ext of ['TREE', 'UNTR', 'EOIE', 'IEOT']) expect(index.includes(ext), ext).toBe(true);
    expect(expectSameAsGit(repo)).toHaveLength(12_002);
    repo.run('update-index', '--index-version', '4');
    repo.run('status', '--porcelain');
    expect(readFileSync(join(gitDirOf(repo), 'index')).includes('IEOT')).toBe(true);
    expectSameAsGit(repo);
  });
});

describe('readIndex: git answers whatever the reader is not sure of', () => {
  it('a split index (the entries live in the shared index)', () => {
    const repo = variedRepo();
    repo.run('update-index', '--split-index');
    repo.write({ 'after-split.txt': 'x\n' });
    repo.run('add', 'after-split.txt');
    expectFallback(repo);
    expect(listSnapshot(repo.dir, { type: 'index' }, { gitDir: gitDirOf(repo) }).map((e) => e.path)).toContain('after-split.txt');
  });

  it('a sparse index (directories as entries)', () => {
    const repo = createRepo();
    repo.write({ 'in/a.txt': 'a\n', 'out/b.txt': 'b\n', 'out/deeper/c.txt': 'c\n', 'top.txt': 't\n' });
    repo.commitAll('tree');
    repo.run('sparse-checkout', 'init', '--cone', '--sparse-index');
    repo.run('sparse-checkout', 'set', 'in');
    const index = readFileSync(join(gitDirOf(repo), 'index'));
    expect(index.includes('sdir')).toBe(true);
    expectFallback(repo);
    expect(listSnapshot(repo.dir, { type: 'index' }, { gitDir: gitDirOf(repo) }).map((e) => e.path)).toContain('out/deeper/c.txt');
  });

  it('damaged files: truncated, bad signature, unknown version, bad checksum, a required extension, entries out of order', () => {
    const repo = variedRepo();
    const gitDir = gitDirOf(repo);
    const good = readFileSync(join(gitDir, 'index'));
    const withChecksum = (body: Buffer) => Buffer.concat([body, createHash('sha1').update(body).digest()]);
    const body = good.subarray(0, good.length - 20);
    const cases: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['truncated', good.subarray(0, good.length - 1)],
      ['truncated with a checksum', withChecksum(body.subarray(0, body.length - 30))],
      ['bad signature', withChecksum(Buffer.concat([Buffer.from('DIRX'), body.subarray(4)]))],
      ['version 5', withChecksum(Buffer.concat([body.subarray(0, 4), Buffer.from([0, 0, 0, 5]), body.subarray(8)]))],
      ['bad checksum', Buffer.concat([body, Buffer.alloc(20, 1)])],
      ['zero checksum (index.skipHash)', Buffer.concat([body, Buffer.alloc(20)])],
      [
        'more entries than the file holds',
        withChecksum(Buffer.concat([body.subarray(0, 8), Buffer.from([0, 0, 0xff, 0xff]), body.subarray(12)])),
      ],
      ['a required extension', withChecksum(Buffer.concat([body, Buffer.from('abcd\0\0\0\0')]))],
      ['an extension past the end', withChecksum(Buffer.concat([body, Buffer.from('ZZZZ\0\0\0\x10')]))],
    ];
    for (const [what, bytes] of cases) expect(parseIndex(bytes), what).toBeUndefined();
    // An unknown optional extension is skipped, as git skips it.
    const optional = withChecksum(Buffer.concat([body, Buffer.from('ZZZZ\0\0\0\x02ok')]));
    expect(asLsFiles(parseIndex(optional)!)).toBe(asLsFiles(parseIndex(good)!));
    // Two entries swapped: git lists them as they stand; the reader leaves such a file to git.
    const records = parseIndex(good)!;
    expect(records.length).toBeGreaterThan(3);
    const first = 12;
    const second = first + entrySize(good, first);
    const third = second + entrySize(good, second);
    const swapped = withChecksum(
      Buffer.concat([body.subarray(0, first), body.subarray(second, third), body.subarray(first, second), body.subarray(third)]),
    );
    expect(parseIndex(swapped)).toBeUndefined();
    writeFileSync(join(gitDir, 'index'), swapped);
    expectFallback(repo);
    expect(listSnapshot(repo.dir, { type: 'index' }, { gitDir }).map((e) => e.path)).toEqual(
      lsFiles(repo.dir, repo.env)
        .stdout.split('\0')
        .filter(Boolean)
        .map((r) => r.slice(r.indexOf('\t') + 1))
        .filter((p, i, all) => !['link-to-a', 'vendor/sub'].includes(p) && all.indexOf(p) === i),
    );
    // A file git cannot read: its refusal, as before.
    writeFileSync(join(gitDir, 'index'), cases.find(([what]) => what === 'bad signature')![1]);
    expect(() => listSnapshot(repo.dir, { type: 'index' }, { gitDir })).toThrow(/ls-files/);
  });

  it('random damage that keeps a valid checksum: the reader answers only with what git prints', () => {
    const repo = variedRepo();
    repo.write({ 'later.txt': 'not yet\n' });
    repo.run('add', '-N', 'later.txt');
    const gitDir = gitDirOf(repo);
    const v3 = readFileSync(join(gitDir, 'index'));
    repo.run('update-index', '--index-version', '4');
    const v4 = readFileSync(join(gitDir, 'index'));
    const file = join(tempDir(), 'damaged-index');
    const env = { ...repo.env, GIT_INDEX_FILE: file };
    let seed = 11;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let answered = 0;
    for (let round = 0; round < 160; round++) {
      const original = round % 2 ? v4 : v3;
      const body = Buffer.from(original.subarray(0, original.length - 20));
      for (let k = 1 + random(3); k > 0; k--) body[12 + random(body.length - 12)] = random(256);
      const bytes = Buffer.concat([body, createHash('sha1').update(body).digest()]);
      writeFileSync(file, bytes);
      const records = readIndex(repo.dir, gitDir, env);
      if (!records) continue;
      answered++;
      const git = lsFiles(repo.dir, env);
      expect({ round, status: git.status, listing: git.stdout }).toEqual({ round, status: 0, listing: asLsFiles(records) });
    }
    // Most damage lands in stat data, which the listing does not show: those the reader still reads.
    expect(answered).toBeGreaterThan(20);
    // Every cut of a file fails its checksum, and nothing throws.
    for (let cut = 0; cut < v4.length; cut++) expect(parseIndex(v4.subarray(0, cut))).toBeUndefined();
  });
});

/** The size of the v2/v3 entry at `at` (SHA-1): stat data, id, flags, name, NUL padding. */
function entrySize(index: Buffer, at: number): number {
  const extended = index.readUInt16BE(at + 60) & 0x4000 ? 2 : 0;
  const nameAt = at + 62 + extended;
  return (index.indexOf(0, nameAt) - at + 8) & ~7;
}
