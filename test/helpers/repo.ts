import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isolatedEnv } from './env.js';
import { tempDir } from './tmp.js';

/**
 * A real git repository in a temporary directory, with an isolated environment. `run` runs git
 * and returns stdout (throwing on failure); `attempt` returns status and output instead, for the
 * commands a hook may refuse. Hooks fire as they would for a developer: git itself runs them.
 */
export interface TestRepo {
  dir: string;
  env: NodeJS.ProcessEnv;
  run(...args: string[]): string;
  /** Runs git and returns its status and output instead of throwing (for commands hooks refuse). */
  attempt(...args: string[]): { status: number; stdout: string; stderr: string; output: string };
  write(files: Record<string, string | Buffer>): void;
  commitAll(message: string): string;
}

export function createRepo(options: { branch?: string; dir?: string; env?: NodeJS.ProcessEnv; bare?: boolean } = {}): TestRepo {
  const dir = options.dir ?? tempDir('wxo-repo-');
  mkdirSync(dir, { recursive: true });
  const repo = openRepo(dir, options.env ?? isolatedEnv());
  repo.run('init', '-q', ...(options.bare ? ['--bare'] : []), '-b', options.branch ?? 'main');
  return repo;
}

/** A TestRepo over an existing repository (a copy of a template, see template.ts). */
export function openRepo(dir: string, env: NodeJS.ProcessEnv = isolatedEnv()): TestRepo {
  const run = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const repo: TestRepo = {
    dir,
    env,
    run,
    attempt(...args) {
      const r = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8', input: '' });
      return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, output: r.stdout + r.stderr };
    },
    write(files) {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    },
    commitAll(message) {
      run('add', '-A');
      run('commit', '-q', '--no-verify', '-m', message);
      return run('rev-parse', 'HEAD').trim();
    },
  };
  return repo;
}

/** Copies a directory tree (e.g. examples/gitops-repo) into the repository. */
export function copyInto(repo: TestRepo, from: string, to = '.'): void {
  cpSync(from, join(repo.dir, to), { recursive: true });
}

/**
 * The git commands (argv without "git") a hook ran when git fired it, from git's own trace: run
 * the git command with GIT_TRACE2_EVENT=<trace>. Undefined when git did not fire that hook.
 */
export function gitCallsOf(trace: string, hook: string): string[] | undefined {
  const events = readFileSync(trace, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { event: string; sid: string; child_id?: number; hook_name?: string; argv?: string[] });
  const start = events.findIndex((e) => e.event === 'child_start' && e.hook_name === hook);
  if (start < 0) return undefined;
  const { sid, child_id } = events[start]!;
  const end = events.findIndex((e, i) => i > start && e.event === 'child_exit' && e.sid === sid && e.child_id === child_id);
  return events
    .slice(start + 1, end)
    .filter((e) => e.event === 'start')
    .map((e) => e.argv!.slice(1).join(' '));
}
