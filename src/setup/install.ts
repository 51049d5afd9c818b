import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { safeWriteFile } from '../fs/safeWrite.js';
import { git } from '../git/git.js';
import type { Repo } from '../git/resolveRepo.js';
import { messages } from '../messages.js';
import { driverCommand, launcherScript, MERGE_DRIVER } from './scaffold.js';

/**
 * `install`: what every clone needs and git does not version — the merge driver definition (git
 * config only) and active hooks (husky's hooks path). Idempotent: a second run changes nothing.
 */
export const CLI_PATH = fileURLToPath(new URL('../../bin/wxo-policy.js', import.meta.url));
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
    const problem = await runHusky(repo.root);
    if (problem) {
      report.notes.push(m.huskyFailed(problem));
      report.hooks = 'failed';
    } else report.changed.push(m.activated(HUSKY_DIR));
  }
  return report;
}

/** Husky's hooks are active in a worktree when git's hooks path points at husky's shims there. */
export function hooksActive(repo: Pick<Repo, 'root'>): boolean {
  const hooksPath = git(repo.root, ['config', '--get', 'core.hooksPath'], { allowFailure: true }).stdout.trim();
  return hooksPath === `${HUSKY_DIR}/_` && existsSync(join(repo.root, HUSKY_DIR, '_', 'h'));
}

/** husky's installer works on the current directory. */
async function runHusky(root: string): Promise<string> {
  const { default: husky } = (await import('husky')) as { default: (dir?: string) => string };
  const cwd = process.cwd();
  try {
    process.chdir(root);
    return husky(HUSKY_DIR);
  } finally {
    process.chdir(cwd);
  }
}
