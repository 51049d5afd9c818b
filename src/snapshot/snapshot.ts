import { spawn } from 'node:child_process';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { git, gitRaw, splitZ } from '../git/git.js';

/**
 * A snapshot is a set of files at one point: the working tree, the index (what the next commit
 * will contain) or a commit. Every check reads files through one, so the same rules judge a
 * pre-commit, a push range or a CI checkout.
 */
export type SnapshotSource = { type: 'worktree' } | { type: 'index' } | { type: 'commit'; rev: string };

export interface SnapshotEntry {
  path: string;
  /** Blob id, where git knows it (index and commits; clean work-tree files are not assumed). */
  oid?: string;
  size?: number;
}

export interface FileContent {
  entry: SnapshotEntry;
  content?: Buffer;
  /** Why the content could not be read (the file is then reported, never silently skipped). */
  error?: string;
  /** Symlinks and submodules are not files the rules look into. */
  skipped?: 'symlink' | 'submodule' | 'directory';
}

export function describeSource(source: SnapshotSource): string {
  return source.type === 'commit' ? `commit ${source.rev}` : source.type === 'index' ? 'the index' : 'the working tree';
}

/** Every tracked file of the snapshot (for the working tree: tracked files as they are on disk). */
export function listSnapshot(root: string, source: SnapshotSource): SnapshotEntry[] {
  if (source.type === 'commit') {
    const out = gitRaw(root, ['ls-tree', '-r', '-z', '-l', '--full-tree', source.rev]).stdout.toString('utf8');
    const entries: SnapshotEntry[] = [];
    for (const record of splitZ(out)) {
      // <mode> SP <type> SP <oid> SP+ <size> TAB <path>
      const tab = record.indexOf('\t');
      const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
      if (type !== 'blob' || mode === '120000') continue;
      entries.push({ path: record.slice(tab + 1), oid: oid!, size: Number(size) });
    }
    return entries;
  }
  const out = git(root, ['ls-files', '-s', '-z']).stdout;
  const entries: SnapshotEntry[] = [];
  const seen = new Set<string>();
  for (const record of splitZ(out)) {
    // <mode> SP <oid> SP <stage> TAB <path>
    const tab = record.indexOf('\t');
    const [mode, oid] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    if (mode === '160000' || mode === '120000' || seen.has(path)) continue;
    seen.add(path);
    entries.push(source.type === 'index' ? { path, oid: oid! } : { path });
  }
  return entries;
}

/** Reads the given entries; yields in input order. */
export async function* readSnapshot(root: string, source: SnapshotSource, entries: readonly SnapshotEntry[]): AsyncGenerator<FileContent> {
  if (source.type === 'worktree') {
    for (const entry of entries) yield await readWorktreeFile(root, entry);
    return;
  }
  const withOid = entries.filter((e) => e.oid);
  yield* readBlobs(root, withOid);
}

export async function readWorktreeFile(root: string, entry: SnapshotEntry): Promise<FileContent> {
  const abs = join(root, entry.path);
  try {
    const st = await lstat(abs);
    if (st.isSymbolicLink()) return { entry, skipped: 'symlink' };
    if (st.isDirectory()) return { entry, skipped: 'directory' };
    const content = await readFile(abs);
    return { entry: { ...entry, size: content.length }, content };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { entry, error: code === 'ENOENT' ? 'deleted from the working tree' : (err as Error).message };
  }
}

/**
 * Streams blobs through one `git cat-file --batch`, so reading a thousand staged files costs
 * one process, not a thousand.
 */
export async function* readBlobs(root: string, entries: readonly SnapshotEntry[]): AsyncGenerator<FileContent> {
  if (entries.length === 0) return;
  const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  child.stdin.on('error', () => {}); // git may exit early; the stdout parser reports the missing blobs
  child.stdin.end(entries.map((e) => e.oid).join('\n') + '\n');

  let buffer: Buffer = Buffer.alloc(0);
  let index = 0;
  let pending: { size: number } | undefined;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    while (index < entries.length) {
      if (!pending) {
        const nl = buffer.indexOf(10);
        if (nl < 0) break;
        const header = buffer.subarray(0, nl).toString('utf8');
        buffer = buffer.subarray(nl + 1);
        const parts = header.split(' ');
        if (parts[1] === 'missing' || parts.length < 3) {
          yield { entry: entries[index++]!, error: `blob ${parts[0]} is missing from the object database` };
          continue;
        }
        pending = { size: Number(parts[2]) };
      }
      if (buffer.length < pending.size + 1) break;
      const content = Buffer.from(buffer.subarray(0, pending.size));
      buffer = buffer.subarray(pending.size + 1);
      const entry = entries[index++]!;
      yield { entry: { ...entry, size: pending.size }, content };
      pending = undefined;
    }
  }
  const code = await exited;
  while (index < entries.length) {
    yield { entry: entries[index++]!, error: `git cat-file failed (exit ${code}): ${stderr.trim()}` };
  }
}
