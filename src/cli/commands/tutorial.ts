import { runTutorial } from '../../governance/tutorial.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, out } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary = 'a hands-on exercise in a throw-away sandbox: commit, a refused secret, promote, deploy, roll back';
export const usage = `wxo-policy tutorial [--scripted] [--dir DIR] [--keep]

  Builds a sandbox (a repository with the default policy and the hooks, a bare origin, the
  orchestrate stand-in, made-up API keys) and walks through the versioned branch workflow step by
  step; each step is checked in git before the next one.

  --scripted   do every step automatically (a demonstration, and the tutorial's own test)
  --dir DIR    build the sandbox there (kept afterwards) instead of a temporary directory
  --keep       keep the temporary sandbox`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { scripted: { type: 'boolean' }, dir: { type: 'string' }, keep: { type: 'boolean' } },
    usage,
    false,
  );
  return runTutorial({
    ...(values.dir ? { dir: values.dir } : {}),
    scripted: values.scripted === true,
    keep: values.keep === true,
    input: ctx.stdin,
    out: (t) => out(ctx, t),
    colors: colorsFor(ctx),
  });
}
