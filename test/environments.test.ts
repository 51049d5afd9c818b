import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  branchFor,
  classifyBranch,
  classifyTag,
  isValidVersion,
  judgePromotion,
  nextEnvironments,
  sameTenant,
  tagFor,
  environmentByName,
} from '../src/policy/environments.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';
import { PROJECT_ROOT } from './helpers/cli.js';

const policy = parsePolicy(readFileSync(join(PROJECT_ROOT, 'policies', 'default.yaml'), 'utf8'), 'default', defaultPolicyText());
const env = (name: string) => environmentByName(policy, name)!;
const kindOf = (name: string) => classifyBranch(name, policy).kind;

describe('classifyBranch', () => {
  it.each([
    ['develop', 'dev', undefined],
    ['main', 'prod', undefined],
    ['qa-1.2.3', 'qa', '1.2.3'],
    ['qa-0.0.0', 'qa', '0.0.0'],
    ['qa-10.20.30', 'qa', '10.20.30'],
    ['staging-1.2.3', 'staging', '1.2.3'],
    ['refs/heads/qa-1.2.3', 'qa', '1.2.3'],
    ['refs/heads/main', 'prod', undefined],
  ])('%s is environment %s (version %s)', (name, envName, version) => {
    const info = classifyBranch(name, policy);
    expect(info.kind).toBe('environment');
    if (info.kind !== 'environment') return;
    expect(info.env.name).toBe(envName);
    expect(info.version).toBe(version);
    expect(info.name).toBe(name.replace('refs/heads/', ''));
  });

  it.each(['qa-1.2', 'qa-v1.2.3', 'qa-1.2.3-rc1', 'staging-01.2.3', 'qa-1.02.3', 'qa-foo', 'staging-1.2.3.4', 'qa-１.２.３', 'qa-'])(
    '%s looks like an environment branch with a malformed version',
    (name) => {
      const info = classifyBranch(name, policy);
      expect(info.kind).toBe(name === 'qa-' ? 'unknown' : 'malformed');
      if (info.kind === 'malformed') expect(['qa', 'staging']).toContain(info.env.name);
    },
  );

  it.each([
    ['feature/x', 'feature/*'],
    ['feature/ünïcode-ブランチ', 'feature/*'],
    ['bugfix/JIRA-12', 'bugfix/*'],
    ['hotfix/1.2.4', 'hotfix/*'],
    ['dependabot/npm_and_yarn/yaml-2.9.1', 'dependabot/**'],
    ['refs/heads/feature/x', 'feature/*'],
  ])('%s is allowed by %s', (name, pattern) => {
    const info = classifyBranch(name, policy);
    expect(info).toMatchObject({ kind: 'allowed', pattern });
  });

  it.each(['feature/a/b', 'developer', 'mainline', 'master', 'Develop', 'release/1.2.3', 'refs/remotes/origin/main', 'feature'])(
    '%s is unknown',
    (name) => {
      expect(kindOf(name)).toBe('unknown');
    },
  );
});

