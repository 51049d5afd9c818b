import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { git, splitZ } from '../git/git.js';
import type { Repo } from '../git/resolveRepo.js';
import { globList } from '../policy/fileClassifier.js';
import type { Policy } from '../policy/model.js';

/**
 * Puts HEAD's version of every tenant-scoped file back into the index and the work tree where the
 * index differs — a version git took from the other side, or a conflict (any unmerged stage) —
 * and removes tenant-scoped files HEAD does not have. Returns the paths it restored, sorted.
 */
export function restoreTargetTenantFiles(repo: Repo, policy: Policy): string[] {
  const scoped = globList(policy.tenant_scoped);
  const head = new Map<string, string>();
  for (const record of splitZ(git(repo.root, ['ls-tree', '-r', '-z', 'HEAD']).stdout)) {
    const tab = record.indexOf('\t');
    const path = record.slice(tab + 1);
    if (scoped(path)) head.set(path, record.slice(0, tab).split(' ')[2]!);
  }
  const index = new Map<string, string>();
  const unmerged = new Set<string>();
  for (const record of splitZ(git(repo.root, ['ls-files', '-s', '-z']).stdout)) {
    const tab = record.indexOf('\t');
    const path = record.slice(tab + 1);
    if (!scoped(path)) continue;
    const [, oid, stage] = record.slice(0, tab).split(' ');
    index.set(path, oid!);
    if (stage !== '0') unmerged.add(path);
  }
  const restored: string[] = [];
  for (const [path, oid] of head) {
    if (index.get(path) === oid && !unmerged.has(path)) continue;
    git(repo.root, ['checkout', 'HEAD', '--', path]);
    restored.push(path);
  }
  for (const path of index.keys()) {
    if (head.has(path)) continue;
    git(repo.root, ['rm', '-q', '--cached', '-f', '--', path]);
    rmSync(join(repo.root, path), { force: true });
    restored.push(path);
  }
  return restored.sort();
}
