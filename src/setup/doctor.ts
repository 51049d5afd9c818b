import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { isJenkins, readJenkinsBuild } from '../ci/jenkins.js';
import { git } from '../git/git.js';
import { currentBranch, isShallow } from '../git/queries.js';
import type { Repo } from '../git/resolveRepo.js';
import { HOOK_NAMES } from '../hooks/names.js';
import { messages } from '../messages.js';
import { POLICY_FILE } from '../policy/model.js';
import { classifyBranch } from '../policy/environments.js';
import type { Policy, Tenant } from '../policy/model.js';
import { parse } from 'yaml';
import { readBranchTenantFiles } from './learnTenants.js';
import { judgePackageSpec } from './packageSpec.js';
import { loadPolicyAt } from '../snapshot/loadPolicy.js';
import { HUSKY_DIR, hooksActive, launcherPath } from './install.js';
import { driverCommand, MERGE_DRIVER } from './scaffold.js';
import { readTextIfExists } from '../fs/readText.js';

/** `doctor`: one verdict per thing that has to be right for the hooks, the driver and CI. */
export interface Diagnosis {
  status: 'ok' | 'warning' | 'problem';
  check: string;
  detail: string;
  fix?: string;
}

const d = messages.doctor;
/** What each verdict is about (the first column of `doctor`). */
const CHECK = messages.doctor.checks;
const INSTALL_FIX = d.installFix;

