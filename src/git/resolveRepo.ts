import { EnvError } from '../errors.js';
import { messages } from '../messages.js';
import { git } from './git.js';

export interface Repo {
  /** Top level of the work tree. */
  root: string;
  /** This worktree's git dir (where MERGE_HEAD, the index and hooks state live). */
  gitDir: string;
  /** The repository's common dir (config, refs, objects; shared by all worktrees). */
  commonDir: string;
}

/** Finds the repository around `cwd`; undefined outside one. */
export function findRepo(cwd: string): Repo | undefined {
  const result = git(cwd, ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir', '--git-common-dir'], {
    allowFailure: true,
  });
  if (result.status !== 0) return undefined;
  const [root, gitDir, commonDir] = result.stdout.split('\n');
  if (!root || !gitDir || !commonDir) return undefined;
  return { root, gitDir, commonDir };
}

export function resolveRepo(cwd: string): Repo {
  const repo = findRepo(cwd);
  if (!repo) throw new EnvError(messages.notARepo(cwd), messages.notARepoHint);
  return repo;
}
