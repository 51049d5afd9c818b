import { isMap, parse, parseDocument } from 'yaml';
import { git } from '../git/git.js';
import { classifyBranch } from '../policy/environments.js';
import type { Policy, Tenant } from '../policy/model.js';

/**
 * What `init` learns from an existing GitOps repository: the tenants of its environment branches,
 * read from the `tenant.yaml` each branch carries (local branches and remote-tracking ones), and
 * the branch layout (`main` or `master`). The learning is pure (learnTenants, policyWithTenants);
 * reading the branches is the shell around it (readBranchTenantFiles).
 */
export const TENANT_FILE = 'tenant.yaml';

/** One branch's tenant.yaml as read from git. */
export interface BranchTenantFile {
  /** How the ref is shown: `develop`, `origin/develop`. */
  ref: string;
  /** The branch name the ref stands for (`origin/develop` → `develop`). */
  branch: string;
  /** The file's text; undefined when the branch has no tenant.yaml. */
  text?: string;
}

export interface LearnedTenant extends Tenant {
  /** The refs whose tenant.yaml names this tenant. */
  refs: string[];
  /** The environments bound to it. */
  environments: string[];
}

export interface Learned {
  tenants: LearnedTenant[];
  /** Environment → tenant name, and why when it was not read from a branch of that environment. */
  bindings: { environment: string; tenant: string; assumedFrom?: string; placeholder?: boolean }[];
  /** The production branch when the repository uses `master` instead of the policy's `main`. */
  renamedBranches: { environment: string; from: string; to: string }[];
  /** Findings a person has to resolve (disagreeing files, missing fields). */
  problems: string[];
  /** True when at least one tenant was read from a branch. */
  found: boolean;
}

const PLACEHOLDER = /^\$\{([A-Z][A-Z0-9_]*)\}$/;

/** The URL written for a tenant whose tenant.yaml has none: valid for the schema, obviously not real. */
const missingUrl = (tenant: string) => `https://replace-me.invalid/instances/${encodeURIComponent(tenant)}`;

/** `acme-prod` → `ACME_PROD_API_KEY`: the variable of a tenant whose tenant.yaml has no `${NAME}`. */
export function apiKeyVariableOf(tenant: string): string {
  return `${tenant
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')}_API_KEY`;
}

interface ParsedTenantFile {
  name?: string;
  envName?: string;
  url?: string;
  authType?: string;
  apiKeySecret?: string;
}

function parseTenantFile(text: string): ParsedTenantFile | undefined {
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const o = (v.orchestrate && typeof v.orchestrate === 'object' ? v.orchestrate : {}) as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
  const key = PLACEHOLDER.exec(str(o.api_key) ?? '');
  const out: ParsedTenantFile = {};
  if (str(v.tenant)) out.name = str(v.tenant)!;
  if (str(o.env_name)) out.envName = str(o.env_name)!;
  if (str(o.url)) out.url = str(o.url)!;
  if (str(o.auth_type)) out.authType = str(o.auth_type)!;
  if (key) out.apiKeySecret = key[1]!;
  return out;
}

/**
 * The policy's environments with the branch layout of the repository applied (`master` for
 * `main`): the renames, and the policy that classifies branches with them.
 */
function branchLayout(policy: Policy, branches: readonly string[]): { renamed: Learned['renamedBranches']; effective: Policy } {
  const names = new Set(branches);
  const renamed: Learned['renamedBranches'] = [];
  for (const env of policy.environments) {
    if (env.branch === 'main' && !names.has('main') && names.has('master'))
      renamed.push({ environment: env.name, from: 'main', to: 'master' });
  }
  const effective: Policy = {
    ...policy,
    environments: policy.environments.map((e) => ({ ...e, branch: renamed.find((r) => r.environment === e.name)?.to ?? e.branch })),
  };
  return { renamed, effective };
}

