import { EXIT, UsageError } from '../../errors.js';
import { formatPlanText, planJson } from '../../deploy/format.js';
import { preparePlan } from '../../deploy/prepare.js';
import { resolveTarget } from '../../deploy/target.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary = 'show the deploy plan: the orchestrate calls that bring the environment to this commit';
export const usage = `wxo-policy plan [--env E] [--from REV] [--to REV] [--format text|json] [--exit-code]

  -e, --env E    environment (default: from the branch; Jenkins: BRANCH_NAME)
  --from REV     base where the environment has no reachable deploy tag yet (first deploy)
  --to REV       the commit to deploy (default: HEAD)
  -f, --format F text (default) or json
  --remote NAME  where CI fetches the deploy tags from (default: origin)
  --exit-code    exit 1 when the plan has changes (like git diff --exit-code)

The base is the environment's last deploy tag reachable from --to. Secrets are shown by name.`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      env: { type: 'string', short: 'e' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', short: 'f' },
      remote: { type: 'string' },
      'exit-code': { type: 'boolean' },
    },
    usage,
    false,
  );
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format "${format}"`, 'formats: text, json');
  const target = await resolveTarget(
    ctx.cwd,
    {
      ...(values.env ? { env: values.env } : {}),
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
      ...(values.remote ? { remote: values.remote } : {}),
    },
    ctx.env,
  );
  const c = colorsFor(ctx, 'stderr');
  for (const note of target.notes) err(ctx, c.dim(`wxo-policy: ${note}`));
  const prepared = await preparePlan(target);
  const binary = target.policy.deploy.orchestrate;
  out(ctx, format === 'json' ? JSON.stringify(planJson(prepared, binary), null, 2) : formatPlanText(prepared, colorsFor(ctx), binary));
  return values['exit-code'] && prepared.plan.operations.length > 0 ? EXIT.findings : EXIT.ok;
}
