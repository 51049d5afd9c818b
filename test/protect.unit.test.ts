import { describe, expect, it } from 'vitest';
import { commitVerdict } from '../src/hooks/protect.js';
import { classifyBranch } from '../src/policy/environments.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';

/** hooks/protect.ts: which commits a protected environment branch takes. */
const policy = parsePolicy(defaultPolicyText(), 'default', defaultPolicyText());
const plain = { merging: false, reverting: false };
const merging = { merging: true, reverting: false };
const reverting = { merging: false, reverting: true };
const verdict = (branch: string, commit: typeof plain, p = policy) => commitVerdict(classifyBranch(branch, p), p, commit);

describe('commitVerdict', () => {
  it('refuses direct commits on every protected environment branch', () => {
    for (const branch of ['develop', 'qa-1.2.3', 'staging-1.2.3', 'main']) expect(verdict(branch, plain)).toBe('direct-commit');
  });

  it('takes merges (allow_merge_commits, the default) and reverts', () => {
    expect(verdict('main', merging)).toBe('allowed');
    expect(verdict('main', reverting)).toBe('allowed');
    expect(verdict('qa-1.2.3', { merging: true, reverting: true })).toBe('allowed');
  });

  it('refuses merge commits when allow_merge_commits is false, but still takes reverts', () => {
    const strict = { ...policy, hooks: { ...policy.hooks, allow_merge_commits: false } };
    expect(verdict('main', merging, strict)).toBe('merge-commit');
    expect(verdict('main', reverting, strict)).toBe('allowed');
    expect(verdict('main', plain, strict)).toBe('direct-commit');
  });

  it('leaves branches that are not protected environments alone', () => {
    expect(verdict('feature/login', plain)).toBe('allowed');
    expect(verdict('qa-latest', plain)).toBe('allowed'); // malformed: branch-name's business, not this one's
    const onlyProd = { ...policy, hooks: { ...policy.hooks, protected_environments: ['prod'] } };
    expect(verdict('develop', plain, onlyProd)).toBe('allowed');
    expect(verdict('main', plain, onlyProd)).toBe('direct-commit');
  });
});
