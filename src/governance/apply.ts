import { EnvError } from '../errors.js';
import { Masker, secretProvider } from '../deploy/secrets.js';
import { messages } from '../messages.js';
import type { Policy } from '../policy/model.js';
import { gitlabSettings, githubRulesets, RULESET_PREFIX, type GithubRuleset, type GitlabSettings } from './protection.js';

/**
 * `protect --apply` / `--check`: the providers' own clients (imported only here, on demand: a
 * hook never pays for them) against the server. Apply creates what is missing, updates what
 * differs and removes wxo-policy's own settings the policy no longer has; check only reports.
 */
export type Mode = 'apply' | 'check';

export interface Difference {
  what: string;
  change: 'missing' | 'differs' | 'extra';
  detail?: string;
}

export interface ProtectResult {
  differences: Difference[];
  /** What --apply changed, one line each. */
  done: string[];
}

export interface Connection {
  apiUrl: string;
  token: string;
  masker: Masker;
}

export function connect(
  policy: Policy,
  root: string,
  vars: NodeJS.ProcessEnv,
  provider: 'github' | 'gitlab',
  apiUrl: string | undefined,
): Connection {
  const name = provider === 'github' ? policy.governance.github_token_secret : policy.governance.gitlab_token_secret;
  const source = secretProvider(policy, root, vars);
  const resolved = source.resolve([name]);
  const token = resolved.values.get(name);
  if (!token) throw new EnvError(messages.protect.noToken(name, source.describe), messages.protect.noTokenHint(provider, name));
  const masker = new Masker();
  masker.add(name, token);
  return {
    apiUrl: (apiUrl ?? (provider === 'github' ? 'https://api.github.com' : 'https://gitlab.com')).replace(/\/+$/, ''),
    token,
    masker,
  };
}

/** The part of `actual` that `desired` speaks about: the server adds ids, links and defaults. */
function projectOnto(desired: unknown, actual: unknown): unknown {
  if (Array.isArray(desired)) {
    if (!Array.isArray(actual)) return actual;
    return desired.map((d, i) => projectOnto(d, actual[i]));
  }
  if (desired && typeof desired === 'object') {
    if (!actual || typeof actual !== 'object') return actual;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(desired))
      out[key] = projectOnto((desired as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key]);
    return out;
  }
  return actual;
}

const byType = (a: { type?: unknown }, b: { type?: unknown }) => String(a.type).localeCompare(String(b.type));

/** Order-free comparison of one ruleset with the server's: the first field that differs, or undefined. */
function rulesetDifference(desired: GithubRuleset, actual: Record<string, any>): string | undefined {
  const norm = (r: Record<string, any>): Record<string, any> => ({
    ...r,
    rules: [...(r.rules ?? [])].sort(byType),
    bypass_actors: [...(r.bypass_actors ?? [])].sort((a: any, b: any) =>
      `${a.actor_type}${a.actor_id}`.localeCompare(`${b.actor_type}${b.actor_id}`),
    ),
  });
  const want = norm(desired as unknown as Record<string, any>);
  const have = projectOnto(want, norm(actual)) as Record<string, any>;
  for (const key of Object.keys(want)) {
    if (JSON.stringify(want[key]) !== JSON.stringify(have[key]))
      return `${key}: server has ${JSON.stringify(have[key]) ?? 'nothing'}, the policy wants ${JSON.stringify(want[key])}`;
  }
  return undefined;
}

/** A client failure in our words: status and the server's message, never the request headers. */
function apiFailure(e: unknown, conn: Connection, what: string): EnvError {
  const err = e as { status?: number; message?: string; cause?: { response?: { status?: number } } };
  const status = err.status ?? err.cause?.response?.status;
  const detail = conn.masker.mask(`${status ? `HTTP ${status}: ` : ''}${(err.message ?? String(e)).split('\n')[0]}`);
  return new EnvError(messages.protect.apiFailed(what, conn.apiUrl, detail), messages.protect.apiFailedHint);
}

