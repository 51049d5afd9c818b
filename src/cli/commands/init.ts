import { EXIT, UsageError } from '../../errors.js';
import { currentBranch } from '../../git/queries.js';
import { findRepo } from '../../git/resolveRepo.js';
import { messages } from '../../messages.js';
import { classifyBranch } from '../../policy/environments.js';
import { parsePolicy } from '../../policy/parsePolicy.js';
import { POLICY_FILE } from '../../policy/model.js';
import { defaultPolicyText } from '../../snapshot/policyCache.js';
import { credentialsIdOf } from '../../policy/ciEnvironment.js';
import { init, type InitResult } from '../../setup/init.js';
import { install } from '../../setup/install.js';
import { judgePackageSpec } from '../../setup/packageSpec.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary =
  'set wxo-policy up in a GitOps repository: policy with the tenants of its branches, hooks, .gitattributes, Jenkinsfile …';
export const usage = `wxo-policy init [--force] [--package-spec SPEC]

  Writes wxo-policy.yaml — with the tenants read from the tenant.yaml of every environment branch,
  local and remote-tracking —, .gitattributes merge entries, .husky/ hooks, a lint-staged
  configuration, package.json (devDependencies and a prepare script), .gitignore entries and the
  Jenkinsfile, then says what it found and what is left to do. Existing .gitattributes, .gitignore
  and package.json are merged into; other existing files are kept unless --force. Running it twice
  changes nothing. Refuses outside a git repository.

  -f, --force              overwrite wxo-policy.yaml, the hooks and the Jenkinsfile
  -p, --package-spec SPEC  where clones install wxo-policy from (the devDependency spec):
                           file:vendor/wxo-policy-<version>.tgz (a tarball committed in the
                           repository), a git URL with a tag, a tarball URL, or
                           npm:@your-scope/wxo-policy@^<version> (README "Installing wxo-policy
                           portably"); default ^<this version>, which only a private registry has`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { force: { type: 'boolean', short: 'f' }, 'package-spec': { type: 'string', short: 'p' } },
    usage,
    false,
  );
  const repo = findRepo(ctx.cwd);
  if (!repo) throw new UsageError(messages.adopt.notARepo(ctx.cwd), messages.adopt.notARepoHint);
  const result = init(repo.root, {
    ...(values.force ? { force: true } : {}),
    ...(values['package-spec'] ? { packageSpec: values['package-spec'] } : {}),
  });
  const { steps, errors } = result;
  const c = colorsFor(ctx);
  const mark = { created: c.green('created  '), updated: c.yellow('updated  '), unchanged: c.dim('unchanged'), kept: c.dim('kept     ') };
  for (const s of steps) out(ctx, `  ${mark[s.action]} ${s.file}${s.detail ? c.dim(` (${s.detail})`) : ''}`);
  for (const e of errors) err(ctx, `${c.red('wxo-policy: error:')} ${e}`);
  const report = await install(repo, ctx.env);
  for (const line of report.changed) out(ctx, `  ${c.green('installed')} ${line}`);
  for (const note of report.notes) err(ctx, c.dim(`wxo-policy: ${note}`));

  const changed = steps.some((s) => s.action === 'created' || s.action === 'updated');
  const lines = adoptionReport(result, repo.root, changed);
  out(ctx, `\n${lines.join('\n')}`);
  return errors.length ? EXIT.error : EXIT.ok;
}

/** What init found in the repository and what the person still has to do, in that order. */
function adoptionReport(result: InitResult, root: string, changed: boolean): string[] {
  const m = messages.adopt;
  const lines: string[] = [];
  const todo: string[] = [];
  const learned = result.learned;
  if (learned) {
    if (learned.found) {
      lines.push(m.tenantsTitle);
      for (const t of learned.tenants) lines.push(`  ${m.tenantLine(t.name, t.refs, t.environments)}`);
      for (const b of learned.bindings) if (b.assumedFrom) lines.push(`  ${m.assumed(b.environment, b.assumedFrom)}`);
    } else lines.push(m.noTenantsFound);
    for (const r of learned.renamedBranches) lines.push(`  ${m.renamedBranch(r.environment, r.from, r.to)}`);
    for (const p of learned.problems) todo.push(m.todoProblem(p));
    const placeholders = new Map<string, string[]>();
    for (const b of learned.bindings) if (b.placeholder) placeholders.set(b.tenant, [...(placeholders.get(b.tenant) ?? []), b.environment]);
    for (const [tenant, envs] of placeholders) todo.push(m.todoPlaceholder(tenant, envs));
  } else if (result.steps.some((s) => s.file === POLICY_FILE && s.action === 'kept')) {
    lines.push(m.policyKept);
  }
  if (!changed && !learned) return [...lines, m.nothingToDo];

  let policy;
  try {
    policy = parsePolicy(readFileSync(join(root, POLICY_FILE), 'utf8'), POLICY_FILE, defaultPolicyText());
  } catch {
    policy = undefined; // init reported it
  }
  if (learned) todo.push(m.todoReview);
  if (policy)
    todo.push(
      m.todoCredentials(policy.tenants.map((t) => `${credentialsIdOf(t.orchestrate.api_key_secret)} (${t.orchestrate.api_key_secret})`)),
    );
  const spec = result.packageSpec;
  if (spec) {
    const verdict = judgePackageSpec(spec, root);
    if (!verdict.portable)
      todo.push(`${messages.packageSpec[verdict.kind as 'outside' | 'directory' | 'registry'](spec)}: ${messages.packageSpec.fix}`);
  }
  const branch = currentBranch(root);
  if (branch && policy && classifyBranch(branch, policy).kind === 'environment') todo.push(m.todoOnEnvironmentBranch(branch));
  todo.push(m.todoInstall, m.todoVerify, m.todoCommit);
  return [...lines, m.todoTitle, ...todo.map((t) => `  - ${t}`)];
}
