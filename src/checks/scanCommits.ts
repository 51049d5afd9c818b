import { commitPatches } from '../git/commitPatches.js';
import { git } from '../git/git.js';
import { hints, messages } from '../messages.js';
import { compileClassifier } from '../policy/fileClassifier.js';
import type { Policy } from '../policy/model.js';
import { readBlobs } from '../snapshot/snapshot.js';
import { analyzeFile, type AnalyzeContext } from './analyzeFile.js';
import { findingHash, maskSecret } from '../secretValue/mask.js';
import { scanText } from './secrets/scanText.js';
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
  for await (const file of readBlobs(
    root,
    changes.map((c) => ({ path: c.path, oid: c.oid })),
  )) {
    const change = changes[i++]!;
    if (!file.content) continue;
    const result = await analyzeFile(change.path, file.content, ctx);
    for (const f of result.findings) {
      if (f.hash && f.line !== undefined && change.addedLines.has(f.line)) found.push({ ...f, commit: change.commit });
    }
  }
  found.push(...(await scanCommitMessages(root, policy, revArgs)));
  // The same secret carried through several commits is one finding: the commit that added it.
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = `${f.rule}|${f.file}|${f.hash}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A token pasted into a commit message is pushed with the commit: messages are scanned like files. */
async function scanCommitMessages(root: string, policy: Policy, revArgs: readonly string[]): Promise<Finding[]> {
  const level = policy.rules.secrets;
  if (level === 'off') return [];
  const fields = git(root, ['log', '--no-color', '--format=%H%x00%B%x00', ...revArgs]).stdout.split('\0');
  const out: Finding[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const commit = fields[i]!.trim();
    const body = fields[i + 1]!;
    for (const match of await scanText(body, 'COMMIT_EDITMSG', { structured: false, secretlint: policy.secrets.secretlint })) {
      out.push({
        rule: 'secrets',
        severity: level === 'warning' ? 'warning' : 'error',
        message: messages.secretInCommitMessage(`${match.label} ${maskSecret(match.value)} [${match.detector}]`),
        hint: hints.secrets,
        commit,
        ...findingHash(match.value, policy.secrets.hash_key, policy.suppressions),
      });
    }
  }
  return out;
}
