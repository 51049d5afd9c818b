import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { safeMkdir, safeWriteFile } from '../fs/safeWrite.js';

/**
 * git's own 3-way text merge (`git merge-file`, which honours merge.conflictStyle), with the
 * result written to %A atomically: to a temporary file beside it, then renamed over it. If the
 * merge cannot run, %A keeps "ours" untouched and the file is reported as conflicted.
 */
export interface TextMergeResult {
  conflicts: boolean;
  /** Set when git merge-file could not merge at all (binary input, unreadable file …). */
  failure?: string;
}

export interface MergeFiles {
  base: string;
  ours: string;
  theirs: string;
  markerSize: number;
  labels: { ours: string; base: string; theirs: string };
  /** The git dir: temporaries go there (not beside %A in the work tree), and a killed run's are removed. */
  gitDir?: string;
}

export function textMerge(files: MergeFiles): TextMergeResult {
  const size = Number.isInteger(files.markerSize) && files.markerSize > 0 ? files.markerSize : 7;
  const r = spawnSync(
    'git',
    [
      'merge-file',
      '-p',
      `--marker-size=${size}`,
      '-L',
      files.labels.ours,
      '-L',
      files.labels.base,
      '-L',
      files.labels.theirs,
      files.ours,
      files.base,
      files.theirs,
    ],
    { maxBuffer: 512 * 1024 * 1024 },
  );
  const status = r.status ?? -1;
  if (r.error || status < 0 || status > 127 || !r.stdout) {
    return { conflicts: true, failure: r.error?.message ?? (r.stderr?.toString().trim() || `git merge-file exited ${status}`) };
  }
  writeAtomically(files.ours, r.stdout, files.gitDir);
  return { conflicts: status > 0 };
}

export function writeAtomically(path: string, content: Buffer | string, gitDir?: string): void {
  let dir: string | undefined;
  try {
    if (gitDir) dir = safeMkdir(gitDir, join('wxo-policy', 'tmp'));
  } catch {
    dir = undefined; // no usable git dir (the driver runs outside a repository): beside %A after all
  }
  if (dir) {
    removeDeadTemporaries(dir);
    const tmp = join(dir, `merge-${process.pid}-${randomBytes(6).toString('hex')}`);
    safeWriteFile(dir, tmp, content);
    try {
      renameSync(tmp, path);
      return;
    } catch (e) {
      rmSync(tmp, { force: true });
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      // the git dir is on another file system: the temporary goes beside %A after all
    }
  }
  safeWriteFile(dirname(path), path, content);
}

/** Temporaries of merge drivers that were killed before their rename (their process is gone). */
function removeDeadTemporaries(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = Number(/^merge-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(dir, name), { force: true });
    }
  }
}
