import { classifyBranch, sameTenant } from '../policy/environments.js';
import { globList } from '../policy/fileClassifier.js';
import type { Policy } from '../policy/model.js';

/**
 * The merge decision, pure: keep the target's file only for a `git merge` whose source and target
 * are environments of different tenants; everything else is an ordinary text merge.
 */
export type GitOperation = 'merge' | 'revert' | 'cherry-pick' | 'rebase' | 'am' | 'unknown';

export interface MergeSituation {
  operation: GitOperation;
  /** Branch being merged in (the source), when known. */
  source?: string;
  /** Branch checked out (the target), when known. */
  target?: string;
  path: string;
}

export type MergeDecision =
  { action: 'keep-target'; reason: string; source: string; target: string } | { action: 'text-merge'; reason: string };

export function decideMerge(s: MergeSituation, policy: Policy): MergeDecision {
  if (!globList(policy.tenant_scoped)(s.path)) return { action: 'text-merge', reason: `${s.path} is not tenant-scoped` };
  if (s.operation !== 'merge')
    return { action: 'text-merge', reason: `${s.operation} is not a merge: the change itself is what is being applied` };
  if (!s.source || !s.target) return { action: 'text-merge', reason: 'source or target branch unknown' };
  const source = classifyBranch(s.source, policy);
  const target = classifyBranch(s.target, policy);
  if (source.kind !== 'environment' || target.kind !== 'environment')
    return { action: 'text-merge', reason: `${s.source} → ${s.target} is not between environment branches` };
  if (sameTenant(source.env, target.env))
    return { action: 'text-merge', reason: `${s.source} and ${s.target} share tenant ${target.env.tenant}` };
  return {
    action: 'keep-target',
    reason: `${s.source} (${source.env.tenant}) → ${s.target} (${target.env.tenant}) crosses tenants`,
    source: s.source,
    target: s.target,
  };
}
