import { analyzeInThread } from '../checks/analyzeMany.js';
import { tenantBindingAt } from '../checks/checkScope.js';
import { colorsFor, err, out, type CliContext } from '../cli/context.js';
import { EnvError, UsageError } from '../errors.js';
import { git } from '../git/git.js';
import { currentBranch, diffCommits, readAt, refExists, revParse } from '../git/queries.js';
import type { Repo } from '../git/resolveRepo.js';
import { restoreTargetTenantFiles } from '../hooks/mergeGuards.js';
import { branchFor, classifyBranch, environmentByName, isValidVersion, judgePromotion, nextEnvironments, sameTenant } from '../policy/environments.js';
import { compileClassifier } from '../policy/fileClassifier.js';
import type { Environment, Policy } from '../policy/model.js';
import { loadPolicyAt } from '../policy/policySource.js';
import { formatFindings } from '../report/text.js';
import { listSnapshot } from '../snapshot/snapshot.js';
import { recordResolution } from './resolutions.js';

/**
 * `promote [<env>]`: a promotion done the way the policy means it — from the checked-out
 * environment branch into the next one, always a real merge (--no-ff), the target keeping its
 * own tenant files, tenant binding verified, and a summary of what is being promoted.
 */
export interface PromoteOptions {
  target?: string;
  push?: boolean;
  remote: string;
}

