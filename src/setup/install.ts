import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { safeWriteFile } from '../fs/safeWrite.js';
import { git } from '../git/git.js';
import type { Repo } from '../git/resolveRepo.js';
import { messages } from '../messages.js';
import { driverCommand, launcherScript, MERGE_DRIVER } from './scaffold.js';
import { readTextIfExists } from '../fs/readText.js';

/**
 * `install`: what every clone needs and git does not version — the merge driver definition (git
 * config only) and active hooks (husky's hooks path). Idempotent: a second run changes nothing.
 */
const CLI_PATH = fileURLToPath(new URL('../../bin/wxo-policy.js', import.meta.url));
export const HUSKY_DIR = '.husky';
const m = messages.install;

export function launcherPath(repo: Repo): string {
  return join(repo.commonDir, 'wxo-policy', 'run');
}

export interface InstallReport {
  /** What this run changed (empty: all was in place). */
  changed: string[];
  /** Things the user should know (hooks skipped on CI, no .husky directory …). */
  notes: string[];
  /** The hooks after this run: active (already or just now), skipped (HUSKY=0, CI), missing (no .husky/), failed. */
  hooks: 'active' | 'skipped' | 'missing' | 'failed';
}

export async function install(repo: Repo, env: NodeJS.ProcessEnv): Promise<InstallReport> {
  const report: InstallReport = { changed: [], notes: [], hooks: 'active' };
  const launcher = launcherPath(repo);
  const script = launcherScript(process.execPath, CLI_PATH);
  if (!existsSync(launcher) || readFileSync(launcher, 'utf8') !== script) {
    safeWriteFile(repo.commonDir, launcher, script, { mode: 0o755 });
    report.changed.push(m.wroteLauncher(launcher));
  }
  const config: Record<string, string> = {
    [`merge.${MERGE_DRIVER}.name`]: 'wxo-policy: keep the target tenant files on cross-tenant merges',
    [`merge.${MERGE_DRIVER}.driver`]: driverCommand(launcher),
    // Merging the merge bases of a criss-cross merge is not a promotion: git's text merge does it.
    [`merge.${MERGE_DRIVER}.recursive`]: 'text',
  };
  for (const [key, value] of Object.entries(config)) {
    const current = git(repo.root, ['config', '--local', '--get', key], { allowFailure: true }).stdout.trim();
    if (current !== value) {
      git(repo.root, ['config', '--local', key, value]);
      report.changed.push(m.registered(key));
    }
  }

  if (env.HUSKY === '0') {
    report.notes.push(m.huskyOff);
    report.hooks = 'skipped';
  } else if (env.CI && env.CI !== 'false' && env.CI !== '0') {
    report.notes.push(m.ciSkipped);
    report.hooks = 'skipped';
  } else if (!existsSync(join(repo.root, HUSKY_DIR))) {
    report.notes.push(m.noHuskyDir(HUSKY_DIR));
    report.hooks = 'missing';
  } else if (!hooksActive(repo)) {
    const problem = writeHookDispatch(repo);
    if (problem) {
      report.notes.push(m.huskyFailed(problem));
      report.hooks = 'failed';
    } else report.changed.push(m.activated(HUSKY_DIR, hookDispatchDir(repo)));
  }
  return report;
}

/**
 * Where git finds the hooks: one directory in the repository's common git dir, shared by every
 * `git worktree`, whose shims run the `.husky/<hook>` of the worktree git runs them in. husky's own
 * hooks path (`.husky/_`) is relative to each worktree, so a new worktree had no hooks at all
 * until someone ran install there; this one needs no extra command.
 */
function hookDispatchDir(repo: Pick<Repo, 'commonDir'>): string {
  return join(repo.commonDir, 'wxo-policy', 'hooks');
}

/** The hooks are active — in every worktree — when git's hooks path is the dispatch directory. */
export function hooksActive(repo: Pick<Repo, 'root'> & Partial<Pick<Repo, 'commonDir'>>): boolean {
  const commonDir =
    repo.commonDir ?? git(repo.root, ['rev-parse', '--path-format=absolute', '--git-common-dir'], { allowFailure: true }).stdout.trim();
  const hooksPath = git(repo.root, ['config', '--get', 'core.hooksPath'], { allowFailure: true }).stdout.trim();
  const dir = hookDispatchDir({ commonDir });
  return (
    hooksPath === dir &&
    readTextIfExists(join(dir, 'h')) === hookRunner() &&
    GIT_HOOKS.every((h) => readTextIfExists(join(dir, h)) === DISPATCHER)
  );
}

/**
 * Each hook of the dispatch directory hands over to the runner. Every commit runs four of them
 * (pre-commit, prepare-commit-msg, commit-msg, post-commit): plain /bin/sh and parameter expansion,
 * not `env`, `dirname` and `basename`, spare eight program starts a commit.
 */
const DISPATCHER = '#!/bin/sh\n. "${0%/*}/h"\n';

/** Every client-side hook husky knows: a `.husky/<name>` file of the user's runs like with husky. */
const GIT_HOOKS = [
  'pre-commit',
  'pre-merge-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'applypatch-msg',
  'pre-applypatch',
  'post-applypatch',
  'pre-rebase',
  'post-rewrite',
  'post-checkout',
  'post-merge',
  'pre-push',
  'pre-auto-gc',
];

/** husky's runner, reading `.husky/<hook>` of the worktree git runs the hook in (its working directory). */
function hookRunner(): string {
  return `#!/bin/sh
# Written by \`wxo-policy install\`: husky's hook runner for every git worktree of this repository.
# git runs hooks at the top of the worktree, so .husky/ below is that worktree's.
[ "$HUSKY" = "2" ] && set -x
n=\${0##*/}
s=".husky/$n"

[ ! -f "$s" ] && exit 0

i="\${XDG_CONFIG_HOME:-$HOME/.config}/husky/init.sh"
[ -f "$i" ] && . "$i"

[ "\${HUSKY-}" = "0" ] && exit 0

export PATH="node_modules/.bin:$PATH"
sh -e "$s" "$@"
c=$?

[ $c != 0 ] && echo "husky - $n script failed (code $c)"
[ $c = 127 ] && echo "husky - command not found in PATH=$PATH"
exit $c
`;
}

/** Writes the dispatch directory and points git's hooks path at it; returns a problem, or ''. */
function writeHookDispatch(repo: Repo): string {
  const dir = hookDispatchDir(repo);
  try {
    safeWriteFile(repo.commonDir, join(dir, 'h'), hookRunner(), { mode: 0o755 });
    for (const hook of GIT_HOOKS) safeWriteFile(repo.commonDir, join(dir, hook), DISPATCHER, { mode: 0o755 });
  } catch (e) {
    return (e as Error).message;
  }
  const set = git(repo.root, ['config', '--local', 'core.hooksPath', dir], { allowFailure: true });
  return set.status === 0 ? '' : set.stderr.trim();
}
