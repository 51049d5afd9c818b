import { EXIT, EnvError, UsageError } from '../../errors.js';
import { safeWriteFile, UnsafePathError } from '../../fs/safeWrite.js';
import { currentBranch, readAt, revParse } from '../../git/queries.js';
import { resolveRepo } from '../../git/resolveRepo.js';
import { messages } from '../../messages.js';
import { classifyBranch, tenantOf } from '../../policy/environments.js';
import { loadPolicyAt } from '../../snapshot/loadPolicy.js';
import type { Difference } from '../../governance/apply.js';
import { CODEOWNERS_LOCATIONS, ownersDifferences, ownersRequirements, parseCodeowners } from '../../governance/codeowners.js';
import type { Policy } from '../../policy/model.js';
import { printablePath, printableText } from '../../report/text.js';
import { listBranchRefs } from '../../setup/learnTenants.js';
import {
  codeowners,
  CODEOWNERS_PATH,
  githubRequests,
  gitlabRequests,
  tenantsWithEnvironments,
  branchGlob,
} from '../../governance/protection.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary = 'branch protection, approvals and CODEOWNERS from the policy: print, apply or check them on GitHub/GitLab';
export const usage = `wxo-policy protect --provider github|gitlab [--repo OWNER/NAME | --project ID]
                   [--dry-run | --apply | --check] [--api-url URL] [--write-codeowners [--tenant NAME]]

  --provider P        github (repository rulesets) or gitlab (protected branches/tags, approval rules)
  --repo OWNER/NAME   the GitHub repository
  --project ID        the GitLab project (id or group/name)
  --dry-run           print the exact API requests (the default); nothing is sent
  --apply             create or update the settings on the server (token: governance.github_token_secret
                      / gitlab_token_secret from the secret provider)
  --check             compare the committed CODEOWNERS of every environment branch (local and
                      remote-tracking) and, with --repo/--project, the server with the policy;
                      exit 1 on a difference (a drift check)
  --api-url URL       GitHub Enterprise / self-managed GitLab API (default api.github.com, gitlab.com)
  --write-codeowners  write CODEOWNERS for the checked-out branch's tenant (or --tenant)`;