/**
 * Tenants and environment bindings from the branches' tenant.yaml files. Environments without a
 * branch (no qa-* yet) take the tenant of an environment they share a tenant with in `policy` (the
 * default: dev and qa, staging and prod); failing that, the policy's placeholder stays and is
 * reported. Pure.
 */
export function learnTenants(policy: Policy, files: readonly BranchTenantFile[]): Learned {
  const { renamed: renamedBranches, effective } = branchLayout(
    policy,
    files.map((f) => f.branch),
  );
  const problems: string[] = [];
  const tenants = new Map<string, LearnedTenant>();
  const perEnv = new Map<string, { tenant: string; ref: string }[]>();

  for (const file of files) {
    const info = classifyBranch(file.branch, effective);
    if (info.kind !== 'environment') continue;
    if (file.text === undefined) {
      problems.push(`${file.ref} has no ${TENANT_FILE}`);
      continue;
    }
    const parsed = parseTenantFile(file.text);
    if (!parsed?.name) {
      problems.push(`${file.ref}:${TENANT_FILE} names no tenant (a top-level \`tenant: <name>\`)`);
      continue;
    }
    const name = parsed.name;
    const orchestrate: Tenant['orchestrate'] = {
      env_name: parsed.envName ?? `wxo-${name}`,
      url: parsed.url ?? missingUrl(name),
      ...(parsed.authType ? { auth_type: parsed.authType } : {}),
      api_key_secret: parsed.apiKeySecret ?? apiKeyVariableOf(name),
    };
    const known = tenants.get(name);
    if (!known) {
      tenants.set(name, { name, orchestrate, refs: [file.ref], environments: [] });
      if (!parsed.url)
        problems.push(`${file.ref}:${TENANT_FILE} has no orchestrate.url: write the tenant's URL there and in wxo-policy.yaml`);
      if (!parsed.apiKeySecret)
        problems.push(`${file.ref}:${TENANT_FILE} has no \`api_key: \${NAME}\` placeholder: the policy uses ${orchestrate.api_key_secret}`);
    } else {
      known.refs.push(file.ref);
      const seen = { env_name: parsed.envName, url: parsed.url, auth_type: parsed.authType, api_key_secret: parsed.apiKeySecret };
      const differs = (Object.keys(seen) as (keyof typeof seen)[]).filter(
        (k) => seen[k] !== undefined && (known.orchestrate[k] ?? '') !== seen[k],
      );
      if (differs.length)
        problems.push(
          `${file.ref}:${TENANT_FILE} describes tenant ${name} differently from ${known.refs[0]} (${differs.join(', ')}): the policy takes ${known.refs[0]}'s`,
        );
    }
    const list = perEnv.get(info.env.name) ?? [];
    list.push({ tenant: name, ref: file.ref });
    perEnv.set(info.env.name, list);
  }

  const bindings: Learned['bindings'] = [];
  for (const env of effective.environments) {
    const seen = perEnv.get(env.name);
    if (!seen?.length) continue;
    const names = [...new Set(seen.map((s) => s.tenant))];
    if (names.length > 1)
      problems.push(
        `the ${env.name} branches disagree about their tenant (${seen.map((s) => `${s.ref}: ${s.tenant}`).join(', ')}): the policy takes ${names[0]}`,
      );
    bindings.push({ environment: env.name, tenant: names[0]! });
  }
  for (const env of effective.environments) {
    if (bindings.some((b) => b.environment === env.name)) continue;
    // An environment without a branch yet: the tenant of a sibling it shares one with by default.
    const sibling = effective.environments.find(
      (o) => o !== env && o.tenant === env.tenant && bindings.some((b) => b.environment === o.name && !b.assumedFrom && !b.placeholder),
    );
    const from = sibling && bindings.find((b) => b.environment === sibling.name);
    if (from) bindings.push({ environment: env.name, tenant: from.tenant, assumedFrom: sibling!.name });
    else bindings.push({ environment: env.name, tenant: env.tenant, placeholder: true });
  }
  const order = new Map(effective.environments.map((e, i) => [e.name, i]));
  bindings.sort((a, b) => order.get(a.environment)! - order.get(b.environment)!);
  for (const b of bindings) tenants.get(b.tenant)?.environments.push(b.environment);
  // In environment order (dev's tenant first), as a person reads the promotion path.
  const first = (t: LearnedTenant) => Math.min(...t.environments.map((e) => order.get(e)!), Number.MAX_SAFE_INTEGER);
  const sorted = [...tenants.values()].sort((a, b) => first(a) - first(b));
  return { tenants: sorted, bindings, renamedBranches, problems, found: tenants.size > 0 };
}

