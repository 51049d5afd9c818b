import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { checkScopeStrictest } from '../checks/checkScope.js';
import { resolveScope } from '../checks/scope.js';
import { colorsFor, err, type ConsoleIO } from '../report/console.js';
import { revParse, stagedChanges } from '../git/queries.js';
import type { Repo } from '../git/resolveRepo.js';
import { headBranch, headCommit } from '../merge/situation.js';
import { messages } from '../messages.js';
import { classifyBranch } from '../policy/environments.js';
import { loadPolicyAt } from '../snapshot/loadPolicy.js';
import { POLICY_FILE, type Policy } from '../policy/model.js';
import { commitVerdict } from './protect.js';
import { formatText } from '../report/text.js';
import { summarize } from '../report/summary.js';
import { findLintStagedConfig } from '../setup/lintStaged.js';
import { EXIT } from '../errors.js';

/**
 * pre-commit: refuses direct commits on protected environment branches, judges exactly what the
 * commit will contain (the index, never the working tree — nothing is stashed or rewritten), then
 * hands over to lint-staged for the user's own linters when the repository configures any.
 */
export async function preCommit(ctx: ConsoleIO, repo: Repo): Promise<number> {
  const c = colorsFor(ctx, 'stderr');
  // Read from the git dir: every commit pays for this hook.
  const branch = headBranch(repo.gitDir);
  const head = headCommit(repo) ?? revParse(repo.root, 'HEAD');
  // The committed policy (HEAD's) judges the commit, not the one it stages (see resolveScope).
  const policy = await loadPolicyAt(repo.root, head ? { type: 'commit', rev: head } : { type: 'index' }, { cacheDir: repo.commonDir });
  // The first commit of a repository has to land on some branch.
  if (branch && head) {
    const info = classifyBranch(branch, policy);
    const verdict = commitVerdict(info, policy, {
      merging: existsSync(join(repo.gitDir, 'MERGE_HEAD')),
      reverting: existsSync(join(repo.gitDir, 'REVERT_HEAD')),
    });
    if (verdict !== 'allowed' && info.kind === 'environment') {
      const [refusal, hint] =
        verdict === 'direct-commit'
          ? [
              messages.protectedBranch(branch, info.env.name),
              messages.protectedBranchHint(branch, branchToStartFrom(info.env.name, policy)),
            ]
          : [messages.protectedMerge(branch, info.env.name), messages.protectedMergeHint];
      err(ctx, `${c.red('✖')} ${refusal}\n  ${hint}\n  ${c.dim(messages.bypass('git commit'))}`);
      // Someone loosening the branch rules in this very commit needs to know why it did not count.
      if (stagedChanges(repo.root, head).some((change) => change.path === POLICY_FILE))
        err(ctx, c.dim(`wxo-policy: ${messages.stagedPolicyNotApplied}`));
      return EXIT.findings;
    }
  }

  const scope = resolveScope(repo.root, { staged: true, head: head ?? null, ...(branch ? { branch } : {}) }, ctx.env);
  for (const note of scope.notes) if (note === messages.stagedPolicyNotApplied) err(ctx, c.dim(`wxo-policy: ${note}`));
  // Threads start only for big pieces of work (MIN_FILES_FOR_WORKERS): the facts of a whole
  // repository when the cache is cold (the first commit in a fresh clone), never for ten files.
  const stagedPolicy = scope.stagedPolicySource
    ? await loadPolicyAt(repo.root, scope.stagedPolicySource, { cacheDir: repo.commonDir })
    : undefined;
  const result = await checkScopeStrictest(repo.root, scope, policy, stagedPolicy, {
    jobs: Math.min(4, availableParallelism()),
    cacheDir: repo.commonDir,
    gitDir: repo.gitDir,
    warmFactsCache: true,
  });
  // The commit is refused before it exists: a staged secret is not in the history.
  const findings = result.findings.map((f) => (f.rule === 'secrets' && !f.commit ? { ...f, hint: messages.situational.secretStaged } : f));
  const summary = summarize(findings, result.filesChecked);
  if (summary.errors > 0 || summary.warnings > 0) err(ctx, formatText(findings, summary, c).trimEnd());
  if (summary.errors > 0) {
    err(ctx, `${c.red('✖')} ${messages.commitRefused}\n  ${c.dim(messages.bypass('git commit'))}`);
    return EXIT.findings;
  }
  return runLintStaged(ctx, repo.root);
}

/** lint-staged runs only when the repository configures tasks (init's config has none). */
async function runLintStaged(ctx: ConsoleIO, root: string): Promise<number> {
  if (!findLintStagedConfig(root)?.tasks) return EXIT.ok;
  const { default: lintStaged } = (await import('lint-staged')) as unknown as { default: (options: object) => Promise<boolean> };
  const cwd = process.cwd();
  try {
    process.chdir(root);
    const ok = await lintStaged({ cwd: root });
    if (!ok) err(ctx, messages.lintStagedFailed);
    return ok ? EXIT.ok : EXIT.findings;
  } finally {
    process.chdir(cwd);
  }
}

/**
 * Where work for an environment starts, from the policy's promotion edges: a branch glob that may
 * be merged into it (feature/* for dev, hotfix/* for prod), else the environments it is promoted
 * from (qa, staging). A hint that names feature/* for main would be refused later.
 */
function branchToStartFrom(env: string, policy: Policy): { glob: string } | { environments: string[] } | undefined {
  const edges = policy.promotions.filter((e) => e.to === env);
  const envNames = new Set(policy.environments.map((e) => e.name));
  const glob = edges.find((e) => !envNames.has(e.from) && e.from.endsWith('/*'));
  if (glob) return { glob: glob.from };
  const from = edges.filter((e) => envNames.has(e.from)).map((e) => e.from);
  return from.length ? { environments: from } : undefined;
}
