import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EnvError, EXIT, UsageError } from '../errors.js';
import { git } from '../git/git.js';
import { currentBranch, isAncestor, parents, revParse } from '../git/queries.js';
import { resolveRepo } from '../git/resolveRepo.js';
import { messages } from '../messages.js';
import { classifyBranch, classifyTag } from '../policy/environments.js';
import { resetAllowed } from '../policy/governance.js';
import type { Environment, Policy } from '../policy/model.js';
import { loadPolicyAt } from '../snapshot/loadPolicy.js';
import type { Palette } from '../report/colors.js';
import { formatPlanText } from './format.js';
import { preparePlan } from './prepare.js';
import { resolveTarget } from './target.js';
import { notifyRollback } from '../live/deployEvents.js';

/**
 * `rollback --to <tag>`: revert the environment branch to what a deploy tag deployed, with
 * `git revert` — history is never rewritten, and the revert commits go through the same
 * review, checks and deploy as any change. Every first-parent commit after the tag is reverted,
 * newest first; merges (promotions) with `-m 1`, which undoes everything they brought in.
 */
export interface RollbackOptions {
  to: string;
  /** Roll back with `git reset` to the tag (where the policy allows it) instead of reverts. */
  reset?: boolean;
  vars: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  colors: Palette;
}

export async function runRollback(cwd: string, options: RollbackOptions): Promise<number> {
  const { out, err, colors: c, vars } = options;
  const repo = resolveRepo(cwd);
  const root = repo.root;
  const branch = currentBranch(root);
  if (!branch) throw new UsageError(messages.deploy.rollbackNeedsBranch, messages.deploy.rollbackHint);
  const head = revParse(root, 'HEAD')!;
  const policy = await loadPolicyAt(root, { type: 'commit', rev: head });
  const info = classifyBranch(branch, policy);
  if (info.kind !== 'environment') throw new UsageError(messages.deploy.notAnEnvironmentBranch(branch), messages.deploy.rollbackHint);

  const tagCommit = revParse(root, `refs/tags/${options.to}`);
  const tag = classifyTag(options.to, policy);
  if (!tagCommit) throw new UsageError(messages.deploy.noSuchTag(options.to));
  if (!tag) throw new UsageError(messages.deploy.notADeployTag(options.to));
  if (tag.env.name !== info.env.name)
    throw new UsageError(messages.deploy.tagOfOtherEnvironment(options.to, tag.env.name, branch, info.env.name));
  if (!isAncestor(root, tagCommit, head)) throw new UsageError(messages.deploy.tagNotInHistory(options.to, branch));

  // A rollback starts from a clean state: nothing of the user's may be mixed into revert commits.
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no']).stdout.trim();
  if (dirty) throw new EnvError(messages.deploy.rollbackDirty(dirty.split('\n').length), messages.deploy.rollbackDirtyHint);
  for (const marker of ['MERGE_HEAD', 'REVERT_HEAD', 'CHERRY_PICK_HEAD', 'rebase-merge', 'rebase-apply']) {
    if (existsSync(join(repo.gitDir, marker))) throw new EnvError(messages.deploy.rollbackInProgress(marker));
  }

  if (options.reset) return resetTo(root, branch, head, tagCommit, info.env, policy, options);

  const commits = git(root, ['rev-list', '--first-parent', `${tagCommit}..${head}`])
    .stdout.split('\n')
    .filter(Boolean);
  if (!commits.length) {
    out(messages.deploy.nothingToRevert(branch, options.to));
    return EXIT.ok;
  }
  out(c.bold(messages.deploy.reverting(commits.length, branch, options.to)));
  // No editor may open: the revert messages are git's own ("Revert …", "This reverts commit …").
  const env = { ...vars, GIT_EDITOR: 'true' };
  const made: string[] = [];
  for (const commit of commits) {
    const subject = git(root, ['log', '-1', '--format=%h %s', commit]).stdout.trim();
    const isMerge = parents(root, commit).length > 1;
    const r = git(root, ['revert', '--no-edit', ...(isMerge ? ['-m', '1'] : []), commit], { allowFailure: true, env });
    if (r.status === 0) {
      made.push(git(root, ['log', '-1', '--format=%h %s', 'HEAD']).stdout.trim());
      out(`  ${messages.deploy.reverted(subject, isMerge)}`);
      continue;
    }
    const conflicted = git(root, ['diff', '--name-only', '--diff-filter=U']).stdout.trim();
    git(root, ['revert', '--abort'], { allowFailure: true, env });
    if (!conflicted && git(root, ['diff', '--quiet', 'HEAD'], { allowFailure: true }).status === 0) {
      // Its change is already undone (e.g. by a later revert in the range): nothing to commit.
      out(c.dim(`  ${messages.deploy.revertSkipped(subject)}`));
      continue;
    }
    // Put the branch back where it was: a half-done rollback would deploy a state nobody chose.
    git(root, ['reset', '--quiet', '--keep', head], { allowFailure: true, env });
    err(c.red(`wxo-policy: ${messages.deploy.revertConflict(subject, conflicted ? conflicted.split('\n') : [])}`));
    err(messages.deploy.revertConflictHint(options.to));
    return EXIT.findings;
  }
  out('');
  out(messages.deploy.revertsMade(made.length));
  for (const m of made) out(`  ${m}`);

  const target = await resolveTarget(root, { fetchTags: false }, vars);
  const prepared = await preparePlan(target);
  out('');
  out(c.bold(messages.deploy.rollbackPlanTitle));
  out(formatPlanText(prepared, c, policy.deploy.orchestrate));
  out('');
  out(messages.deploy.rollbackNext(branch));
  await notifyRollback(
    target,
    options.to,
    made.length,
    vars,
    (t) => err(c.yellow(`wxo-policy: warning: ${t}`)),
    (t) => err(c.dim(`wxo-policy: ${t}`)),
  );
  return EXIT.ok;
}

