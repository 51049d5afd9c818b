import { ConfigError } from '../errors.js';
import { messages } from '../messages.js';
import type { Tenant } from '../policy/model.js';
import { tenantBindingProblems } from '../checks/tenantBinding.js';
import { computePlan, type Arg, type Plan } from './plan.js';
import { loadResourceSet, type ResourceSet, type TenantFile } from './resources.js';
import { deployTags } from './tags.js';
import { nameOption, positionals } from '../kinds/argv.js';
import type { Target } from './target.js';

/**
 * A plan with everything around it: the target, the resource set of head (its rendered files are
 * what the calls read) and the authentication calls that precede the plan's operations.
 */
export interface PreparedPlan {
  target: Target;
  plan: Plan;
  head: ResourceSet;
  /** The secret holding the tenant API key (tenant.yaml `api_key: ${NAME}`, else the policy's). */
  apiKeySecret: string;
  /**
   * Tenant binding at head: every tenant-scoped file declares the environment's tenant, and
   * tenant.yaml's orchestrate settings are the policy's tenant entry. Empty when they agree.
   */
  tenantProblems: string[];
  warnings: string[];
}

export interface PrepareOptions {
  /**
   * Import (and on live stages deploy) everything at head again, as if every resource had
   * changed since the base: the repair for a tenant edited by hand (`drift`). Removals still come
   * from the base.
   */
  full?: boolean;
}

export async function preparePlan(target: Target, options: PrepareOptions = {}): Promise<PreparedPlan> {
  const { root, policy, env, tenant } = target;
  const head = await loadResourceSet(root, target.head, policy);
  if (head.problems.length)
    throw new ConfigError(messages.deploy.headProblems(target.head.slice(0, 12), head.problems), messages.deploy.headProblemsHint);
  const warnings = [...head.warnings];
  let base: ResourceSet | undefined;
  if (target.base) {
    base = await loadResourceSet(root, target.base.rev, policy);
    // The base was deployed as it was; a file it cannot render now is replanned as changed.
    for (const p of base.problems) warnings.push(messages.deploy.baseProblem(target.base.tag?.name ?? target.base.rev.slice(0, 12), p));
  }
  // Environments of one tenant share its draft (and its KBs): a deploy of a sibling since our
  // base means draft may hold the sibling's versions of what this plan would leave alone, so the
  // plan imports those again (see computePlan).
  // Without a base tag everything is imported anyway: no tag of a sibling to look up.
  const siblings: string[] = [];
  const baseTag = target.base?.tag;
  if (baseTag) {
    for (const other of policy.environments) {
      if (other.name === env.name || other.tenant !== env.tenant) continue;
      const latest = deployTags(root, policy, other)[0];
      if (latest && latest.time > baseTag.time) siblings.push(`${other.name} (${latest.name})`);
    }
  }
  if (base && options.full) base = { ...base, units: base.units.map((u) => ({ ...u, fingerprint: `redeploy:${u.fingerprint}` })) };
  const plan = computePlan(base, head, { stage: env.stage, ...(siblings.length ? { draftTouchedBy: siblings.join(', ') } : {}) });
  warnings.push(...plan.warnings);
  if (cpdLoginMissing(tenant, head.tenant?.authType))
    warnings.push(messages.deploy.cpdNotSupported(tenant.orchestrate.env_name, tenant.orchestrate.url));
  return {
    target,
    plan,
    head,
    apiKeySecret: head.tenant?.apiKeySecret ?? tenant.orchestrate.api_key_secret,
    tenantProblems: [
      ...(await tenantBindingProblems(root, target.head, env, target.branch, policy)),
      ...tenantFileMismatches(head.tenant, tenant, env.name),
    ],
    warnings,
  };
}

/**
 * Does tenant.yaml at head reach the tenant the policy binds this environment to (its orchestrate
 * settings)? The `tenant:` names of all tenant-scoped files are tenantBindingProblems'. Pure.
 */
