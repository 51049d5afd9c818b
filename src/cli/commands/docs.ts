import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EXIT, EnvError, UsageError } from '../../errors.js';
import { safeWriteFile, UnsafePathError } from '../../fs/safeWrite.js';
import { revParse } from '../../git/queries.js';
import { resolveRepo } from '../../git/resolveRepo.js';
import { GENERATED_MARKER, generateDocs } from '../../governance/docs.js';
import { messages } from '../../messages.js';
import { loadPolicyAt } from '../../snapshot/loadPolicy.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary = 'runbooks, branch workflow, merge conflict strategy and rollback procedures, generated from the policy';
export const usage = `wxo-policy docs [--output DIR] [--check [--if-present]]

  Writes Markdown generated from wxo-policy.yaml (at HEAD): README.md, runbook-<tenant>.md per
  tenant, branch-workflow.md, merge-conflicts.md, rollback.md.

  -o, --output DIR   where (default docs/, inside the repository)
  --check            write nothing; exit 1 when the files there differ from what the policy
                     generates (a CI step keeps the committed docs true)
  --if-present       with --check: exit 0 when DIR holds no document wxo-policy generated (the
                     shipped Jenkinsfile runs \`docs --check --if-present\` on every build)`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { output: { type: 'string', short: 'o' }, check: { type: 'boolean' }, 'if-present': { type: 'boolean' } },
    usage,
    false,
  );
  const repo = resolveRepo(ctx.cwd);
  const dir = resolve(ctx.cwd, values.output ?? join(relative(ctx.cwd, repo.root) || '.', 'docs'));
  const rel = relative(repo.root, dir);
  if (rel.startsWith('..') || resolve(repo.root, rel) !== dir) throw new UsageError(messages.docs.outsideRepo(values.output ?? 'docs'));
  const head = revParse(repo.root, 'HEAD');
  const c = colorsFor(ctx);
  const policy = await loadPolicyAt(repo.root, head ? { type: 'commit', rev: head } : { type: 'worktree' }, {
    notify: (n) => err(ctx, colorsFor(ctx, 'stderr').dim(`wxo-policy: ${n}`)),
    cacheDir: repo.commonDir,
  });
  const files = generateDocs(policy);
  const shown = (p: string) => join(rel || '.', p);

  if (values['if-present'] && !values.check) throw new UsageError(messages.docs.ifPresentNeedsCheck, `usage: ${usage}`);
  if (values.check) {
    const stale: string[] = [];
    const committed = files.map((f) => {
      try {
        return readFileSync(join(dir, f.path), 'utf8');
      } catch {
        return undefined;
      }
    });
    // A repository that never generated its docs has nothing to keep true: the Jenkinsfile's step
    // passes there. One generated document (it carries the marker) makes every one required.
    if (values['if-present'] && !committed.some((text) => text?.includes(GENERATED_MARKER))) {
      out(ctx, c.dim(messages.docs.nonePresent(rel || '.')));
      return EXIT.ok;
    }
    files.forEach((f, i) => {
      const current = committed[i];
      if (current !== f.content) stale.push(`${current === undefined ? 'missing' : 'differs'}  ${shown(f.path)}`);
    });
    if (!stale.length) {
      out(ctx, c.green(messages.docs.upToDate(files.length, rel || '.')));
      return EXIT.ok;
    }
    out(ctx, c.red(messages.docs.stale(stale.length)));
    for (const s of stale) out(ctx, `  ${s}`);
    out(ctx, c.dim(messages.docs.staleHint(values.output ?? 'docs')));
    return EXIT.findings;
  }
  for (const f of files) {
    try {
      safeWriteFile(repo.root, join(rel, f.path), f.content);
    } catch (e) {
      if (e instanceof UnsafePathError) throw new EnvError(messages.protect.unsafeWrite(shown(f.path), e.reason));
      throw e;
    }
    out(ctx, `  wrote ${shown(f.path)}`);
  }
  out(ctx, messages.docs.written(files.length, rel || '.'));
  return EXIT.ok;
}
