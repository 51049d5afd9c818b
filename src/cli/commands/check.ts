import { existsSync, mkdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { HUGE_CHECK, MIN_FILES_FOR_WORKERS } from '../../checks/analyzeMany.js';
import { checkScopeStrictest } from '../../checks/checkScope.js';
import { resolveCacheDir } from '../../checks/resultCache.js';
import { resolveScope, type Scope } from '../../checks/scope.js';
import { isJenkins } from '../../ci/jenkins.js';
import { UsageError } from '../../errors.js';
import { writeReportFile } from '../../fs/writeReport.js';
import { git, gitInBackground, splitZ } from '../../git/git.js';
import { findRepo } from '../../git/resolveRepo.js';
import { messages } from '../../messages.js';
import { loadPolicyAt } from '../../snapshot/loadPolicy.js';
import { formatJson, formatJunit, formatSarif, type ReportMeta } from '../../report/machine.js';
import { exitCodeOf, summarize } from '../../report/summary.js';
import { formatText } from '../../report/text.js';
import type { SnapshotEntry } from '../../snapshot/snapshot.js';
import { intOption, parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary = 'check files and refs against the policy (YAML, schemas, references, secrets, branches, …)';
export const usage = `wxo-policy check [--all | --staged | --range A..B | --since REV | PATH…] [options]

scopes:
  -a, --all        every tracked file at HEAD (what CI judges), plus the rules of the current branch
  -w, --worktree   with --all (or alone): the work tree instead — tracked and new files as they
                   are on disk, uncommitted edits included, with the work tree's policy
  -s, --staged     exactly what the next commit contains (the index, not the working tree)
  --range A..B     files changed in A..B, checked at B; secrets in every commit of the range
  --since REV      same as --range REV..HEAD
  PATH…            these files (or directories) as they are in the working tree
refs:
  --branch NAME    the branch being checked (default: the checked-out branch; Jenkins: BRANCH_NAME)
  --target NAME    the branch it merges into: promotion-path, and the target's policy applies
  --ci             Jenkins multibranch mode (automatic when Jenkins variables are set)
  --remote NAME    remote to fetch missing refs from in CI (default: origin)
output:
  -f, --format F   text (default), json, junit, sarif
  -o, --output FILE  write the report to FILE (repeatable); the text report still goes to the
                   terminal. Without --format the extension decides: .xml junit, .sarif sarif,
                   .json json, anything else text
  -j, --jobs N     worker threads for big checks (default: number of cores, max 4)
  --cache-dir DIR  keep per-file results of committed files in DIR (outside the checkout) and
                   reuse them on the next run: for CI, a persistent directory per job`;

const FORMATS = ['text', 'json', 'junit', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      all: { type: 'boolean', short: 'a' },
      worktree: { type: 'boolean', short: 'w' },
      staged: { type: 'boolean', short: 's' },
      range: { type: 'string' },
      since: { type: 'string' },
      branch: { type: 'string' },
      target: { type: 'string' },
      ci: { type: 'boolean' },
      remote: { type: 'string' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o', multiple: true },
      jobs: { type: 'string', short: 'j' },
      'cache-dir': { type: 'string' },
    },
    usage,
  );
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(messages.formatNotKnown(String(values.format)), messages.formatsHint(FORMATS));
  const jobs = intOption(values.jobs, 'jobs', 0) ?? Math.min(4, availableParallelism());
  if (values.worktree && (values.staged || values.range !== undefined || values.since !== undefined || positionals.length))
    throw new UsageError(messages.judged.worktreeConflict, messages.usageOf(usage));
  const hasScope =
    values.all || values.worktree || values.staged || values.range !== undefined || values.since !== undefined || positionals.length > 0;
  const ci = Boolean(values.ci) || isJenkins(ctx.env);
  if (!hasScope && !ci) throw new UsageError(messages.nothingToCheck, messages.usageOf(usage));

  const repo = findRepo(ctx.cwd);
  if (!repo && !(positionals.length && !values.all && !values.staged))
    throw new UsageError(messages.notARepo(ctx.cwd), messages.notARepoHint);
  const root = repo?.root ?? ctx.cwd;
  // Every file of a big repository: worker threads load their modules while git and the policy are read.
  if (repo && values.all && !values.worktree && values['cache-dir'] === undefined && jobs > 1) {
    const { indexHasAtLeast, prestartWorkers } = await import('../../checks/workerPool.js');
    if (indexHasAtLeast(repo.gitDir, MIN_FILES_FOR_WORKERS)) prestartWorkers(jobs - 1, indexHasAtLeast(repo.gitDir, HUGE_CHECK));
  }
  let extraEntries: SnapshotEntry[] = [];
  let paths: string[] = [];
  if (positionals.length) ({ paths, extraEntries } = resolvePaths(positionals, ctx.cwd, root, Boolean(repo)));
  if (values.worktree && repo) ({ paths, extraEntries } = worktreeFiles(root));

  const resultCacheDir = values['cache-dir'] !== undefined ? resolveCacheDir(values['cache-dir'], ctx.cwd, repo?.root) : undefined;
  if (resultCacheDir) {
    try {
      mkdirSync(resultCacheDir, { recursive: true });
    } catch {
      // a cache that cannot be written costs speed, not the check
    }
  }

  const scope: Scope = repo
    ? resolveScope(
        root,
        {
          all: values.all && !values.worktree,
          staged: values.staged,
          range: values.range,
          since: values.since,
          paths,
          branch: values.branch,
          target: values.target,
          ci: values.ci,
          remote: values.remote,
        },
        ctx.env,
      )
    : {
        label: `${paths.length} path(s)`,
        mode: 'local',
        source: { type: 'worktree' },
        paths,
        policySource: { type: 'worktree' },
        notes: [],
      };
  if (values.worktree) scope.label = messages.judged.worktreeLabel;
  const c = colorsFor(ctx, 'stderr');
  for (const note of scope.notes) err(ctx, c.dim(`wxo-policy: ${note}`));
  // Asked in the background (git status reads the whole work tree), said once the check is done.
  const judgedCommit = scope.source.type === 'commit' ? scope.source.rev : undefined;
  const uncommitted =
    repo && values.all && !values.worktree && scope.mode === 'local' && judgedCommit ? hasUncommittedChanges(root) : undefined;

  const policy = await loadPolicyAt(root, scope.policySource, {
    notify: (note) => err(ctx, c.dim(`wxo-policy: ${note}`)),
    ...(repo ? { cacheDir: repo.commonDir } : {}),
  });
  const stagedPolicy = scope.stagedPolicySource
    ? await loadPolicyAt(root, scope.stagedPolicySource, { ...(repo ? { cacheDir: repo.commonDir } : {}) })
    : undefined;
  const result = await checkScopeStrictest(root, scope, policy, stagedPolicy, {
    jobs,
    extraEntries,
    // With --cache-dir, the facts of unchanged files live there too: a CI clone's git dir is new every build.
    ...(repo ? { cacheDir: resultCacheDir ?? repo.commonDir, gitDir: repo.gitDir } : { noRepository: true }),
    ...(resultCacheDir ? { resultCacheDir } : {}),
    // A local check may warm the facts cache in the background for the next one; CI does not.
    ...(scope.mode === 'local' ? (repo && !resultCacheDir ? { warmFactsCache: true } : {}) : { remote: values.remote ?? 'origin' }),
  });
  if (judgedCommit && (await uncommitted))
    err(ctx, c.yellow(`wxo-policy: ${messages.judged.uncommittedNotJudged(judgedCommit.slice(0, 12))}`));
  if (resultCacheDir && result.cached !== undefined)
    err(ctx, c.dim(`wxo-policy: ${messages.resultCacheUsed(result.cached, result.filesChecked, resultCacheDir)}`));
  for (const notice of result.notices) err(ctx, c.yellow(`wxo-policy: ${notice}`));
  const sum = summarize(result.findings, result.filesChecked);
  const meta: ReportMeta = {
    scope: scope.label,
    details: {
      mode: scope.mode,
      ...(scope.branch ? { branch: scope.branch } : {}),
      ...(scope.target ? { target: scope.target } : {}),
      ...(result.notices.length ? { notices: result.notices.join('; ') } : {}),
    },
  };

  const render = (f: Format, colored: boolean) =>
    f === 'json'
      ? formatJson(result.findings, sum, meta)
      : f === 'junit'
        ? formatJunit(result.findings, meta)
        : f === 'sarif'
          ? formatSarif(result.findings, meta)
          : formatText(result.findings, sum, colorsFor(colored ? ctx : { ...ctx, env: { NO_COLOR: '1' } }), judgedLabel(scope));
  const outputs = values.output ?? [];
  for (const file of outputs)
    writeReportFile(root, resolve(ctx.cwd, file), render(values.format ? format : formatOfFile(file), false), messages.reportUnwritable);
  out(ctx, render(outputs.length ? 'text' : format, true));
  return exitCodeOf(sum);
}

/** What the verdict is about, for the summary line: HEAD (with its commit), the index or the work tree. */
function judgedLabel(scope: Scope): string {
  return scope.source.type === 'commit' && scope.label === 'all files at HEAD'
    ? `${scope.label} (${scope.source.rev.slice(0, 12)})`
    : scope.label;
}

async function hasUncommittedChanges(root: string): Promise<boolean> {
  return (await gitInBackground(root, ['status', '--porcelain', '-z', '--untracked-files=normal'])).stdout.length > 0;
}

/** `--worktree`: tracked files still on disk, and new files git does not ignore (as extra entries). */
function worktreeFiles(root: string): { paths: string[]; extraEntries: SnapshotEntry[] } {
  const tracked = splitZ(git(root, ['ls-files', '-z', '--cached']).stdout).filter((p) => existsSync(resolve(root, p)));
  const untracked = splitZ(git(root, ['ls-files', '-z', '--others', '--exclude-standard']).stdout);
  return { paths: [...new Set([...tracked, ...untracked])], extraEntries: untracked.map((path) => ({ path })) };
}

function formatOfFile(file: string): Format {
  if (/\.xml$/i.test(file)) return 'junit';
  if (/\.sarif(\.json)?$/i.test(file)) return 'sarif';
  if (/\.json$/i.test(file)) return 'json';
  return 'text';
}

/**
 * Explicit paths: files as they are on disk, tracked or not; directories expand to the files git
 * would show in them. Outside a repository, paths are taken relative to the current directory.
 */
function resolvePaths(inputs: string[], cwd: string, root: string, inRepo: boolean): { paths: string[]; extraEntries: SnapshotEntry[] } {
  const paths: string[] = [];
  for (const input of inputs) {
    const abs = resolve(cwd, input);
    if (!existsSync(abs)) throw new UsageError(messages.pathNotFound(input));
    const rel = relative(root, abs).split('\\').join('/');
    if (rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(messages.pathOutside(input, root, inRepo));
    if (statSync(abs).isDirectory()) {
      if (!inRepo) throw new UsageError(messages.directoryOutsideRepo(input));
      const listed = git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', rel || '.']).stdout;
      paths.push(...splitZ(listed));
    } else {
      paths.push(rel);
    }
  }
  const unique = [...new Set(paths)];
  // Untracked files are not in git's listing: add them as extra entries of the working tree.
  const tracked = inRepo
    ? new Set(splitZ(git(root, ['ls-files', '-z', '--', ...unique.map((p) => `:(literal)${p}`)]).stdout))
    : new Set<string>();
  return { paths: unique, extraEntries: unique.filter((p) => !tracked.has(p)).map((path) => ({ path })) };
}