const REPO = /^(?!\.\.?\/)[A-Za-z0-9_.-]+\/(?!\.\.?$)[A-Za-z0-9_.-]+$/;
const PROJECT = /^(?:\d+|[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+)$/;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      provider: { type: 'string' },
      repo: { type: 'string' },
      project: { type: 'string' },
      'dry-run': { type: 'boolean' },
      apply: { type: 'boolean' },
      check: { type: 'boolean' },
      'api-url': { type: 'string' },
      'write-codeowners': { type: 'boolean' },
      tenant: { type: 'string' },
    },
    usage,
    false,
  );
  const provider = values.provider;
  if (provider !== 'github' && provider !== 'gitlab') throw new UsageError(messages.protect.providerNeeded, messages.usageOf(usage));
  const modes = [values['dry-run'], values.apply, values.check].filter(Boolean).length;
  if (modes > 1) throw new UsageError(messages.protect.oneMode, messages.usageOf(usage));
  const mode = values.apply ? 'apply' : values.check ? 'check' : 'dry-run';
  if (values.repo !== undefined && !REPO.test(values.repo)) throw new UsageError(messages.protect.badRepo(values.repo));
  if (values.project !== undefined && !PROJECT.test(values.project)) throw new UsageError(messages.protect.badProject(values.project));
  const target = provider === 'github' ? values.repo : values.project;
  if (mode === 'apply' && !target) throw new UsageError(messages.protect.targetNeeded(provider), messages.usageOf(usage));
  if (values['api-url'] !== undefined && !/^https?:\/\/[^\s]+$/.test(values['api-url']))
    throw new UsageError(messages.protect.badApiUrl(values['api-url']));

  const repo = resolveRepo(ctx.cwd);
  const head = revParse(repo.root, 'HEAD');
  const c = colorsFor(ctx);
  const policy = await loadPolicyAt(repo.root, head ? { type: 'commit', rev: head } : { type: 'worktree' }, {
    notify: (n) => err(ctx, colorsFor(ctx, 'stderr').dim(`wxo-policy: ${n}`)),
    cacheDir: repo.commonDir,
  });

  if (values['write-codeowners']) {
    let tenant = values.tenant ? policy.tenants.find((t) => t.name === values.tenant) : undefined;
    if (values.tenant && !tenant)
      throw new UsageError(
        messages.protect.unknownTenant(
          values.tenant,
          policy.tenants.map((t) => t.name),
        ),
      );
    if (!tenant) {
      const branch = currentBranch(repo.root);
      const info = branch ? classifyBranch(branch, policy) : undefined;
      if (info?.kind !== 'environment') throw new UsageError(messages.protect.codeownersNeedsTenant);
      tenant = tenantOf(policy, info.env);
    }
    try {
      // A committed symlink at .github/ must not make this write land outside the repository.
      safeWriteFile(repo.root, CODEOWNERS_PATH[provider], codeowners(policy, tenant, provider));
    } catch (e) {
      if (e instanceof UnsafePathError) throw new EnvError(messages.protect.unsafeWrite(CODEOWNERS_PATH[provider], e.reason));
      throw e;
    }
    out(ctx, messages.protect.codeownersWritten(CODEOWNERS_PATH[provider], tenant.name));
    if (mode === 'dry-run' && !values['dry-run']) return EXIT.ok;
  }

  if (mode === 'dry-run') {
    const requests = provider === 'github' ? githubRequests(policy, target ?? 'OWNER/NAME') : gitlabRequests(policy, target ?? 'PROJECT');
    out(
      ctx,
      c.dim(
        `# ${provider === 'github' ? 'GitHub repository rulesets' : 'GitLab protected branches, protected tags and approval rules'} from ${policy.origin}`,
      ),
    );
    for (const r of requests) {
      const filled = (r.resolvedWhenApplied ?? []).map((line) => c.dim(`# ${messages.protect.resolvedWhenApplied(line)}`));
      out(ctx, `${c.bold(`${r.method} ${r.path}`)}\n${JSON.stringify(r.body, null, 2)}\n${filled.map((f) => `${f}\n`).join('')}`);
    }
    for (const { tenant, environments } of tenantsWithEnvironments(policy)) {
      out(
        ctx,
        c.dim(`# ${CODEOWNERS_PATH[provider]} on the branches of tenant ${tenant.name} (${environments.map(branchGlob).join(', ')}):`),
      );
      out(ctx, codeowners(policy, tenant, provider));
    }
    out(ctx, c.dim(messages.protect.dryRunNote));
    return EXIT.ok;
  }

  // --check: the committed CODEOWNERS of every environment branch here, then (with a target) the server.
  let drifted = false;
  if (mode === 'check') {
    const owners = committedCodeowners(repo.root, policy, provider);
    if (!owners.length && !target) throw new EnvError(messages.protect.noEnvironmentBranches, messages.protect.noEnvironmentBranchesHint);
    if (!owners.length) err(ctx, c.dim(messages.protect.noEnvironmentBranches));
    const differences = owners.flatMap((o) => o.differences);
    if (owners.length && !differences.length) out(ctx, c.green(messages.protect.codeownersInSync(owners.map((o) => o.ref))));
    if (differences.length) {
      drifted = true;
      out(ctx, c.red(messages.protect.codeownersDrift(differences.length, provider)));
      for (const d of differences) out(ctx, `  ${d.change.padEnd(8)} ${d.what}\n           ${printableText(d.detail!)}`);
    }
    if (!target) {
      out(ctx, c.dim(messages.protect.serverNotChecked(provider)));
      return drifted ? EXIT.findings : EXIT.ok;
    }
  }

  const { connect, protectGithub, protectGitlab } = await import('../../governance/apply.js');
  const conn = connect(policy, repo.root, ctx.env, provider, values['api-url']);
  const result =
    provider === 'github' ? await protectGithub(policy, target!, conn, mode) : await protectGitlab(policy, target!, conn, mode);
  if (mode === 'apply') {
    for (const line of result.done) out(ctx, `  ${line}`);
    out(ctx, messages.protect.applied(result.done.length));
    return EXIT.ok;
  }
  if (!result.differences.length) {
    out(ctx, c.green(messages.protect.inSync(provider, target!)));
    return drifted ? EXIT.findings : EXIT.ok;
  }
  out(ctx, c.red(messages.protect.drift(result.differences.length, provider, target!)));
  for (const d of result.differences)
    out(ctx, `  ${d.change.padEnd(8)} ${d.what}${d.detail ? `\n           ${conn.masker.mask(d.detail)}` : ''}`);
  return EXIT.findings;
}

/**
 * The committed CODEOWNERS of each environment branch (local and remote-tracking) against what the
 * policy requires for that branch's tenant. The file is the one the server reads: the first of its
 * locations that exists at the branch's tip.
 */
function committedCodeowners(root: string, policy: Policy, provider: 'github' | 'gitlab'): { ref: string; differences: Difference[] }[] {
  const out: { ref: string; differences: Difference[] }[] = [];
  for (const ref of listBranchRefs(root)) {
    const info = classifyBranch(ref.branch, policy);
    if (info.kind !== 'environment') continue;
    const tenant = tenantOf(policy, info.env);
    const where = `CODEOWNERS on ${printablePath(ref.ref)}`;
    const locations = CODEOWNERS_LOCATIONS[provider];
    const found = locations.map((path) => ({ path, text: readAt(root, ref.full, path) })).find((f) => f.text !== undefined);
    const requirements = ownersRequirements(policy, tenant, found?.path ?? CODEOWNERS_PATH[provider]);
    if (!requirements.length) {
      out.push({ ref: ref.ref, differences: [] });
      continue;
    }
    if (!found) {
      out.push({
        ref: ref.ref,
        differences: [{ what: where, change: 'missing', detail: messages.protect.codeownersMissing(locations, provider) }],
      });
      continue;
    }
    const differences = ownersDifferences(parseCodeowners(found.text!), requirements).map((d): Difference => ({
      what: `${where}: ${d.pattern}`,
      change: d.change,
      detail: messages.protect.ownersDiffer(found.path, d.line, d.found, d.wanted),
    }));
    out.push({ ref: ref.ref, differences });
  }
  return out;
}