export async function protectGithub(policy: Policy, repo: string, conn: Connection, mode: Mode): Promise<ProtectResult> {
  const [owner, name] = repo.split('/') as [string, string];
  const { Octokit } = await import('@octokit/rest');
  const octokit = new Octokit({
    auth: conn.token,
    baseUrl: conn.apiUrl,
    userAgent: 'wxo-policy',
    log: { debug() {}, info() {}, warn() {}, error() {} },
    request: { retries: 0 },
  });
  const call = async <T>(what: string, f: () => Promise<{ data: T }>): Promise<T> => {
    try {
      return (await f()).data;
    } catch (e) {
      throw apiFailure(e, conn, what);
    }
  };
  const listed = await call(`GET /repos/${repo}/rulesets`, () =>
    octokit.rest.repos.getRepoRulesets({ owner, repo: name, per_page: 100, includes_parents: false }),
  );
  const ours = listed.filter((r) => r.name.startsWith(RULESET_PREFIX));
  const differences: Difference[] = [];
  const done: string[] = [];
  const desired = githubRulesets(policy);
  for (const want of desired) {
    const found = ours.find((r) => r.name === want.name);
    if (!found) {
      differences.push({ what: `ruleset "${want.name}"`, change: 'missing' });
      if (mode === 'apply') {
        await call(`POST /repos/${repo}/rulesets`, () => octokit.rest.repos.createRepoRuleset({ owner, repo: name, ...want } as any));
        done.push(messages.protect.created(`ruleset "${want.name}"`));
      }
      continue;
    }
    const full = await call(`GET /repos/${repo}/rulesets/${found.id}`, () =>
      octokit.rest.repos.getRepoRuleset({ owner, repo: name, ruleset_id: found.id }),
    );
    const detail = rulesetDifference(want, full as Record<string, any>);
    if (!detail) continue;
    differences.push({ what: `ruleset "${want.name}"`, change: 'differs', detail });
    if (mode === 'apply') {
      await call(`PUT /repos/${repo}/rulesets/${found.id}`, () =>
        octokit.rest.repos.updateRepoRuleset({ owner, repo: name, ruleset_id: found.id, ...want } as any),
      );
      done.push(messages.protect.updated(`ruleset "${want.name}"`));
    }
  }
  for (const stale of ours.filter((r) => !desired.some((d) => d.name === r.name))) {
    differences.push({ what: `ruleset "${stale.name}"`, change: 'extra' });
    if (mode === 'apply') {
      await call(`DELETE /repos/${repo}/rulesets/${stale.id}`, () =>
        octokit.rest.repos.deleteRepoRuleset({ owner, repo: name, ruleset_id: stale.id }),
      );
      done.push(messages.protect.removed(`ruleset "${stale.name}"`));
    }
  }
  return { differences, done };
}

/** GitLab keeps access levels as lists; wxo-policy sets one level each. */
function level(list: unknown): number | undefined {
  return Array.isArray(list) ? Math.max(...list.map((l: any) => Number(l.access_level))) : undefined;
}

