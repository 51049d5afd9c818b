import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { ConfigError } from '../errors.js';
import { messages } from '../messages.js';
import { globRisk, regexRisk } from './patternRisk.js';
import { validateAs } from '../schema/validate.js';
import { locate } from '../yaml/locate.js';
import { OWN_YAML_OPTIONS, readYaml, type Position } from '../yaml/readYaml.js';
import type { Policy } from './model.js';
import { DEFAULT_LEVELS } from './rules.js';
import { compileBranchPattern } from './environments.js';

/** The built-in default policy, parsed once per text (the shell reads it: see snapshot/policyCache.ts). */
let defaultsCache: { text: string; value: Record<string, any> } | undefined;
function parsedDefaults(text: string): Record<string, any> {
  if (defaultsCache?.text !== text) defaultsCache = { text, value: readYaml(text, OWN_YAML_OPTIONS).value as Record<string, any> };
  return defaultsCache.value;
}

/** Sections merged key by key with the defaults; every other section replaces the default whole. */
const MERGED_SECTIONS = ['rules', 'secrets', 'deploy', 'hooks', 'versioning', 'branches', 'governance'] as const;

/**
 * Validates policy text and applies defaults. Every problem is reported at once, each with
 * origin:line:column; unknown keys are errors here (a misspelt rule name must not pass silently).
 */
export function parsePolicy(text: string, origin: string, defaultText: string): Policy {
  const parsed = readYaml(text, OWN_YAML_OPTIONS);
  const problems: string[] = [];
  const at = (pos: Position, message: string) => problems.push(`${origin}:${pos.line}:${pos.column} ${message}`);
  for (const e of parsed.errors) at(e, e.message);
  if (problems.length) throw new ConfigError(messages.policyInvalid(origin, problems), messages.policyHint);
  const raw = parsed.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(messages.policyInvalid(origin, [`${origin}:1:1 the policy must be a mapping`]), messages.policyHint);
  }
  for (const w of parsed.warnings) at(w, w.message);
  for (const issue of validateAs('policy', raw)) {
    const pos = locate(parsed.doc, parsed.lineCounter, issue.path, issue.key === undefined ? {} : { key: issue.key });
    at(pos, issue.message.replace('(the ADK ignores it; a typo?)', '(not a policy setting)'));
  }
  if (problems.length) throw new ConfigError(messages.policyInvalid(origin, problems), messages.policyHint);

  const user = raw as Record<string, any>;
  const defaults = parsedDefaults(defaultText);
  const merged: Record<string, any> = { ...defaults, ...user };
  for (const section of MERGED_SECTIONS) merged[section] = { ...defaults[section], ...(user[section] ?? {}) };
  merged.rules = { ...DEFAULT_LEVELS, ...merged.rules };
  merged.references = { provided: { ...defaults.references.provided, ...(user.references?.provided ?? {}) } };
  const policy = {
    ...merged,
    origin,
    hash: createHash('sha256').update(text).digest('hex'),
  } as unknown as Policy;

  for (const { path, message } of semanticProblems(policy, user)) {
    at(locate(parsed.doc, parsed.lineCounter, path), message);
  }
  if (problems.length) throw new ConfigError(messages.policyInvalid(origin, problems), messages.policyHint);
  return policy;
}

/** Cross-references the schema cannot express. */
function semanticProblems(policy: Policy, user: Record<string, any>): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  const tenants = new Set<string>();
  policy.tenants.forEach((t, i) => {
    if (tenants.has(t.name)) out.push({ path: ['tenants', String(i), 'name'], message: `tenant "${t.name}" is declared twice` });
    tenants.add(t.name);
  });
  const envs = new Set<string>();
  policy.environments.forEach((env, i) => {
    const path = ['environments', String(i)];
    if (envs.has(env.name)) out.push({ path: [...path, 'name'], message: `environment "${env.name}" is declared twice` });
    envs.add(env.name);
    if (!tenants.has(env.tenant))
      out.push({ path: [...path, 'tenant'], message: `environment "${env.name}" names an unknown tenant "${env.tenant}"` });
    if ((env.branch.match(/\{version\}/g) ?? []).length > 1)
      out.push({ path: [...path, 'branch'], message: 'a branch pattern may contain {version} once' });
    try {
      compileBranchPattern(env.branch, policy);
    } catch (err) {
      out.push({ path: [...path, 'branch'], message: (err as Error).message });
    }
  });
  // Two environments whose branch patterns are identical make every branch ambiguous.
  const patterns = new Map<string, string>();
  for (const env of policy.environments) {
    const other = patterns.get(env.branch);
    if (other) out.push({ path: ['environments'], message: `environments "${other}" and "${env.name}" use the same branch pattern` });
    patterns.set(env.branch, env.name);
  }
  (user.promotions ? policy.promotions : []).forEach((edge, i) => {
    const path = ['promotions', String(i)];
    if (!envs.has(edge.to)) out.push({ path: [...path, 'to'], message: `promotion target "${edge.to}" is not an environment` });
    if (!envs.has(edge.from)) {
      try {
        picomatch(edge.from);
      } catch {
        out.push({ path: [...path, 'from'], message: `"${edge.from}" is neither an environment nor a valid branch glob` });
      }
    }
  });
  (user.hooks?.protected_environments ?? []).forEach((name: string, i: number) => {
    if (!envs.has(name)) out.push({ path: ['hooks', 'protected_environments', String(i)], message: `"${name}" is not an environment` });
  });
  if (policy.versioning.format === 'pattern') {
    if (!policy.versioning.pattern) out.push({ path: ['versioning'], message: 'versioning.format "pattern" needs versioning.pattern' });
    else {
      const risk = regexRisk(policy.versioning.pattern);
      if (risk) out.push({ path: ['versioning', 'pattern'], message: messages.patternRefused(risk) });
    }
  }
  for (const [section, globs] of globSections(policy)) {
    globs.forEach((glob, i) => {
      const risk = typeof glob === 'string' ? globRisk(glob) : undefined;
      if (risk) out.push({ path: [...section, String(i)], message: messages.patternRefused(risk) });
    });
  }
  if (policy.deploy.secrets.provider === 'file' && !policy.deploy.secrets.file) {
    out.push({ path: ['deploy', 'secrets'], message: 'secret provider "file" needs deploy.secrets.file' });
  }
  if (policy.deploy.secrets.provider === 'command' && !policy.deploy.secrets.command) {
    out.push({ path: ['deploy', 'secrets'], message: 'secret provider "command" needs deploy.secrets.command' });
  }
  return out;
}

/** The policy's glob lists (what picomatch compiles), by their path in the file. */
function globSections(policy: Policy): [string[], readonly unknown[]][] {
  return [
    [['branches', 'allowed'], policy.branches.allowed ?? []],
    [['ignore'], policy.ignore ?? []],
    [['tenant_scoped'], policy.tenant_scoped ?? []],
    [['forbidden_files'], policy.forbidden_files ?? []],
    [['secrets', 'exclude'], policy.secrets.exclude ?? []],
  ];
}
