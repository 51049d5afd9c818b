import { runMergeDriver } from '../../merge/driver.js';
import { err } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary = 'the wxo-tenant merge driver git calls for tenant-scoped files (registered by install)';
export const usage = `wxo-policy merge-driver %O %A %B %L %P [%X %Y]

  Called by git, not by people. On a \`git merge\` between environments of different tenants the
  result is the target branch's file; otherwise, and on any error, git's own 3-way text merge.
  Exit 0 merged cleanly, 1 conflict.`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  return runMergeDriver(args, { cwd: ctx.cwd, env: ctx.env, log: (line) => err(ctx, line) });
}
