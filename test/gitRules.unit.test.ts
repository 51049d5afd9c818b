import { describe, expect, it } from 'vitest';
import { branchNameRule, policyChangeRule, promotionPathRule, tagNameRule, versionConsistencyRule } from '../src/checks/rules/gitRules.js';
import { classifyBranch } from '../src/policy/environments.js';
import type { Level, Policy, RuleId } from '../src/policy/model.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';

/** checks/rules/gitRules.ts: the rules about refs, pure; the caller answers git's questions. */
const policy = parsePolicy(defaultPolicyText(), 'default', defaultPolicyText());
const at = (level: Level, rule: RuleId): Policy => ({ ...policy, rules: { ...policy.rules, [rule]: level } });
const branch = (name: string) => classifyBranch(name, policy);

describe('branchNameRule', () => {
  it('accepts environment branches and allowed patterns', () => {
    for (const name of ['develop', 'qa-1.2.3', 'staging-10.0.1', 'main', 'feature/login', 'dependabot/npm/x'])
      expect(branchNameRule(branch(name), policy)).toEqual([]);
  });

  it('refuses a malformed version and an unknown branch, with the rule hint', () => {
    const [malformed] = branchNameRule(branch('qa-1.2'), policy);
    expect(malformed).toMatchObject({
      rule: 'branch-name',
      severity: 'error',
      message: expect.stringContaining('looks like a qa branch but its version is not MAJOR.MINOR.PATCH (e.g. qa-1.2.3)'),
    });
    expect(malformed!.hint).toContain('git branch -m');
    expect(branchNameRule(branch('wip'), policy)[0]!.message).toContain('branch "wip" is neither an environment branch');
  });

  it('follows the policy level: warning lowers the severity, off drops the finding', () => {
    expect(branchNameRule(branch('wip'), at('warning', 'branch-name'))[0]!.severity).toBe('warning');
    expect(branchNameRule(branch('wip'), at('off', 'branch-name'))).toEqual([]);
  });
});

describe('tagNameRule', () => {
  const commit = 'a'.repeat(40);
  it('accepts a deploy tag on a commit of its environment branch', () => {
    expect(tagNameRule('v1.2.3-qa', commit, policy, (_c, b) => b === 'qa-1.2.3')).toEqual([]);
    expect(tagNameRule('v1.2.3', commit, policy, (_c, b) => b === 'main')).toEqual([]);
  });

  it('refuses a tag off its branch, a tag whose branch is missing, and a tag of no pattern', () => {
    expect(tagNameRule('v1.2.3-qa', commit, policy, () => false)[0]!.message).toBe(
      `tag "v1.2.3-qa" points at ${commit.slice(0, 12)}, which is not on branch qa-1.2.3 (environment qa)`,
    );
    expect(tagNameRule('v1.2.3-qa', commit, policy, () => undefined)[0]!.message).toContain(
      'should point at a commit of branch qa-1.2.3, which does not exist here',
    );
    expect(tagNameRule('release-candidate', commit, policy, () => true)[0]).toMatchObject({
      rule: 'tag-name',
      message: expect.stringContaining('matches no deploy tag pattern'),
    });
  });
});

describe('promotionPathRule', () => {
  it('accepts a policy edge, and reports the approval a cross-tenant edge needs', () => {
    expect(promotionPathRule(branch('develop'), branch('qa-1.2.3'), policy)).toEqual({ findings: [], crossTenant: false });
    expect(promotionPathRule(branch('qa-1.2.3'), branch('staging-1.2.3'), policy)).toEqual({
      findings: [],
      crossTenant: true,
      approval: 'promotion qa-1.2.3 → staging-1.2.3 requires an approval',
    });
  });

  it('refuses a path the policy lacks, naming what the target accepts', () => {
    const outcome = promotionPathRule(branch('feature/x'), branch('main'), policy);
    expect(outcome.findings[0]!.message).toBe(
      'feature/x → main is not a promotion path of the policy (main accepts merges from: staging, hotfix/*)',
    );
    expect(outcome.crossTenant).toBe(false);
  });

  it('refuses a same_version edge that changes the version, naming the expected branch', () => {
    expect(promotionPathRule(branch('qa-1.2.3'), branch('staging-1.2.4'), policy).findings[0]!.message).toContain(
      'keeps the version (expected staging-1.2.3)',
    );
  });

  it('says nothing about a target that is no environment', () => {
    expect(promotionPathRule(branch('develop'), branch('feature/x'), policy).findings).toEqual([]);
  });
});

describe('versionConsistencyRule', () => {
  it('wants the version file on environment branches, equal to the branch version where it has one', () => {
    expect(versionConsistencyRule(branch('qa-1.2.3'), '1.2.3\n', policy)).toEqual([]);
    expect(versionConsistencyRule(branch('develop'), '2.0.0', policy)).toEqual([]);
    expect(versionConsistencyRule(branch('qa-1.2.3'), undefined, policy)[0]).toMatchObject({
      file: 'VERSION',
      line: 1,
      message: 'VERSION is missing: environment branch qa-1.2.3 needs it for its deploy tags',
    });
    expect(versionConsistencyRule(branch('qa-1.2.3'), '1.2.4', policy)[0]!.message).toBe(
      'VERSION says "1.2.4" but the branch is qa-1.2.3 (version 1.2.3)',
    );
    expect(versionConsistencyRule(branch('main'), 'latest', policy)[0]!.message).toContain('not a valid MAJOR.MINOR.PATCH version');
  });

  it('ignores branches that are not environments', () => {
    expect(versionConsistencyRule(branch('feature/x'), undefined, policy)).toEqual([]);
  });
});

describe('policyChangeRule', () => {
  it('reports a change of the policy file as a warning (the default level), with the note', () => {
    expect(policyChangeRule(['agents/a.yaml'], policy, '')).toEqual([]);
    expect(policyChangeRule(['wxo-policy.yaml'], policy, "the target branch's policy judged this change")[0]).toMatchObject({
      rule: 'policy-change',
      severity: 'warning',
      file: 'wxo-policy.yaml',
      message: "the policy file changed (the target branch's policy judged this change)",
    });
    expect(policyChangeRule(['wxo-policy.yaml'], at('error', 'policy-change'), '')[0]!.severity).toBe('error');
  });
});
