import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { GitOperation } from './decide.js';
import { readTextIfExists } from '../fs/readText.js';

/**
 * What git is doing when it calls the driver, read from the environment and the git dir without
 * running git (the driver runs once per conflicting file and must stay fast):
 * - `git merge` exports GITHEAD_<sha>=<name as typed> and GIT_REFLOG_ACTION="merge <name>";
 *   `git pull` exports GIT_REFLOG_ACTION="pull …" and GITHEAD_<sha>=<sha> (FETCH_HEAD names it).
 * - revert and cherry-pick export neither (git 2.39); rebase leaves HEAD detached with
 *   rebase-merge/ or rebase-apply/ in the git dir; am leaves rebase-apply/applying.
 * - HEAD still names the target branch during a merge (MERGE_HEAD is written afterwards).
 */
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Set by `promote` for its own merge commit: it verifies the tenant binding itself. */
export const PROMOTING = 'WXO_POLICY_PROMOTING';

export interface GitDirs {
  gitDir: string;
  commonDir: string;
}

/** The git dirs of the worktree at `cwd` (the driver's cwd is the worktree top level). */
export function findGitDirs(cwd: string, env: NodeJS.ProcessEnv): GitDirs {
  let gitDir = env.GIT_DIR ? resolve(cwd, env.GIT_DIR) : join(cwd, '.git');
  if (!env.GIT_DIR && existsSync(gitDir) && !isDirectory(gitDir)) {
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitDir, 'utf8'))?.[1]?.trim();
    if (pointer) gitDir = resolve(cwd, pointer);
  }
  let commonDir = gitDir;
  const commonFile = join(gitDir, 'commondir');
  if (existsSync(commonFile)) {
    const rel = readFileSync(commonFile, 'utf8').trim();
    commonDir = isAbsolute(rel) ? rel : resolve(gitDir, rel);
  }
  return { gitDir, commonDir };
}

function isDirectory(path: string): boolean {
  return statSync(path).isDirectory();
}

export function headBranch(gitDir: string): string | undefined {
  const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
  return head.startsWith('ref: refs/heads/') ? head.slice('ref: refs/heads/'.length) : undefined;
}

/**
 * HEAD's commit, read from the git dir (a detached sha, a loose ref, packed-refs) without running
 * git; undefined when it cannot tell (an unborn branch, a reftable repository).
 */
export function headCommit(dirs: GitDirs): string | undefined {
  const head = readFileSync(join(dirs.gitDir, 'HEAD'), 'utf8').trim();
  if (SHA.test(head)) return head;
  const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  const loose = readTextIfExists(join(dirs.commonDir, ref))?.trim();
  if (loose && SHA.test(loose)) return loose;
  const packed = readTextIfExists(join(dirs.commonDir, 'packed-refs'))
    ?.split('\n')
    .find((line) => line.endsWith(` ${ref}`));
  return packed?.slice(0, packed.indexOf(' '));
}

/** The commits a merge brings in, from the GITHEAD_<sha> variables git exports during it. */
export function mergedCommits(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((k) => k.startsWith('GITHEAD_'))
    .map((k) => k.slice('GITHEAD_'.length))
    .filter((sha) => SHA.test(sha));
}

export function operation(env: NodeJS.ProcessEnv, dirs: GitDirs): GitOperation {
  const action = (env.GIT_REFLOG_ACTION ?? '').split(' ')[0];
  const merging = Object.keys(env).some((k) => k.startsWith('GITHEAD_'));
  if (existsSync(join(dirs.gitDir, 'rebase-merge')) || existsSync(join(dirs.gitDir, 'rebase-apply', 'rebasing'))) return 'rebase';
  if (existsSync(join(dirs.gitDir, 'rebase-apply', 'applying'))) return 'am';
  if (action === 'revert' || existsSync(join(dirs.gitDir, 'REVERT_HEAD'))) return 'revert';
  if (action === 'cherry-pick' || existsSync(join(dirs.gitDir, 'CHERRY_PICK_HEAD'))) return 'cherry-pick';
  if (merging && (action === 'merge' || action === 'pull' || action === '')) return 'merge';
  return merging ? 'merge' : 'unknown';
}

