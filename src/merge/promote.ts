import { analyzeInThread } from '../checks/analyzeMany.js';
import { tenantBindingAt } from '../checks/tenantBinding.js';
import { colorsFor, err, out, type ConsoleIO } from '../report/console.js';
import { EXIT, EnvError, UsageError } from '../errors.js';
import { git } from '../git/git.js';
import { currentBranch, diffCommits, refExists, revParse } from '../git/queries.js';
import type { Repo } from '../git/resolveRepo.js';
import { messages } from '../messages.js';
import { branchFor, classifyBranch, environmentByName, judgePromotion, nextEnvironments, sameTenant } from '../policy/environments.js';
import { compileClassifier } from '../policy/fileClassifier.js';
import type { Environment, Policy } from '../policy/model.js';
import { loadPolicyAt } from '../snapshot/loadPolicy.js';
import { releaseVersion } from '../snapshot/releaseVersion.js';
import { formatFindings } from '../report/text.js';
import { listSnapshot } from '../snapshot/snapshot.js';
import { recordKeptTarget } from './resolutions.js';
import { restoreTargetTenantFiles } from './restore.js';
import { PROMOTING } from './situation.js';

const m = messages.promote;

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

export async function promote(ctx: ConsoleIO, repo: Repo, options: PromoteOptions): Promise<number> {
  const c = colorsFor(ctx);
  const say = (line: string) => out(ctx, line);
  const refuse = (message: string, hint?: string) => {
    err(ctx, `${c.red(m.refused)} ${message}${hint ? `\n  ${hint}` : ''}`);
    return EXIT.findings;
  };

  const sourceBranch = currentBranch(repo.root);
  if (!sourceBranch) throw new UsageError(m.detached);
  const policy = await loadPolicyAt(repo.root, { type: 'commit', rev: 'HEAD' }, { cacheDir: repo.commonDir });
  const source = classifyBranch(sourceBranch, policy);
  if (source.kind !== 'environment')
    throw new UsageError(
      m.notAnEnvironment(
        sourceBranch,
        policy.environments.map((e) => e.branch),
      ),
    );

  const targetEnv = pickTarget(source.env, options.target, policy);
  const release = releaseVersion(repo.root, 'HEAD', policy, source.version);
  const version = release.ok ? release.version : release.found;
  if (targetEnv.branch.includes('{version}') && !release.ok) {
    return refuse(
      m.needsVersion(targetEnv.name, sourceBranch, policy.versioning.source, version),
      m.needsVersionHint(policy.versioning.source),
    );
  }
  const targetBranch = branchFor(targetEnv, version);
  const target = classifyBranch(targetBranch, policy);
  const verdict = judgePromotion(source, target, policy);
  if (!verdict.allowed) {
    return refuse(
      m.notAPath(sourceBranch, targetBranch, verdict.reason),
      m.allowedInto(
        targetEnv.name,
        policy.promotions.filter((e) => e.to === targetEnv.name).map((e) => e.from),
      ),
    );
  }
  const dirty = git(repo.root, ['status', '--porcelain', '--untracked-files=no']).stdout.trim();
  if (dirty) return refuse(m.dirty, m.dirtyHint);

  // The target branch: local, else from the remote, else created from the right base.
  const crossTenant = !sameTenant(source.env, targetEnv);
  if (!refExists(repo.root, `refs/heads/${targetBranch}`)) {
    if (refExists(repo.root, `refs/remotes/${options.remote}/${targetBranch}`)) {
      git(repo.root, ['branch', '-q', '--track', targetBranch, `${options.remote}/${targetBranch}`]);
      say(`${c.dim('·')} ${m.trackedFrom(targetBranch, options.remote)}`);
    } else if (!crossTenant) {
      // Same tenant: the new branch is cut from the source — creating it is the promotion.
      git(repo.root, ['branch', '-q', targetBranch, sourceBranch]);
      git(repo.root, ['checkout', '-q', targetBranch]);
      say(`${c.green('✔')} ${m.createdSameTenant(targetBranch, sourceBranch, targetEnv.tenant)}`);
      return finish(ctx, repo, options, targetBranch, undefined, policy, target);
    } else {
      const base = baseForTenant(repo, targetEnv, policy, options.remote);
      if (!base) return refuse(m.noTenantBase(targetEnv.tenant, targetBranch), m.noTenantBaseHint(targetEnv.tenant, targetBranch));
      git(repo.root, ['branch', '-q', targetBranch, base]);
      say(`${c.dim('·')} ${m.createdFrom(targetBranch, base, targetEnv.tenant)}`);
    }
  }

  git(repo.root, ['checkout', '-q', targetBranch]);
  const before = revParse(repo.root, 'HEAD')!;
  const merge = git(repo.root, ['merge', '--no-ff', '--no-commit', sourceBranch], {
    allowFailure: true,
    env: { ...ctx.env, GIT_REFLOG_ACTION: `merge ${sourceBranch}` },
  });
  if (/Already up to date/i.test(merge.stdout + merge.stderr)) {
    say(`${c.green('✔')} ${m.upToDate(targetBranch, sourceBranch)}`);
    return EXIT.ok;
  }
  if (merge.status !== 0 && conflictedFiles(repo).length === 0) throw new EnvError(m.mergeFailed(merge.stderr.trim()));
  // Across tenants the target keeps its own tenant files — also where they conflict (no driver
  // registered): they go back first, and only what is still conflicted after that stops the promotion.
  const restored = crossTenant ? restoreTargetTenantFiles(repo, policy) : [];
  const merged = revParse(repo.root, sourceBranch);
  recordKeptTarget(repo.gitDir, restored, {
    source: sourceBranch,
    target: targetBranch,
    by: 'promote',
    head: before,
    other: merged,
  });
  const conflicted = merge.status !== 0 ? conflictedFiles(repo) : [];
  if (conflicted.length) return refuse(m.conflicts(sourceBranch, targetBranch, conflicted), m.conflictsHint(targetBranch, restored));
  const crossing = crossTenant ? { fromTenant: source.env.tenant, toTenant: targetEnv.tenant, files: policy.tenant_scoped } : undefined;
  const commit = git(
    repo.root,
    ['commit', '-q', '-m', m.commitMessage(sourceBranch, targetBranch, source.env.name, targetEnv.name, crossing)],
    { allowFailure: true, env: { ...ctx.env, [PROMOTING]: '1' } },
  );
  if (commit.status !== 0) return refuse(m.commitRefused((commit.stderr + commit.stdout).trim()), m.commitRefusedHint(targetBranch));
  return finish(ctx, repo, options, targetBranch, before, policy, target);
}

