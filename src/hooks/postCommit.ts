import type { ConsoleIO } from '../report/console.js';
import { git } from '../git/git.js';
import type { Repo } from '../git/resolveRepo.js';
import { headBranch } from '../merge/situation.js';
import { EXIT } from '../errors.js';

/**
 * post-commit runs after every commit, so an ordinary one costs a single git process: only a
 * merge commit (finished by hand, perhaps with --no-verify) or a revert (a rollback) on a branch
 * loads the guards.
 */
export interface CommitFacts {
  head: string;
  parents: string[];
  revert: boolean;
}

/** Pure: `git log -1 --format=%H%x00%P%x00%B` → what post-commit needs to know of HEAD. */
export function parseCommitFacts(output: string): CommitFacts | undefined {
  const [head, parents, body = ''] = output.split('\0');
  if (!head || parents === undefined) return undefined;
  return { head: head.trim(), parents: parents.split(' ').filter(Boolean), revert: /^This reverts commit [0-9a-f]{7,}/m.test(body) };
}

export async function postCommit(ctx: ConsoleIO, repo: Repo): Promise<number> {
  const log = git(repo.root, ['log', '-1', '--no-show-signature', '--format=%H%x00%P%x00%B'], { allowFailure: true });
  const facts = log.status === 0 ? parseCommitFacts(log.stdout) : undefined;
  if (!facts || (facts.parents.length < 2 && !facts.revert)) return EXIT.ok;
  const branch = headBranch(repo.gitDir);
  if (!branch) return EXIT.ok;
  const guards = await import('./mergeGuards.js');
  return facts.parents.length < 2
    ? guards.afterRevert(ctx, repo, branch, facts.head)
    : guards.afterMergeCommit(ctx, repo, branch, facts.head, facts.parents);
}
