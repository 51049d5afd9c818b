import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAncestor, readAt, revParse } from '../git/queries.js';
import { EnvError } from '../errors.js';
import { git } from '../git/git.js';
import { messages } from '../messages.js';
import { branchFor, classifyBranch, classifyTag, type BranchInfo } from '../policy/environments.js';
import { ensureRemoteBranch } from '../ci/ensureRefs.js';
import type { Policy } from '../policy/model.js';
import type { SnapshotEntry, SnapshotSource } from '../snapshot/snapshot.js';
import { POLICY_FILE } from '../policy/model.js';
import { readPolicyText } from '../snapshot/loadPolicy.js';
import { locate } from '../yaml/locate.js';
import { OWN_YAML_OPTIONS, readYaml } from '../yaml/readYaml.js';
import { branchNameRule, policyChangeRule, promotionPathRule, tagNameRule, versionConsistencyRule } from './rules/gitRules.js';
import { runChecks, sortFindings } from './runChecks.js';
import { tenantBindingAt } from './tenantBinding.js';
import { scanCommitsForSecrets } from './scanCommits.js';
import type { Scope } from './scope.js';
import { applyAllowlist, type EntryLocator } from './suppressions.js';
import type { Finding } from './types.js';

export interface ScopeResult {
  findings: Finding[];
  filesChecked: number;
  /** Things a pipeline shows but does not fail on (an approval the promotion needs). */
  notices: string[];
  /** With a result cache: how many of the checked files it answered. */
  cached?: number;
}

export interface CheckScopeOptions {
  jobs?: number;
  extraEntries?: SnapshotEntry[];
  /** Outside any git repository: only the extra entries are checked. */
  noRepository?: boolean;
  /** In CI: the remote to fetch branches from that the narrow clone lacks (tag builds). */
  remote?: string;
  /** The facts cache directory (the common git dir). */
  cacheDir?: string;
  /** The worktree's own git dir (CheckRequest.gitDir). */
  gitDir?: string;
  /** `--cache-dir`: the result cache of committed blobs, kept between CI builds. */
  resultCacheDir?: string;
  /** YYYY-MM-DD for the expiry of allowlist entries (default: today). */
  today?: string;
  /** A local check: may warm the facts cache in the background (CheckRequest.warmFactsCache). */
  warmFactsCache?: boolean;
}

/**
 * Runs every rule a scope calls for: the file rules over its snapshot, the ref rules over its
 * branch, target and tag, and the secret scan over each of its commits; then the policy allowlist
 * over all of it.
 */
