import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, gitRaw, splitZ } from '../git/git.js';
import { readIndex, SUBMODULE, SYMLINK } from '../git/readIndex.js';

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
  /** A commit's file that is byte-identical in the work tree: read from disk, not inflated by git. */
  onDisk?: boolean;
}

export interface FileContent {
  entry: SnapshotEntry;
  content?: Buffer;
  /** Why the content could not be read (the file is then reported, never silently skipped). */
  error?: string;
  /** Symlinks and submodules are not files the rules look into. */
  skipped?: 'symlink' | 'submodule' | 'directory';
}

/**
 * Every tracked file of the snapshot (for the working tree: tracked files as they are on disk).
 * `onDisk: false`: a commit's files are not compared with the work tree (a partial check reads a
 * few of them, and that comparison stats every file of the work tree). `gitDir`: the worktree's
 * own git dir, where known: the index is then read without starting git (readIndex.ts).
 */
export function listSnapshot(
  root: string,
  source: SnapshotSource,
  { onDisk = true, gitDir }: { onDisk?: boolean; gitDir?: string | undefined } = {},
): SnapshotEntry[] {
  if (source.type === 'commit') {
    // No -l: object sizes cost git a lookup per blob (six times the listing itself).
    const out = gitRaw(root, ['ls-tree', '-r', '-z', '--full-tree', source.rev]).stdout.toString('utf8');
    const entries: SnapshotEntry[] = [];
    const changed = onDisk ? changedInWorktree(root, source.rev) : undefined;
    for (const record of splitZ(out)) {
      // <mode> SP <type> SP <oid> TAB <path>
      const tab = record.indexOf('\t');
      const [mode, type, oid] = record.slice(0, tab).split(' ');
      if (type !== 'blob' || mode === '120000') continue;
      const path = record.slice(tab + 1);
      entries.push({ path, oid: oid!, ...(changed && !changed.has(path) ? { onDisk: true } : {}) });
    }
    return entries;
  }
  const withOid = source.type === 'index';
  if (gitDir) {
    const entries: SnapshotEntry[] = [];
    // One entry a path, as below. The reader's entries are sorted: the stages of a conflict are
    // neighbours, and two names decode alike elsewhere only where bytes were not UTF-8 (U+FFFD).
    let last: string | undefined;
    const replaced = new Set<string>();
    const complete = readIndex(root, gitDir, (mode, oid, _stage, path) => {
      if (mode === SUBMODULE || mode === SYMLINK || path === last) return;
      if (path.includes('\uFFFD')) {
        if (replaced.has(path)) return;
        replaced.add(path);
      }
      last = path;
      entries.push(withOid ? { path, oid } : { path });
    });
    if (complete) return entries;
  }
  const out = git(root, ['ls-files', '-s', '-z']).stdout;
  const entries: SnapshotEntry[] = [];
  const seen = new Set<string>();
  for (const record of splitZ(out)) {
    // <mode> SP <oid> SP <stage> TAB <path>
    const tab = record.indexOf('\t');
    const [mode, oid] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    // One entry a path: the first stage of a conflict that is a file.
    if (mode === '160000' || mode === '120000' || seen.has(path)) continue;
    seen.add(path);
    entries.push(withOid ? { path, oid: oid! } : { path });
  }
  return entries;
}

/**
 * The files of a commit that the work tree holds unchanged (`git diff <rev>` does not list them),
 * when their bytes on disk are the blob's: reading them from disk spares git inflating the whole
 * tree (a CI checkout of HEAD is entirely such files). Undefined — read everything from git —
 * when content filters or line-ending conversion could make the disk differ, or outside a work tree.
 */
function changedInWorktree(root: string, rev: string): Set<string> | undefined {
  if (!worktreeBytesAreBlobs(root, rev)) return undefined;
  const diff = git(root, ['diff', '--name-only', '-z', '--no-renames', rev], { allowFailure: true });
  return diff.status === 0 ? new Set(splitZ(diff.stdout)) : undefined;
}

/** No line-ending conversion or content filter stands between the blobs of `rev` ('' for the index) and the work tree. */
function worktreeBytesAreBlobs(root: string, rev: string): boolean {
  const autocrlf = git(root, ['config', '--get', 'core.autocrlf'], { allowFailure: true }).stdout.trim();
  if (autocrlf === 'true' || autocrlf === 'input') return false;
  const attributes = git(root, ['cat-file', '-p', `${rev}:.gitattributes`], { allowFailure: true }).stdout;
  return !/\b(filter|eol|ident|working-tree-encoding)\b|(^|\s)text(=|\s|$)/m.test(attributes);
}

