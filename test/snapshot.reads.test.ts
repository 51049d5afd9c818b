import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEntriesOf, diffCommits, stagedChanges } from '../src/git/queries.js';
import { listSnapshot, readSnapshot, type SnapshotEntry, type SnapshotSource } from '../src/snapshot/snapshot.js';
import { createRepo, type TestRepo } from './helpers/repo.js';
import { tempDir } from './helpers/tmp.js';

/**
 * How files of the index or a commit are read: from the work tree where it holds the blob's bytes
 * (checked by hashing them as git does), from git otherwise — and which git processes that takes,
 * from git's own trace (every git started inherits GIT_TRACE2_EVENT).
 */
async function readTraced(root: string, source: SnapshotSource, entries: readonly SnapshotEntry[]) {
  const trace = join(tempDir(), 'trace.json');
  process.env.GIT_TRACE2_EVENT = trace;
  try {
    const files: { path: string; content?: string; error?: string }[] = [];
    for await (const f of readSnapshot(root, source, entries))
      files.push({
        path: f.entry.path,
        ...(f.content ? { content: f.content.toString('utf8') } : {}),
        ...(f.error ? { error: f.error } : {}),
      });
    const events = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
    const gitCalls = events
      .map((l) => JSON.parse(l) as { event: string; argv?: string[] })
      .filter((e) => e.event === 'start')
      .map((e) => e.argv!.slice(1).join(' '));
    return { files, gitCalls };
  } finally {
    delete process.env.GIT_TRACE2_EVENT;
  }
}

/** What git holds for each path of the index (or `rev`), for comparison. */
const blobs = (repo: TestRepo, paths: readonly string[], rev = '') =>
  paths.map((path) => ({
    path,
    content: execFileSync('git', ['cat-file', 'blob', `${rev}:${path}`], { cwd: repo.dir, encoding: 'utf8' }),
  }));

function stagedRepo(options: { objectFormat?: 'sha256' } = {}): TestRepo {
  const repo = createRepo();
  if (options.objectFormat) {
    rmSync(join(repo.dir, '.git'), { recursive: true, force: true });
    repo.run('init', '-q', '--object-format', options.objectFormat, '-b', 'main');
  }
  repo.write({ 'a.yaml': 'a: 1\n', 'dir/b.yaml': 'b: 2\n', 'dir/c.yaml': 'c: 3\n', 'odd name ü\t"q".yaml': 'odd: 4\n' });
  repo.run('add', '-A');
  return repo;
}

describe('reading the index and commits', () => {
  it('takes the bytes the work tree holds without starting git; a file edited after staging comes from git, in order', async () => {
    const repo = stagedRepo();
    const entries = listSnapshot(repo.dir, { type: 'index' });
    const paths = entries.map((e) => e.path);
    const same = await readTraced(repo.dir, { type: 'index' }, entries);
    expect(same.files).toEqual(blobs(repo, paths));
    expect(same.gitCalls).toEqual([]);

    // Staged, then edited again: the staged bytes are judged, read from git.
    writeFileSync(join(repo.dir, 'dir/b.yaml'), 'b: 2\npassword: only-in-the-work-tree\n');
    const edited = await readTraced(repo.dir, { type: 'index' }, entries);
    expect(edited.files).toEqual(blobs(repo, paths));
    expect(edited.gitCalls).toEqual(['cat-file --batch']);
  });

  it('a commit’s files too (not marked onDisk), in a sha256 repository as well', async () => {
    for (const objectFormat of [undefined, 'sha256'] as const) {
      const repo = stagedRepo(objectFormat ? { objectFormat } : {});
      repo.run('-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '-qm', 'one');
      const head = repo.run('rev-parse', 'HEAD').trim();
      expect(head).toHaveLength(objectFormat ? 64 : 40);
      const source = { type: 'commit', rev: head } as const;
      const entries = listSnapshot(repo.dir, source, { onDisk: false });
      const expected = blobs(
        repo,
        entries.map((e) => e.path),
        head,
      );
      const read = await readTraced(repo.dir, source, entries);
      expect(read.files).toEqual(expected);
      expect(read.gitCalls).toEqual([]);
      writeFileSync(join(repo.dir, 'a.yaml'), 'a: changed\n');
      const changed = await readTraced(repo.dir, source, entries);
      expect(changed.files).toEqual(expected);
      expect(changed.gitCalls).toEqual(['cat-file --batch']);
    }
  });

  it('never follows, waits on or trusts what stands in a staged file’s place: a link, a FIFO, a directory, a linked directory', async () => {
    const repo = stagedRepo();
    const entries = listSnapshot(repo.dir, { type: 'index' });
    const expected = blobs(
      repo,
      entries.map((e) => e.path),
    );
    const outside = tempDir();
    // A link to a file with the very bytes of the blob: still not followed.
    writeFileSync(join(outside, 'a.yaml'), 'a: 1\n');
    rmSync(join(repo.dir, 'a.yaml'));
    symlinkSync(join(outside, 'a.yaml'), join(repo.dir, 'a.yaml'));
    // A linked directory that leads out of the repository, to the same bytes.
    renameSync(join(repo.dir, 'dir'), join(outside, 'dir'));
    symlinkSync(join(outside, 'dir'), join(repo.dir, 'dir'));
    rmSync(join(repo.dir, 'odd name ü\t"q".yaml'));
    execFileSync('mkfifo', [join(repo.dir, 'odd name ü\t"q".yaml')]);
    // Each read on its own: any one of them taken from the work tree would start no git at all.
    for (const [i, entry] of entries.entries()) {
      const read = await readTraced(repo.dir, { type: 'index' }, [entry]);
      expect(read.files).toEqual([expected[i]]);
      expect(read.gitCalls).toEqual(['cat-file --batch']);
    }

    rmSync(join(repo.dir, 'odd name ü\t"q".yaml'));
    mkdirSync(join(repo.dir, 'odd name ü\t"q".yaml'));
    const directory = await readTraced(repo.dir, { type: 'index' }, entries.slice(-1));
    expect(directory.files).toEqual(expected.slice(-1));
    expect(directory.gitCalls).toEqual(['cat-file --batch']);
  });

  it('big files the work tree holds: held a few at a time, the rest read again in their turn', async () => {
    const repo = createRepo();
    const mib = 1024 * 1024;
    // 48 MiB in all, each file under the size the work tree is read for.
    const files = Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [`docs/${n}.txt`, Buffer.alloc(12 * mib, n)]));
    repo.write(files);
    repo.run('add', '-A');
    const entries = listSnapshot(repo.dir, { type: 'index' });
    const read = await readTraced(repo.dir, { type: 'index' }, entries);
    expect(read.files.map((f) => [f.path, f.content?.length, f.content?.[0]])).toEqual(
      entries.map((e) => [e.path, 12 * mib, e.path.charAt(5)]),
    );
    expect(read.files.every((f, i) => f.content === files[entries[i]!.path]!.toString('utf8'))).toBe(true);
    expect(read.gitCalls).toEqual([]);
  });

  it('a work-tree file of another size is not taken, nor one missing', async () => {
    const repo = stagedRepo();
    const entries = listSnapshot(repo.dir, { type: 'index' });
    writeFileSync(join(repo.dir, 'a.yaml'), Buffer.alloc(64 * 1024, 'x'));
    rmSync(join(repo.dir, 'dir/c.yaml'));
    const read = await readTraced(repo.dir, { type: 'index' }, entries);
    expect(read.files).toEqual(
      blobs(
        repo,
        entries.map((e) => e.path),
      ),
    );
    expect(read.gitCalls).toEqual(['cat-file --batch']);
  });
});

