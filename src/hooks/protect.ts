import type { BranchInfo } from '../policy/environments.js';
import type { Policy } from '../policy/model.js';

/**
 * Which commits a protected environment branch takes (policy `hooks`): reverts always, merges
 * when `allow_merge_commits` (the default), nothing else — changes reach it by promotion. Pure;
 * pre-commit asks it for every commit, pre-merge-commit for automatic merges.
 */
export type CommitVerdict = 'allowed' | 'direct-commit' | 'merge-commit';

export function commitVerdict(branch: BranchInfo, policy: Policy, commit: { merging: boolean; reverting: boolean }): CommitVerdict {
  if (branch.kind !== 'environment' || !policy.hooks.protected_environments.includes(branch.env.name) || commit.reverting) return 'allowed';
  if (!commit.merging) return 'direct-commit';
  return policy.hooks.allow_merge_commits ? 'allowed' : 'merge-commit';
}