async function finish(
  ctx: ConsoleIO,
  repo: Repo,
  options: PromoteOptions,
  targetBranch: string,
  before: string | undefined,
  policy: Policy,
  target: ReturnType<typeof classifyBranch>,
): Promise<number> {
  const c = colorsFor(ctx);
  const say = (line: string) => out(ctx, line);
  const head = revParse(repo.root, 'HEAD')!;
  if (target.kind === 'environment') {
    const binding = await tenantBindingAt(repo.root, head, target, policy);
    if (binding.length) {
      err(ctx, formatFindings(binding, c).join('\n'));
      err(ctx, c.red(m.wrongTenantFiles(targetBranch, target.env.tenant)));
      return EXIT.findings;
    }
  }
  if (before) {
    say(`${c.green('✔')} ${m.promoted(c.bold(targetBranch), head.slice(0, 12), target.kind === 'environment' ? target.env.tenant : '?')}`);
    const changes = await resourceChanges(repo.root, policy, before, head);
    if (changes.length) {
      say(`\n${m.resourcesTitle}`);
      for (const line of changes) say(`  ${line}`);
    }
    const stat = git(repo.root, ['diff', '--stat', before, head]).stdout.trimEnd();
    if (stat) say(`\n${stat}`);
  }
  const push = ['git', 'push', '-u', options.remote, targetBranch];
  if (options.push) {
    const r = git(repo.root, push.slice(1), { allowFailure: true });
    if (r.status !== 0) {
      err(ctx, `${c.red(m.pushFailed)}\n${r.stderr.trim()}`);
      return EXIT.findings;
    }
    say(`\n${c.green('✔')} ${m.pushed(targetBranch, options.remote)}`);
  } else {
    say(`\n${m.next(c.bold(push.join(' ')), targetBranch)}`);
  }
  return EXIT.ok;
}

/** Paths with unmerged index entries. */
function conflictedFiles(repo: Repo): string[] {
  return git(repo.root, ['diff', '--name-only', '--diff-filter=U']).stdout.trim().split('\n').filter(Boolean);
}

function pickTarget(from: Environment, requested: string | undefined, policy: Policy): Environment {
  if (requested) {
    const env = environmentByName(policy, requested) ?? policy.environments.find((e) => e.branch === requested);
    if (!env)
      throw new UsageError(
        m.unknownEnvironment(
          requested,
          policy.environments.map((e) => e.name),
        ),
      );
    return env;
  }
  // Forward: the next environment in the policy's order that an edge leads to.
  const order = policy.environments.map((e) => e.name);
  const forward = nextEnvironments(from, policy).filter((e) => order.indexOf(e.name) > order.indexOf(from.name));
  if (forward.length !== 1)
    throw new UsageError(
      `${m.whereTo(from.name)}: wxo-policy promote <${
        nextEnvironments(from, policy)
          .map((e) => e.name)
          .join('|') || 'environment'
      }>`,
    );
  return forward[0]!;
}

/** The newest existing branch of the target's tenant, preferring its most downstream environment. */
function baseForTenant(repo: Repo, target: Environment, policy: Policy, remote: string): string | undefined {
  const candidates = policy.environments
    .filter((e) => e.tenant === target.tenant && e.name !== target.name && !e.branch.includes('{version}'))
    .reverse();
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