/** What else tells which branch a merge brings in, besides the environment git gives everyone. */
export interface MergeClues {
  /** %Y: the driver's label of the other side (git ≥ 2.44; literal "%Y" before). */
  label?: string;
  /** The merge message: MERGE_MSG while a merge is in progress. */
  message?: string;
  /** HEAD's last reflog subject ("merge upstream/qa-1.2.3: Fast-forward", "pull …: Fast-forward"). */
  reflog?: string;
}

/**
 * The branch a merge brings in, normalised to a branch name with the remotes of this repository
 * (`upstream/qa-1.2.3` → `qa-1.2.3`). The one answer for the driver and the merge hooks: git
 * exports GITHEAD_<sha>=<name as typed> to both (`git pull`: the sha, which FETCH_HEAD names),
 * then the merge message, GIT_REFLOG_ACTION, the reflog and the driver's label.
 */
export function mergeSource(env: NodeJS.ProcessEnv, dirs: GitDirs, clues: MergeClues = {}): string | undefined {
  const remotes = remotesInConfig(dirs.commonDir);
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('GITHEAD_') || !value) continue;
    if (!SHA.test(value)) return normalize(value, remotes);
    const fromFetchHead = fetchHeadBranch(dirs.gitDir, key.slice('GITHEAD_'.length));
    if (fromFetchHead) return fromFetchHead;
  }
  const fromMessage = clues.message ? mergeMessageSource(clues.message) : undefined;
  if (fromMessage) return normalize(fromMessage, remotes);
  for (const said of [env.GIT_REFLOG_ACTION, clues.reflog?.replace(/: Fast-forward$/, '')]) {
    // `git pull [remote [branch]]`: the branch FETCH_HEAD marks for merging.
    if (said?.startsWith('pull')) {
      const fetched = fetchHeadBranch(dirs.gitDir);
      if (fetched) return fetched;
    }
    if (!said?.startsWith('merge ')) continue;
    const last = said.trim().split(/\s+/).pop();
    if (last && !last.startsWith('-') && !SHA.test(last)) return normalize(last, remotes);
  }
  const label = clues.label;
  if (label && label !== '%Y' && !label.includes(' ')) return normalize(label.split(':')[0]!, remotes);
  return undefined;
}

/** The branch a merge commit brought in, from the messages git, GitHub, Bitbucket and `promote` write. */
export function mergeMessageSource(message: string): string | undefined {
  const subject = message.split('\n')[0] ?? '';
  const patterns = [
    /^Merge branch '([^']+)'/,
    /^Merge remote-tracking branch '[^/']+\/([^']+)'/,
    /^Merge pull request #\d+ from [^/\s]+\/(\S+)/,
    /^Merged? in (\S+) \(pull request #\d+\)/,
  ];
  for (const p of patterns) {
    const m = p.exec(subject);
    if (m) return m[1];
  }
  return undefined;
}

/** The branch FETCH_HEAD records for a fetched commit (or the one marked for merging). */
function fetchHeadBranch(gitDir: string, sha?: string): string | undefined {
  const line = readTextIfExists(join(gitDir, 'FETCH_HEAD'))
    ?.split('\n')
    .find((l) => (sha ? l.startsWith(sha) : l.split('\t')[1] === ''));
  return line ? /branch '([^']+)'/.exec(line)?.[1] : undefined;
}

/** The remotes configured in the repository (read from its config file, no git process). */
export function remotesInConfig(commonDir: string): string[] {
  return [...(readTextIfExists(join(commonDir, 'config')) ?? '').matchAll(/^\s*\[remote "([^"]+)"\]/gm)].map((m) => m[1]!);
}

export function normalize(name: string, remotes: readonly string[]): string {
  let n = name.replace(/^refs\/heads\//, '').replace(/^refs\/remotes\//, '');
  for (const r of remotes) if (n.startsWith(`${r}/`)) n = n.slice(r.length + 1);
  return n;
}
