import { resolveRepo } from '../../git/resolveRepo.js';
import { messages } from '../../messages.js';
import { install } from '../../setup/install.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../../errors.js';

export const summary = 'register the merge driver in this clone and activate the hooks (run by `prepare`)';
export const usage = `wxo-policy install [--verbose]

  Registers the wxo-tenant merge driver in this clone's git config (with a launcher that needs no
  npx and no network) and activates the .husky/ hooks in every worktree. Idempotent; silent when all is in place.
  HUSKY=0 or CI=true: the hooks are left alone (the driver is still registered).

  -v, --verbose    say what is in place when nothing changed`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(args, { verbose: { type: 'boolean', short: 'v' } }, usage, false);
  const repo = resolveRepo(ctx.cwd);
  const report = await install(repo, ctx.env);
  const c = colorsFor(ctx);
  for (const line of report.changed) out(ctx, `wxo-policy: ${line}`);
  for (const note of report.notes) err(ctx, c.dim(`wxo-policy: ${note}`));
  if (values.verbose && report.changed.length === 0) out(ctx, messages.install.unchanged(report.hooks));
  return EXIT.ok;
}
