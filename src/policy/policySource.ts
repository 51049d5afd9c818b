import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { git } from '../git/git.js';
import { messages } from '../messages.js';
import type { SnapshotSource } from '../snapshot/snapshot.js';
import { DEFAULT_POLICY_PATH, parsePolicy, POLICY_FILE } from './loadPolicy.js';
import type { Policy } from './model.js';
import { readCachedPolicy, writeCachedPolicy } from './policyCache.js';

/**
 * The policy in force for a snapshot: the working tree's file, the staged one, or the one of a
 * commit (in pull requests: the target branch's, so a change cannot weaken the checks that judge
 * it). Without a policy file the built-in default applies, and `notify` says so.
 */
export function loadPolicyAt(root: string, source: SnapshotSource, notify: (message: string) => void = () => {}, cacheDir?: string): Policy {
  const text = readPolicyText(root, source);
  if (text === undefined) {
    notify(messages.policyDefaultUsed);
    return parseCached(readFileSync(DEFAULT_POLICY_PATH, 'utf8'), 'built-in default', cacheDir);
  }
  return parseCached(text, source.type === 'commit' ? `${source.rev.slice(0, 12)}:${POLICY_FILE}` : POLICY_FILE, cacheDir);
}

function parseCached(text: string, origin: string, cacheDir: string | undefined): Policy {
  const cached = cacheDir ? readCachedPolicy(cacheDir, text, origin) : undefined;
  if (cached) return cached;
  const policy = parsePolicy(text, origin);
  if (cacheDir) writeCachedPolicy(cacheDir, text, policy);
  return policy;
}

export function readPolicyText(root: string, source: SnapshotSource): string | undefined {
  if (source.type === 'worktree') {
    const path = join(root, POLICY_FILE);
    if (!existsSync(path)) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(messages.policyUnreadable(path, (e as Error).message));
    }
  }
  const spec = source.type === 'index' ? `:${POLICY_FILE}` : `${source.rev}:${POLICY_FILE}`;
  const result = git(root, ['cat-file', '-p', spec], { allowFailure: true });
  return result.status === 0 ? result.stdout : undefined;
}