export async function promote(ctx: CliContext, repo: Repo, options: PromoteOptions): Promise<number> {
  const c = colorsFor(ctx);
  const say = (line: string) => out(ctx, line);
  const refuse = (message: string, hint?: string) => {
    err(ctx, `${c.red('wxo-policy: promote refused:')} ${message}${hint ? `\n  ${hint}` : ''}`);
    return 1;
  };

  const sourceBranch = currentBranch(repo.root);
  if (!sourceBranch) throw new UsageError('HEAD is detached: check out the environment branch to promote from');
  const policy = loadPolicyAt(repo.root, { type: 'commit', rev: 'HEAD' }, undefined, repo.commonDir);
  const source = classifyBranch(sourceBranch, policy);
  if (source.kind !== 'environment') throw new UsageError(`${sourceBranch} is not an environment branch: promote runs on ${policy.environments.map((e) => e.branch).join(', ')}`);

  const targetEnv = pickTarget(source.env, options.target, policy);
  const version = source.version ?? readAt(repo.root, 'HEAD', policy.versioning.source)?.trim();
  if (targetEnv.branch.includes('{version}') && (!version || !isValidVersion(version, policy))) {
    return refuse(`${targetEnv.name} needs a version and ${sourceBranch} has none (${policy.versioning.source} ${version ? `holds "${version}"` : 'is missing'})`, `Write the release version into ${policy.versioning.source} and commit it first.`);
  }
  const targetBranch = branchFor(targetEnv, version);
  const target = classifyBranch(targetBranch, policy);
  const verdict = judgePromotion(source, target, policy);
  if (!verdict.allowed) {
    return refuse(`${sourceBranch} → ${targetBranch} is not a promotion path of the policy (${verdict.reason})`, `Allowed into ${targetEnv.name}: ${policy.promotions.filter((e) => e.to === targetEnv.name).map((e) => e.from).join(', ')}`);
  }
  const dirty = git(repo.root, ['status', '--porcelain', '--untracked-files=no']).stdout.trim();
  if (dirty) return refuse('the working tree has uncommitted changes', 'Commit or stash them first (git stash), then promote again.');

  // The target branch: local, else from the remote, else created from the right base.
  const crossTenant = !sameTenant(source.env, targetEnv);
  if (!refExists(repo.root, `refs/heads/${targetBranch}`)) {
    if (refExists(repo.root, `refs/remotes/${options.remote}/${targetBranch}`)) {
      git(repo.root, ['branch', '-q', '--track', targetBranch, `${options.remote}/${targetBranch}`]);
      say(`${c.dim('·')} ${targetBranch} set up from ${options.remote}/${targetBranch}`);
    } else if (!crossTenant) {
      // Same tenant: the new branch is cut from the source — creating it is the promotion.
      git(repo.root, ['branch', '-q', targetBranch, sourceBranch]);
      git(repo.root, ['checkout', '-q', targetBranch]);
      say(`${c.green('✔')} created ${c.bold(targetBranch)} from ${sourceBranch} (same tenant ${targetEnv.tenant}): nothing to merge`);
      return finish(ctx, repo, options, targetBranch, undefined, policy, target);
    } else {
      const base = baseForTenant(repo, targetEnv, policy, options.remote);
      if (!base) return refuse(`no branch of tenant ${targetEnv.tenant} to start ${targetBranch} from`, `Create ${targetBranch} from a branch that holds ${targetEnv.tenant}'s tenant.yaml and values.yaml, then promote again.`);
      git(repo.root, ['branch', '-q', targetBranch, base]);
      say(`${c.dim('·')} created ${targetBranch} from ${base} (it starts with ${targetEnv.tenant}'s tenant files)`);
    }
  }

  git(repo.root, ['checkout', '-q', targetBranch]);
  const before = revParse(repo.root, 'HEAD')!;
  const merge = git(repo.root, ['merge', '--no-ff', '--no-commit', sourceBranch], { allowFailure: true, env: { ...ctx.env, GIT_REFLOG_ACTION: `merge ${sourceBranch}` } });
  if (/Already up to date/i.test(merge.stdout + merge.stderr)) {
    say(`${c.green('✔')} ${targetBranch} already contains ${sourceBranch}: nothing to promote`);
    return 0;
  }
  if (merge.status !== 0) {
    const conflicted = git(repo.root, ['diff', '--name-only', '--diff-filter=U']).stdout.trim().split('\n').filter(Boolean);
    if (conflicted.length === 0) throw new EnvError(`git merge failed: ${merge.stderr.trim()}`);
    return refuse(
      `merging ${sourceBranch} into ${targetBranch} conflicts in ${conflicted.join(', ')}`,
      `You are on ${targetBranch} in the middle of the merge: resolve the files, \`git add\` them and \`git commit\` — or \`git merge --abort\` to go back.`,
    );
  }
  const restored = crossTenant ? restoreTargetTenantFiles(repo, policy) : [];
  for (const file of restored) recordResolution(repo.gitDir, { file, source: sourceBranch, target: targetBranch, kept: 'target', by: 'promote' });
  const message = [
    `Merge branch '${sourceBranch}' into ${targetBranch}`,
    '',
    `Promotion ${source.env.name} → ${targetEnv.name} (wxo-policy promote).`,
    ...(crossTenant ? [`Crosses tenants ${source.env.tenant} → ${targetEnv.tenant}: ${targetBranch} keeps its own ${policy.tenant_scoped.join(', ')}.`] : []),
  ].join('\n');
  const commit = git(repo.root, ['commit', '-q', '-m', message], { allowFailure: true });
  if (commit.status !== 0) {
    return refuse(`the merge commit was refused:\n${(commit.stderr + commit.stdout).trim()}`, `The merge is staged on ${targetBranch}: fix what the hooks reported and \`git commit\`, or \`git merge --abort\`.`);
  }
  return finish(ctx, repo, options, targetBranch, before, policy, target);
}