/**
 * `rollback --to TAG --reset`: the branch is moved back to the tag (history after it leaves the
 * branch), where the policy allows it for the environment (`allow_reset`; default: draft stages
 * only). Safe: the tree must be clean, `git reset --keep` never drops a change, the old head is kept
 * under refs/wxo-policy/before-reset/<branch>, and the push it prints is a force-with-lease that
 * fails if someone else pushed meanwhile. The plan is against the environment's last deploy — no
 * longer in the branch's history — so it removes what the dropped commits added.
 */
function resetTo(
  root: string,
  branch: string,
  head: string,
  tagCommit: string,
  env: Environment,
  policy: Policy,
  options: RollbackOptions,
): Promise<number> | number {
  const { out, colors: c, vars } = options;
  if (!resetAllowed(env))
    throw new UsageError(messages.deploy.resetNotAllowed(env.name, env.stage), messages.deploy.resetNotAllowedHint(options.to));
  if (tagCommit === head) {
    out(messages.deploy.nothingToRevert(branch, options.to));
    return EXIT.ok;
  }
  const backup = `refs/wxo-policy/before-reset/${branch}`;
  git(root, ['update-ref', '-m', `wxo-policy rollback --reset to ${options.to}`, backup, head]);
  const r = git(root, ['reset', '--quiet', '--keep', tagCommit], { allowFailure: true, env: vars });
  if (r.status !== 0) throw new EnvError(messages.deploy.resetFailed(r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`));
  const dropped = git(root, ['rev-list', '--count', `${tagCommit}..${head}`]).stdout.trim();
  out(c.bold(messages.deploy.resetDone(branch, options.to, Number(dropped), backup, head.slice(0, 12))));
  return (async () => {
    const target = await resolveTarget(root, { fetchTags: false }, vars);
    const prepared = await preparePlan(target);
    out('');
    for (const note of target.notes) out(c.dim(note));
    out(c.bold(messages.deploy.rollbackPlanTitle));
    out(formatPlanText(prepared, c, policy.deploy.orchestrate));
    out('');
    out(messages.deploy.resetNext(branch, head));
    return EXIT.ok;
  })();
}
