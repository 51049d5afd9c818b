import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Cross-tenant resolutions of the current merge (which file, which side was kept), written by
 * the driver, the pre-merge-commit guard and `promote`, read by the hooks to tell the user. Each
 * names its merge — the commit HEAD was on (the merge's first parent) and the commit merged in —
 * so that what an aborted merge left behind is never reported for a later one.
 */
export interface Resolution {
  file: string;
  source: string;
  target: string;
  kept: 'target';
  by: 'merge-driver' | 'pre-merge-commit' | 'promote';
  /** HEAD's commit when the merge ran: the merge commit's first parent. */
  head?: string;
  /** The commit merged in (GITHEAD_<sha>, MERGE_HEAD). */
  other?: string;
  at: string;
}

/** A merge as its commit (or MERGE_HEAD) shows it: the first parent and the commits merged in. */
export interface MergeParents {
  first: string;
  others: readonly string[];
}

const file = (gitDir: string) => join(gitDir, 'wxo-policy', 'merge-resolutions.jsonl');

/** Records that each of `files` kept the target's version in the merge of `source` into `target`. */
export function recordKeptTarget(
  gitDir: string,
  files: readonly string[],
  merge: { source: string; target: string; by: Resolution['by']; head: string | undefined; other: string | undefined },
): void {
  if (files.length === 0) return;
  const { source, target, by, head, other } = merge;
  const at = new Date().toISOString();
  mkdirSync(join(gitDir, 'wxo-policy'), { recursive: true });
  const lines = files.map((f) => {
    const r: Resolution = { file: f, source, target, kept: 'target', by, ...(head ? { head } : {}), ...(other ? { other } : {}), at };
    return `${JSON.stringify(r)}\n`;
  });
  appendFileSync(file(gitDir), lines.join(''));
}

export function hasResolutions(gitDir: string): boolean {
  return existsSync(file(gitDir));
}

/** The resolutions recorded for this merge; those of any other (aborted) merge are left out. */
export function readResolutions(gitDir: string, merge: MergeParents): Resolution[] {
  if (!existsSync(file(gitDir))) return [];
  return readFileSync(file(gitDir), 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Resolution];
      } catch {
        return [];
      }
    })
    .filter((r) => belongsTo(r, merge));
}

/** Pure: a resolution belongs to a merge when it was made on its first parent, merging one of the others. */
export function belongsTo(r: Pick<Resolution, 'head' | 'other'>, merge: MergeParents): boolean {
  return r.head === merge.first && (r.other === undefined || merge.others.includes(r.other));
}

export function clearResolutions(gitDir: string): void {
  rmSync(file(gitDir), { force: true });
}
