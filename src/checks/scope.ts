import { ensureCommit, ensureMergeBase, ensureRemoteBranch } from '../ci/ensureRefs.js';
import { isJenkins, readJenkinsBuild } from '../ci/jenkins.js';
import { EnvError, UsageError } from '../errors.js';
import {
  baseEntriesOf,
  currentBranch,
  diffCommits,
  isAncestor,
  mergeBase,
  parents,
  revParse,
  stagedChanges,
  type Change,
} from '../git/queries.js';
import { messages } from '../messages.js';
import { readPolicyText } from '../snapshot/policyCache.js';
import type { SnapshotEntry, SnapshotSource } from '../snapshot/snapshot.js';
import { POLICY_FILE } from '../policy/model.js';

/** The command line's say in what a `check` run judges. */
export interface ScopeOptions {
  all?: boolean | undefined;
  staged?: boolean | undefined;
  range?: string | undefined;
  since?: string | undefined;
  paths?: string[] | undefined;
  branch?: string | undefined;
  target?: string | undefined;
  ci?: boolean | undefined;
  remote?: string | undefined;
  /** HEAD's commit when the caller already knows it (undefined: none yet); saves a git call. */
  head?: string | null;
}

export interface Scope {
  /** One line for humans: what is checked. */
  label: string;
  mode: 'local' | 'jenkins-branch' | 'jenkins-pr' | 'jenkins-tag';
  source: SnapshotSource;
  /** Files to judge (added or modified); undefined: the whole snapshot. */
  paths?: string[];
  /** Every path the change touched, deletions included (policy-change, references). */
  changed?: string[];
  /** The commit the change was made on: what it removed or renamed is looked up there. */
  base?: string;
  /** The regular files of `changed` at `base`, with their blob ids (the diff gave them). */
  baseEntries?: SnapshotEntry[];
  /** Commits whose added lines are scanned for secrets (git rev-list arguments). */
  commits?: string[];
  /** The branch the change is on: branch-name, version-consistency. */
  branch?: string;
  /** The branch whose tenant the snapshot must carry (tenant-binding). */
  tenantBranch?: string;
  /** Merge target: promotion-path; its policy is the one in force. */
  target?: string;
  tag?: { name: string; commit: string };
  /**
   * The merge a server would make (web-UI merges ignore merge drivers): the target's commit and
   * the head to merge into it. Checked when the merge crosses tenants.
   */
  serverMerge?: { targetRev: string; head: string };
  /**
   * A pushed ref (pre-push): no file is judged as such (pre-commit and CI do); the tip's tenant-
   * scoped files must carry `branch`'s tenant, and each branch in `merged` (the sources of the
   * merges the push brings to `branch`) must be a promotion path to it.
   */
  push?: { tip: string; merged: string[] };
  /** Where the policy in force is read from. */
  policySource: SnapshotSource;
  /** A staged change of the policy: it judges the commit too (see checkScopeStrictest). */
  stagedPolicySource?: SnapshotSource;
  /** What was detected and fetched, printed so a CI log shows what the verdict is based on. */
  notes: string[];
}

/**
 * What a `check` run judges, worked out from the options, the repository and — in Jenkins — the
 * build variables. Resolving a scope may fetch refs a narrow CI clone lacks; it never guesses:
 * a range it cannot establish is an error (exit 2), never an empty range that passes.
 */
export function resolveScope(root: string, opts: ScopeOptions, env: NodeJS.ProcessEnv): Scope {
  const explicit = [opts.all, opts.staged, opts.range !== undefined, opts.since !== undefined, (opts.paths?.length ?? 0) > 0].filter(
    Boolean,
  ).length;
  if (explicit > 1) throw new UsageError(m.oneScope);
  const ci = opts.ci || isJenkins(env);
  if (ci && !opts.staged && !opts.paths?.length) return resolveJenkinsScope(root, opts, env);
  return resolveLocalScope(root, opts);
}

const m = messages.scope;

const addedOrModified = (changes: Change[]) => changes.filter((c) => c.status !== 'D').map((c) => c.path);

