import { git, gitRaw, splitZ } from './git.js';

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
}

function parseNameStatus(out: string): Change[] {
  const parts = splitZ(out);
  const changes: Change[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) changes.push({ status: parts[i]!.charAt(0), path: parts[i + 1]! });
  return changes;
}

/** Files that differ between two commits. */
export function diffCommits(root: string, base: string, head: string): Change[] {
  return parseNameStatus(git(root, ['diff', '--name-status', '-z', '--no-renames', '--no-ext-diff', base, head]).stdout);
}

/** What the next commit will change: the index against HEAD (everything, before the first commit). */
export function stagedChanges(root: string, head: string | undefined = revParse(root, 'HEAD')): Change[] {
  if (!head) return splitZ(git(root, ['ls-files', '-z']).stdout).map((path) => ({ status: 'A', path }));
  return parseNameStatus(git(root, ['diff', '--cached', '--name-status', '-z', '--no-renames', '--no-ext-diff', head]).stdout);
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
