import type { Environment, Policy, Tenant } from '../policy/model.js';
import { tenantOf } from '../policy/environments.js';
import { ownerName } from './codeowners.js';
import { approversOf, needsApproval, requiredApprovals, resetAllowed } from '../policy/governance.js';

export { approversOf, jenkinsSubmitters, needsApproval, requiredApprovals, resetAllowed } from '../policy/governance.js';

/**
 * Branch protection and approvals as code: what the Git server must enforce, derived from the
 * policy. Pure functions over the policy; `protect` (src/governance/apply.ts) sends or compares.
 *
 * GitHub can only scope a rule by the target branch, not by the pull request's source: the
 * ruleset of an environment branch takes the strictest edge into it (most approvals, a code-owner
 * review when any edge into it has `approval: true`). GitLab's approval rules are the same.
 */

/** `qa-{version}` → `qa-*`; `v{version}-qa` → `v*-qa`: the servers' wildcard patterns. */
export function branchGlob(env: Environment): string {
  return env.branch.replace('{version}', '*');
}

/** A deploy tag and its redeploys (`v1.2.3-qa`, `v1.2.3-qa.2`). */
function tagGlobs(env: Environment): string[] {
  const glob = env.tag.replace('{version}', '*');
  return glob.endsWith('*') ? [glob] : [glob, `${glob}.*`];
}

function isVersioned(env: Environment): boolean {
  return env.branch.includes('{version}');
}

// ---- GitHub: repository rulesets -------------------------------------------------------------------

/** GitHub's built-in repository role ids (rulesets' bypass actors). */
const GITHUB_ROLE_IDS = { maintain: 2, admin: 5 } as const;

export interface GithubRuleset {
  name: string;
  target: 'branch' | 'tag';
  enforcement: 'active';
  bypass_actors: { actor_id: number; actor_type: 'RepositoryRole'; bypass_mode: 'always' }[];
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  rules: Record<string, unknown>[];
}

export const RULESET_PREFIX = 'wxo-policy:';

export function githubRulesets(policy: Policy): GithubRuleset[] {
  const g = policy.governance;
  const releasers = g.release_roles.map((r) => ({
    actor_id: GITHUB_ROLE_IDS[r],
    actor_type: 'RepositoryRole' as const,
    bypass_mode: 'always' as const,
  }));
  const out: GithubRuleset[] = [];
  for (const env of policy.environments) {
    const approval = needsApproval(policy, env);
    const rules: Record<string, unknown>[] = [{ type: 'deletion' }];
    if (!resetAllowed(env)) rules.push({ type: 'non_fast_forward' });
    rules.push(
      {
        type: 'pull_request',
        parameters: {
          required_approving_review_count: requiredApprovals(policy, env),
          require_code_owner_review: approval,
          require_last_push_approval: approval,
          dismiss_stale_reviews_on_push: true,
          required_review_thread_resolution: false,
        },
      },
      {
        type: 'required_status_checks',
        parameters: { required_status_checks: [{ context: g.status_check }], strict_required_status_checks_policy: false },
      },
    );
    out.push({
      name: `${RULESET_PREFIX} ${env.name} branch`,
      target: 'branch',
      enforcement: 'active',
      // A reset rollback is a force-push by a release role; everything else goes through pull requests.
      bypass_actors: resetAllowed(env) ? releasers : [],
      conditions: { ref_name: { include: [`refs/heads/${branchGlob(env)}`], exclude: [] } },
      rules,
    });
    if (isVersioned(env)) {
      out.push({
        name: `${RULESET_PREFIX} ${env.name} branch creation`,
        target: 'branch',
        enforcement: 'active',
        bypass_actors: releasers,
        conditions: { ref_name: { include: [`refs/heads/${branchGlob(env)}`], exclude: [] } },
        rules: [{ type: 'creation' }],
      });
    }
  }
  for (const env of policy.environments) {
    // `v*` (prod) would also match the other environments' tags: they have their own ruleset.
    const others = policy.environments.filter((o) => o !== env).flatMap(tagGlobs);
    const include = tagGlobs(env);
    out.push({
      name: `${RULESET_PREFIX} ${env.name} deploy tags`,
      target: 'tag',
      enforcement: 'active',
      bypass_actors: releasers,
      conditions: {
        ref_name: {
          include: include.map((t) => `refs/tags/${t}`),
          exclude: others.filter((o) => !include.includes(o) && globCovers(include, o)).map((t) => `refs/tags/${t}`),
        },
      },
      rules: [
        { type: 'creation' },
        { type: 'update', parameters: { update_allows_fetch_and_merge: false } },
        { type: 'deletion' },
        { type: 'non_fast_forward' },
      ],
    });
  }
  return out;
}

