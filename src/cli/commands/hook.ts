import { EXIT, UsageError } from '../../errors.js';
import { resolveRepo } from '../../git/resolveRepo.js';
import { messages } from '../../messages.js';
import { HOOK_NAMES, RETIRED_HOOKS } from '../../hooks/names.js';
import type { CliContext } from '../context.js';

export const summary = 'entry points the git hooks call (the files in .husky/ hand over to these)';
export const usage = `wxo-policy hook <${HOOK_NAMES.join('|')}> [git's hook arguments]

  pre-commit        refuse direct commits on protected environment branches; check the index
  pre-push          check every pushed ref (stdin: <local ref> <local sha> <remote ref> <remote sha>)
  pre-merge-commit  keep the target's tenant files when a merge crosses tenants
  post-merge        refuse/undo cross-tenant fast-forwards; show the deploy plan
  post-commit       catch hand-resolved cross-tenant merges; show the plan after a revert`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = args;
  if (name && RETIRED_HOOKS.includes(name)) return EXIT.ok; // a shim an older init wrote: nothing to do
  if (!name || !(HOOK_NAMES as readonly string[]).includes(name))
    throw new UsageError(name ? messages.unknownHook(name, HOOK_NAMES) : 'which hook?', messages.usageOf(usage));
  const repo = resolveRepo(ctx.cwd);
  switch (name) {
    case 'pre-commit': {
      const { preCommit } = await import('../../hooks/preCommit.js');
      return preCommit(ctx, repo);
    }
    case 'pre-push': {
      const { prePush } = await import('../../hooks/prePush.js');
      return prePush(ctx, repo, rest, await readAll(ctx.stdin));
    }
    case 'pre-merge-commit': {
      const { preMergeCommit } = await import('../../hooks/mergeGuards.js');
      return preMergeCommit(ctx, repo);
    }
    case 'post-merge': {
      const { postMerge } = await import('../../hooks/mergeGuards.js');
      return postMerge(ctx, repo, rest[0]);
    }
    case 'post-commit': {
      const { postCommit } = await import('../../hooks/postCommit.js');
      return postCommit(ctx, repo);
    }
    default:
      return EXIT.ok;
  }
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  if (stream.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
