import { UsageError } from '../../errors.js';
import { collectStatus, formatStatusText } from '../../deploy/status.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, out, type CliContext } from '../context.js';

export const summary = 'per environment: branches, tenant, last deploy tag, undeployed commits, promotions waiting';
export const usage = `wxo-policy status [--format text|json] [--remote NAME]

  -f, --format F   text (default) or json
  --remote NAME    the remote whose branches are compared (default: origin)

Reads local branches, remote-tracking branches of the remote (default: origin) and local tags;
run \`git fetch --tags\` first for the remote's current view.`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(args, { format: { type: 'string', short: 'f' }, remote: { type: 'string' } }, usage, false);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format "${format}"`, 'formats: text, json');
  const remote = values.remote ?? 'origin';
  const { environments } = await collectStatus(ctx.cwd, remote);
  out(ctx, format === 'json' ? JSON.stringify({ environments }, null, 2) : formatStatusText(environments, colorsFor(ctx), remote));
  return 0;
}
