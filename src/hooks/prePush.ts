import { checkScope } from '../checks/checkScope.js';
import { sortFindings } from '../checks/runChecks.js';
import type { Scope } from '../checks/scope.js';
import type { Finding } from '../checks/types.js';
import { colorsFor, err, type ConsoleIO } from '../report/console.js';
import { EXIT, UsageError } from '../errors.js';
import { git, ZERO_OID } from '../git/git.js';
import { isAncestor, revParse } from '../git/queries.js';
import type { Repo } from '../git/resolveRepo.js';
import { mergeMessageSource, normalize, remotesInConfig } from '../merge/situation.js';
import { messages } from '../messages.js';
import { classifyBranch, classifyTag } from '../policy/environments.js';
import { resetAllowed } from '../policy/governance.js';
import type { Environment, Policy } from '../policy/model.js';
import { loadPolicyAt, readPolicyText } from '../snapshot/loadPolicy.js';
import { summarize } from '../report/summary.js';
import { formatFindings } from '../report/text.js';

/**
 * pre-push: git writes one line per ref being pushed — `<local ref> <local sha> <remote ref>
 * <remote sha>`. Every pushed ref is judged by the one check pipeline (checkScope), as a scope of
 * its own: branch and tag names, the promotion path of merges pushed to environment branches,
 * secrets in every commit the remote does not have yet (not only the tip), and the tenant binding
 * of each pushed tip — then the policy allowlist, as `check --staged` and CI apply it.
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
  const refusals: string[] = [];
  const policies = new Map<string, Policy>();
  const policyAt = async (rev: string) => {
    if (!policies.has(rev)) policies.set(rev, await loadPolicyAt(repo.root, { type: 'commit', rev }, { cacheDir: repo.commonDir }));
    return policies.get(rev)!;
  };
  const pushed: PushContext = { remote, remotes: remotesInConfig(repo.commonDir), scanned: new Set<string>() };

  for (const u of parsePushLines(input)) {
    if (ZERO_OID.test(u.localSha)) continue; // a deletion: nothing is being sent
    // The policy of what the remote has (like a pull request: the target's rules apply).
    const known = !ZERO_OID.test(u.remoteSha) && revParse(repo.root, u.remoteSha) !== undefined;
    // The bootstrap rule: a remote branch without a policy file has not adopted wxo-policy yet;
    // the push that brings the policy is judged by it, not by the built-in default.
    const bootstrap =
      known &&
      readPolicyText(repo.root, { type: 'commit', rev: u.remoteSha }) === undefined &&
      readPolicyText(repo.root, { type: 'commit', rev: u.localSha }) !== undefined;
    if (bootstrap) notices.push(messages.bootstrap.policyOfChange(`${remote}/${u.remoteRef.replace(/^refs\/(heads|tags)\//, '')}`));
    const policyRev = known && !bootstrap ? u.remoteSha : u.localSha;
    const policy = await policyAt(policyRev);
    const scope = pushScope(repo.root, u, known, policyRev, policy, pushed);
    if (!scope) continue;
    // The one pipeline, as `check` and CI run it: the policy allowlist applies to pushes too.
    const result = await checkScope(repo.root, scope, policy, { remote, cacheDir: repo.commonDir });
    findings.push(...result.findings);
    notices.push(...result.notices);
    const refusal = rewriteOf(repo.root, u, known, policy);
    if (refusal) refusals.push(refusal);
  }

  const all = sortFindings(dedupe(findings));
  const summary = summarize(all, 0);
  for (const n of notices) err(ctx, c.yellow(`wxo-policy: ${n}`));
  if (summary.errors || summary.warnings) err(ctx, formatFindings(all, c).join('\n'));
  for (const r of refusals) err(ctx, `${c.red('✖')} ${r}\n  ${c.dim(messages.deploy.resetRefusedHint)}`);
  if (summary.errors || refusals.length) {
    err(ctx, `${c.red('✖')} ${messages.pushRefused}\n  ${c.dim(messages.bypass('git push'))}`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

/** What every pushed ref of one push shares: the remote, the configured remotes, the ranges already scanned. */
interface PushContext {
  remote: string;
  remotes: readonly string[];
  scanned: Set<string>;
}

