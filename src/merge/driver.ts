import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Policy } from '../policy/model.js';
import { readCachedPolicy, writeCachedPolicy } from '../policy/policyCache.js';
import { decideMerge, type MergeDecision } from './decide.js';
import { recordResolution } from './resolutions.js';
import { findGitDirs, headBranch, headCommit, mergedCommits, mergeSource, operation } from './situation.js';
import { textMerge } from './textMerge.js';

/**
 * `wxo-policy merge-driver %O %A %B %L %P %X %Y` — registered by `install`, bound to the
 * tenant-scoped files by .gitattributes. On a cross-tenant `git merge` the result is the target's
 * file (%A as it is) and the resolution is recorded; in every other case, and on any internal
 * failure, it is git's own text merge. Exit 0 clean, 1 conflict — never a crash, never a signal.
 */
export interface DriverIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export async function runMergeDriver(args: readonly string[], io: DriverIo): Promise<number> {
  const [base, ours, theirs, markerSize, path = '', oursLabel, theirsLabel] = args;
  if (!base || !ours || !theirs) {
    io.log('wxo-policy merge-driver: expected %O %A %B %L %P; leaving the file conflicted');
    return 1;
  }
  let decision: MergeDecision = { action: 'text-merge', reason: 'not decided' };
  let target: string | undefined;
  let source: string | undefined;
  try {
    const dirs = findGitDirs(io.cwd, io.env);
    const op = operation(io.env, dirs);
    target = headBranch(dirs.gitDir);
    source = op === 'merge' ? mergeSource(io.env, dirs, theirsLabel ? { label: theirsLabel } : {}) : undefined;
    const policy = await loadPolicyForDriver(io.cwd, dirs.commonDir);
    decision = decideMerge({ operation: op, path, ...(source ? { source } : {}), ...(target ? { target } : {}) }, policy);
    if (decision.action === 'keep-target') {
      readFileSync(ours); // %A must be readable: it is the result
      const [head, other] = [headCommit(dirs), mergedCommits(io.env)[0]];
      recordResolution(dirs.gitDir, { file: path, source: decision.source, target: decision.target, kept: 'target', by: 'merge-driver', ...(head ? { head } : {}), ...(other ? { other } : {}) });
      io.log(`wxo-policy: ${path}: kept ${decision.target}'s version (${decision.reason})`);
      return 0;
    }
  } catch (e) {
    decision = { action: 'text-merge', reason: `internal error, falling back to a text merge: ${(e as Error).message}` };
    io.log(`wxo-policy: ${path}: ${decision.reason}`);
  }
  if (io.env.WXO_POLICY_DEBUG) io.log(`wxo-policy: ${path}: ${decision.reason}`);
  const result = textMerge({
    base,
    ours,
    theirs,
    markerSize: Number(markerSize),
    labels: {
      ours: oursLabel && oursLabel !== '%X' ? oursLabel : (target ?? 'HEAD'),
      base: 'base',
      theirs: theirsLabel && theirsLabel !== '%Y' ? theirsLabel : (source ?? 'theirs'),
    },
  });
  if (result.failure) io.log(`wxo-policy: ${path}: text merge impossible (${result.failure}); your version is kept, marked as conflicted`);
  return result.conflicts ? 1 : 0;
}

const DEFAULT_POLICY = fileURLToPath(new URL('../../policies/default.yaml', import.meta.url));

/**
 * The policy of the target (the work tree during a merge), from the JSON cache when it can; the
 * YAML parser and the schema validators load only on a cache miss.
 */
async function loadPolicyForDriver(root: string, cacheDir: string): Promise<Policy> {
  const own = join(root, 'wxo-policy.yaml');
  const [text, origin] = existsSync(own) ? [readFileSync(own, 'utf8'), 'wxo-policy.yaml'] : [readFileSync(DEFAULT_POLICY, 'utf8'), 'built-in default'];
  const cached = readCachedPolicy(cacheDir, text, origin);
  if (cached) return cached;
  const { parsePolicy } = await import('../policy/loadPolicy.js');
  const policy = parsePolicy(text, origin);
  writeCachedPolicy(cacheDir, text, policy);
  return policy;
}
