import { git } from '../git/git.js';
import { readAt, revParse } from '../git/queries.js';
import { resolveRepo } from '../git/resolveRepo.js';
import { branchFor, classifyBranch, compileBranchPattern, nextEnvironments, tenantOf } from '../policy/environments.js';
import type { Environment, Policy } from '../policy/model.js';
import { loadPolicyAt } from '../snapshot/loadPolicy.js';
import { releaseVersion } from '../snapshot/releaseVersion.js';
import type { Palette } from '../report/colors.js';
import { messages } from '../messages.js';
import { tenantBindingProblems } from '../checks/tenantBinding.js';
import { TENANT_FILE } from './resources.js';
import { lastDeployTag } from './tags.js';

/**
 * `status`: where every environment stands — its branches here and on the remote, the last
 * deploy tag reachable from each, commits not yet deployed, commits waiting for promotion, and
 * whether the tenant-scoped files at the branch head declare the environment's tenant. Read-only, local refs
 * and tags only (`git fetch --tags` first for the remote's view).
 */
export interface PromotionStatus {
  environment: string;
  branch: string;
  exists: boolean;
  /** Commits of this branch not yet in the target branch (null: the target does not exist). */
  waiting: number | null;
}

export interface BranchStatus {
  name: string;
  local: boolean;
  remote: boolean;
  /** The ref looked at: the local branch, else the remote-tracking one. */
  ref: string;
  head: string;
  /** Local against remote-tracking: commits only here / only there. */
  ahead?: number;
  behind?: number;
  lastDeploy: { tag: string; commit: string; date: string } | null;
  /** Commits since the last deploy (all commits when never deployed). */
  undeployed: number;
  promotions: PromotionStatus[];
  /**
   * Every tenant-scoped file declares the environment's tenant (ok), or not (mismatch: the
   * problems as `file:line:column message`); missing: the head has no tenant.yaml.
   */
  tenantBinding: { state: 'ok' | 'mismatch' | 'missing'; problems: string[] };
}

export interface EnvironmentStatus {
  environment: string;
  tenant: string;
  stage: string;
  branchPattern: string;
  tagPattern: string;
  branches: BranchStatus[];
}

export async function collectStatus(cwd: string, remote = 'origin'): Promise<{ policy: Policy; environments: EnvironmentStatus[] }> {
  const repo = resolveRepo(cwd);
  const root = repo.root;
  const head = revParse(root, 'HEAD');
  const policy = await loadPolicyAt(root, head ? { type: 'commit', rev: head } : { type: 'worktree' });

  const refs = git(root, ['for-each-ref', '--format=%(refname)%00%(objectname)', 'refs/heads', `refs/remotes/${remote}`])
    .stdout.split('\n')
    .filter(Boolean);
  const local = new Map<string, string>();
  const remoteRefs = new Map<string, string>();
  for (const line of refs) {
    const [ref, oid] = line.split('\0') as [string, string];
    if (ref.startsWith('refs/heads/')) local.set(ref.slice('refs/heads/'.length), oid);
    else if (!ref.endsWith('/HEAD')) remoteRefs.set(ref.slice(`refs/remotes/${remote}/`.length), oid);
  }
  const names = [...new Set([...local.keys(), ...remoteRefs.keys()])].sort();
  const refOf = (name: string) =>
    local.has(name) ? `refs/heads/${name}` : remoteRefs.has(name) ? `refs/remotes/${remote}/${name}` : undefined;
  const count = (range: string) => Number(git(root, ['rev-list', '--count', range]).stdout.trim() || 0);

  const environments: EnvironmentStatus[] = [];
  for (const env of policy.environments) {
    const tenant = tenantOf(policy, env);
    const pattern = compileBranchPattern(env.branch, policy);
    const branches: BranchStatus[] = [];
    for (const name of names.filter((n) => pattern.test(n))) {
      const ref = refOf(name)!;
      const tip = local.get(name) ?? remoteRefs.get(name)!;
      const tag = lastDeployTag(root, policy, env, tip);
      const status: BranchStatus = {
        name,
        local: local.has(name),
        remote: remoteRefs.has(name),
        ref,
        head: tip,
        lastDeploy: tag ? { tag: tag.name, commit: tag.commit, date: tag.date } : null,
        undeployed: count(tag ? `${tag.commit}..${tip}` : tip),
        promotions: promotionsOf(env, name, tip, policy, root, refOf, count),
        tenantBinding: await bindingOf(root, tip, env, name, policy),
      };
      if (local.has(name) && remoteRefs.has(name) && local.get(name) !== remoteRefs.get(name)) {
        status.ahead = count(`refs/remotes/${remote}/${name}..refs/heads/${name}`);
        status.behind = count(`refs/heads/${name}..refs/remotes/${remote}/${name}`);
      }
      branches.push(status);
    }
    environments.push({
      environment: env.name,
      tenant: tenant.name,
      stage: env.stage,
      branchPattern: env.branch,
      tagPattern: env.tag,
      branches,
    });
  }
  return { policy, environments };
}