/**
 * The default policy's text with the learned tenants, bindings and branch names written in;
 * comments and the rest of the file are kept. Placeholder tenants the bindings still use stay.
 */
export function policyWithTenants(text: string, policy: Policy, learned: Learned): string {
  if (!learned.found && learned.renamedBranches.length === 0) return text;
  const doc = parseDocument(text);
  const used = new Set(learned.bindings.map((b) => b.tenant));
  const placeholders = policy.tenants.filter((t) => used.has(t.name) && !learned.tenants.some((l) => l.name === t.name));
  const tenants = [...learned.tenants.map(({ refs: _refs, environments: _envs, ...t }) => t), ...placeholders];
  doc.setIn(['tenants'], doc.createNode(tenants));
  const environments = doc.get('environments');
  if (environments && typeof environments === 'object' && 'items' in environments) {
    for (const item of (environments as { items: unknown[] }).items) {
      if (!isMap(item)) continue;
      const name = String(item.get('name'));
      const binding = learned.bindings.find((b) => b.environment === name);
      if (binding) item.set('tenant', binding.tenant);
      const renamed = learned.renamedBranches.find((r) => r.environment === name);
      if (renamed) item.set('branch', renamed.to);
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * Every environment branch's tenant.yaml, local and remote-tracking, in a stable order (local
 * first). Branch names are classified against `policy` (with `master` standing in for `main`).
 */
export function readBranchTenantFiles(root: string, policy: Policy): BranchTenantFile[] {
  const refs = listBranchRefs(root);
  const { effective } = branchLayout(
    policy,
    refs.map((r) => r.branch),
  );
  const out: BranchTenantFile[] = [];
  for (const r of refs) {
    if (classifyBranch(r.branch, effective).kind !== 'environment') {
      // Kept for the layout (master/main), never read.
      out.push({ ref: r.ref, branch: r.branch });
      continue;
    }
    const shown = git(root, ['cat-file', 'blob', `${r.full}:${TENANT_FILE}`], { allowFailure: true });
    out.push(shown.status === 0 ? { ref: r.ref, branch: r.branch, text: shown.stdout } : { ref: r.ref, branch: r.branch });
  }
  return out;
}

export interface BranchRef {
  /** refs/heads/develop, refs/remotes/origin/develop */
  full: string;
  /** develop, origin/develop: as a person names it */
  ref: string;
  /** the branch name without the remote: develop */
  branch: string;
}

/** Local and remote-tracking branches (local first, as git lists them; no remote HEAD). */
export function listBranchRefs(root: string): BranchRef[] {
  const listed = git(root, ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/remotes'], { allowFailure: true })
    .stdout.split('\n')
    .filter(Boolean);
  return listed
    .map((full) => {
      const local = /^refs\/heads\/(.+)$/.exec(full);
      if (local) return { full, ref: local[1]!, branch: local[1]! };
      const remote = /^refs\/remotes\/([^/]+)\/(.+)$/.exec(full);
      return remote && remote[2] !== 'HEAD' ? { full, ref: `${remote[1]}/${remote[2]}`, branch: remote[2]! } : undefined;
    })
    .filter((r): r is BranchRef => r !== undefined);
}