async function finish(ctx: CliContext, repo: Repo, options: PromoteOptions, targetBranch: string, before: string | undefined, policy: Policy, target: ReturnType<typeof classifyBranch>): Promise<number> {
  const c = colorsFor(ctx);
  const say = (line: string) => out(ctx, line);
  const head = revParse(repo.root, 'HEAD')!;
  if (target.kind === 'environment') {
    const binding = await tenantBindingAt(repo.root, head, target, policy);
    if (binding.length) {
      err(ctx, formatFindings(binding, c).join('\n'));
      err(ctx, c.red(`wxo-policy: ${targetBranch} does not carry ${target.env.tenant}'s tenant files; fix them before pushing.`));
      return 1;
    }
  }
  if (before) {
    say(`${c.green('✔')} promoted into ${c.bold(targetBranch)} (${head.slice(0, 12)}); tenant binding verified (${target.kind === 'environment' ? target.env.tenant : '?'})`);
    const changes = await resourceChanges(repo.root, policy, before, head);
    if (changes.length) {
      say('\nResources promoted:');
      for (const line of changes) say(`  ${line}`);
    }
    const stat = git(repo.root, ['diff', '--stat', before, head]).stdout.trimEnd();
    if (stat) say(`\n${stat}`);
  }
  const push = ['git', 'push', '-u', options.remote, targetBranch];
  if (options.push) {
    const r = git(repo.root, push.slice(1), { allowFailure: true });
    if (r.status !== 0) {
      err(ctx, `${c.red('wxo-policy: push failed:')}\n${r.stderr.trim()}`);
      return 1;
    }
    say(`\n${c.green('✔')} pushed ${targetBranch} to ${options.remote}`);
  } else {
    say(`\nNext: ${c.bold(push.join(' '))}  (or push a branch and open a pull request into ${targetBranch})`);
  }
  return 0;
}

function pickTarget(from: Environment, requested: string | undefined, policy: Policy): Environment {
  if (requested) {
    const env = environmentByName(policy, requested) ?? policy.environments.find((e) => e.branch === requested);
    if (!env) throw new UsageError(`unknown environment "${requested}" (environments: ${policy.environments.map((e) => e.name).join(', ')})`);
    return env;
  }
  // Forward: the next environment in the policy's order that an edge leads to.
  const order = policy.environments.map((e) => e.name);
  const forward = nextEnvironments(from, policy).filter((e) => order.indexOf(e.name) > order.indexOf(from.name));
  if (forward.length !== 1) throw new UsageError(`from ${from.name}, say where to: wxo-policy promote <${nextEnvironments(from, policy).map((e) => e.name).join('|') || 'environment'}>`);
  return forward[0]!;
}

/** The newest existing branch of the target's tenant, preferring its most downstream environment. */
function baseForTenant(repo: Repo, target: Environment, policy: Policy, remote: string): string | undefined {
  const candidates = policy.environments.filter((e) => e.tenant === target.tenant && e.name !== target.name && !e.branch.includes('{version}')).reverse();
  for (const env of candidates) {
    if (refExists(repo.root, `refs/heads/${env.branch}`)) return env.branch;
    if (refExists(repo.root, `refs/remotes/${remote}/${env.branch}`)) return `${remote}/${env.branch}`;
  }
  return undefined;
}

/** Resources added, changed and removed between two commits, by kind and name. */
export async function resourceChanges(root: string, policy: Policy, before: string, after: string): Promise<string[]> {
  const classifier = compileClassifier(policy);
  const changed = diffCommits(root, before, after).filter((ch) => {
    const kind = classifier.kindSetting(ch.path);
    return kind !== undefined && kind !== 'none';
  });
  const namesAt = async (rev: string, paths: string[]) => {
    const wanted = new Set(paths);
    const entries = listSnapshot(root, { type: 'commit', rev }).filter((e) => wanted.has(e.path));
    const results = await analyzeInThread(root, { type: 'commit', rev }, entries, policy, { only: 'facts' });
    return new Set(results.flatMap((r) => r.facts.resources.map((d) => `${d.kind} ${d.name}`)));
  };
  const beforePaths = changed.filter((ch) => ch.status !== 'A').map((ch) => ch.path);
  const afterPaths = changed.filter((ch) => ch.status !== 'D').map((ch) => ch.path);
  const [old, now] = await Promise.all([namesAt(before, beforePaths), namesAt(after, afterPaths)]);
  const lines: string[] = [];
  for (const r of [...now].sort()) lines.push(`${old.has(r) ? '~ changed' : '+ added  '} ${r}`);
  for (const r of [...old].sort()) if (!now.has(r)) lines.push(`- removed  ${r}`);
  return lines;
}
