import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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
      const root = tempDir('wxo-copy-');
      const copies = built.map((dir, i) => join(root, `${i}-${basename(dir)}`));
      for (const [i, dir] of built.entries()) execFileSync('cp', ['-a', dir, copies[i]!]);
      for (const copy of copies) relocateGitFiles(copy, built, copies);
      return copies;
    },
  };
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
