import { spawnSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
}

export function textMerge(files: MergeFiles): TextMergeResult {
  const size = Number.isInteger(files.markerSize) && files.markerSize > 0 ? files.markerSize : 7;
  const r = spawnSync(
    'git',
    ['merge-file', '-p', `--marker-size=${size}`, '-L', files.labels.ours, '-L', files.labels.base, '-L', files.labels.theirs, files.ours, files.base, files.theirs],
    { maxBuffer: 512 * 1024 * 1024 },
  );
  const status = r.status ?? -1;
  if (r.error || status < 0 || status > 127 || !r.stdout) {
    return { conflicts: true, failure: r.error?.message ?? (r.stderr?.toString().trim() || `git merge-file exited ${status}`) };
  }
  writeAtomically(files.ours, r.stdout);
  return { conflicts: status > 0 };
}

export function writeAtomically(path: string, content: Buffer | string): void {
  const tmp = join(dirname(path), `.wxo-merge-${process.pid}-${Date.now()}`);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