export async function diagnose(repo: Repo, env: NodeJS.ProcessEnv): Promise<Diagnosis[]> {
  const out: Diagnosis[] = [];
  const add = (diagnosis: Diagnosis) => out.push(diagnosis);

  const version = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(git(repo.root, ['--version']).stdout);
  const [major, minor] = version ? [Number(version[1]), Number(version[2])] : [0, 0];
  const atLeast = (ma: number, mi: number) => major > ma || (major === ma && minor >= mi);
  const gv = version?.[0] ?? 'unknown';
  if (!atLeast(2, 31)) add({ status: 'problem', check: CHECK.gitVersion, detail: d.gitTooOld(gv), fix: d.gitTooOldFix });
  else {
    add({ status: 'ok', check: CHECK.gitVersion, detail: d.gitVersion(gv) });
    add({ status: 'ok', check: CHECK.gitDriverSemantics, detail: d.driverSignal(atLeast(2, 42), gv) });
    add({ status: 'ok', check: CHECK.gitConflictLabels, detail: d.labels(atLeast(2, 44), gv) });
  }
  // The server-side merge simulation of pull-request checks: a problem where they run (CI).
  if (atLeast(2, 38)) add({ status: 'ok', check: CHECK.gitMergeTree, detail: d.mergeTree });
  else
    add({
      status: isJenkins(env) ? 'problem' : 'warning',
      check: CHECK.gitMergeTree,
      detail: d.mergeTreeMissing(gv, isJenkins(env)),
      fix: d.mergeTreeFix,
    });

  let policy: Policy | undefined;
  if (!existsSync(join(repo.root, POLICY_FILE))) {
    add({ status: 'warning', check: CHECK.policy, detail: d.noPolicy(POLICY_FILE), fix: d.initFix });
  }
  try {
    policy = await loadPolicyAt(repo.root, { type: 'worktree' });
    if (existsSync(join(repo.root, POLICY_FILE)))
      add({
        status: 'ok',
        check: CHECK.policy,
        detail: d.policyValid(POLICY_FILE, policy.environments.length, policy.tenants.length),
      });
    if (!policy.secrets.hash_key)
      add({ status: 'warning', check: CHECK.secrets, detail: messages.doctor.noHashKey, fix: messages.doctor.noHashKeyFix });
  } catch (e) {
    // Every problem on its own line, none dropped: the first line names the file.
    const [head, ...problems] = (e as Error).message.split('\n');
    if (!problems.length) add({ status: 'problem', check: CHECK.policy, detail: head ?? '', fix: d.policyFix(POLICY_FILE) });
    for (const [i, problem] of problems.entries())
      add({
        status: 'problem',
        check: CHECK.policy,
        detail: d.policyProblem(head?.replace(/:$/, '') ?? '', problem.trim()),
        ...(i === problems.length - 1 ? { fix: d.policyFix(POLICY_FILE) } : {}),
      });
  }
  if (policy && existsSync(join(repo.root, POLICY_FILE))) for (const diagnosis of tenantDiagnoses(repo.root, policy)) add(diagnosis);
  add(packageDiagnosis(repo.root));

  // Hooks: one hooks path for every worktree (the dispatch directory in the common git dir).
  if (env.HUSKY === '0') add({ status: 'warning', check: CHECK.hooks, detail: d.huskyOff });
  if (!existsSync(join(repo.root, HUSKY_DIR))) {
    add({ status: 'problem', check: CHECK.hooks, detail: d.noHooksDir(HUSKY_DIR), fix: d.initFix });
  } else {
    const missing = HOOK_NAMES.filter((h) => !readTextIfExists(join(repo.root, HUSKY_DIR, h))?.includes(`hook ${h}`));
    if (missing.length)
      add({
        status: 'problem',
        check: CHECK.hooks,
        detail: d.hooksNotCalling(missing.map((h) => `${HUSKY_DIR}/${h}`)),
        fix: d.initFix,
      });
    const hooksPath = git(repo.root, ['config', '--get', 'core.hooksPath'], { allowFailure: true }).stdout.trim();
    if (hooksActive(repo))
      add({ status: 'ok', check: CHECK.hooksActive, detail: d.hooksActive(hooksPath, HUSKY_DIR, worktrees(repo).length) });
    else add({ status: 'problem', check: CHECK.hooksActive, detail: d.hooksInactive(HUSKY_DIR, hooksPath), fix: INSTALL_FIX });
  }

  // The merge driver: defined in git config (never versioned) and bound by .gitattributes.
  const launcher = launcherPath(repo);
  const driver = git(repo.root, ['config', '--get', `merge.${MERGE_DRIVER}.driver`], { allowFailure: true }).stdout.trim();
  if (!driver)
    add({
      status: 'problem',
      check: CHECK.mergeDriver,
      detail: d.driverMissing(MERGE_DRIVER),
      fix: INSTALL_FIX,
    });
  else if (driver !== driverCommand(launcher))
    add({
      status: 'warning',
      check: CHECK.mergeDriver,
      detail: d.driverForeign(MERGE_DRIVER, driver),
      fix: INSTALL_FIX,
    });
  else if (!isExecutable(launcher))
    add({ status: 'problem', check: CHECK.mergeDriver, detail: d.launcherMissing(launcher), fix: INSTALL_FIX });
  else add({ status: 'ok', check: CHECK.mergeDriver, detail: d.driverRegistered(launcher) });
  if (policy) {
    for (const path of policy.tenant_scoped) {
      const attr = git(repo.root, ['check-attr', 'merge', '--', path], { allowFailure: true }).stdout.trim();
      const value = attr.split(': ').pop();
      add(
        value === MERGE_DRIVER
          ? { status: 'ok', check: CHECK.attributes, detail: d.attributeBound(path, MERGE_DRIVER) }
          : {
              status: 'problem',
              check: CHECK.attributes,
              detail: d.attributeUnbound(path, value),
              fix: d.attributeFix,
            },
      );
    }
  }

  // GUI git clients start hooks with a minimal PATH: the launcher carries node's absolute path.
  const nodeInLauncher = /^n='?([^'\n]+)'?$/m.exec(readTextIfExists(launcher) ?? '')?.[1];
  const huskyInit = join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? '', '.config'), 'husky', 'init.sh');
  if (nodeInLauncher && isExecutable(nodeInLauncher))
    add({ status: 'ok', check: CHECK.nodeForGuiClients, detail: d.nodeAbsolute(nodeInLauncher) });
  else if (existsSync(huskyInit)) add({ status: 'ok', check: CHECK.nodeForGuiClients, detail: d.nodeFromHuskyInit(huskyInit) });
  else
    add({
      status: 'warning',
      check: CHECK.nodeForGuiClients,
      detail: d.nodeOnPathOnly,
      fix: d.nodeFix(INSTALL_FIX, huskyInit),
    });

  const orchestrate = policy?.deploy.orchestrate ?? 'orchestrate';
  const found = which(orchestrate, env);
  add(
    found
      ? { status: 'ok', check: CHECK.orchestrateCli, detail: found }
      : {
          status: 'warning',
          check: CHECK.orchestrateCli,
          detail: d.orchestrateMissing(orchestrate),
          fix: d.orchestrateFix,
        },
  );

  if (isJenkins(env)) {
    const build = readJenkinsBuild(env);
    if ('error' in build) add({ status: 'problem', check: CHECK.ci, detail: build.error, fix: d.ciFix });
    else
      add({
        status: 'ok',
        check: CHECK.ci,
        detail: d.jenkinsBuild(
          build.kind,
          build.kind === 'pr' ? `${build.source} → ${build.target}` : build.kind === 'tag' ? build.tag : build.branch,
        ),
      });
    if (currentBranch(repo.root) === undefined) add({ status: 'ok', check: CHECK.ciCheckout, detail: d.detachedHead });
    if (isShallow(repo.root)) add({ status: 'ok', check: CHECK.ciCheckout, detail: d.shallowClone });
    const tags = git(repo.root, ['tag', '--list'], { allowFailure: true }).stdout.trim();
    if (!tags) add({ status: 'warning', check: CHECK.ciCheckout, detail: d.noTags });
  }
  return out;
}

