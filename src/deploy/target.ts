import { isJenkins, readJenkinsBuild } from '../ci/jenkins.js';
import { ConfigError, UsageError } from '../errors.js';
import { git } from '../git/git.js';
import { currentBranch, isAncestor, revParse } from '../git/queries.js';
import { resolveRepo, type Repo } from '../git/resolveRepo.js';
import { messages } from '../messages.js';
import { classifyBranch, environmentByName, tenantOf, type BranchInfo } from '../policy/environments.js';
import type { Environment, Policy, Tenant } from '../policy/model.js';
import { loadPolicyAt } from '../snapshot/loadPolicy.js';
import { releaseVersion } from '../snapshot/releaseVersion.js';
import { deployTags, fetchEnvironmentTags, lastDeployTag, type DeployTag } from './tags.js';

/**
 * What a plan or deploy is about: the environment (from --env, the checked-out branch, or
 * Jenkins' BRANCH_NAME — HEAD is detached there), its tenant, the head commit, and the base —
 * the environment's last deploy tag reachable from head, else --from, else nothing (everything
 * is new). Reads git; the policy comes from the head commit.
 */
export interface TargetOptions {
  env?: string;
  from?: string;
  to?: string;
  remote?: string;
  /** Fetch the environment's deploy tags from the remote (default: only in Jenkins). */
  fetchTags?: boolean;
}

export interface Target {
  repo: Repo;
  root: string;
  policy: Policy;
  env: Environment;
  tenant: Tenant;
  branch?: string;
  branchInfo?: BranchInfo;
  head: string;
  base?: { rev: string; tag?: DeployTag; source: 'tag' | 'from' };
  /** What was detected or fetched, for the log. */
  notes: string[];
  ci: boolean;
}

/** What a caller (a git hook) already knows of the repository and HEAD: not asked of git again. */
export interface KnownHead {
  repo: Repo;
  head: string;
  /** The policy at `head`. */
  policy: Policy;
  /** The checked-out branch (undefined: detached). */
  branch: string | undefined;
}

export async function resolveTarget(cwd: string, options: TargetOptions, vars: NodeJS.ProcessEnv, known?: KnownHead): Promise<Target> {
  const given = !options.to || options.to === 'HEAD' ? known : undefined;
  const repo = known?.repo ?? resolveRepo(cwd);
  const root = repo.root;
  const notes: string[] = [];
  const toRev = options.to ?? 'HEAD';
  const head = given?.head ?? revParse(root, toRev);
  if (!head)
    throw options.to ? new UsageError(messages.deploy.noSuchRevision('--to', options.to)) : new UsageError(messages.deploy.noCommits);
  const policy =
    given?.policy ??
    (await loadPolicyAt(root, { type: 'commit', rev: head }, { notify: (note) => notes.push(note), cacheDir: repo.commonDir }));
  const ci = isJenkins(vars);

  // ---- the branch ---------------------------------------------------------------------------------
  let branch: string | undefined;
  if (options.to && options.to !== 'HEAD') {
    // --to a branch (local or remote-tracking) names the environment; --to a commit needs --env.
    const full = git(root, ['rev-parse', '--symbolic-full-name', options.to], { allowFailure: true }).stdout.trim();
    const m = /^refs\/heads\/(.+)$/.exec(full) ?? /^refs\/remotes\/[^/]+\/(.+)$/.exec(full);
    if (m) branch = m[1];
  } else {
    branch = given ? given.branch : currentBranch(root);
    if (!branch && ci) {
      const build = readJenkinsBuild(vars);
      if ('kind' in build && build.kind === 'branch') {
        branch = build.branch;
        notes.push(messages.deploy.jenkinsBranch(branch));
      } else if (!options.env) {
        throw new UsageError(
          'kind' in build ? messages.deploy.notABranchBuild(build.kind) : messages.deploy.noBranch,
          messages.deploy.envHint,
        );
      }
    }
  }
  const branchInfo = branch ? classifyBranch(branch, policy) : undefined;

  // ---- the environment ------------------------------------------------------------------------------
  let env: Environment | undefined;
  if (options.env) {
    env = environmentByName(policy, options.env);
    if (!env)
      throw new UsageError(
        messages.deploy.unknownEnvironment(
          options.env,
          policy.environments.map((e) => e.name),
        ),
      );
    if (branchInfo?.kind === 'environment' && branchInfo.env.name !== env.name)
      notes.push(messages.deploy.envOverridesBranch(env.name, branch!, branchInfo.env.name));
  } else if (branchInfo?.kind === 'environment') {
    env = branchInfo.env;
  } else if (branch) {
    throw new UsageError(messages.deploy.notAnEnvironmentBranch(branch), messages.deploy.envHint);
  } else {
    throw new UsageError(messages.deploy.noBranch, messages.deploy.envHint);
  }
  const tenant = tenantOf(policy, env);

  // ---- the base -----------------------------------------------------------------------------------------
  if (options.fetchTags ?? ci) fetchEnvironmentTags(root, env, options.remote ?? 'origin', (n) => notes.push(n));
  const reachable = lastDeployTag(root, policy, env, head);
  // After a reset or a force-push the branch's newest deploy is no longer in its history, but it is
  // what the tenant runs: plan against it (its resources, removals included), not an older ancestor.
  const branchVersion = branchInfo?.kind === 'environment' && branchInfo.env.name === env.name ? branchInfo.version : undefined;
  const newest = deployTags(root, policy, env).find((t) => branchVersion === undefined || t.version === branchVersion);
  const rewritten =
    newest && newest.name !== reachable?.name && (!reachable || newest.time >= reachable.time) && !isAncestor(root, newest.commit, head)
      ? newest
      : undefined;
  if (rewritten) notes.push(messages.deploy.baseNotAncestor(rewritten.name));
  const tag = rewritten ?? reachable;
  let base: Target['base'];
  if (tag) {
    base = { rev: tag.commit, tag, source: 'tag' };
    if (options.from) notes.push(messages.deploy.fromIgnored(options.from, tag.name));
  } else if (options.from) {
    const rev = revParse(root, options.from);
    if (!rev) throw new UsageError(messages.deploy.noSuchRevision('--from', options.from));
    base = { rev, source: 'from' };
  }
  const target: Target = { repo, root, policy, env, tenant, head, notes, ci };
  if (branch) target.branch = branch;
  if (branchInfo) target.branchInfo = branchInfo;
  if (base) target.base = base;
  return target;
}

/** The version a deploy is tagged with: the branch's (qa-1.2.3), else the version file at head. */
export function deployVersion(target: Target): string {
  const fromBranch =
    target.branchInfo?.kind === 'environment' && target.branchInfo.env.name === target.env.name ? target.branchInfo.version : undefined;
  const v = releaseVersion(target.root, target.head, target.policy, fromBranch);
  if (v.ok) return v.version;
  if (v.found === undefined)
    throw new ConfigError(messages.deploy.versionFileMissing(v.file, target.head.slice(0, 12)), messages.deploy.versionHint(v.file));
  throw new ConfigError(messages.deploy.versionInvalid(v.file, v.found), messages.deploy.versionHint(v.file));
}
