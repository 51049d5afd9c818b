import picomatch from 'picomatch';
import type { Environment, Policy, PromotionEdge, Tenant } from './model.js';
import { compileLinear } from './linearRegex.js';

/**
 * The environment model: which branch is which environment, versions in branch and tag names,
 * tenants. Pure functions over the policy.
 */

const SEMVER = '(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)';

export function versionRegexSource(policy: Pick<Policy, 'versioning'>): string {
  if (policy.versioning.format === 'pattern' && policy.versioning.pattern) {
    return `(?:${policy.versioning.pattern.replace(/^\^/, '').replace(/\$$/, '')})`;
  }
  return SEMVER;
}

export function isValidVersion(version: string, policy: Pick<Policy, 'versioning'>): boolean {
  return nameMatcher(`^${versionRegexSource(policy)}$`, policy).test(version);
}

/** A branch, tag or version regex: matched whole, with its named groups (`version`, `n`). */
export interface NameMatcher {
  test(name: string): boolean;
  exec(name: string): { groups: Record<string, string | undefined> } | null;
}

/**
 * A regex holding the version pattern. A policy-supplied pattern (`versioning.format: pattern`) runs
 * on the linear-time engine (linearRegex.ts), so no pattern can hang a hook; the built-in semver
 * regex is ours and runs on JavaScript's engine.
 */