/** One truth about tenants: the policy's tenants against every environment branch's tenant.yaml. */
function tenantDiagnoses(root: string, policy: Policy): Diagnosis[] {
  const out: Diagnosis[] = [];
  const agreeing: string[] = [];
  const confirmed = new Set<string>();
  const withBranches = new Set<string>();
  for (const file of readBranchTenantFiles(root, policy)) {
    const info = classifyBranch(file.branch, policy);
    if (info.kind === 'environment') withBranches.add(info.env.tenant);
    if (info.kind !== 'environment' || file.text === undefined) continue;
    const tenant = policy.tenants.find((t) => t.name === info.env.tenant)!;
    const problems = tenantFileDisagreements(file.text, tenant);
    if (problems.length)
      out.push({
        status: 'problem',
        check: CHECK.tenants,
        detail: d.tenantDisagrees(file.ref, info.env.name, tenant.name, problems),
        fix: d.tenantDisagreesFix(file.ref, tenant.name),
      });
    else {
      agreeing.push(file.ref);
      confirmed.add(tenant.name);
    }
  }
  // A placeholder no branch confirms is the default policy's, not the user's tenant.
  // Before any branch of the tenant exists it cannot be confirmed yet: a warning, not a problem.
  for (const t of policy.tenants)
    if (PLACEHOLDER_URL.test(t.orchestrate.url) && !confirmed.has(t.name))
      out.push({
        status: withBranches.has(t.name) ? 'problem' : 'warning',
        check: CHECK.tenants,
        detail: d.tenantPlaceholder(
          t.name,
          policy.environments.filter((e) => e.tenant === t.name).map((e) => e.name),
        ),
        fix: d.tenantPlaceholderFix,
      });
  if (agreeing.length) out.unshift({ status: 'ok', check: CHECK.tenants, detail: d.tenantsAgree(agreeing) });
  return out;
}

/** The default policy's placeholder tenant URLs (instances 00000000-…), and init's for a tenant.yaml without one. */
const PLACEHOLDER_URL = /\/instances\/00000000-0000-0000-0000-00000000000\d$|^https:\/\/replace-me\.invalid\//;

/** What a tenant.yaml says differently from the policy's tenant (empty: they agree). Pure. */
export function tenantFileDisagreements(text: string, tenant: Tenant): string[] {
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    return [d.tenantFileUnreadable];
  }
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const o = (v.orchestrate && typeof v.orchestrate === 'object' ? v.orchestrate : {}) as Record<string, unknown>;
  const out: string[] = [];
  if (v.tenant !== tenant.name) out.push(`tenant "${String(v.tenant ?? '')}" (policy: "${tenant.name}")`);
  const trim = (u: unknown) =>
    String(u ?? '')
      .trim()
      .replace(/\/+$/, '');
  if (String(o.env_name ?? '') !== tenant.orchestrate.env_name)
    out.push(`orchestrate.env_name "${String(o.env_name ?? '')}" (policy: "${tenant.orchestrate.env_name}")`);
  if (trim(o.url) !== trim(tenant.orchestrate.url))
    out.push(`orchestrate.url "${String(o.url ?? '')}" (policy: "${tenant.orchestrate.url}")`);
  if (o.auth_type !== undefined && tenant.orchestrate.auth_type !== undefined && o.auth_type !== tenant.orchestrate.auth_type)
    out.push(`orchestrate.auth_type "${String(o.auth_type)}" (policy: "${tenant.orchestrate.auth_type}")`);
  return out;
}

/** Where clones install wxo-policy from: the same package in every clone and in Jenkins? */
function packageDiagnosis(root: string): Diagnosis {
  let spec: string | undefined;
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    spec = pkg.devDependencies?.['wxo-policy'] ?? pkg.dependencies?.['wxo-policy'];
  } catch {
    spec = undefined;
  }
  const p = messages.packageSpec;
  if (!spec) return { status: 'warning', check: CHECK.install, detail: p.missing, fix: d.packageSpecFix(p.fix) };
  const verdict = judgePackageSpec(spec, root);
  if (verdict.portable) return { status: 'ok', check: CHECK.install, detail: p.ok(spec, verdict.kind) };
  return { status: 'warning', check: CHECK.install, detail: p[verdict.kind as 'outside' | 'directory' | 'registry'](spec), fix: p.fix };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function which(command: string, env: NodeJS.ProcessEnv): string | undefined {
  if (command.includes('/')) return isExecutable(isAbsolute(command) ? command : resolve(command)) ? command : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

function worktrees(repo: Repo): string[] {
  const out = git(repo.root, ['worktree', 'list', '--porcelain'], { allowFailure: true }).stdout;
  const paths = out
    .split('\n\n')
    .map((block) => block.split('\n'))
    .filter((lines) => lines[0]?.startsWith('worktree ') && !lines.includes('bare'))
    .map((lines) => lines[0]!.slice('worktree '.length))
    .filter((p) => existsSync(p));
  return paths.length ? paths : [repo.root];
}
