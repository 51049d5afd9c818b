import { readFileSync } from 'node:fs';
import { loadPolicyAt } from '../snapshot/loadPolicy.js';
import { decideMerge, type MergeDecision } from './decide.js';
import { recordKeptTarget } from './resolutions.js';
import { findGitDirs, headBranch, headCommit, mergedCommits, mergeSource, operation } from './situation.js';
import { textMerge } from './textMerge.js';
import { EXIT } from '../errors.js';

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
    return EXIT.findings;
  }
  let decision: MergeDecision = { action: 'text-merge', reason: 'not decided' };
  let target: string | undefined;
  let source: string | undefined;
  let gitDir: string | undefined;
  try {
    const dirs = findGitDirs(io.cwd, io.env);
    gitDir = dirs.gitDir;
    const op = operation(io.env, dirs);
    target = headBranch(dirs.gitDir);
    source = op === 'merge' ? mergeSource(io.env, dirs, theirsLabel ? { label: theirsLabel } : {}) : undefined;
    // The target's policy: the work tree's during a merge, from the cache when it can.
    const policy = await loadPolicyAt(io.cwd, { type: 'worktree' }, { cacheDir: dirs.commonDir });
    decision = decideMerge({ operation: op, path, ...(source ? { source } : {}), ...(target ? { target } : {}) }, policy);
    if (decision.action === 'keep-target') {
      readFileSync(ours); // %A must be readable: it is the result
      recordKeptTarget(dirs.gitDir, [path], {
        source: decision.source,
        target: decision.target,
        by: 'merge-driver',
        head: headCommit(dirs),
        other: mergedCommits(io.env)[0],
      });
      io.log(`wxo-policy: ${path}: kept ${decision.target}'s version (${decision.reason})`);
      return EXIT.ok;
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
    ...(gitDir ? { gitDir } : {}),
    labels: {
      ours: oursLabel && oursLabel !== '%X' ? oursLabel : (target ?? 'HEAD'),
      base: 'base',
      theirs: theirsLabel && theirsLabel !== '%Y' ? theirsLabel : (source ?? 'theirs'),
    },
  });
  if (result.failure) io.log(`wxo-policy: ${path}: text merge impossible (${result.failure}); your version is kept, marked as conflicted`);
  return result.conflicts ? EXIT.findings : EXIT.ok;
}
