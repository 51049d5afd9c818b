import type { SnapshotSource } from './snapshot.js';
import type { Policy } from '../policy/model.js';
import { defaultPolicyText, policyText, readCachedPolicy, writeCachedPolicy } from './policyCache.js';

export { readPolicyText } from './policyCache.js';

export interface LoadPolicyOptions {
  /** Where the parsed policy is cached (the repository's common git dir); no cache without it. */
  cacheDir?: string;
  /** Told when the built-in default applies because the snapshot has no policy file. */
  notify?: (message: string) => void;
}

/**
 * The policy in force for a snapshot: the working tree's file, the staged one, or the one of a
 * commit (in pull requests: the target branch's, so a change cannot weaken the checks that judge
 * it). Without a policy file the built-in default applies, and `notify` says so.
 *
 * The YAML parser and the schema validators are imported only when the cache misses: hooks and
 * the merge driver mostly hit it, and those imports cost them more than the rest of their work.
 */
export async function loadPolicyAt(root: string, source: SnapshotSource, options: LoadPolicyOptions = {}): Promise<Policy> {
  const { text, origin } = policyText(root, source, options.notify);
  const cached = options.cacheDir ? readCachedPolicy(options.cacheDir, text, origin) : undefined;
  if (cached) return cached;
  const { parsePolicy } = await import('../policy/parsePolicy.js');
  const policy = parsePolicy(text, origin, defaultPolicyText());
  if (options.cacheDir) writeCachedPolicy(options.cacheDir, text, policy);
  return policy;
}
