import { resolveRepo } from '../../git/resolveRepo.js';
import { diagnose } from '../../setup/doctor.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, out } from '../../report/console.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../../errors.js';

export const summary = 'diagnose hooks, merge driver, attributes, git, node, orchestrate CLI, policy and CI checkout';
export const usage = `wxo-policy doctor

  One line per check: ok, warning or problem, with the fix. Exit 1 when there is a problem.`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  parseCommandArgs(args, {}, usage, false);
  const repo = resolveRepo(ctx.cwd);
  const c = colorsFor(ctx);
  const results = await diagnose(repo, ctx.env);
  const label = { ok: c.green('ok     '), warning: c.yellow('warning'), problem: c.red('problem') };
  for (const d of results) out(ctx, `${label[d.status]}  ${d.check}: ${d.detail}${d.fix ? `\n         ${c.dim(`fix: ${d.fix}`)}` : ''}`);
  const problems = results.filter((d) => d.status === 'problem').length;
  out(ctx, problems ? c.red(`\n${problems} problem${problems === 1 ? '' : 's'} found`) : c.green('\nall good'));
  return problems ? EXIT.findings : EXIT.ok;
}
