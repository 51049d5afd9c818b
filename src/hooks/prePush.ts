import { isOnBranch } from '../checks/checkScope.js';
import { tenantBindingAt } from '../checks/tenantBinding.js';
import { branchNameRule, promotionPathRule, tagNameRule } from '../checks/rules/gitRules.js';
import { scanCommitsForSecrets } from '../checks/scanCommits.js';
import { sortFindings } from '../checks/runChecks.js';
import type { Finding } from '../checks/types.js';
import { colorsFor, err, type ConsoleIO } from '../report/console.js';
import { UsageError } from '../errors.js';
import { git, ZERO_OID } from '../git/git.js';
import { revParse } from '../git/queries.js';
import type { Repo } from '../git/resolveRepo.js';
import { mergeMessageSource, normalize, remotesInConfig } from '../merge/situation.js';
import { messages } from '../messages.js';
import { classifyBranch } from '../policy/environments.js';
import type { Policy } from '../policy/model.js';
import { loadPolicyAt, readPolicyText } from '../snapshot/loadPolicy.js';
import { summarize } from '../report/summary.js';
import { formatFindings } from '../report/text.js';

/**
 * pre-push: git writes one line per ref being pushed — `<local ref> <local sha> <remote ref>
 * <remote sha>`. Every pushed ref is judged: branch and tag names, the promotion path of merges
 * pushed to environment branches, secrets in every commit the remote does not have yet (not only
 * the tip), and the tenant binding of each pushed tip.
 */
export interface RefUpdate {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

export function parsePushLines(input: string): RefUpdate[] {
  return input
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const parts = line.split(' ');
      if (parts.length !== 4) throw new UsageError(messages.prePushInput(line));
      const [localRef, localSha, remoteRef, remoteSha] = parts as [string, string, string, string];
      return { localRef, localSha, remoteRef, remoteSha };
    });
}

export async function prePush(ctx: ConsoleIO, repo: Repo, args: string[], input: string): Promise<number> {
  const c = colorsFor(ctx, 'stderr');
  const remote = args[0] ?? 'origin';
  const findings: Finding[] = [];
  const notices: string[] = [];
  const policies = new Map<string, Policy>();
  const policyAt = async (rev: string) => {
    if (!policies.has(rev)) policies.set(rev, await loadPolicyAt(repo.root, { type: 'commit', rev }, { cacheDir: repo.commonDir }));
    return policies.get(rev)!;
  };
  const scanned = new Set<string>();
  const remotes = remotesInConfig(repo.commonDir);

  for (const u of parsePushLines(input)) {
    if (ZERO_OID.test(u.localSha)) continue; // a deletion: nothing is being sent
    // The policy of what the remote has (like a pull request: the target's rules apply).
    const known = !ZERO_OID.test(u.remoteSha) && revParse(repo.root, u.remoteSha) !== undefined;
    // The bootstrap rule: a remote branch without a policy file has not adopted wxo-policy yet;
    // the push that brings the policy is judged by it, not by the built-in default.
    const bootstrap = known && readPolicyText(repo.root, { type: 'commit', rev: u.remoteSha }) === undefined && readPolicyText(repo.root, { type: 'commit', rev: u.localSha }) !== undefined;
    if (bootstrap) notices.push(messages.bootstrap.policyOfChange(`${remote}/${u.remoteRef.replace(/^refs\/(heads|tags)\//, '')}`));
    const policy = await policyAt(known && !bootstrap ? u.remoteSha : u.localSha);

    if (u.remoteRef.startsWith('refs/tags/')) {
      const tag = u.remoteRef.slice('refs/tags/'.length);
      const commit = revParse(repo.root, u.localSha) ?? u.localSha;
      findings.push(...tagNameRule(tag, commit, policy, (co, b) => isOnBranch(repo.root, co, b, remote)).map((f) => ({ ...f, ref: tag })));
      continue;
    }
    if (!u.remoteRef.startsWith('refs/heads/')) continue;
    const branchName = u.remoteRef.slice('refs/heads/'.length);
    const branch = classifyBranch(branchName, policy);
    findings.push(...branchNameRule(branch, policy).map((f) => ({ ...f, ref: branchName })));

    const exclude = known ? [u.remoteSha] : [`--remotes=${remote}`];
    const key = `${u.localSha} ${exclude.join(' ')}`;
    if (!scanned.has(key)) {
      scanned.add(key);
      findings.push(...(await scanCommitsForSecrets(repo.root, policy, [u.localSha, '--not', ...exclude])));
    }
    if (branch.kind === 'environment') {
      // A merge of the branch's own remote copy (`git pull`, `git merge origin/<branch>`) is no promotion.
      const itself = new Set([branchName, u.localRef.replace(/^refs\/heads\//, '')]);
      const merges = git(repo.root, ['rev-list', '--first-parent', '--merges', '--format=%B%x00', u.localSha, '--not', ...exclude]).stdout;
      for (const record of merges.split('\0')) {
        const message = record.replace(/^commit [0-9a-f]+\n/m, '').trim();
        const source = message ? mergeMessageSource(message) : undefined;
        if (!source || itself.has(normalize(source, remotes))) continue;
        const outcome = promotionPathRule(classifyBranch(source, policy), branch, policy);
        findings.push(...outcome.findings.map((f) => ({ ...f, ref: `${source} → ${branchName}` })));
        if (outcome.approval) notices.push(outcome.approval);
      }
      findings.push(...(await tenantBindingAt(repo.root, u.localSha, branch, policy)));
    }
  }

  const all = sortFindings(dedupe(findings));
  const summary = summarize(all, 0);
  for (const n of notices) err(ctx, c.yellow(`wxo-policy: ${n}`));
  if (summary.errors || summary.warnings) err(ctx, formatFindings(all, c).join('\n'));
  if (summary.errors) {
    err(ctx, `${c.red('✖')} ${messages.pushRefused}\n  ${c.dim(messages.bypass('git push'))}`);
    return 1;
  }
  return 0;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.file}|${f.line}|${f.ref}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