/**
 * A pushed ref as a scope of the check pipeline. A tag: its name. A branch: its name, the commits
 * the remote lacks (each range once, for secrets) and, on an environment branch, its tip's tenant
 * files and the merges it brings in (promotions). Undefined for refs that are neither.
 */
function pushScope(root: string, u: RefUpdate, known: boolean, policyRev: string, policy: Policy, pushed: PushContext): Scope | undefined {
  const base = {
    mode: 'local' as const,
    source: { type: 'commit' as const, rev: u.localSha },
    policySource: { type: 'commit' as const, rev: policyRev },
    notes: [],
  };
  if (u.remoteRef.startsWith('refs/tags/')) {
    const tag = u.remoteRef.slice('refs/tags/'.length);
    return {
      ...base,
      label: `tag ${tag}`,
      tag: { name: tag, commit: revParse(root, u.localSha) ?? u.localSha },
      push: { tip: u.localSha, merged: [] },
    };
  }
  if (!u.remoteRef.startsWith('refs/heads/')) return undefined;
  const branch = u.remoteRef.slice('refs/heads/'.length);
  const exclude = known ? [u.remoteSha] : [`--remotes=${pushed.remote}`];
  const range = `${u.localSha} ${exclude.join(' ')}`;
  const commits = pushed.scanned.has(range) ? undefined : [u.localSha, '--not', ...exclude];
  pushed.scanned.add(range);
  const merged = classifyBranch(branch, policy).kind === 'environment' ? mergedBranches(root, u, branch, exclude, pushed.remotes) : [];
  return { ...base, label: `branch ${branch}`, branch, ...(commits ? { commits } : {}), push: { tip: u.localSha, merged } };
}

/** The branches the pushed first-parent merges bring into `branch`; a merge of its own remote copy (`git pull`, `git merge origin/<branch>`) is no promotion. */
function mergedBranches(root: string, u: RefUpdate, branch: string, exclude: readonly string[], remotes: readonly string[]): string[] {
  const itself = new Set([branch, u.localRef.replace(/^refs\/heads\//, '')]);
  const merges = git(root, ['rev-list', '--first-parent', '--merges', '--format=%B%x00', u.localSha, '--not', ...exclude]).stdout;
  const sources: string[] = [];
  for (const record of merges.split('\0')) {
    const message = record.replace(/^commit [0-9a-f]+\n/m, '').trim();
    const source = message ? mergeMessageSource(message) : undefined;
    if (source && !itself.has(normalize(source, remotes))) sources.push(source);
  }
  return sources;
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

/** A non-fast-forward update of an environment branch rewrites deployed history: see rewriteRefusal. */
function rewriteOf(root: string, u: RefUpdate, known: boolean, policy: Policy): string | undefined {
  if (!known || !u.remoteRef.startsWith('refs/heads/')) return undefined;
  const branch = u.remoteRef.slice('refs/heads/'.length);
  const info = classifyBranch(branch, policy);
  if (info.kind !== 'environment' || isAncestor(root, u.remoteSha, u.localSha)) return undefined;
  return rewriteRefusal(root, branch, info.env, u.localSha, policy);
}

/**
 * A force-push to an environment branch is a rollback by reset: allowed only where the policy
 * says so for the environment, and only onto a commit one of its deploy tags records (a state
 * that was deployed), so the branch never moves to something nobody deployed.
 */
function rewriteRefusal(root: string, branch: string, env: Environment, newTip: string, policy: Policy): string | undefined {
  if (!resetAllowed(env)) return messages.deploy.resetRefused(branch, env.name);
  const tags = git(root, ['tag', '--points-at', newTip]).stdout.split('\n').filter(Boolean);
  if (!tags.some((t) => classifyTag(t, policy)?.env.name === env.name)) return messages.deploy.resetNotOnTag(branch, env.name);
  return undefined;
}
