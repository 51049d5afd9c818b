import type { SnapshotSource } from '../snapshot/snapshot.js';
import { parsePolicy } from './loadPolicy.js';
import type { Policy } from './model.js';
import { policyText, readCachedPolicy, writeCachedPolicy } from './policyCache.js';

export { readPolicyText } from './policyCache.js';

/**
 * The policy in force for a snapshot: the working tree's file, the staged one, or the one of a
 * commit (in pull requests: the target branch's, so a change cannot weaken the checks that judge
 * it). Without a policy file the built-in default applies, and `notify` says so.
 *
 * Synchronous, so this module imports the parser up front; hooks and the merge driver, which
 * mostly hit the cache, use `policyAt` from policyCache.ts instead and load it only on a miss.
 */
export function loadPolicyAt(root: string, source: SnapshotSource, notify: (message: string) => void = () => {}, cacheDir?: string): Policy {
  const { text, origin } = policyText(root, source, notify);
  const cached = cacheDir ? readCachedPolicy(cacheDir, text, origin) : undefined;
  if (cached) return cached;
  const policy = parsePolicy(text, origin);
  if (cacheDir) writeCachedPolicy(cacheDir, text, policy);
  return policy;
}
