import { branchFor, classifyTag, isValidVersion, judgePromotion, type BranchInfo } from '../../policy/environments.js';
import { POLICY_FILE } from '../../policy/model.js';
import type { Policy, RuleId } from '../../policy/model.js';
import { messages } from '../../messages.js';
import { ruleFinding } from '../finding.js';
import type { Finding } from '../types.js';

/**
 * Rules about refs rather than files: branch and tag names, promotion paths, the version file,
 * policy changes. Pure: the caller asks git the questions (is this commit on that branch?).
 */

function finding(policy: Policy, rule: RuleId, message: string, extra: Partial<Finding> = {}): Finding[] {
  const f = ruleFinding(policy, rule, { message, ...extra });
  return f ? [f] : [];
}

export function branchNameRule(branch: BranchInfo, policy: Policy): Finding[] {
  switch (branch.kind) {
    case 'environment':
    case 'allowed':
      return [];
    case 'malformed':
      return finding(
        policy,
        'branch-name',
        `branch "${branch.name}" looks like a ${branch.env.name} branch but its version is not ${policy.versioning.format === 'semver' ? 'MAJOR.MINOR.PATCH (e.g. ' + branch.expected.replace('{version}', '1.2.3') + ')' : `a valid version (${policy.versioning.pattern})`}`,
      );
    case 'unknown':
      return finding(
        policy,
        'branch-name',
        `branch "${branch.name}" is neither an environment branch (${policy.environments.map((e) => e.branch).join(', ')}) nor allowed (${policy.branches.allowed.join(', ') || 'no other branches allowed'})`,
      );
  }
}

/**
 * A deploy tag names an environment and version, and its commit must be on that environment's
 * branch (`isOnBranch` answers from git; undefined when the branch is not available).
 */
export function tagNameRule(
  tag: string,
  commit: string,
  policy: Policy,
  isOnBranch: (commit: string, branch: string) => boolean | undefined,
): Finding[] {
  const info = classifyTag(tag, policy);
  if (!info) {
    return finding(policy, 'tag-name', `tag "${tag}" matches no deploy tag pattern (${policy.environments.map((e) => e.tag).join(', ')})`);
  }
  const branch = branchFor(info.env, info.env.branch.includes('{version}') ? info.version : undefined);
  const onBranch = isOnBranch(commit, branch);
  if (onBranch === undefined)
    return finding(
      policy,
      'tag-name',
      `tag "${tag}" (${info.env.name}) should point at a commit of branch ${branch}, which does not exist here`,
    );
  if (!onBranch)
    return finding(
      policy,
      'tag-name',
      `tag "${tag}" points at ${commit.slice(0, 12)}, which is not on branch ${branch} (environment ${info.env.name})`,
    );
  return [];
}

export interface PromotionOutcome {
  findings: Finding[];
  /** Set when the edge needs an approval (cross-tenant promotions): Jenkins shows it as a gate. */
  approval?: string;
  crossTenant: boolean;
}

export function promotionPathRule(source: BranchInfo, target: BranchInfo, policy: Policy): PromotionOutcome {
  const verdict = judgePromotion(source, target, policy);
  if (verdict.allowed) {
    const approval = verdict.edge.approval ? `promotion ${source.name} → ${target.name} requires an approval` : undefined;
    return approval === undefined
      ? { findings: [], crossTenant: verdict.crossTenant }
      : { findings: [], crossTenant: verdict.crossTenant, approval };
  }
  const allowedInto = target.kind === 'environment' ? policy.promotions.filter((e) => e.to === target.env.name).map((e) => e.from) : [];
  const message =
    verdict.reason === 'target-not-environment'
      ? undefined
      : verdict.reason === 'version-mismatch'
        ? `${source.name} → ${target.name}: a promotion from ${verdict.edge!.from} to ${verdict.edge!.to} keeps the version (expected ${target.kind === 'environment' ? branchForSameVersion(source, target) : target.name})`
        : `${source.name} → ${target.name} is not a promotion path of the policy${allowedInto.length ? ` (${target.name} accepts merges from: ${allowedInto.join(', ')})` : ''}`;
  return { findings: message ? finding(policy, 'promotion-path', message) : [], crossTenant: false };
}

function branchForSameVersion(source: BranchInfo, target: BranchInfo): string {
  if (target.kind !== 'environment' || source.kind !== 'environment' || !source.version) return target.name;
  return branchFor(target.env, target.env.branch.includes('{version}') ? source.version : undefined);
}

/**
 * The version file on an environment branch: equal to the version in the branch name where it
 * has one (qa-X, staging-X), a valid version elsewhere (develop, main).
 */
export function versionConsistencyRule(branch: BranchInfo, versionText: string | undefined, policy: Policy): Finding[] {
  if (branch.kind !== 'environment') return [];
  const file = policy.versioning.source;
  if (versionText === undefined) {
    return finding(policy, 'version-consistency', `${file} is missing: environment branch ${branch.name} needs it for its deploy tags`, {
      file,
      line: 1,
      column: 1,
      hint: messages.situational.versionMissing(file),
    });
  }
  const version = versionText.trim();
  if (branch.version !== undefined && version !== branch.version) {
    return finding(
      policy,
      'version-consistency',
      `${file} says "${version}" but the branch is ${branch.name} (version ${branch.version})`,
      { file, line: 1, column: 1, hint: messages.situational.versionOfBranch(file, branch.version) },
    );
  }
  if (!isValidVersion(version, policy)) {
    return finding(
      policy,
      'version-consistency',
      `${file} holds "${version}", which is not a valid ${policy.versioning.format === 'semver' ? 'MAJOR.MINOR.PATCH version' : 'version'}`,
      { file, line: 1, column: 1, hint: messages.situational.versionInvalid(file) },
    );
  }
  return [];
}

export function policyChangeRule(changedPaths: readonly string[], policy: Policy, note: string): Finding[] {
  if (!changedPaths.includes(POLICY_FILE)) return [];
  return finding(policy, 'policy-change', `the policy file changed${note ? ` (${note})` : ''}`, { file: POLICY_FILE, line: 1, column: 1 });
}
