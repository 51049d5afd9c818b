import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inject } from 'vitest';
import { tempDir } from './tmp.js';

/**
 * A setup built once per test file — the first time a test asks for it — and handed to every test
 * as a copy of its directories (`cp -a` of the prepared repositories), instead of being rebuilt
 * with dozens of git commands and CLI runs per test. Each test still writes only in its own copy.
 *
 * `build` makes the directories (repositories, bare remotes) and returns them; `copy()` returns
 * fresh copies in the same order. The absolute paths git keeps in its own files (core.hooksPath,
 * the merge driver, remote URLs, worktree links) are rewritten from the template's to the copy's.
 * What a test needs besides the directories (a TestRepo, an environment) it makes from the copies
 * (`openRepo`, `isolatedEnv`): nothing of the template's environment is shared.
 */
export function repoTemplate(build: () => string[]): { copy(): string[] } {
  let built: string[] | undefined;
  return {
    copy() {
      built ??= build();
      return copyDirs(built, tempDir('wxo-copy-'));
    },
  };
}

/**
 * runTemplate(key, build): a repoTemplate built once per run of the end-to-end tests instead of
 * once per test file, for a set-up that costs seconds of real work and that several files use (a
 * first deploy). The first worker that asks builds it and publishes a copy in the run's directory
 * (made by the globalSetup test/helpers/runDir.ts, removed when the run ends); a worker that asks
 * meanwhile waits for it. `data` is what the build returns besides its directories (JSON: e.g. the
 * secret values it was given). Without a run directory (a file run by a config without that
 * globalSetup) it is built once per file, as repoTemplate.
 */
export function runTemplate<T>(key: string, build: () => { dirs: string[]; data: T }): { copy(): string[]; data(): T } {
  let published: { dirs: string[]; data: T } | undefined;
  const get = () => (published ??= publish(key, build));
  return {
    copy: () => copyDirs(get().dirs, tempDir('wxo-copy-')),
    data: () => get().data,
  };
}

/** How long a worker waits for another one's build of a run template (a deploy at load 20 takes a minute). */
const RUN_TEMPLATE_WAIT_MS = 600_000;

function publish<T>(key: string, build: () => { dirs: string[]; data: T }): { dirs: string[]; data: T } {
  const runDir = inject('runDir');
  if (!runDir) return build();
  const home = join(runDir, key);
  const manifest = join(home, 'template.json');
  const failed = join(home, 'failed.txt');
  let mine = true;
  try {
    mkdirSync(home); // atomic: exactly one worker builds
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    mine = false;
  }
  if (mine) {
    try {
      const built = build();
      const dirs = copyDirs(built.dirs, home);
      writeFileSync(`${manifest}.tmp`, JSON.stringify({ dirs, data: built.data }));
      renameSync(`${manifest}.tmp`, manifest);
    } catch (e) {
      writeFileSync(failed, e instanceof Error ? (e.stack ?? e.message) : String(e));
      throw e;
    }
  }
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (const until = Date.now() + RUN_TEMPLATE_WAIT_MS; !existsSync(manifest);) {
    if (existsSync(failed))
      throw new Error(`the run template ${key} failed to build in another test file:\n${readFileSync(failed, 'utf8')}`);
    if (Date.now() > until) throw new Error(`the run template ${key} was not built within ${RUN_TEMPLATE_WAIT_MS / 1000} s (${home})`);
    Atomics.wait(sleeper, 0, 0, 100);
  }
  return JSON.parse(readFileSync(manifest, 'utf8')) as { dirs: string[]; data: T };
}

/** Copies of dirs (`cp -a`) under root, the paths in their git files moved from the originals to the copies. */
function copyDirs(dirs: readonly string[], root: string): string[] {
  const copies = dirs.map((dir, i) => join(root, `${i}-${basename(dir)}`));
  for (const [i, dir] of dirs.entries()) execFileSync('cp', ['-a', dir, copies[i]!]);
  for (const copy of copies) relocateGitFiles(copy, dirs, copies);
  return copies;
}

/** Git's own text files that can name a directory: config, worktree and alternates links. */
const GIT_TEXT = /^(config|gitdir|commondir|alternates|HEAD|packed-refs)$/;

function relocateGitFiles(copy: string, from: readonly string[], to: readonly string[]): void {
  const gitDir = lstatSync(join(copy, '.git'), { throwIfNoEntry: false })?.isDirectory() ? join(copy, '.git') : copy;
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'objects' && entry.name !== 'refs' && entry.name !== 'logs') visit(path);
      } else if (entry.isFile() && GIT_TEXT.test(entry.name)) {
        const text = readFileSync(path, 'utf8');
        // Longest first: one template directory may lie inside another.
        const order = [...from.keys()].sort((a, b) => from[b]!.length - from[a]!.length);
        let moved = text;
        for (const i of order) moved = moved.split(from[i]!).join(to[i]!);
        if (moved !== text) writeFileSync(path, moved);
      }
    }
  };
  visit(gitDir);
}