function nameMatcher(source: string, policy: Pick<Policy, 'versioning'>): NameMatcher {
  if (policy.versioning.format === 'pattern' && policy.versioning.pattern) {
    const re = compileLinear(source);
    const names = ['version', 'n'].filter((n) => source.includes(`(?<${n}>`));
    return {
      test: (name) => re.matches(name),
      exec: (name) => {
        const groups = re.groups(name, names);
        return groups ? { groups } : null;
      },
    };
  }
  const re = new RegExp(source, 'u');
  return {
    test: (name) => re.test(name),
    exec: (name) => {
      const m = re.exec(name);
      return m ? { groups: { ...m.groups } } : null;
    },
  };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `qa-{version}` → /^qa-(?<version>…)$/ */
export function compileBranchPattern(pattern: string, policy: Pick<Policy, 'versioning'>): NameMatcher {
  const parts = pattern.split('{version}');
  return nameMatcher(`^${parts.map(escapeRegex).join(`(?<version>${versionRegexSource(policy)})`)}$`, policy);
}

export function stripRefPrefix(ref: string): string {
  return ref.replace(/^refs\/heads\//, '');
}

export type BranchInfo =
  | { kind: 'environment'; name: string; env: Environment; version?: string }
  | { kind: 'allowed'; name: string; pattern: string }
  /** Looks like an environment branch but its version is malformed (qa-1.2, qa-v1.2.3). */
  | { kind: 'malformed'; name: string; env: Environment; expected: string }
  | { kind: 'unknown'; name: string };

export function classifyBranch(ref: string, policy: Policy): BranchInfo {
  const name = stripRefPrefix(ref);
  for (const env of policy.environments) {
    const match = compileBranchPattern(env.branch, policy).exec(name);
    if (match) {
      const version = match.groups?.version;
      return version === undefined ? { kind: 'environment', name, env } : { kind: 'environment', name, env, version };
    }
  }
  for (const pattern of policy.branches.allowed) {
    if (picomatch.isMatch(name, pattern, { dot: true })) return { kind: 'allowed', name, pattern };
  }
  for (const env of policy.environments) {
    if (!env.branch.includes('{version}')) continue;
    const [prefix, suffix] = env.branch.split('{version}') as [string, string];
    if (name.startsWith(prefix) && name.endsWith(suffix) && name.length > prefix.length + suffix.length) {
      return { kind: 'malformed', name, env, expected: env.branch };
    }
  }
  return { kind: 'unknown', name };
}

export function environmentByName(policy: Policy, name: string): Environment | undefined {
  return policy.environments.find((e) => e.name === name);
}

export function tenantOf(policy: Policy, env: Environment): Tenant {
  const tenant = policy.tenants.find((t) => t.name === env.tenant);
  if (!tenant) throw new Error(`environment ${env.name} has no tenant ${env.tenant}`); // excluded by the loader
  return tenant;
}

export function sameTenant(a: Environment, b: Environment): boolean {
  return a.tenant === b.tenant;
}

/** The branch of an environment for a version (`qa-{version}` + 1.2.3 → qa-1.2.3). */
export function branchFor(env: Environment, version?: string): string {
  if (env.branch.includes('{version}') && !version) throw new Error(`environment ${env.name} needs a version`);
  return env.branch.replace('{version}', version ?? '');
}

export function tagFor(env: Environment, version: string, redeploy = 1): string {
  const base = env.tag.replace('{version}', version);
  return redeploy > 1 ? `${base}.${redeploy}` : base;
}

export interface TagInfo {
  name: string;
  env: Environment;
  version: string;
  /** 1 for the first deploy of this version, 2 for `….2`, … */
  redeploy: number;
}

/** Maps a tag name to its environment; the longest matching pattern wins (`v1-qa` is not prod's). */
export function classifyTag(ref: string, policy: Policy): TagInfo | undefined {
  const name = ref.replace(/^refs\/tags\//, '');
  let best: TagInfo | undefined;
  let bestLiteral = -1;
  for (const env of policy.environments) {
    const parts = env.tag.split('{version}');
    const re = nameMatcher(
      `^${parts.map(escapeRegex).join(`(?<version>${versionRegexSource(policy)})`)}(?:\\.(?<n>[2-9]|[1-9]\\d+))?$`,
      policy,
    );
    const m = re.exec(name);
    const literal = env.tag.length - '{version}'.length;
    if (m && literal > bestLiteral) {
      best = { name, env, version: m.groups.version!, redeploy: m.groups.n ? Number(m.groups.n) : 1 };
      bestLiteral = literal;
    }
  }
  return best;
}

export type BranchRef = { name: string; info: BranchInfo };

/** True when `edge.from` names this branch: its environment, or a glob matching its name. */
function edgeSideMatches(side: string, info: BranchInfo, policy: Policy): boolean {
  if (info.kind === 'environment') return info.env.name === side;
  if (environmentByName(policy, side)) return false;
  return picomatch.isMatch(info.name, side, { dot: true });
}

export type PromotionVerdict =
  | { allowed: true; edge: PromotionEdge; crossTenant: boolean }
  | { allowed: false; reason: 'no-edge' | 'version-mismatch' | 'target-not-environment'; edge?: PromotionEdge };

/** Is a merge from `source` into `target` a promotion the policy allows? */
export function judgePromotion(source: BranchInfo, target: BranchInfo, policy: Policy): PromotionVerdict {
  if (target.kind !== 'environment') return { allowed: false, reason: 'target-not-environment' };
  const edge = policy.promotions.find((e) => e.to === target.env.name && edgeSideMatches(e.from, source, policy));
  if (!edge) return { allowed: false, reason: 'no-edge' };
  // Only comparable where both names carry a version (main takes its version from the version file).
  if (
    edge.same_version &&
    source.kind === 'environment' &&
    source.version !== undefined &&
    target.version !== undefined &&
    source.version !== target.version
  ) {
    return { allowed: false, reason: 'version-mismatch', edge };
  }
  const crossTenant = source.kind === 'environment' && !sameTenant(source.env, target.env);
  return { allowed: true, edge, crossTenant };
}

/** Environments a promotion from `env` may go to (policy edges between environments). */
export function nextEnvironments(env: Environment, policy: Policy): Environment[] {
  return policy.promotions
    .filter((e) => e.from === env.name)
    .map((e) => environmentByName(policy, e.to))
    .filter((e): e is Environment => e !== undefined);
}