export async function protectGitlab(policy: Policy, project: string, conn: Connection, mode: Mode): Promise<ProtectResult> {
  const { Gitlab } = await import('@gitbeaker/rest');
  const api = new Gitlab({ host: conn.apiUrl, token: conn.token });
  const call = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw apiFailure(e, conn, what);
    }
  };
  const want: GitlabSettings = gitlabSettings(policy);
  const differences: Difference[] = [];
  const done: string[] = [];
  const id = project;

  const branches = (await call(`GET /projects/${id}/protected_branches`, () => api.ProtectedBranches.all(id))) as any[];
  for (const b of want.protectedBranches) {
    const found = branches.find((x) => x.name === b.name);
    const have = found && {
      name: found.name,
      push_access_level: level(found.push_access_levels),
      merge_access_level: level(found.merge_access_levels),
      unprotect_access_level: level(found.unprotect_access_levels),
      allow_force_push: Boolean(found.allow_force_push),
      code_owner_approval_required: Boolean(found.code_owner_approval_required),
    };
    const detail =
      have && JSON.stringify(have) !== JSON.stringify(b)
        ? `server has ${JSON.stringify(have)}, the policy wants ${JSON.stringify(b)}`
        : undefined;
    if (found && !detail) continue;
    differences.push({ what: `protected branch "${b.name}"`, change: found ? 'differs' : 'missing', ...(detail ? { detail } : {}) });
    if (mode !== 'apply') continue;
    // GitLab cannot edit every setting of a protected branch: protect it again from scratch.
    if (found) await call(`DELETE /projects/${id}/protected_branches/${b.name}`, () => api.ProtectedBranches.unprotect(id, b.name));
    const { name, ...options } = b;
    await call(`POST /projects/${id}/protected_branches`, () =>
      api.ProtectedBranches.protect(id, name, {
        pushAccessLevel: options.push_access_level,
        mergeAccessLevel: options.merge_access_level,
        unprotectAccessLevel: options.unprotect_access_level,
        allowForcePush: options.allow_force_push,
        codeOwnerApprovalRequired: options.code_owner_approval_required,
      } as any),
    );
    done.push(found ? messages.protect.updated(`protected branch "${b.name}"`) : messages.protect.created(`protected branch "${b.name}"`));
  }

  const tags = (await call(`GET /projects/${id}/protected_tags`, () => api.ProtectedTags.all(id))) as any[];
  for (const t of want.protectedTags) {
    const found = tags.find((x) => x.name === t.name);
    const have = found ? level(found.create_access_levels) : undefined;
    if (found && have === t.create_access_level) continue;
    differences.push({
      what: `protected tag "${t.name}"`,
      change: found ? 'differs' : 'missing',
      ...(found ? { detail: `create access level ${have}, the policy wants ${t.create_access_level}` } : {}),
    });
    if (mode !== 'apply') continue;
    if (found) await call(`DELETE /projects/${id}/protected_tags/${t.name}`, () => api.ProtectedTags.unprotect(id, t.name));
    await call(`POST /projects/${id}/protected_tags`, () =>
      api.ProtectedTags.protect(id, t.name, { createAccessLevel: t.create_access_level } as any),
    );
    done.push(found ? messages.protect.updated(`protected tag "${t.name}"`) : messages.protect.created(`protected tag "${t.name}"`));
  }

  const rules = (await call(`GET /projects/${id}/approval_rules`, () => api.MergeRequestApprovals.allApprovalRules(id))) as any[];
  const protectedNow =
    mode === 'apply' ? ((await call(`GET /projects/${id}/protected_branches`, () => api.ProtectedBranches.all(id))) as any[]) : branches;
  for (const r of want.approvalRules) {
    const found = rules.find((x) => x.name === r.name);
    const have = found && {
      name: found.name,
      approvals_required: found.approvals_required,
      usernames: (found.users ?? []).map((u: any) => u.username).sort(),
      groups: (found.groups ?? []).map((g: any) => g.full_path).sort(),
      protected_branches: (found.protected_branches ?? []).map((p: any) => p.name).sort(),
    };
    const wantSorted = {
      ...r,
      usernames: [...r.usernames].sort(),
      groups: [...r.groups].sort(),
      protected_branches: [...r.protected_branches].sort(),
    };
    const detail =
      have && JSON.stringify(have) !== JSON.stringify(wantSorted)
        ? `server has ${JSON.stringify(have)}, the policy wants ${JSON.stringify(wantSorted)}`
        : undefined;
    if (found && !detail) continue;
    differences.push({ what: `approval rule "${r.name}"`, change: found ? 'differs' : 'missing', ...(detail ? { detail } : {}) });
    if (mode !== 'apply') continue;
    const groupIds: number[] = [];
    for (const path of r.groups) groupIds.push(((await call(`GET /groups/${path}`, () => api.Groups.show(path))) as any).id);
    const protectedBranchIds = protectedNow.filter((p) => r.protected_branches.includes(p.name)).map((p) => p.id);
    const options = { usernames: r.usernames, groupIds, protectedBranchIds } as any;
    if (found)
      await call(`PUT /projects/${id}/approval_rules/${found.id}`, () =>
        api.MergeRequestApprovals.editApprovalRule(id, found.id, r.name, r.approvals_required, options),
      );
    else
      await call(`POST /projects/${id}/approval_rules`, () =>
        api.MergeRequestApprovals.createApprovalRule(id, r.name, r.approvals_required, options),
      );
    done.push(found ? messages.protect.updated(`approval rule "${r.name}"`) : messages.protect.created(`approval rule "${r.name}"`));
  }
  for (const stale of rules.filter(
    (x) => String(x.name).startsWith(RULESET_PREFIX) && !want.approvalRules.some((r) => r.name === x.name),
  )) {
    differences.push({ what: `approval rule "${stale.name}"`, change: 'extra' });
    if (mode === 'apply') {
      await call(`DELETE /projects/${id}/approval_rules/${stale.id}`, () => api.MergeRequestApprovals.removeApprovalRule(id, stale.id));
      done.push(messages.protect.removed(`approval rule "${stale.name}"`));
    }
  }
  return { differences, done };
}
