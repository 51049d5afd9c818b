import { git, gitRaw, splitZ, ZERO_OID } from './git.js';

/** Small questions asked of git. Each is one process; none of them changes the repository. */

export function revParse(root: string, rev: string): string | undefined {
  const r = git(root, ['rev-parse', '--verify', '-q', `${rev}^{commit}`], { allowFailure: true });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The checked-out branch; undefined on a detached HEAD (always the case in Jenkins). */
export function currentBranch(root: string): string | undefined {
  const r = git(root, ['symbolic-ref', '-q', '--short', 'HEAD'], { allowFailure: true });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function isAncestor(root: string, ancestor: string, descendant: string): boolean {
  return git(root, ['merge-base', '--is-ancestor', ancestor, descendant], { allowFailure: true }).status === 0;
}

export function mergeBase(root: string, a: string, b: string): string | undefined {
  const r = git(root, ['merge-base', a, b], { allowFailure: true });
  return r.status === 0 ? r.stdout.trim().split('\n')[0] : undefined;
}

export function isShallow(root: string): boolean {
  return git(root, ['rev-parse', '--is-shallow-repository']).stdout.trim() === 'true';
}

export function parents(root: string, commit: string): string[] {
  return git(root, ['rev-list', '--parents', '-n', '1', commit]).stdout.trim().split(' ').slice(1);
}

export interface Change {
  /** A added, M modified, D deleted, T type changed (renames are reported as D + A). */
  status: string;
  path: string;
  /**
   * The blob the path held at the base, where it was a regular file there (not for an added path,
   * a symlink or a submodule): the diff knows it, so nobody has to ask git again.
   */
  baseBlob?: string;
}

/** `--raw -z`: `:<old mode> <new mode> <old id> <new id> <status>` NUL `<path>` NUL, one path a change (no renames). */
function parseRaw(out: string): Change[] {
  const parts = splitZ(out);
  const changes: Change[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [oldMode, , oldId, , status] = parts[i]!.slice(1).split(' ');
    const path = parts[i + 1]!;
    // 100644, 100755 (and the 100664 of old trees): a regular file; 120000 and 160000 are not read as files.
    const wasFile = /^100[0-7]{3}$/.test(oldMode!) && !ZERO_OID.test(oldId!);
    changes.push({ status: status!.charAt(0), path, ...(wasFile ? { baseBlob: oldId! } : {}) });
  }
  return changes;
}

const RAW_DIFF = ['diff', '--raw', '-z', '--no-abbrev', '--no-renames', '--no-ext-diff'];

/** Files that differ between two commits. */
export function diffCommits(root: string, base: string, head: string): Change[] {
  return parseRaw(git(root, [...RAW_DIFF, base, head]).stdout);
}

/** What the next commit will change: the index against HEAD (everything, before the first commit). */
export function stagedChanges(root: string, head: string | undefined = revParse(root, 'HEAD')): Change[] {
  if (!head) return splitZ(git(root, ['ls-files', '-z']).stdout).map((path) => ({ status: 'A', path }));
  return parseRaw(git(root, [...RAW_DIFF, '--cached', head]).stdout);
}

/** The regular files the changes' base held, with their blob ids (from the diff: git is not asked again). */
export function baseEntriesOf(changes: readonly Change[]): { path: string; oid: string }[] {
  return changes.flatMap((c) => (c.baseBlob ? [{ path: c.path, oid: c.baseBlob }] : []));
}

/** A file's content at a revision (`rev:path`, or `:path` for the index); undefined when absent. */
export function readAt(root: string, rev: string, path: string): string | undefined {
  const r = gitRaw(root, ['cat-file', 'blob', `${rev}:${path}`], { allowFailure: true });
  return r.status === 0 ? r.stdout.toString('utf8') : undefined;
}

export function refExists(root: string, ref: string): boolean {
  return git(root, ['show-ref', '--verify', '-q', ref], { allowFailure: true }).status === 0;
}

export function remoteNames(root: string): string[] {
  return git(root, ['remote']).stdout.split('\n').filter(Boolean);
}
