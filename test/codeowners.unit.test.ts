import { describe, expect, it } from 'vitest';
import { ownersDifferences, ownersRequirements, parseCodeowners, patternMatches } from '../src/governance/codeowners.js';
import { codeowners } from '../src/governance/protection.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';

/** governance/codeowners.ts: a committed CODEOWNERS compared with the policy, by meaning. */
const text = defaultPolicyText()
  .replace('  policy_owners: []', '  policy_owners: ["@acme/platform"]')
  .replace(/(\n  - name: ([^\n]+)\n)/, '$1    owners: ["@acme/tenant-owners", dana]\n');
const policy = parsePolicy(text, 'wxo-policy.yaml', defaultPolicyText());
const tenant = policy.tenants.find((t) => t.owners)!;
const required = ownersRequirements(policy, tenant, '.github/CODEOWNERS');

describe('CODEOWNERS against the policy', () => {
  it('requires the tenant’s owners on its files and the policy owners on the policy, Jenkinsfile and CODEOWNERS', () => {
    expect(required).toEqual([
      { pattern: '/tenant.yaml', owners: ['@acme/tenant-owners', 'dana'] },
      { pattern: '/values.yaml', owners: ['@acme/tenant-owners', 'dana'] },
      { pattern: '/wxo-policy.yaml', owners: ['@acme/platform'] },
      { pattern: '/Jenkinsfile', owners: ['@acme/platform'] },
      { pattern: '/.github/CODEOWNERS', owners: ['@acme/platform'] },
    ]);
    // Without owners in the policy nothing is required.
    const plain = parsePolicy(defaultPolicyText(), 'default', defaultPolicyText());
    expect(ownersRequirements(plain, plain.tenants[0]!, 'CODEOWNERS')).toEqual([]);
  });

  it('the generated file is clean; so is an equivalent hand-written one (order, case, @, wider patterns)', () => {
    expect(ownersDifferences(parseCodeowners(codeowners(policy, tenant, 'github')), required)).toEqual([]);
    const handWritten = [
      '# ours',
      '*           @acme/everyone',
      '*.yaml      @DANA @acme/Tenant-Owners',
      'wxo-policy.yaml @acme/platform',
      '/Jenkinsfile @acme/platform  # CI',
      '.github/    @acme/platform',
    ].join('\n');
    expect(ownersDifferences(parseCodeowners(handWritten), required)).toEqual([]);
  });

  it('names what is missing, what has other owners and which line decides (the last match wins)', () => {
    const drifted = [
      '/tenant.yaml @acme/tenant-owners @dana',
      '/values.yaml @acme/tenant-owners',
      '/wxo-policy.yaml @acme/platform',
      '/wxo-policy.yaml',
      '* @mallory',
    ].join('\n');
    expect(ownersDifferences(parseCodeowners(drifted), required)).toEqual([
      { pattern: '/tenant.yaml', change: 'differs', found: ['@mallory'], wanted: ['@acme/tenant-owners', '@dana'], line: 5 },
      { pattern: '/values.yaml', change: 'differs', found: ['@mallory'], wanted: ['@acme/tenant-owners', '@dana'], line: 5 },
      { pattern: '/wxo-policy.yaml', change: 'differs', found: ['@mallory'], wanted: ['@acme/platform'], line: 5 },
      { pattern: '/Jenkinsfile', change: 'differs', found: ['@mallory'], wanted: ['@acme/platform'], line: 5 },
      { pattern: '/.github/CODEOWNERS', change: 'differs', found: ['@mallory'], wanted: ['@acme/platform'], line: 5 },
    ]);
    const partial = ['/tenant.yaml @acme/tenant-owners', '/values.yaml @acme/tenant-owners @dana @eve', '/wxo-policy.yaml'].join('\n');
    expect(ownersDifferences(parseCodeowners(partial), required)).toEqual([
      { pattern: '/tenant.yaml', change: 'differs', found: ['@acme/tenant-owners'], wanted: ['@acme/tenant-owners', '@dana'], line: 1 },
      {
        pattern: '/values.yaml',
        change: 'differs',
        found: ['@acme/tenant-owners', '@dana', '@eve'],
        wanted: ['@acme/tenant-owners', '@dana'],
        line: 2,
      },
      // A line without owners removes them: GitHub's way to exempt a file.
      { pattern: '/wxo-policy.yaml', change: 'missing', found: [], wanted: ['@acme/platform'], line: 3 },
      { pattern: '/Jenkinsfile', change: 'missing', found: [], wanted: ['@acme/platform'] },
      { pattern: '/.github/CODEOWNERS', change: 'missing', found: [], wanted: ['@acme/platform'] },
    ]);
  });

  it('reads patterns the way the servers do: anchored, anywhere, directories, globs; GitLab sections skipped', () => {
    expect(patternMatches('/tenant.yaml', 'tenant.yaml')).toBe(true);
    expect(patternMatches('/tenant.yaml', 'sub/tenant.yaml')).toBe(false);
    expect(patternMatches('tenant.yaml', 'sub/tenant.yaml')).toBe(true);
    expect(patternMatches('docs/', 'a/docs/x.md')).toBe(true);
    expect(patternMatches('/docs/', 'a/docs/x.md')).toBe(false);
    expect(patternMatches('/.github/', '.github/CODEOWNERS')).toBe(true);
    expect(patternMatches('*.yaml', 'x/values.yaml')).toBe(true);
    expect(patternMatches('/agents/**', 'agents/a/b.yaml')).toBe(true);
    expect(parseCodeowners('[Tenant files][2] @acme/x\n^[Optional]\n/tenant.yaml @a # note\n\n# c\n')).toEqual([
      { pattern: '/tenant.yaml', owners: ['@a'], line: 3 },
    ]);
  });
});