function resolveLocalScope(root: string, opts: ScopeOptions): Scope {
  const branch = opts.branch ?? currentBranch(root);
  const notes: string[] = [];
  if (!branch) notes.push(m.detachedNoBranch);
  const withTarget = (scope: Scope): Scope => {
    if (!opts.target) return scope;
    const targetRev = revParse(root, opts.target);
    if (!targetRev) throw new UsageError(m.noSuchTarget(opts.target));
    const head = scope.source.type === 'commit' ? scope.source.rev : revParse(root, 'HEAD');
    const policySource = bootstrapPolicySource(root, targetRev, scope.policySource);
    notes.push(
      policySource.type === 'commit' && policySource.rev === targetRev
        ? m.targetPolicyApplies(opts.target)
        : messages.bootstrap.policyOfChange(opts.target),
    );
    return { ...scope, target: opts.target, policySource, ...(head ? { serverMerge: { targetRev, head } } : {}) };
  };
  if (opts.staged) {
    const head = opts.head === undefined ? revParse(root, 'HEAD') : (opts.head ?? undefined);
    const changes = stagedChanges(root, head);
    // Before the first commit nothing "changes": every file is new.
    const changed = head ? { changed: changes.map((c) => c.path), base: head, baseEntries: baseEntriesOf(changes) } : {};
    // The committed policy judges a commit: one that weakens the policy and adds a secret must not
    // pass by its own rules. A staged policy judges it as well (a stricter one applies at once).
    const policyStaged = Boolean(head) && changes.some((c) => c.path === POLICY_FILE);
    if (policyStaged) notes.push(messages.stagedPolicyNotApplied);
    const policySource: SnapshotSource = head ? { type: 'commit', rev: head } : { type: 'index' };
    return withTarget({
      label: 'staged changes',
      mode: 'local',
      source: { type: 'index' },
      paths: addedOrModified(changes),
      ...changed,
      ...branchFields(branch),
      policySource,
      ...(policyStaged ? { stagedPolicySource: { type: 'index' } as SnapshotSource } : {}),
      notes,
    });
  }
  if (opts.range !== undefined || opts.since !== undefined) {
    const [from, to] = opts.range !== undefined ? splitRange(opts.range) : [opts.since!, 'HEAD'];
    const head = revParse(root, to);
    const base = revParse(root, from);
    if (!head) throw new UsageError(m.unknownRevision(to));
    if (!base) throw new UsageError(m.unknownRevision(from));
    const mb = mergeBase(root, base, head) ?? base;
    const changes = diffCommits(root, mb, head);
    const onBranch = to === 'HEAD' ? branch : (opts.branch ?? (revParse(root, `refs/heads/${to}`) ? to : undefined));
    notes.push(m.rangeNote(from, to, short(base), short(head)));
    return withTarget({
      label: m.rangeLabel(from, to),
      mode: 'local',
      source: { type: 'commit', rev: head },
      paths: addedOrModified(changes),
      changed: changes.map((c) => c.path),
      base: mb,
      baseEntries: baseEntriesOf(changes),
      commits: [head, '--not', base],
      ...branchFields(onBranch),
      policySource: { type: 'commit', rev: head },
      notes,
    });
  }
  if (opts.all) {
    const head = revParse(root, 'HEAD');
    const source: SnapshotSource = head ? { type: 'commit', rev: head } : { type: 'index' };
    if (!head) notes.push(m.noCommitYet);
    return withTarget({
      label: head ? m.allAtHead : m.allInIndex,
      mode: 'local',
      source,
      ...branchFields(branch),
      policySource: source,
      notes,
    });
  }
  return withTarget({
    label: m.pathsLabel(opts.paths!.length),
    mode: 'local',
    source: { type: 'worktree' },
    paths: opts.paths!,
    ...branchFields(branch),
    policySource: { type: 'worktree' },
    notes,
  });
}

function branchFields(branch: string | undefined): Pick<Scope, 'branch' | 'tenantBranch'> {
  return branch === undefined ? {} : { branch, tenantBranch: branch };
}

