import { existsSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { runChecks } from '../../checks/runChecks.js';
import { UsageError } from '../../errors.js';
import { git, splitZ } from '../../git/git.js';
import { findRepo } from '../../git/resolveRepo.js';
import { messages } from '../../messages.js';
import { loadPolicyAt } from '../../policy/policySource.js';
import { formatJson, formatJunit, formatSarif, type ReportMeta } from '../../report/machine.js';
import { exitCodeOf, summarize } from '../../report/summary.js';
import { formatText } from '../../report/text.js';
import type { SnapshotEntry, SnapshotSource } from '../../snapshot/snapshot.js';
import { intOption, parseCommandArgs } from '../args.js';
import { colorsFor, err, out, type CliContext } from '../context.js';

export const summary = 'check files against the policy (YAML, schemas, references, secrets, …)';
export const usage = `wxo-policy check [--all | PATH…] [--format text|json|junit|sarif] [--output FILE] [--jobs N]

  --all            every tracked file at HEAD
  PATH…            these files (or directories) as they are in the working tree
  --format F       report format: text (default), json, junit, sarif
  --output FILE    write the report to FILE; the text report still goes to the terminal
  --jobs N         worker threads for big checks (default: number of cores)`;

const FORMATS = ['text', 'json', 'junit', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      all: { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      jobs: { type: 'string', short: 'j' },
    },
    usage,
  );
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format "${values.format}"`, `formats: ${FORMATS.join(', ')}`);
  if (values.all && positionals.length) throw new UsageError('--all and paths are mutually exclusive', `usage: ${usage}`);
  if (!values.all && positionals.length === 0) throw new UsageError('nothing to check: give --all or paths', `usage: ${usage}`);
  const jobs = intOption(values.jobs, 'jobs', 0) ?? Math.min(4, availableParallelism());

  const repo = findRepo(ctx.cwd);
  const root = repo?.root ?? ctx.cwd;
  let source: SnapshotSource;
  let paths: string[] | undefined;
  let extraEntries: SnapshotEntry[] = [];
  let scope: string;
  if (values.all) {
    if (!repo) throw new UsageError(messages.notARepo(ctx.cwd), messages.notARepoHint);
    const head = git(root, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { allowFailure: true });
    source = head.status === 0 ? { type: 'commit', rev: head.stdout.trim() } : { type: 'index' };
    scope = head.status === 0 ? 'all files at HEAD' : 'all files in the index (no commit yet)';
  } else {
    source = { type: 'worktree' };
    ({ paths, extraEntries } = resolvePaths(positionals, ctx.cwd, root, Boolean(repo)));
    scope = `${paths.length} path(s) in the working tree`;
  }

  const policy = loadPolicyAt(root, repo ? source : { type: 'worktree' }, (note) => err(ctx, note));
  const result = await runChecks({ root, policy, source, paths, extraEntries, jobs });
  const sum = summarize(result.findings, result.filesChecked);
  const meta: ReportMeta = { scope };

  const text = formatText(result.findings, sum, colorsFor(ctx));
  const report = format === 'text' ? text : format === 'json' ? formatJson(result.findings, sum, meta) : format === 'junit' ? formatJunit(result.findings, meta) : formatSarif(result.findings, meta);
  if (values.output) {
    writeFileSync(resolve(ctx.cwd, values.output), format === 'text' ? formatText(result.findings, sum, colorsFor({ ...ctx, env: { NO_COLOR: '1' } })) : report);
    out(ctx, text);
  } else {
    out(ctx, report);
  }
  return exitCodeOf(sum);
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
    if (rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`${input} is outside the repository ${root}`);
    if (statSync(abs).isDirectory()) {
      if (!inRepo) throw new UsageError(`${input} is a directory; outside a git repository give files`);
      const listed = git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', rel || '.']).stdout;
      paths.push(...splitZ(listed));
    } else {
      paths.push(rel);
    }
  }
  const unique = [...new Set(paths)];
  // Untracked files are not in git's listing: add them as extra entries of the working tree.
  const tracked = inRepo ? new Set(splitZ(git(root, ['ls-files', '-z', '--', ...unique.map((p) => `:(literal)${p}`)]).stdout)) : new Set<string>();
  return { paths: unique, extraEntries: unique.filter((p) => !tracked.has(p)).map((path) => ({ path })) };
}
