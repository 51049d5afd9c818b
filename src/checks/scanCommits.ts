import { commitPatches } from '../git/commitPatches.js';
import { compileClassifier } from '../policy/fileClassifier.js';
import type { Policy } from '../policy/model.js';
import { readBlobs } from '../snapshot/snapshot.js';
import { analyzeFile, type AnalyzeContext } from './analyzeFile.js';
import type { Finding } from './types.js';

/**
 * Secrets in every commit of a range, not only at its tip: a key added in one commit and deleted
 * in the next is still in the history that is being pushed or merged. Each added or modified
 * file is scanned as it was in that commit; only findings on the lines the commit added count.
 */
export async function scanCommitsForSecrets(root: string, policy: Policy, revArgs: readonly string[]): Promise<Finding[]> {
  const classifier = compileClassifier(policy);
  const changes = commitPatches(root, revArgs).filter((c) => c.addedLines.size > 0 && !classifier.isIgnored(c.path));
  const ctx: AnalyzeContext = { policy, classifier, only: 'secrets' };
  const found: Finding[] = [];
  let i = 0;
  for await (const file of readBlobs(root, changes.map((c) => ({ path: c.path, oid: c.oid })))) {
    const change = changes[i++]!;
    if (!file.content) continue;
    const result = await analyzeFile(change.path, file.content, ctx);
    for (const f of result.findings) {
      if (f.hash && f.line !== undefined && change.addedLines.has(f.line)) found.push({ ...f, commit: change.commit });
    }
  }
  // The same secret carried through several commits is one finding: the commit that added it.
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = `${f.rule}|${f.file}|${f.hash}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