export async function checkScope(root: string, scope: Scope, policy: Policy, options: CheckScopeOptions = {}): Promise<ScopeResult> {
  const notices: string[] = [];
  const branch = scope.branch !== undefined ? classifyBranch(scope.branch, policy) : undefined;
  const tenantBranch = scope.tenantBranch !== undefined ? classifyBranch(scope.tenantBranch, policy) : undefined;
  const tagBranch = scope.tag ? tagEnvironmentBranch(scope.tag.name, policy) : undefined;

  // A pushed ref judges no file as such: pre-commit and CI do (see Scope.push).
  const result = scope.push
    ? { findings: [], filesChecked: 0 }
    : await runChecks({
        root,
        policy,
        source: scope.source,
        ...(scope.paths ? { paths: scope.paths } : {}),
        ...(scope.paths && scope.changed && scope.base && scope.baseEntries
          ? { change: { base: { type: 'commit' as const, rev: scope.base }, paths: scope.changed, entries: scope.baseEntries } }
          : {}),
        ...(options.extraEntries ? { extraEntries: options.extraEntries } : {}),
        ...(options.noRepository ? { noRepository: true } : {}),
        ...((tenantBranch ?? tagBranch) ? { branch: (tenantBranch ?? tagBranch)! } : {}),
        ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
        ...(options.gitDir ? { gitDir: options.gitDir } : {}),
        ...(options.resultCacheDir ? { resultCacheDir: options.resultCacheDir } : {}),
        ...(options.warmFactsCache ? { warmFactsCache: true } : {}),
      });
  const findings = [...result.findings];
  const refFinding =
    (ref: string) =>
    (f: Finding): Finding => ({ ...f, ref });

  if (branch) {
    findings.push(...branchNameRule(branch, policy).map(refFinding(branch.name)));
    if (branch.kind === 'environment' && !scope.push) {
      const versionText = readVersionFile(root, scope, policy);
      findings.push(...versionConsistencyRule(branch, versionText, policy).map(refFinding(branch.name)));
    }
  }
  if (scope.target !== undefined && branch) {
    const target = classifyBranch(scope.target, policy);
    const outcome = promotionPathRule(branch, target, policy);
    findings.push(...outcome.findings.map(refFinding(`${branch.name} → ${target.name}`)));
    if (outcome.approval) notices.push(outcome.approval);
    if (scope.serverMerge && outcome.crossTenant && target.kind === 'environment') {
      findings.push(...(await serverMergeLeaks(root, scope.serverMerge, branch.name, target, policy)));
    }
  }
  if (scope.push && branch) {
    for (const source of scope.push.merged) {
      const outcome = promotionPathRule(classifyBranch(source, policy), branch, policy);
      findings.push(...outcome.findings.map(refFinding(`${source} → ${branch.name}`)));
      if (outcome.approval) notices.push(outcome.approval);
    }
    if (branch.kind === 'environment') findings.push(...(await tenantBindingAt(root, scope.push.tip, branch, policy)));
  }
  if (scope.tag) {
    const { name, commit } = scope.tag;
    const remote = options.remote;
    // CI fetches a branch its narrow clone lacks; a local check (a push) asks only what is here.
    const fetch = scope.mode !== 'local';
    const onBranch = (c: string, b: string) => {
      if (fetch && remote && isOnBranch(root, c, b, remote) === undefined) {
        try {
          ensureRemoteBranch(root, remote, b, () => {});
        } catch {
          // the rule reports the branch as missing
        }
      }
      return isOnBranch(root, c, b, remote);
    };
    findings.push(...tagNameRule(name, commit, policy, onBranch).map(refFinding(name)));
  }
  if (scope.changed)
    findings.push(
      ...policyChangeRule(scope.changed, policy, scope.mode === 'jenkins-pr' ? "the target branch's policy judged this change" : ''),
    );
  if (scope.commits && policy.rules.secrets !== 'off') {
    // A secret still present at the tip is already reported with its file position.
    const atTip = new Set(findings.filter((f) => f.hash).map((f) => `${f.file}|${f.hash}`));
    const history = await scanCommitsForSecrets(root, policy, scope.commits);
    findings.push(...history.filter((f) => !atTip.has(`${f.file}|${f.hash}`)));
  }
  // Once over everything, the secrets of the range's commits included. Only a check of every file
  // can tell that an entry matches nothing.
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const final = applyAllowlist(
    findings,
    policy.suppressions,
    today,
    !scope.paths && !scope.push,
    suppressionLocator(root, scope.policySource),
  );
  return {
    findings: sortFindings(final),
    filesChecked: result.filesChecked,
    notices,
    ...(result.cached !== undefined ? { cached: result.cached } : {}),
  };
}

