import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, linkSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The one way the product writes a file (reports, deploy workspace, deploy lock, caches, merge
 * driver temporaries). CI runs us on a pull request author's files, and an author can commit a
 * symlink anywhere in the tree: writing "reports/wxo-policy.xml" through a committed symlink would
 * let them overwrite any file the CI user can write. So, for a write of `path` inside `within`
 * (a directory the caller trusts: the repository root, the git dir, a private temp dir):
 *
 * - `path` must lie inside `within` (after resolving `..`);
 * - every component between `within` and the file is checked with lstat: a symlink, or anything
 *   that is not a directory, refuses the write (directories we create get `dirMode`);
 * - the content goes to a fresh temporary file beside the target (O_CREAT | O_EXCL | O_NOFOLLOW,
 *   a random name), then is renamed over the target: a symlink at the target is replaced, never
 *   followed, and a reader never sees half a file.
 *
 * `within` itself is trusted as given (an operator may well reach their workspace through a link).
 */
export class UnsafePathError extends Error {
  readonly code = 'EUNSAFEPATH';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'UnsafePathError';
  }
}

export interface WriteOptions {
  /** Mode of the written file (default 0o644 before umask). */
  mode?: number;
  /** Mode of directories created on the way (default 0o755 before umask). */
  dirMode?: number;
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** The path of `path` relative to `within`, refused when it leaves `within`. */
function inside(within: string, path: string): string[] {
  const base = resolve(within);
  const target = resolve(base, path);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw new UnsafePathError(target, `outside ${base}`);
  return rel.split(sep);
}

/**
 * Creates (or checks) the directories from `within` down to `dir`, refusing symlinks and
 * non-directories on the way. Returns the absolute directory.
 */
export function safeMkdir(within: string, dir: string, options: WriteOptions = {}): string {
  const base = resolve(within);
  const target = resolve(base, dir);
  if (target === base) return base;
  let current = base;
  for (const part of inside(base, target)) {
    current = join(current, part);
    let st;
    try {
      st = lstatSync(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      try {
        mkdirSync(current, { mode: options.dirMode ?? 0o755 });
      } catch (made) {
        if ((made as NodeJS.ErrnoException).code !== 'EEXIST') throw made;
      }
      st = lstatSync(current);
    }
    if (st.isSymbolicLink()) throw new UnsafePathError(current, 'is a symbolic link; nothing is written through it');
    if (!st.isDirectory()) throw new UnsafePathError(current, 'is not a directory');
  }
  return target;
}

/** A new file that did not exist (O_EXCL, never through a symlink), with the content written. */
function createFresh(path: string, content: string | Buffer, mode: number): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
  try {
    fchmodSync(fd, mode); // the umask must not widen nor narrow what the caller asked for
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
  } finally {
    closeSync(fd);
  }
}

/** A temporary name beside `path` that the cleanup of dead writers recognises. */
export function temporaryName(path: string): string {
  return `${path}.wxo-tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Writes `content` to `path` (inside `within`): temp file + rename, no symlink followed. */
export function safeWriteFile(within: string, path: string, content: string | Buffer, options: WriteOptions = {}): string {
  const target = resolve(resolve(within), path);
  inside(within, target);
  safeMkdir(within, join(target, '..'), options);
  const existing = lstatOrUndefined(target);
  if (existing?.isDirectory()) throw new UnsafePathError(target, 'is a directory');
  const tmp = temporaryName(target);
  try {
    createFresh(tmp, content, options.mode ?? 0o644);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return target;
}

/**
 * Creates `path` with `content` only if nothing is there yet, atomically and complete: the
 * content is written to a temporary file and hard-linked to `path` (link fails when `path`
 * exists, and a reader never sees a half-written file). Returns false when `path` existed.
 */
export function safeCreateExclusive(within: string, path: string, content: string | Buffer, options: WriteOptions = {}): boolean {
  const target = resolve(resolve(within), path);
  inside(within, target);
  safeMkdir(within, join(target, '..'), options);
  const tmp = temporaryName(target);
  try {
    createFresh(tmp, content, options.mode ?? 0o644);
    linkSync(tmp, target);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Appends to `path` (inside `within`), never through a symlink. */
export function safeAppendFile(within: string, path: string, content: string | Buffer, options: WriteOptions = {}): void {
  const target = resolve(resolve(within), path);
  inside(within, target);
  safeMkdir(within, join(target, '..'), options);
  const fd = openSync(target, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW, options.mode ?? 0o644);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
  } finally {
    closeSync(fd);
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