describe('the base of a change, from the diff that lists it', () => {
  const odd = [
    'with space.yaml',
    'tab\there.yaml',
    'quote"and\\back.yaml',
    'ünï.yaml',
    '-leading-dash.yaml',
    'colon:in.yaml',
    'new\nline.yaml',
  ];

  function changedRepo(): { repo: TestRepo; head: string } {
    const repo = createRepo();
    const files: Record<string, string> = {
      'kept.yaml': 'k: 1\n',
      'modified.yaml': 'm: 1\n',
      'deleted.yaml': 'd: 1\n',
      'exec.sh': '#!/bin/sh\n',
      'to-link.yaml': 't: 1\n',
      'to-dir': 'a file that becomes a directory\n',
    };
    for (const p of odd) files[`odd/${p}`] = `${p}: 1\n`;
    repo.write(files);
    symlinkSync('kept.yaml', join(repo.dir, 'link-to-file'));
    repo.run('add', '-A');
    repo.run('update-index', '--chmod=+x', 'exec.sh');
    const head = repo.commitAll('base');
    // A modification, a deletion, an addition, a mode change, file → symlink, symlink → file,
    // file → directory, and every odd name modified.
    repo.write({ 'modified.yaml': 'm: 2\n', 'added.yaml': 'a: 1\n', 'exec.sh': '#!/bin/sh\necho\n' });
    rmSync(join(repo.dir, 'deleted.yaml'));
    rmSync(join(repo.dir, 'to-link.yaml'));
    symlinkSync('kept.yaml', join(repo.dir, 'to-link.yaml'));
    rmSync(join(repo.dir, 'link-to-file'));
    repo.write({ 'link-to-file': 'now a file\n' });
    rmSync(join(repo.dir, 'to-dir'));
    repo.write({ 'to-dir/inside.yaml': 'i: 1\n' });
    for (const p of odd) repo.write({ [`odd/${p}`]: `${p}: 2\n` });
    repo.run('add', '-A');
    return { repo, head };
  }

  /** The base's own listing of these paths (ls-tree: regular files only, no links or submodules). */
  const lookedUp = (repo: TestRepo, head: string, paths: string[]) => {
    const wanted = new Set(paths);
    return listSnapshot(repo.dir, { type: 'commit', rev: head }, { onDisk: false }).filter((e) => wanted.has(e.path));
  };

  it("staged changes carry the blob ids of the base's listing", () => {
    const { repo, head } = changedRepo();
    const changes = stagedChanges(repo.dir, head);
    const paths = changes.map((c) => c.path);
    expect(paths).toEqual(
      expect.arrayContaining(['modified.yaml', 'deleted.yaml', 'added.yaml', 'to-link.yaml', 'link-to-file', 'to-dir']),
    );
    expect(paths).toEqual(expect.arrayContaining(odd.map((p) => `odd/${p}`)));
    const base = baseEntriesOf(changes);
    expect(base).toEqual(lookedUp(repo, head, paths));
    expect(base.map((e) => e.path)).toEqual(expect.arrayContaining(['modified.yaml', 'deleted.yaml', 'exec.sh', 'to-link.yaml', 'to-dir']));
    // The symlink that became a file was no file at the base: not read as one (listSnapshot leaves links out too).
    expect(base.map((e) => e.path)).not.toContain('link-to-file');
  });

  it('a range between commits carries them too', () => {
    const { repo, head } = changedRepo();
    const tip = repo.commitAll('change');
    const changes = diffCommits(repo.dir, head, tip);
    expect(baseEntriesOf(changes)).toEqual(
      lookedUp(
        repo,
        head,
        changes.map((c) => c.path),
      ),
    );
    expect(changes.map((c) => `${c.status} ${c.path}`)).toContain('T to-link.yaml');
  });
});