/** `git grep -l` over a snapshot (see snapshotGrep). */
type GrepFiles = (
  patterns: readonly string[],
  options?: { pathspecs?: readonly string[]; extended?: boolean; words?: boolean },
) => Set<string> | undefined;
export type SnapshotGrep = GrepFiles & {
  /** The work tree holds this file's bytes as the snapshot has them: it can be read from disk. */
  sameOnDisk(path: string): boolean;
};

/**
 * Which files of a snapshot contain any of these strings (fixed, or extended regular expressions),
 * for callers that need a superset: a file listed may not hold one, but one that holds one is
 * listed. Searched in the work tree where it holds the snapshot's bytes (grepping blobs inflates
 * every one of them); the files whose work-tree copy may differ from the snapshot are listed
 * unread. Undefined when git cannot answer.
 */
export function snapshotGrep(root: string, source: Exclude<SnapshotSource, { type: 'worktree' }>): SnapshotGrep {
  let differing: Set<string> | undefined | null = null;
  const grep: GrepFiles = (patterns, { pathspecs = [], extended = false, words = false } = {}) => {
    if (patterns.length === 0) return new Set();
    if (differing === null) differing = worktreeDiffers(root, source);
    const where = differing ? [] : [source.type === 'index' ? '--cached' : source.rev];
    const args = [
      '-c',
      'submodule.recurse=false',
      '-c',
      'grep.fallbackToNoIndex=false',
      'grep',
      '-l',
      '-z',
      extended ? '-E' : '-F',
      ...(words ? ['-w'] : []),
      '--no-color',
      '--no-textconv',
      ...patterns.flatMap((p) => ['-e', p]),
      ...where,
      '--',
      ...pathspecs,
    ];
    const result = gitRaw(root, args, { allowFailure: true });
    if (result.status !== 0 && result.status !== 1) return undefined;
    const prefix = differing || source.type === 'index' ? '' : `${source.rev}:`;
    const found = new Set(splitZ(result.stdout.toString('utf8')).map((p) => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p)));
    for (const p of differing ?? []) found.add(p);
    return found;
  };
  return Object.assign(grep, {
    sameOnDisk: (path: string) => {
      if (differing === null) differing = worktreeDiffers(root, source);
      return differing !== undefined && !differing.has(path);
    },
  });
}

/**
 * Index or commit: the tracked paths whose work-tree copy may not be the snapshot's bytes (changed,
 * deleted, or flagged so that git does not look: assume-unchanged, skip-worktree, unmerged).
 * Undefined when the work tree cannot stand in for the snapshot at all.
 */
function worktreeDiffers(root: string, source: Exclude<SnapshotSource, { type: 'worktree' }>): Set<string> | undefined {
  const rev = source.type === 'index' ? '' : source.rev;
  if (!worktreeBytesAreBlobs(root, rev)) return undefined;
  if (git(root, ['config', '--get', 'core.sparseCheckout'], { allowFailure: true }).stdout.trim() === 'true') return undefined;
  const diff = git(root, ['diff', '--name-only', '-z', '--no-renames', ...(rev ? [rev] : [])], { allowFailure: true });
  if (diff.status !== 0) return undefined;
  const differing = new Set(splitZ(diff.stdout));
  // `H` is an ordinary tracked file; lower case is assume-unchanged, S skip-worktree, M unmerged.
  for (const record of splitZ(git(root, ['ls-files', '-v', '-z'], { allowFailure: true }).stdout)) {
    if (!record.startsWith('H ')) differing.add(record.slice(2));
  }
  return differing;
}

