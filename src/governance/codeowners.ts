import picomatch from 'picomatch';
import type { Policy, Tenant } from '../policy/model.js';

/**
 * A committed CODEOWNERS compared with what the policy requires (`protect --check`). Pure: the
 * caller reads the file at each environment branch. The comparison is by meaning, not by text:
 * for every path the policy gives owners (the tenant's files, the policy, the Jenkinsfile,
 * CODEOWNERS itself) the rule that decides — the last matching line, as GitHub and GitLab read
 * it — must name exactly the policy's owners. Missing owners leave a file unreviewed by its
 * owners; extra owners let someone else approve in their place.
 */

/** Where each server looks for CODEOWNERS, in the order it looks (the first one found counts). */
export const CODEOWNERS_LOCATIONS = {
  github: ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'],
  gitlab: ['CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'],
} as const;

export interface CodeownersRule {
  pattern: string;
  owners: string[];
  line: number;
}

export interface OwnersRequirement {
  /** A CODEOWNERS pattern, as `--write-codeowners` writes it (`/tenant.yaml`). */
  pattern: string;
  owners: string[];
}

export interface OwnersDifference {
  pattern: string;
  change: 'missing' | 'differs';
  /** The owners the deciding rule names (none: no rule matches). */
  found: string[];
  wanted: string[];
  line?: number;
}

/** `name` → `@name`; `@team/x` and e-mail addresses as they are; compared case-insensitively. */
export function ownerName(name: string): string {
  return name.startsWith('@') || name.includes('@') ? name : `@${name}`;
}

/** The rules of a CODEOWNERS file: comments, blank lines and GitLab section headers skipped. */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    // GitLab sections: `[Name]`, `^[Optional]`, `[Name][2] @default-owner` — their rules follow.
    if (!line || /^\^?\[/.test(line)) return;
    const [pattern, ...owners] = line.split(/\s+/);
    rules.push({ pattern: pattern!.replace(/\\ /g, ' '), owners, line: i + 1 });
  });
  return rules;
}

/** Does a CODEOWNERS pattern (gitignore-like) cover `path` (relative, no leading slash)? */
export function patternMatches(pattern: string, path: string): boolean {
  const body = pattern.replace(/^\/+/, '');
  const anchored = pattern.startsWith('/') || body.replace(/\/+$/, '').includes('/');
  const dir = body.endsWith('/') ? `${body}**` : body;
  const globs = anchored ? [dir, `${dir}/**`] : [`**/${dir}`, `**/${dir}/**`];
  return picomatch(globs, { dot: true })(path);
}

/** A path the pattern stands for (`/connections/**` → `connections/a/b`): what to look the rule up with. */
function samplePath(pattern: string): string {
  return pattern.replace(/^\/+/, '').replace(/\/+$/, '/x').replace(/\*\*/g, 'a/b').replace(/\*/g, 'x').replace(/\?/g, 'x');
}

/** What CODEOWNERS on the branches of `tenant` must say, with the file at `location`. */
export function ownersRequirements(policy: Policy, tenant: Tenant, location: string): OwnersRequirement[] {
  const tenantOwners = tenant.owners ?? [];
  const policyOwners = policy.governance.policy_owners;
  const out: OwnersRequirement[] = policy.tenant_scoped.map((scoped) => ({
    pattern: `/${scoped.replace(/^\/+/, '')}`,
    owners: tenantOwners,
  }));
  for (const file of ['/wxo-policy.yaml', '/Jenkinsfile', `/${location}`]) out.push({ pattern: file, owners: policyOwners });
  // Without owners in the policy there is nothing to require (the generated file comments them out).
  return out.filter((r) => r.owners.length);
}

export function ownersDifferences(rules: CodeownersRule[], requirements: OwnersRequirement[]): OwnersDifference[] {
  const norm = (owners: string[]) => [...new Set(owners.map((o) => ownerName(o).toLowerCase()))].sort();
  const out: OwnersDifference[] = [];
  for (const req of requirements) {
    const sample = samplePath(req.pattern);
    const rule = [...rules].reverse().find((r) => patternMatches(r.pattern, sample));
    const wanted = norm(req.owners);
    if (!rule || !rule.owners.length) {
      out.push({
        pattern: req.pattern,
        change: 'missing',
        found: [],
        wanted: req.owners.map(ownerName),
        ...(rule ? { line: rule.line } : {}),
      });
      continue;
    }
    if (JSON.stringify(norm(rule.owners)) !== JSON.stringify(wanted))
      out.push({ pattern: req.pattern, change: 'differs', found: rule.owners, wanted: req.owners.map(ownerName), line: rule.line });
  }
  return out;
}
