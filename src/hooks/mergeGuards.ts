import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { colorsFor, err, type ConsoleIO } from '../report/console.js';
import { git } from '../git/git.js';
import { parents, revParse } from '../git/queries.js';
import type { Repo } from '../git/resolveRepo.js';
import { clearResolutions, hasResolutions, readResolutions, recordKeptTarget } from '../merge/resolutions.js';
import { restoreTargetTenantFiles } from '../merge/restore.js';
import type { KnownHead } from '../deploy/target.js';
import { headBranch, headCommit, mergedCommits, mergeSource, PROMOTING } from '../merge/situation.js';
import { messages } from '../messages.js';
import { classifyBranch, sameTenant, type BranchInfo } from '../policy/environments.js';
import type { Policy } from '../policy/model.js';
import { loadPolicyAt } from '../snapshot/loadPolicy.js';
import { formatFindings } from '../report/text.js';
import { commitVerdict } from './protect.js';
import { EXIT } from '../errors.js';

const g = messages.guards;

/**
 * The guards for what the merge driver never sees: git takes a file changed on
 * one side only without calling any driver (gitattributes(5), "merge"), and a fast-forward merges
 * nothing at all.
 */
interface CrossTenantMerge {
  source: string;
  target: string;
  sourceInfo: Extract<BranchInfo, { kind: 'environment' }>;
  targetInfo: Extract<BranchInfo, { kind: 'environment' }>;
}

function crossTenant(source: string | undefined, target: string | undefined, policy: Policy): CrossTenantMerge | undefined {
  if (!source || !target) return undefined;
  const s = classifyBranch(source, policy);
  const t = classifyBranch(target, policy);
  if (s.kind !== 'environment' || t.kind !== 'environment' || sameTenant(s.env, t.env)) return undefined;
  return { source, target, sourceInfo: s, targetInfo: t };
}

/** The branch a merge in progress (or just fast-forwarded) brings in. */
function mergingBranch(ctx: ConsoleIO, repo: Repo, reflog?: string): string | undefined {
  const msgFile = join(repo.gitDir, 'MERGE_MSG');
  const message = existsSync(msgFile) ? readFileSync(msgFile, 'utf8') : undefined;
  return mergeSource(ctx.env, repo, { ...(message ? { message } : {}), ...(reflog ? { reflog } : {}) });
}

/**
 * pre-merge-commit: the automatic merge is about to be committed. On a cross-tenant merge every
 * tenant-scoped file must be the target's; where git took the source's version (one-sided change),
 * the target's goes back into the index and work tree and the hook stops the commit — on git 2.39
 * a hook cannot change the tree of the commit git is making, but `git commit` then records the
 * merge with the restored files.
 */
export async function preMergeCommit(ctx: ConsoleIO, repo: Repo): Promise<number> {
  const policy = await loadPolicyAt(repo.root, { type: 'commit', rev: 'HEAD' }, { cacheDir: repo.commonDir });
  const target = headBranch(repo.gitDir);
  const info = target ? classifyBranch(target, policy) : undefined;
  if (target && info?.kind === 'environment' && commitVerdict(info, policy, { merging: true, reverting: false }) === 'merge-commit') {
    const c = colorsFor(ctx, 'stderr');
    err(
      ctx,
      `${c.red('✖')} ${messages.protectedMerge(target, info.env.name)}\n  ${messages.protectedMergeHint}\n  ${c.dim(messages.bypass('git merge'))}`,
    );
    return EXIT.findings;
  }
  const merge = crossTenant(mergingBranch(ctx, repo), target, policy);
  if (!merge) return EXIT.ok;
  const restored = restoreTargetTenantFiles(repo, policy);
  if (restored.length === 0) return EXIT.ok; // the driver's resolutions are reported by post-merge
  recordKeptTarget(repo.gitDir, restored, {
    source: merge.source,
    target: merge.target,
    by: 'pre-merge-commit',
    head: headCommit(repo),
    other: mergedCommits(ctx.env)[0],
  });
  const c = colorsFor(ctx, 'stderr');
  err(
    ctx,
    [
      `${c.yellow('wxo-policy:')} ${g.crossesTenants(merge.source, merge.target, merge.sourceInfo.env.tenant, merge.targetInfo.env.tenant)}`,
      `  ${g.tookSource(merge.source, restored)}`,
      `  ${g.putBack(merge.target, restored.length)}`,
      `  ${g.finishWith(c.bold('git commit --no-edit'))}`,
    ].join('\n'),
  );
  return EXIT.findings;
}

/**
 * post-merge: a fast-forward across tenants merges nothing — the target branch simply becomes the
 * source, tenant files included. It is undone (git reset --keep, which never discards local
 * changes) with the command that promotes correctly.
 */