/** Does a `*` pattern of `include` match every name `pattern` matches? (For excludes: `v*` covers `v*-qa`.) */
function globCovers(include: string[], pattern: string): boolean {
  const sample = pattern.replace(/\*/g, '1.2.3');
  return include.some((g) =>
    new RegExp(
      `^${g
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ).test(sample),
  );
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  /** What `--apply` fills in from the server (ids a dry run cannot know). */
  resolvedWhenApplied?: string[];
}

export function githubRequests(policy: Policy, repo: string): ApiRequest[] {
  return githubRulesets(policy).map((body) => ({ method: 'POST', path: `/repos/${repo}/rulesets`, body }));
}

// ---- GitLab: protected branches and tags, approval rules ---------------------------------------------

/** GitLab access levels. */
const GITLAB = { noAccess: 0, developer: 30, maintainer: 40, admin: 60 } as const;

export interface GitlabProtectedBranch {
  name: string;
  push_access_level: number;
  merge_access_level: number;
  unprotect_access_level: number;
  allow_force_push: boolean;
  code_owner_approval_required: boolean;
}

export interface GitlabApprovalRule {
  name: string;
  approvals_required: number;
  usernames: string[];
  groups: string[];
  /** Branch patterns the rule applies to (resolved to protected branch ids when applied). */
  protected_branches: string[];
}

export interface GitlabSettings {
  protectedBranches: GitlabProtectedBranch[];
  protectedTags: { name: string; create_access_level: number }[];
  approvalRules: GitlabApprovalRule[];
}

export function gitlabSettings(policy: Policy): GitlabSettings {
  const g = policy.governance;
  const releaseLevel = g.release_roles.includes('maintain') ? GITLAB.maintainer : GITLAB.admin;
  // Protected tags know no admin level (GitLab's protected tags API: 0, 30, 40): maintainers is the
  // narrowest role that can still create a deploy tag.
  const tagReleaseLevel = GITLAB.maintainer;
  const protectedBranches = policy.environments.map((env) => ({
    name: branchGlob(env),
    // Nobody pushes directly except a reset rollback by a release role; merges need a maintainer.
    push_access_level: resetAllowed(env) ? releaseLevel : GITLAB.noAccess,
    merge_access_level: GITLAB.maintainer,
    unprotect_access_level: GITLAB.maintainer,
    allow_force_push: resetAllowed(env),
    code_owner_approval_required: needsApproval(policy, env),
  }));
  const protectedTags = policy.environments.flatMap((env) => tagGlobs(env).map((name) => ({ name, create_access_level: tagReleaseLevel })));
  const approvalRules = policy.environments.map((env) => {
    const approvers = approversOf(policy, env);
    return {
      name: `${RULESET_PREFIX} ${env.name}`,
      approvals_required: requiredApprovals(policy, env),
      usernames: approvers.filter((a) => !a.includes('/')).map((a) => a.replace(/^@/, '')),
      groups: approvers.filter((a) => a.includes('/')).map((a) => a.replace(/^@/, '')),
      protected_branches: [branchGlob(env)],
    };
  });
  return { protectedBranches, protectedTags, approvalRules };
}

export function gitlabRequests(policy: Policy, project: string): ApiRequest[] {
  const id = encodeURIComponent(project);
  const s = gitlabSettings(policy);
  return [
    ...s.protectedBranches.map((body) => ({ method: 'POST' as const, path: `/projects/${id}/protected_branches`, body })),
    ...s.protectedTags.map((body) => ({ method: 'POST' as const, path: `/projects/${id}/protected_tags`, body })),
    // GitLab takes groups and protected branches by id only: --apply looks them up on the server.
    ...s.approvalRules.map(({ protected_branches, groups, ...rest }) => ({
      method: 'POST' as const,
      path: `/projects/${id}/approval_rules`,
      body: rest,
      resolvedWhenApplied: [
        ...(groups.length
          ? [`group_ids: the ids of ${groups.map((g) => `group ${g} (GET /groups/${encodeURIComponent(g)})`).join(', ')}`]
          : []),
        `protected_branch_ids: the ids of protected branch${protected_branches.length === 1 ? '' : 'es'} ${protected_branches.map((b) => `"${b}"`).join(', ')} (GET /projects/${id}/protected_branches)`,
      ],
    })),
  ];
}

// ---- CODEOWNERS --------------------------------------------------------------------------------------

export const CODEOWNERS_PATH = { github: '.github/CODEOWNERS', gitlab: '.gitlab/CODEOWNERS' } as const;

/**
 * CODEOWNERS for the branches of one tenant: its tenant-scoped files belong to the tenant's owners,
 * the policy, the Jenkinsfile and CODEOWNERS itself to the policy owners. GitHub and GitLab read it
 * from the pull request's target branch, so each tenant's branches carry their own.
 */
export function codeowners(policy: Policy, tenant: Tenant, provider: 'github' | 'gitlab'): string {
  const owners = tenant.owners ?? [];
  const policyOwners = policy.governance.policy_owners;
  const lines = [
    `# Generated by \`wxo-policy protect --provider ${provider} --write-codeowners\` from wxo-policy.yaml (tenant ${tenant.name}).`,
    '# Do not edit: change tenants[].owners / governance.policy_owners in the policy and generate it again.',
    '',
  ];
  const line = (pattern: string, who: string[]) =>
    lines.push(who.length ? `${pattern} ${who.map(ownerName).join(' ')}` : `# ${pattern}: no owners in the policy`);
  for (const scoped of policy.tenant_scoped) line(`/${scoped.replace(/^\/+/, '')}`, owners);
  line('/wxo-policy.yaml', policyOwners);
  line('/Jenkinsfile', policyOwners);
  line(`/${CODEOWNERS_PATH[provider]}`, policyOwners);
  return `${lines.join('\n')}\n`;
}

/** Tenants in policy order with the environments bound to them. */
export function tenantsWithEnvironments(policy: Policy): { tenant: Tenant; environments: Environment[] }[] {
  return policy.tenants.map((tenant) => ({ tenant, environments: policy.environments.filter((e) => tenantOf(policy, e) === tenant) }));
}