/** Reads the given entries (work-tree files first, then blobs from git). */
export async function* readSnapshot(root: string, source: SnapshotSource, entries: readonly SnapshotEntry[]): AsyncGenerator<FileContent> {
  if (source.type === 'worktree') {
    for (const entry of entries) yield await readWorktreeFile(root, entry);
    return;
  }
  for (const entry of entries) {
    if (!entry.onDisk) continue;
    const file = await readWorktreeFile(root, entry);
    if (file.content) yield file;
    else yield* readBlobs(root, [entry]); // gone under our feet: git has the truth
  }
  const blobs = entries.filter((e) => e.oid && !e.onDisk);
  if (blobs.length > WORKTREE_FIRST_UP_TO) {
    yield* readBlobs(root, blobs);
    return;
  }
  // Staged files are nearly always the work tree's bytes: where the bytes hash to the blob id they
  // are the blob, and git is not started at all (a process costs a hook more than the reads).
  const inWorktree = worktreeBlobReader(root);
  let kept = 0;
  const copies = blobs.map((entry): Buffer | 'again' | undefined => {
    const bytes = inWorktree(entry);
    if (!bytes) return undefined;
    // Big documents are read again in their turn, not all held at once.
    if (kept + bytes.length > WORKTREE_KEPT_BYTES) return 'again';
    kept += bytes.length;
    return bytes;
  });
  const fromGit = readBlobs(
    root,
    blobs.filter((_, i) => !copies[i]),
  );
  // In the order of the entries, as git alone would give them.
  for (const [i, copy] of copies.entries()) {
    const entry = blobs[i]!;
    if (!copy) {
      yield (await fromGit.next()).value!;
      continue;
    }
    const bytes = copy === 'again' ? inWorktree(entry) : copy;
    if (bytes) yield { entry: { ...entry, size: bytes.length }, content: bytes };
    else yield* readBlobs(root, [entry]); // changed under our feet since: git has the truth
  }
}

/**
 * Up to this many blobs of one read are looked for in the work tree first. A bigger read (a whole
 * snapshot, a cold context) keeps to onDisk and git: what it would look for there is mostly what
 * the work tree changed, read and hashed for nothing.
 */
const WORKTREE_FIRST_UP_TO = 256;

/** A bigger work-tree file is not read to be compared: git reads the blob (a huge file is not held twice). */
const WORKTREE_COPY_MAX_BYTES = 16 * 1024 * 1024;

/** What one read holds of the work tree's copies while git reads the rest. */
const WORKTREE_KEPT_BYTES = 32 * 1024 * 1024;

/**
 * An entry's blob, where the work tree holds it byte for byte (undefined where it does not, or
 * cannot tell). Exact whatever filters or line endings git applies, since the bytes are hashed as
 * git hashes a blob; hostile paths are neither followed nor waited on: no link, directory, FIFO or
 * device is read, and none behind a linked directory (which could lead out of the repository).
 */
function worktreeBlobReader(root: string): (entry: SnapshotEntry) => Buffer | undefined {
  const realDirs = new Map<string, boolean>();
  let realRoot: string | undefined;
  const insideRepository = (dir: string): boolean => {
    let inside = realDirs.get(dir);
    if (inside === undefined) {
      try {
        realRoot ??= realpathSync.native(root);
        inside = realpathSync.native(join(root, dir)) === join(realRoot, dir);
      } catch {
        inside = false;
      }
      realDirs.set(dir, inside);
    }
    return inside;
  };
  return (entry) => (insideRepository(dirname(entry.path)) ? blobInWorktree(join(root, entry.path), entry) : undefined);
}

function blobInWorktree(abs: string, entry: SnapshotEntry): Buffer | undefined {
  const algorithm = entry.oid?.length === 40 ? 'sha1' : entry.oid?.length === 64 ? 'sha256' : undefined;
  if (!algorithm) return undefined;
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a FIFO in the file's place opens without a writer and is then refused as no regular file.
    fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > WORKTREE_COPY_MAX_BYTES || (entry.size !== undefined && stat.size !== entry.size)) return undefined;
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) return undefined; // shorter than it was: being rewritten under our feet
      read += n;
    }
    const id = createHash(algorithm).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    return id === entry.oid ? bytes : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Synchronous on purpose: for thousands of small files, the thread pool round trip costs more than the read. */
export async function readWorktreeFile(root: string, entry: SnapshotEntry): Promise<FileContent> {
  const abs = join(root, entry.path);
  try {
    const content = readFileSync(abs);
    return { entry: { ...entry, size: content.length }, content };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { entry, skipped: 'directory' };
    if (code === 'ENOENT') {
      try {
        if (lstatSync(abs).isSymbolicLink()) return { entry, skipped: 'symlink' }; // a dangling link
      } catch {
        // really gone
      }
      return { entry, error: 'deleted from the working tree' };
    }
    return { entry, error: (err as Error).message };
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
