import { readAt } from '../git/queries.js';
import { isValidVersion } from '../policy/environments.js';
import type { Policy } from '../policy/model.js';

/**
 * The release version of a commit on an environment branch: the version in the branch name
 * (qa-1.2.3), else the policy's version file (`versioning.source`, e.g. VERSION) at the commit —
 * develop and main carry none in their names. What deploy tags, promotions and `status` go by.
 */
export type ReleaseVersion =
  | { ok: true; version: string; from: 'branch' | 'file' }
  /** `found`: the file's trimmed content when it is not a valid version; absent when there is no file. */
  | { ok: false; file: string; found?: string };

export function releaseVersion(root: string, rev: string, policy: Policy, branchVersion?: string): ReleaseVersion {
  if (branchVersion) return { ok: true, version: branchVersion, from: 'branch' };
  const file = policy.versioning.source;
  const text = readAt(root, rev, file)?.trim();
  if (text === undefined) return { ok: false, file };
  return isValidVersion(text, policy) ? { ok: true, version: text, from: 'file' } : { ok: false, file, found: text };
}
