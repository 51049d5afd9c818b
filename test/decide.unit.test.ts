import { describe, expect, it } from 'vitest';
import { decideMerge } from '../src/merge/decide.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';

/** merge/decide.ts: the merge driver keeps the target's file only for cross-tenant merges of environments. */
const policy = parsePolicy(defaultPolicyText(), 'default', defaultPolicyText());
const merge = (source: string | undefined, target: string | undefined, path = 'tenant.yaml') =>
  decideMerge({ operation: 'merge', path, ...(source ? { source } : {}), ...(target ? { target } : {}) }, policy);

describe('decideMerge', () => {
  it('keeps the target file for a merge between environments of different tenants', () => {
    expect(merge('qa-1.2.3', 'staging-1.2.3')).toEqual({
      action: 'keep-target',
      source: 'qa-1.2.3',
      target: 'staging-1.2.3',
      reason: 'qa-1.2.3 (dev-qa-tenant) → staging-1.2.3 (prod-tenant) crosses tenants',
    });
    expect(merge('main', 'develop', 'values.yaml')).toMatchObject({ action: 'keep-target', source: 'main', target: 'develop' });
  });

  it('text-merges within one tenant', () => {
    expect(merge('develop', 'qa-1.2.3')).toEqual({ action: 'text-merge', reason: 'develop and qa-1.2.3 share tenant dev-qa-tenant' });
    expect(merge('staging-1.2.3', 'main')).toMatchObject({ action: 'text-merge' });
  });

  it('text-merges files that are not tenant-scoped, even across tenants', () => {
    expect(merge('qa-1.2.3', 'staging-1.2.3', 'agents/helper.yaml')).toEqual({
      action: 'text-merge',
      reason: 'agents/helper.yaml is not tenant-scoped',
    });
  });

  it('text-merges what is not a merge: revert, cherry-pick, rebase, am and the unknown', () => {
    for (const operation of ['revert', 'cherry-pick', 'rebase', 'am', 'unknown'] as const) {
      expect(decideMerge({ operation, source: 'qa-1.2.3', target: 'staging-1.2.3', path: 'tenant.yaml' }, policy)).toMatchObject({
        action: 'text-merge',
        reason: expect.stringContaining(`${operation} is not a merge`),
      });
    }
  });

  it('text-merges when a side is unknown or not an environment branch', () => {
    expect(merge(undefined, 'staging-1.2.3')).toEqual({ action: 'text-merge', reason: 'source or target branch unknown' });
    expect(merge('qa-1.2.3', undefined)).toEqual({ action: 'text-merge', reason: 'source or target branch unknown' });
    expect(merge('feature/x', 'main')).toEqual({ action: 'text-merge', reason: 'feature/x → main is not between environment branches' });
    expect(merge('qa-1.2', 'main')).toMatchObject({ action: 'text-merge' }); // malformed: no environment
  });

  it('follows the policy: tenant_scoped globs and tenants as configured', () => {
    const custom = { ...policy, tenant_scoped: ['config/*.yaml'] };
    expect(decideMerge({ operation: 'merge', source: 'qa-1.2.3', target: 'staging-1.2.3', path: 'config/a.yaml' }, custom)).toMatchObject({
      action: 'keep-target',
    });
    expect(decideMerge({ operation: 'merge', source: 'qa-1.2.3', target: 'staging-1.2.3', path: 'tenant.yaml' }, custom)).toMatchObject({
      action: 'text-merge',
    });
    const oneTenant = { ...policy, environments: policy.environments.map((e) => ({ ...e, tenant: 'dev-qa-tenant' })) };
    expect(decideMerge({ operation: 'merge', source: 'qa-1.2.3', target: 'staging-1.2.3', path: 'tenant.yaml' }, oneTenant)).toMatchObject({
      action: 'text-merge',
    });
  });
});