export function tenantFileMismatches(file: TenantFile | undefined, tenant: Tenant, envName: string): string[] {
  if (!file) return [messages.deploy.tenantFileMissing];
  const out: string[] = [];
  const o = tenant.orchestrate;
  if (file.envName !== o.env_name) out.push(messages.deploy.tenantMismatch('orchestrate.env_name', file.envName, o.env_name, envName));
  const trim = (u?: string) => u?.trim().replace(/\/+$/, '');
  if (trim(file.url) !== trim(o.url)) out.push(messages.deploy.tenantMismatch('orchestrate.url', file.url, o.url, envName));
  if (file.authType && o.auth_type && file.authType !== o.auth_type)
    out.push(messages.deploy.tenantMismatch('orchestrate.auth_type', file.authType, o.auth_type, envName));
  return out;
}

/**
 * The calls that make the tenant the CLI's active environment: env add only when missing, and
 * env remove + env add when the CLI knows it with another URL or auth type (`env add` of an
 * existing name asks first, environment_controller.py:205-207; remove drops the old login too).
 */
/** `env activate NAME --api-key KEY`: the name is a positional, so a name starting with `-` goes last, behind `--`. */
export function activateArgv(envName: string, apiKeySecret: string, skipVersionCheck: boolean | undefined, cpdUsername?: string): Arg[] {
  // CPD: the username too, or `env activate` asks for it (environment_controller.py:97-99)
  const options: Arg[] = [
    ...(cpdUsername ? nameOption('--username', cpdUsername) : []),
    '--api-key',
    { parts: [{ secret: apiKeySecret }] },
    ...(skipVersionCheck ? ['--skip-version-check'] : []),
  ];
  return envName.startsWith('-') ? ['env', 'activate', ...options, ...positionals(envName)] : ['env', 'activate', envName, ...options];
}

export function authCalls(prepared: PreparedPlan): {
  list: Arg[];
  add: Arg[];
  remove: Arg[];
  activate: Arg[];
  url: string;
  authType?: string;
} {
  const { tenant, policy } = prepared.target;
  const o = tenant.orchestrate;
  const authType = o.auth_type ?? prepared.head.tenant?.authType;
  return {
    url: o.url,
    ...(authType ? { authType } : {}),
    list: ['env', 'list'],
    remove: ['env', 'remove', ...nameOption('-n', o.env_name)],
    add: ['env', 'add', ...nameOption('-n', o.env_name), ...nameOption('-u', o.url), ...(authType ? ['-t', authType] : [])],
    activate: activateArgv(o.env_name, prepared.apiKeySecret, policy.deploy.skip_version_check, cpdUser(o, authType)),
  };
}

/**
 * A CPD tenant the deploy cannot log in to without a prompt: the ADK logs CPD in with a username
 * and an API key (or password) given as options — `--username` and `--api-key`, nothing read from
 * the environment (environment_controller.py:80-112) — and asks for whichever is missing. The
 * policy names the user (`tenants[].orchestrate.username`); without it the deploy refuses.
 */
/** The user a CPD tenant logs in as (undefined for other tenants). */
export function cpdUser(o: Tenant['orchestrate'], authType: string | undefined): string | undefined {
  return isCpdTenant(o.url, authType) ? o.username : undefined;
}

export function cpdLoginMissing(tenant: Tenant, fileAuthType: string | undefined): boolean {
  const o = tenant.orchestrate;
  return isCpdTenant(o.url, o.auth_type ?? fileAuthType) && !o.username;
}

/**
 * CPD (on-premises) tenants log in with a username and an API key or password
 * (environment_controller.py:97-112): `env activate` prompts for what is not given as an option.
 * Pure: the tenant's URL and auth type in, true for CPD (clients/common/utils.py:92 is_cpd_env).
 */
export function isCpdTenant(url: string, authType: string | undefined): boolean {
  return authType === 'cpd' || /^https:\/\/cpd/i.test(url.trim());
}