function resolveJenkinsScope(root: string, opts: ScopeOptions, env: NodeJS.ProcessEnv): Scope {
  const remote = opts.remote ?? 'origin';
  const notes: string[] = [];
  const log = (m: string) => notes.push(m);
  const build = readJenkinsBuild(env);
  if ('error' in build) {
    throw new EnvError(m.ciMode(build.error), m.ciModeHint);
  }
  const head = revParse(root, 'HEAD');
  if (!head) throw new EnvError(m.ciMode(m.headNotACommit));

  if (build.kind === 'pr') {
    const source = opts.branch ?? build.source;
    const target = opts.target ?? build.target;
    const targetRef = ensureRemoteBranch(root, remote, target, log);
    const refspecs = [`+refs/heads/${target}:${targetRef}`];
    const base = ensureMergeBase(root, remote, 'HEAD', targetRef, refspecs, log);
    // Jenkins' "merge" strategy builds a synthetic merge of the PR into the target: its first
    // parent is on the target, and its tree is what the target would hold after the merge.
    const ps = parents(root, head);
    const prRef = revParse(root, `refs/remotes/${remote}/${build.label}`);
    const synthetic = prRef
      ? prRef !== head && ps.length === 2 && ps[1] === prRef
      : ps.length === 2 && isAncestor(root, ps[0]!, targetRef) && !isAncestor(root, ps[1]!, targetRef);
    const changes = diffCommits(root, base, head);
    const targetTip = revParse(root, targetRef)!;
    const policySource = bootstrapPolicySource(root, targetTip, { type: 'commit', rev: head });
    const bootstrapped = !(policySource.type === 'commit' && policySource.rev === targetTip);
    notes.unshift(
      m.jenkinsPr(
        build.label,
        source,
        target,
        `${short(base)}..${short(head)}`,
        synthetic,
        bootstrapped ? messages.bootstrap.policyOfChange(`${remote}/${target}`) : m.policyFrom(`${remote}/${target}`),
      ),
    );
    return {
      label: m.prLabel(build.label, source, target),
      mode: 'jenkins-pr',
      source: { type: 'commit', rev: head },
      paths: addedOrModified(changes),
      changed: changes.map((c) => c.path),
      base,
      baseEntries: baseEntriesOf(changes),
      commits: [head, '--not', targetTip],
      branch: source,
      tenantBranch: synthetic ? target : source,
      target,
      ...(synthetic ? {} : { serverMerge: { targetRev: revParse(root, targetRef)!, head } }),
      policySource,
      notes,
    };
  }
  if (build.kind === 'tag') {
    const tagCommit = revParse(root, `refs/tags/${build.tag}`) ?? head;
    notes.unshift(m.jenkinsTag(build.tag, short(tagCommit)));
    return {
      label: m.tagLabel(build.tag),
      mode: 'jenkins-tag',
      source: { type: 'commit', rev: head },
      tag: { name: build.tag, commit: tagCommit },
      policySource: { type: 'commit', rev: head },
      notes,
    };
  }
  const branch = opts.branch ?? build.branch;
  if (opts.since !== undefined || opts.range !== undefined) {
    const [from] = opts.range !== undefined ? splitRange(opts.range) : [opts.since!];
    ensureCommit(root, remote, from, log);
    ensureMergeBase(root, remote, from, 'HEAD', [`+refs/heads/${branch}:refs/remotes/${remote}/${branch}`], log);
    const changes = diffCommits(root, from, head);
    notes.unshift(m.jenkinsBranchRange(branch, `${short(from)}..${short(head)}`));
    return {
      label: m.branchSinceLabel(branch, short(from)),
      mode: 'jenkins-branch',
      source: { type: 'commit', rev: head },
      paths: addedOrModified(changes),
      changed: changes.map((c) => c.path),
      base: revParse(root, from) ?? from,
      baseEntries: baseEntriesOf(changes),
      commits: [head, '--not', from],
      branch,
      tenantBranch: branch,
      policySource: { type: 'commit', rev: head },
      notes,
    };
  }
  notes.unshift(m.jenkinsBranchAll(branch, short(head)));
  return {
    label: m.branchLabel(branch),
    mode: 'jenkins-branch',
    source: { type: 'commit', rev: head },
    branch,
    tenantBranch: branch,
    policySource: { type: 'commit', rev: head },
    notes,
  };
}

/**
 * The bootstrap rule: the target's policy judges a change — unless the target has no policy file
 * yet (the change is the adoption of wxo-policy): then the policy the change introduces applies,
 * not the built-in default the target never agreed to.
 */
function bootstrapPolicySource(root: string, targetRev: string, changeSource: SnapshotSource): SnapshotSource {
  if (readPolicyText(root, { type: 'commit', rev: targetRev }) !== undefined) return { type: 'commit', rev: targetRev };
  return readPolicyText(root, changeSource) !== undefined ? changeSource : { type: 'commit', rev: targetRev };
}

export function splitRange(range: string): [string, string] {
  const match = /^(.*?)\.\.\.?(.*)$/.exec(range);
  if (!match || !match[1]) throw new UsageError(m.badRange(range));
  return [match[1], match[2] || 'HEAD'];
}

const short = (sha: string) => (/^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 12) : sha);
