import { UsageError } from '../../errors.js';
import { messages } from '../../messages.js';
import { runRollback } from '../../deploy/rollback.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary = 'revert the environment branch to a deploy tag (git revert), then show the plan that redeploys';
export const usage = `wxo-policy rollback --to <tag> [--reset]

Reverts every commit of the checked-out environment branch after <tag> (newest first; merges
with -m 1) with git revert, refusing on a dirty working tree. Nothing is pushed or deployed:
push the branch and the deploy redeploys the previous versions.

--reset moves the branch back to <tag> with git reset instead (where the policy allows it:
environments[].allow_reset, default draft stages only); the old head is kept under
refs/wxo-policy/before-reset/<branch>, and the push it prints is a --force-with-lease.`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(args, { to: { type: 'string' }, reset: { type: 'boolean' } }, usage, false);
  if (!values.to) throw new UsageError(messages.rollbackNeedsTo, messages.usageOf(usage));
  return runRollback(ctx.cwd, {
    to: values.to,
    reset: values.reset === true,
    vars: ctx.env,
    out: (t) => out(ctx, t),
    err: (t) => err(ctx, t),
    colors: colorsFor(ctx),
  });
}