function promotionsOf(
  env: Environment,
  branch: string,
  tip: string,
  policy: Policy,
  root: string,
  refOf: (n: string) => string | undefined,
  count: (r: string) => number,
): PromotionStatus[] {
  const info = classifyBranch(branch, policy);
  const release = releaseVersion(root, tip, policy, info.kind === 'environment' ? info.version : undefined);
  const version = release.ok ? release.version : undefined;
  const out: PromotionStatus[] = [];
  for (const next of nextEnvironments(env, policy)) {
    if (next.branch.includes('{version}') && !version) continue;
    const target = branchFor(next, version);
    const ref = refOf(target);
    out.push({ environment: next.name, branch: target, exists: Boolean(ref), waiting: ref ? count(`${ref}..${tip}`) : null });
  }
  return out;
}

async function bindingOf(
  root: string,
  tip: string,
  env: Environment,
  branch: string,
  policy: Policy,
): Promise<BranchStatus['tenantBinding']> {
  const problems = await tenantBindingProblems(root, tip, env, branch, policy);
  if (readAt(root, tip, TENANT_FILE) === undefined) return { state: 'missing', problems: [messages.deploy.tenantFileMissing, ...problems] };
  return { state: problems.length ? 'mismatch' : 'ok', problems };
}

export function formatStatusText(environments: readonly EnvironmentStatus[], c: Palette, remote = 'origin'): string {
  const t = messages.statusText;
  const lines: string[] = [];
  for (const e of environments) {
    lines.push(c.bold(t.environment(e.environment, e.tenant, e.stage, e.branchPattern, e.tagPattern)));
    if (!e.branches.length) lines.push(c.dim(`  ${t.noBranch}`));
    for (const b of e.branches) {
      const where = [b.local ? 'local' : '', b.remote ? remote : ''].filter(Boolean).join(' + ');
      const sync = b.ahead !== undefined ? t.ahead(b.ahead, b.behind!, remote) : b.local && b.remote ? t.inSync : '';
      lines.push(`  ${t.branch(b.name, where, sync, b.head.slice(0, 12))}`);
      lines.push(
        b.lastDeploy
          ? `    ${t.lastDeploy(b.lastDeploy.tag, b.lastDeploy.commit.slice(0, 12), b.lastDeploy.date)}`
          : c.dim(`    ${t.neverDeployed}`),
      );
      lines.push(b.undeployed ? c.yellow(`    ${t.notDeployed(b.undeployed)}`) : `    ${t.allDeployed}`);
      for (const p of b.promotions) {
        lines.push(
          p.exists ? `    ${t.waiting(p.environment, p.branch, p.waiting!)}` : c.dim(`    ${t.noPromotionBranch(p.environment, p.branch)}`),
        );
      }
      const binding = b.tenantBinding;
      if (binding.state === 'ok') lines.push(`    ${messages.deploy.statusBindingOk(e.tenant)}`);
      else lines.push(c.red(`    ${messages.deploy.statusBindingProblems(e.tenant)}`), ...binding.problems.map((p) => c.red(`      ${p}`)));
    }
  }
  return lines.join('\n');
}