describe('versions and tags', () => {
  it('validates semver MAJOR.MINOR.PATCH only', () => {
    expect(isValidVersion('1.2.3', policy)).toBe(true);
    for (const v of ['1.2', 'v1.2.3', '01.2.3', '1.2.3-rc1', '1.2.3.4', '', ' 1.2.3']) expect(isValidVersion(v, policy)).toBe(false);
  });

  it('supports a custom version pattern', () => {
    const custom = { ...policy, versioning: { format: 'pattern' as const, pattern: '^\\d{4}\\.\\d{2}$', source: 'VERSION' } };
    expect(isValidVersion('2026.11', custom)).toBe(true);
    expect(isValidVersion('1.2.3', custom)).toBe(false);
    expect(classifyBranch('qa-2026.11', custom)).toMatchObject({ kind: 'environment', version: '2026.11' });
  });

  it('computes tag and branch names', () => {
    expect(tagFor(env('dev'), '1.2.3')).toBe('v1.2.3-dev');
    expect(tagFor(env('qa'), '1.2.3')).toBe('v1.2.3-qa');
    expect(tagFor(env('staging'), '1.2.3')).toBe('v1.2.3-staging');
    expect(tagFor(env('prod'), '1.2.3')).toBe('v1.2.3');
    expect(tagFor(env('qa'), '1.2.3', 2)).toBe('v1.2.3-qa.2');
    expect(tagFor(env('prod'), '1.2.3', 3)).toBe('v1.2.3.3');
    expect(branchFor(env('qa'), '1.2.3')).toBe('qa-1.2.3');
    expect(branchFor(env('prod'))).toBe('main');
    expect(() => branchFor(env('qa'))).toThrow(/needs a version/);
  });

  it.each([
    ['v1.2.3-dev', 'dev', '1.2.3', 1],
    ['v1.2.3-qa', 'qa', '1.2.3', 1],
    ['v1.2.3-qa.2', 'qa', '1.2.3', 2],
    ['v1.2.3-staging.12', 'staging', '1.2.3', 12],
    ['v1.2.3', 'prod', '1.2.3', 1],
    ['v1.2.3.2', 'prod', '1.2.3', 2],
    ['refs/tags/v2.0.0', 'prod', '2.0.0', 1],
  ])('classifies tag %s', (tag, envName, version, redeploy) => {
    expect(classifyTag(tag, policy)).toMatchObject({ env: { name: envName }, version, redeploy });
  });

  it.each(['1.2.3', 'v1.2', 'v1.2.3-prod', 'v1.2.3-qa.1', 'v1.2.3-qa.0', 'v1.2.3-QA', 'release-1.2.3', 'v01.2.3-qa'])(
    'rejects tag %s',
    (tag) => {
      expect(classifyTag(tag, policy)).toBeUndefined();
    },
  );
});

describe('tenants and promotions', () => {
  const b = (name: string) => classifyBranch(name, policy);

  it('knows which environments share a tenant', () => {
    expect(sameTenant(env('dev'), env('qa'))).toBe(true);
    expect(sameTenant(env('staging'), env('prod'))).toBe(true);
    expect(sameTenant(env('qa'), env('staging'))).toBe(false);
  });

  it.each([
    ['feature/x', 'develop', false],
    ['bugfix/y', 'develop', false],
    ['develop', 'qa-1.2.3', false],
    ['qa-1.2.3', 'staging-1.2.3', true],
    ['staging-1.2.3', 'main', false],
    ['hotfix/urgent', 'main', false],
    ['main', 'develop', true],
  ])('allows %s → %s (cross-tenant %s)', (from, to, cross) => {
    expect(judgePromotion(b(from), b(to), policy)).toMatchObject({ allowed: true, crossTenant: cross });
  });

  it.each([
    ['develop', 'main', 'no-edge'],
    ['develop', 'staging-1.2.3', 'no-edge'],
    ['feature/x', 'qa-1.2.3', 'no-edge'],
    ['qa-1.2.3', 'staging-1.2.4', 'version-mismatch'],
    ['staging-1.2.3', 'staging-1.2.4', 'no-edge'],
    ['qa-1.2.3', 'main', 'no-edge'],
    ['qa-1.2.3', 'feature/x', 'target-not-environment'],
  ])('refuses %s → %s (%s)', (from, to, reason) => {
    expect(judgePromotion(b(from), b(to), policy)).toMatchObject({ allowed: false, reason });
  });

  it('reports the approval of cross-tenant edges', () => {
    const verdict = judgePromotion(b('qa-1.2.3'), b('staging-1.2.3'), policy);
    expect(verdict.allowed && verdict.edge.approval).toBe(true);
    const dev = judgePromotion(b('develop'), b('qa-1.2.3'), policy);
    expect(dev.allowed && dev.edge.approval).toBeFalsy();
  });

  it('knows the next environments', () => {
    expect(nextEnvironments(env('dev'), policy).map((e) => e.name)).toEqual(['qa']);
    expect(nextEnvironments(env('qa'), policy).map((e) => e.name)).toEqual(['staging']);
    expect(nextEnvironments(env('staging'), policy).map((e) => e.name)).toEqual(['prod']);
    expect(nextEnvironments(env('prod'), policy).map((e) => e.name)).toEqual(['dev']);
  });
});
