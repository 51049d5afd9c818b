import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { isJenkins, readJenkinsBuild } from '../ci/jenkins.js';
import { git } from '../git/git.js';
import { currentBranch, isShallow } from '../git/queries.js';
import type { Repo } from '../git/resolveRepo.js';
import { HOOK_NAMES } from '../hooks/names.js';
import { messages } from '../messages.js';
import { POLICY_FILE } from '../policy/model.js';
import type { Policy } from '../policy/model.js';
import { loadPolicyAt } from '../snapshot/loadPolicy.js';
import { HUSKY_DIR, hooksActive, launcherPath } from './install.js';
import { driverCommand, MERGE_DRIVER } from './scaffold.js';

/** `doctor`: one verdict per thing that has to be right for the hooks, the driver and CI. */
export interface Diagnosis {
  status: 'ok' | 'warning' | 'problem';
  check: string;
  detail: string;
  fix?: string;
}

const d = messages.doctor;
const INSTALL_FIX = 'run `npm install` in this clone (its prepare script runs `wxo-policy install`), or `npx wxo-policy install`';

export async function diagnose(repo: Repo, env: NodeJS.ProcessEnv): Promise<Diagnosis[]> {
  const out: Diagnosis[] = [];
  const add = (diagnosis: Diagnosis) => out.push(diagnosis);

  const version = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(git(repo.root, ['--version']).stdout);
  const [major, minor] = version ? [Number(version[1]), Number(version[2])] : [0, 0];
  const atLeast = (ma: number, mi: number) => major > ma || (major === ma && minor >= mi);
  const gv = version?.[0] ?? 'unknown';
  if (!atLeast(2, 31)) add({ status: 'problem', check: 'git version', detail: d.gitTooOld(gv), fix: d.gitTooOldFix });
  else {
    add({ status: 'ok', check: 'git version', detail: d.gitVersion(gv) });
    add({ status: 'ok', check: 'git merge-driver semantics', detail: d.driverSignal(atLeast(2, 42), gv) });
    add({ status: 'ok', check: 'git conflict labels', detail: d.labels(atLeast(2, 44), gv) });
  }
  // The server-side merge simulation of pull-request checks: a problem where they run (CI).
  if (atLeast(2, 38)) add({ status: 'ok', check: 'git merge-tree', detail: d.mergeTree });
  else add({ status: isJenkins(env) ? 'problem' : 'warning', check: 'git merge-tree', detail: d.mergeTreeMissing(gv, isJenkins(env)), fix: d.mergeTreeFix });

  let policy: Policy | undefined;
  if (!existsSync(join(repo.root, POLICY_FILE))) {
    add({ status: 'warning', check: 'policy', detail: `no ${POLICY_FILE}: the built-in default applies`, fix: 'run `wxo-policy init`' });
  }
  try {
    policy = await loadPolicyAt(repo.root, { type: 'worktree' });
    if (existsSync(join(repo.root, POLICY_FILE))) add({ status: 'ok', check: 'policy', detail: `${POLICY_FILE} is valid (${policy.environments.length} environments, ${policy.tenants.length} tenants)` });
    if (!policy.secrets.hash_key) add({ status: 'warning', check: 'secrets', detail: messages.doctor.noHashKey, fix: messages.doctor.noHashKeyFix });
  } catch (e) {
    add({ status: 'problem', check: 'policy', detail: (e as Error).message.split('\n').slice(0, 4).join(' '), fix: `fix ${POLICY_FILE}` });
  }

  // Hooks, in this worktree and in every other one (husky's hooks path is relative to each).
  if (env.HUSKY === '0') add({ status: 'warning', check: 'hooks', detail: 'HUSKY=0 is set: git hooks are skipped in this shell' });
  if (!existsSync(join(repo.root, HUSKY_DIR))) {
    add({ status: 'problem', check: 'hooks', detail: `no ${HUSKY_DIR}/ directory`, fix: 'run `wxo-policy init`' });
  } else {
    const missing = HOOK_NAMES.filter((h) => !readIfExists(join(repo.root, HUSKY_DIR, h))?.includes(`hook ${h}`));
    if (missing.length) add({ status: 'problem', check: 'hooks', detail: `${missing.map((h) => `${HUSKY_DIR}/${h}`).join(', ')} do not call wxo-policy`, fix: 'run `wxo-policy init`' });
    for (const wt of worktrees(repo)) {
      const here = resolve(wt) === resolve(repo.root);
      const active = hooksActive({ root: wt });
      add(
        active
          ? { status: 'ok', check: 'hooks active', detail: here ? `core.hooksPath ${HUSKY_DIR}/_ (this worktree)` : `worktree ${wt}` }
          : {
              status: 'problem',
              check: 'hooks active',
              detail: `${here ? 'this worktree' : `worktree ${wt}`}: git does not run the ${HUSKY_DIR}/ hooks (each worktree needs its own ${HUSKY_DIR}/_, which husky creates)`,
              fix: here ? INSTALL_FIX : `cd ${wt} && npx wxo-policy install`,
            },
      );
    }
  }

  // The merge driver: defined in git config (never versioned) and bound by .gitattributes.
  const launcher = launcherPath(repo);
  const driver = git(repo.root, ['config', '--get', `merge.${MERGE_DRIVER}.driver`], { allowFailure: true }).stdout.trim();
  if (!driver) add({ status: 'problem', check: 'merge driver', detail: `merge.${MERGE_DRIVER}.driver is not in this clone's git config: git silently falls back to a text merge`, fix: INSTALL_FIX });
  else if (driver !== driverCommand(launcher)) add({ status: 'warning', check: 'merge driver', detail: `merge.${MERGE_DRIVER}.driver is "${driver}", not wxo-policy's launcher`, fix: INSTALL_FIX });
  else if (!isExecutable(launcher)) add({ status: 'problem', check: 'merge driver', detail: `the launcher ${launcher} is missing or not executable`, fix: INSTALL_FIX });
  else add({ status: 'ok', check: 'merge driver', detail: `registered (${launcher})` });
  if (policy) {
    for (const path of policy.tenant_scoped) {
      const attr = git(repo.root, ['check-attr', 'merge', '--', path], { allowFailure: true }).stdout.trim();
      const value = attr.split(': ').pop();
      add(
        value === MERGE_DRIVER
          ? { status: 'ok', check: 'attributes', detail: `${path} merge=${MERGE_DRIVER}` }
          : { status: 'problem', check: 'attributes', detail: `${path} is not bound to the driver (merge: ${value ?? 'unspecified'})`, fix: 'run `wxo-policy init` (adds the .gitattributes entries) and commit .gitattributes' },
      );
    }
  }

  // GUI git clients start hooks with a minimal PATH: the launcher carries node's absolute path.
  const nodeInLauncher = /^n='?([^'\n]+)'?$/m.exec(readIfExists(launcher) ?? '')?.[1];
  const huskyInit = join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? '', '.config'), 'husky', 'init.sh');
  if (nodeInLauncher && isExecutable(nodeInLauncher)) add({ status: 'ok', check: 'node for GUI clients', detail: `hooks run ${nodeInLauncher} (absolute path, no PATH needed)` });
  else if (existsSync(huskyInit)) add({ status: 'ok', check: 'node for GUI clients', detail: `husky's ${huskyInit} sets up PATH` });
  else add({ status: 'warning', check: 'node for GUI clients', detail: 'hooks find node only on PATH; GUI git clients often start without it', fix: `${INSTALL_FIX}, or put PATH setup in ${huskyInit}` });

  const orchestrate = policy?.deploy.orchestrate ?? 'orchestrate';
  const found = which(orchestrate, env);
  add(found ? { status: 'ok', check: 'orchestrate CLI', detail: found } : { status: 'warning', check: 'orchestrate CLI', detail: `"${orchestrate}" not found: plan works, deploy will not`, fix: 'pip install ibm-watsonx-orchestrate==<the pinned version> (deploy agents only)' });

  if (isJenkins(env)) {
    const build = readJenkinsBuild(env);
    if ('error' in build) add({ status: 'problem', check: 'CI', detail: build.error, fix: 'use a multibranch pipeline, or pass --branch/--target to check' });
    else add({ status: 'ok', check: 'CI', detail: `Jenkins ${build.kind} build (${build.kind === 'pr' ? `${build.source} → ${build.target}` : build.kind === 'tag' ? build.tag : build.branch})` });
    if (currentBranch(repo.root) === undefined) add({ status: 'ok', check: 'CI checkout', detail: 'detached HEAD: the branch is read from the Jenkins variables' });
    if (isShallow(repo.root)) add({ status: 'ok', check: 'CI checkout', detail: 'shallow clone: check deepens it until a merge base exists' });
    const tags = git(repo.root, ['tag', '--list'], { allowFailure: true }).stdout.trim();
    if (!tags) add({ status: 'warning', check: 'CI checkout', detail: 'no tags in this clone: plan/deploy fetch the deploy tags they need' });
  }
  return out;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
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