function readVersionFile(root: string, scope: Scope, policy: Policy): string | undefined {
  const file = policy.versioning.source;
  const src = scope.source;
  if (src.type === 'commit') return readAt(root, src.rev, file);
  if (src.type === 'index') return readAt(root, '', file);
  try {
    return readFileSync(join(root, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** Where each allowlist entry is in the policy file in force; the file is read only when asked. */
function suppressionLocator(root: string, source: SnapshotSource): EntryLocator {
  let parsed: ReturnType<typeof readYaml> | undefined;
  return (index) => {
    parsed ??= readYaml(readPolicyText(root, source) ?? '', OWN_YAML_OPTIONS);
    return { file: POLICY_FILE, ...locate(parsed.doc, parsed.lineCounter, ['suppressions', String(index)]) };
  };
}

/**
 * Is `commit` on `branch` (local, or its remote-tracking twin on `remote`, where CI fetches it)?
 * Undefined when neither exists.
 */
export function isOnBranch(root: string, commit: string, branch: string, remote = 'origin'): boolean | undefined {
  for (const ref of [`refs/heads/${branch}`, `refs/remotes/${remote}/${branch}`]) {
    if (revParse(root, ref)) return isAncestor(root, commit, ref);
  }
  return undefined;
}

/** A tag build's files must carry the tenant of the tag's environment. */
function tagEnvironmentBranch(tag: string, policy: Policy): BranchInfo | undefined {
  const info = classifyTag(tag, policy);
  return info ? classifyBranch(branchFor(info.env, info.env.branch.includes('{version}') ? info.version : undefined), policy) : undefined;
}

/**
 * What a plain server-side merge (a web UI's merge button, which ignores merge drivers) of the
 * head into the target would put in each tenant-scoped file. If that is not the target's tenant,
 * the pull request must be merged with `wxo-policy promote` instead.
 */
async function serverMergeLeaks(
  root: string,
  merge: { targetRev: string; head: string },
  source: string,
  target: Extract<BranchInfo, { kind: 'environment' }>,
  policy: Policy,
): Promise<Finding[]> {
  const result = git(root, ['merge-tree', '--write-tree', '--no-messages', merge.targetRev, merge.head], { allowFailure: true });
  const tree = result.stdout.split('\n')[0]?.trim();
  // Exit 0 (clean) and 1 (conflicts) both print the merged tree. Anything else leaves the leak
  // unjudged: fail closed (exit 2), never pass.
  if ((result.status !== 0 && result.status !== 1) || !tree || !/^[0-9a-f]{40,64}$/.test(tree)) {
    throw serverMergeError(root, source, target.name, result.stderr);
  }
  const leaks = await tenantBindingAt(root, tree, target, policy);
  return leaks.map((f) => ({
    ...f,
    message: `a plain server-side merge of ${source} into ${target.name} (a web UI merge ignores merge drivers) would give ${f.file} the wrong tenant: ${f.message}`,
    hint: `Do not use the merge button: run \`wxo-policy promote ${target.env.name}\` on ${source} and push ${target.name} (it keeps ${target.name}'s tenant files).`,
  }));
}

/** Why the server-side merge could not be computed, and what to do about it. */
function serverMergeError(root: string, source: string, target: string, stderr: string): EnvError {
  // git before 2.38 knows only the old merge-tree, which rejects --write-tree with its usage text.
  if (/usage: git merge-tree|unknown option|write-tree/.test(stderr)) {
    const version = git(root, ['--version'], { allowFailure: true }).stdout.trim() || 'git of unknown version';
    return new EnvError(messages.serverMergeUnsupported(source, target, version), messages.serverMergeHint);
  }
  return new EnvError(messages.serverMergeFailed(source, target, stderr.trim().split('\n').pop() ?? ''), messages.serverMergeHint);
}

/**
 * A commit that stages a policy change is judged by the committed policy and by the staged one:
 * the findings of both, so that weakening the policy lets nothing through and tightening it
 * applies at once. Without a staged policy, checkScope.
 */
export async function checkScopeStrictest(
  root: string,
  scope: Scope,
  policy: Policy,
  stagedPolicy: Policy | undefined,
  options: CheckScopeOptions = {},
): Promise<ScopeResult> {
  const committed = await checkScope(root, scope, policy, options);
  if (!stagedPolicy) return committed;
  const staged = await checkScope(root, scope, stagedPolicy, options);
  const key = (f: Finding) => `${f.rule}|${f.file ?? ''}|${f.ref ?? ''}|${f.line ?? ''}|${f.column ?? ''}|${f.message}`;
  const seen = new Set(committed.findings.map(key));
  return {
    ...committed,
    findings: [...committed.findings, ...staged.findings.filter((f) => !f.suppressed && !seen.has(key(f)))],
    notices: [...new Set([...committed.notices, ...staged.notices])],
  };
}
