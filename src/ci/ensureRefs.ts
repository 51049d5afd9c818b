import { EnvError } from '../errors.js';
import { git } from '../git/git.js';
import { isShallow, mergeBase, refExists } from '../git/queries.js';

/**
 * CI checkouts are narrow (one branch, no tags) and often shallow. These functions fetch exactly
 * what a check needs, and fail loudly when they cannot: a check that cannot see the target
 * branch must not pass.
 */
export interface FetchLog {
  (message: string): void;
}

/** Makes refs/remotes/<remote>/<branch> available, fetching it when the clone lacks it. */
export function ensureRemoteBranch(root: string, remote: string, branch: string, log: FetchLog): string {
  const ref = `refs/remotes/${remote}/${branch}`;
  if (refExists(root, ref)) return ref;
  log(`fetching ${branch} from ${remote} (not in this clone)`);
  const r = git(root, ['fetch', '--no-tags', '--quiet', remote, `+refs/heads/${branch}:${ref}`], { allowFailure: true });
  if (r.status !== 0 || !refExists(root, ref)) {
    throw new EnvError(
      `cannot fetch branch ${branch} from ${remote}: ${r.stderr.trim().split('\n').pop() ?? 'unknown error'}`,
      `The check needs ${branch} to compare against. In the Jenkins job, let the checkout fetch it (e.g. a refspec "+refs/heads/*:refs/remotes/${remote}/*") or give the agent credentials for \`git fetch ${remote}\`.`,
    );
  }
  return ref;
}

/** Deepens a shallow clone until `a` and `b` share history; exit 2 when they never do. */
export function ensureMergeBase(root: string, remote: string, a: string, b: string, refspecs: readonly string[], log: FetchLog): string {
  let base = mergeBase(root, a, b);
  for (const depth of [50, 500, 5000]) {
    if (base || !isShallow(root)) break;
    log(`shallow clone: deepening by ${depth} commits to find the merge base of ${a} and ${b}`);
    git(root, ['fetch', '--no-tags', '--quiet', `--deepen=${depth}`, remote, ...refspecs], { allowFailure: true });
    base = mergeBase(root, a, b);
  }
  if (!base && isShallow(root)) {
    log('still no merge base: fetching the full history');
    git(root, ['fetch', '--no-tags', '--quiet', '--unshallow', remote, ...refspecs], { allowFailure: true });
    base = mergeBase(root, a, b);
  }
  if (!base) {
    throw new EnvError(
      `no merge base between ${a} and ${b}: the range of this change cannot be established`,
      'Check that the pull request targets a branch with common history, and that the Jenkins checkout is not limited to a depth that hides it (clone option "shallow" with a larger depth, or off).',
    );
  }
  return base;
}

/** Makes the commit of a ref (a Jenkins variable value) available locally, fetching when missing. */
export function ensureCommit(root: string, remote: string, rev: string, log: FetchLog): void {
  if (git(root, ['cat-file', '-e', `${rev}^{commit}`], { allowFailure: true }).status === 0) return;
  log(`fetching ${rev} from ${remote}`);
  git(root, ['fetch', '--no-tags', '--quiet', remote, rev], { allowFailure: true });
  if (git(root, ['cat-file', '-e', `${rev}^{commit}`], { allowFailure: true }).status !== 0) {
    throw new EnvError(`commit ${rev} is not available and cannot be fetched from ${remote}`, 'Fetch the history the check needs, or give a revision that exists in this clone.');
  }
}
