import { EnvError } from '../errors.js';
import { git } from '../git/git.js';
import { isShallow, mergeBase, refExists } from '../git/queries.js';
import { messages } from '../messages.js';

/**
 * CI checkouts are narrow (one branch, no tags) and often shallow. These functions fetch exactly
 * what a check needs, and fail loudly when they cannot: a check that cannot see the target
 * branch must not pass.
 */
export interface FetchLog {
  (message: string): void;
}

const m = messages.ci;
const lastLine = (stderr: string) => stderr.trim().split('\n').pop() || 'unknown error';

/**
 * Fetches refs/remotes/<remote>/<branch> — always: in a workspace Jenkins reuses between builds,
 * the copy an earlier build fetched is stale, and the range and the policy of a pull request are
 * judged against it. Only when the fetch fails is an existing copy used, with a note.
 */
export function ensureRemoteBranch(root: string, remote: string, branch: string, log: FetchLog): string {
  const ref = `refs/remotes/${remote}/${branch}`;
  const had = refExists(root, ref);
  log(had ? m.fetchingAgain(branch, remote) : m.fetchingMissing(branch, remote));
  const r = git(root, ['fetch', '--no-tags', '--quiet', '--', remote, `+refs/heads/${branch}:${ref}`], { allowFailure: true });
  if (r.status === 0 && refExists(root, ref)) return ref;
  if (had) {
    log(m.fetchFailedUsingLocal(branch, remote, lastLine(r.stderr)));
    return ref;
  }
  throw new EnvError(m.cannotFetch(branch, remote, lastLine(r.stderr)), m.cannotFetchHint(branch, remote));
}

/** Deepens a shallow clone until `a` and `b` share history; exit 2 when they never do. */
export function ensureMergeBase(root: string, remote: string, a: string, b: string, refspecs: readonly string[], log: FetchLog): string {
  let base = mergeBase(root, a, b);
  for (const depth of [50, 500, 5000]) {
    if (base || !isShallow(root)) break;
    log(m.deepening(depth, a, b));
    git(root, ['fetch', '--no-tags', '--quiet', `--deepen=${depth}`, '--', remote, ...refspecs], { allowFailure: true });
    base = mergeBase(root, a, b);
  }
  if (!base && isShallow(root)) {
    log(m.unshallowing);
    git(root, ['fetch', '--no-tags', '--quiet', '--unshallow', '--', remote, ...refspecs], { allowFailure: true });
    base = mergeBase(root, a, b);
  }
  if (!base) throw new EnvError(m.noMergeBase(a, b), m.noMergeBaseHint);
  return base;
}

/** Makes the commit of a ref (a Jenkins variable value) available locally, fetching when missing. */
export function ensureCommit(root: string, remote: string, rev: string, log: FetchLog): void {
  if (git(root, ['cat-file', '-e', `${rev}^{commit}`], { allowFailure: true }).status === 0) return;
  log(m.fetchingCommit(rev, remote));
  git(root, ['fetch', '--no-tags', '--quiet', '--', remote, rev], { allowFailure: true });
  if (git(root, ['cat-file', '-e', `${rev}^{commit}`], { allowFailure: true }).status !== 0)
    throw new EnvError(m.commitMissing(rev, remote), m.commitMissingHint);
}
