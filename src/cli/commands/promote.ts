import { resolveRepo } from '../../git/resolveRepo.js';
import { promote } from '../../merge/promote.js';
import { parseCommandArgs } from '../args.js';
import type { CliContext } from '../context.js';

export const summary = 'promote the checked-out environment branch into the next one (--no-ff, target tenant files kept)';
export const usage = `wxo-policy promote [<environment>] [--push] [--remote NAME]

  Run on an environment branch (develop, qa-X.Y.Z, staging-X.Y.Z, main). Promotes into the next
  environment (develop → qa-X → staging-X → main; X from the branch name or the VERSION file), or
  into <environment> when given (e.g. a back-merge: on main, \`wxo-policy promote dev\`).
  Creates the target branch from the right base when missing (staging-X from main, so it starts
  with the prod tenant files), merges with --no-ff --no-commit, puts the target's tenant files
  back, commits, verifies tenant-binding, and shows the resources promoted and the diffstat.
  Leaves you on the target branch. Refuses (exit 1) on a dirty tree, a path the policy does not
  allow, or merge conflicts (the merge is then left in progress for you to resolve or abort).

  --push          push the target branch afterwards
  --remote NAME   remote for existing target branches and --push (default: origin)`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { push: { type: 'boolean' }, remote: { type: 'string' } }, usage);
  const repo = resolveRepo(ctx.cwd);
  return promote(ctx, repo, {
    ...(positionals[0] ? { target: positionals[0] } : {}),
    push: Boolean(values.push),
    remote: values.remote ?? 'origin',
  });
}