export async function postMerge(ctx: ConsoleIO, repo: Repo, squash: string | undefined): Promise<number> {
  if (squash === '1') return EXIT.ok; // a squash merge commits nothing yet
  const c = colorsFor(ctx, 'stderr');
  const target = headBranch(repo.gitDir);
  const head = headCommit(repo) ?? revParse(repo.root, 'HEAD');
  if (!head) return EXIT.ok;
  const policy = await loadPolicyAt(repo.root, { type: 'commit', rev: head }, { cacheDir: repo.commonDir });
  const reflog = git(repo.root, ['reflog', '-1', '--format=%gs'], { allowFailure: true }).stdout.trim();
  const merge = /: Fast-forward$/.test(reflog) && target ? crossTenant(mergingBranch(ctx, repo, reflog), target, policy) : undefined;
  const origHead = merge ? revParse(repo.root, 'ORIG_HEAD') : undefined;
  if (merge && origHead) {
    const undone = git(repo.root, ['reset', '-q', '--keep', origHead], { allowFailure: true }).status === 0;
    err(
      ctx,
      [
        `${c.red('wxo-policy:')} ${g.fastForwarded(merge.target, merge.source, merge.sourceInfo.env.tenant, merge.targetInfo.env.tenant)}`,
        `  ${undone ? g.undone(merge.target, origHead.slice(0, 12)) : g.undoIt(c.bold(`git reset --keep ${origHead.slice(0, 12)}`))}`,
        `  ${g.promoteInstead(c.bold(`wxo-policy promote ${merge.targetInfo.env.name}`), merge.source, merge.target)}`,
      ].join('\n'),
    );
    return undone ? EXIT.ok : EXIT.findings;
  }
  reportResolutions(ctx, repo, () => parents(repo.root, head));
  if (target && classifyBranch(target, policy).kind === 'environment') await showPlanOrDeploy(ctx, { repo, head, policy, branch: target });
  return EXIT.ok;
}

/**
 * After a merge or a revert on an environment branch: the plan summary of what its next deploy
 * does — and the deploy itself only where deploying from hooks is enabled (the Jenkins deploy
 * agent), never by surprise on a laptop. A plan that cannot be computed is a note, not a failure.
 * The hook hands over what it already knows (repository, HEAD, policy, branch): none of it is
 * asked of git again.
 */
async function showPlanOrDeploy(ctx: ConsoleIO, known: KnownHead): Promise<void> {
  const c = colorsFor(ctx, 'stderr');
  try {
    const { planSummary, deployEnabled, deployFromHook } = await import('../deploy/fromHooks.js');
    err(ctx, c.dim(await planSummary(known.repo.root, { vars: ctx.env, known })));
    if (!deployEnabled(known.policy, ctx.env)) {
      err(ctx, c.dim(`wxo-policy: ${messages.deploy.hookDeployDisabled}`));
      return;
    }
    const result = await deployFromHook(known.repo.root, {
      vars: ctx.env,
      out: (t) => err(ctx, t),
      err: (t) => err(ctx, t),
      colors: c,
      known,
    });
    if (!result.deployed && result.message) err(ctx, c.dim(`wxo-policy: ${result.message}`));
  } catch (e) {
    err(ctx, c.dim(g.noPlan((e as Error).message.split('\n')[0]!)));
  }
}

/**
 * Says which tenant files this merge kept from its target, and forgets every recorded
 * resolution — those of this merge, and any an aborted merge left behind.
 */
function reportResolutions(ctx: ConsoleIO, repo: Repo, parentsOfHead: () => string[]): void {
  if (!hasResolutions(repo.gitDir)) return;
  const [first, ...others] = parentsOfHead();
  const resolutions = first ? readResolutions(repo.gitDir, { first, others }) : [];
  clearResolutions(repo.gitDir);
  if (resolutions.length === 0) return;
  const c = colorsFor(ctx, 'stderr');
  const files = [...new Set(resolutions.map((r) => r.file))];
  err(ctx, c.dim(g.kept(resolutions[0]!.target, files, resolutions[0]!.source)));
}

/** post-commit of a revert on an environment branch: a rollback — show what its deploy will do. */
export async function afterRevert(ctx: ConsoleIO, repo: Repo, branch: string, head: string): Promise<number> {
  const policy = await loadPolicyAt(repo.root, { type: 'commit', rev: head }, { cacheDir: repo.commonDir });
  if (classifyBranch(branch, policy).kind === 'environment') await showPlanOrDeploy(ctx, { repo, head, policy, branch });
  return EXIT.ok;
}

/**
 * post-commit of a merge: one whose conflicts were resolved by hand is committed without the
 * merge hooks (and perhaps with --no-verify). If its tenant files belong to another tenant, say so
 * loudly, with the commands that fix it before it is pushed (pre-push refuses it anyway).
 */
export async function afterMergeCommit(ctx: ConsoleIO, repo: Repo, branch: string, head: string, parentsOfHead: string[]): Promise<number> {
  const policy = await loadPolicyAt(repo.root, { type: 'commit', rev: head }, { cacheDir: repo.commonDir });
  const info = classifyBranch(branch, policy);
  reportResolutions(ctx, repo, () => parentsOfHead);
  if (info.kind !== 'environment') return EXIT.ok;
  // `promote` verifies the tenant binding of the merge it commits itself (also with hooks off).
  const findings = ctx.env[PROMOTING]
    ? []
    : await (await import('../checks/tenantBinding.js')).tenantBindingAt(repo.root, head, info, policy);
  if (findings.length === 0) {
    // A merge finished by hand: post-merge does not run for it, so the plan is shown here.
    await showPlanOrDeploy(ctx, { repo, head, policy, branch });
    return EXIT.ok;
  }
  const c = colorsFor(ctx, 'stderr');
  const files = findings
    .map((f) => f.file)
    .filter(Boolean)
    .join(' ');
  err(
    ctx,
    [
      formatFindings(findings, c).join('\n'),
      `${c.red('wxo-policy:')} ${g.wrongTenantMerge}`,
      `  ${c.bold(`git checkout HEAD^1 -- ${files} && git commit --amend --no-edit`)}`,
    ].join('\n'),
  );
  return EXIT.findings;
}
