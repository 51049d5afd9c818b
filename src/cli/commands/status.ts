import { basename, resolve } from 'node:path';
import { EXIT, UsageError } from '../../errors.js';
import { collectStatus, formatStatusText, type EnvironmentStatus } from '../../deploy/status.js';
import { resolveRepo } from '../../git/resolveRepo.js';
import { messages } from '../../messages.js';
import { classifyBranch } from '../../policy/environments.js';
import type { Policy } from '../../policy/model.js';
import { renderBoard } from '../../live/board.js';
import { readDriftState, type DriftStateRecord } from '../../live/drift.js';
import { writeReportFile } from '../../fs/writeReport.js';
import { displayUrl, pushMetrics, statusMetrics } from '../../live/metrics.js';
import { readDeployRecords, type DeployRecord } from '../../live/record.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary = 'per environment: branches, tenant, last deploy tag, undeployed commits, promotions waiting';
export const usage = `wxo-policy status [--format text|json|prometheus|html] [--output FILE] [--push-metrics URL] [--remote NAME]

  -f, --format F       text (default), json, prometheus (text exposition), html (the status board)
  -o, --output FILE    write the report to FILE (format from --format, else from the name:
                       .html html, .json json, .prom prometheus); text on stdout
  --push-metrics URL   push the status metrics to a Prometheus Pushgateway (job wxo_policy_status)
  --remote NAME        remote whose branches are read (default: origin)

Reads local branches, remote-tracking branches of the remote and local tags (run
\`git fetch --tags\` first for the remote's current view), the deploy records of the last tags,
and the last \`wxo-policy drift\` verdict of each environment (.git/wxo-policy/drift/).`;

type Format = 'text' | 'json' | 'prometheus' | 'html';
const FORMATS: readonly Format[] = ['text', 'json', 'prometheus', 'html'];

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      'push-metrics': { type: 'string' },
      remote: { type: 'string' },
    },
    usage,
    false,
  );
  if (values.format !== undefined && !FORMATS.includes(values.format as Format))
    throw new UsageError(messages.unknownFormat(values.format, [...FORMATS]));
  const remote = values.remote ?? 'origin';
  const { policy, environments } = await collectStatus(ctx.cwd, remote);
  const repo = resolveRepo(ctx.cwd);
  const extra = () => liveExtras(repo.root, repo.commonDir, policy, environments);

  const render = (format: Format): string => {
    switch (format) {
      case 'json':
        return `${JSON.stringify({ environments }, null, 2)}\n`;
      case 'prometheus': {
        const { records, drift } = extra();
        return statusMetrics(
          environments,
          records,
          new Map([...drift].map(([k, d]) => [k, { verdict: d.verdict, checkedAt: d.checkedAt, drifted: d.drifted.length }])),
        );
      }
      case 'html':
        return renderBoard({ repository: basename(repo.root), generatedAt: new Date().toISOString(), environments, ...extra() });
      default:
        return formatStatusText(environments, colorsFor(ctx), remote);
    }
  };
  if (values.output) {
    const format = (values.format as Format | undefined) ?? formatOfFile(values.output);
    writeReportFile(
      repo.root,
      resolve(ctx.cwd, values.output),
      format === 'text'
        ? `${formatStatusText(environments, colorsFor({ ...ctx, env: { ...ctx.env, NO_COLOR: '1' } }), remote)}\n`
        : render(format),
      messages.live.cannotWrite,
    );
    out(ctx, render('text'));
  } else {
    out(ctx, render((values.format as Format | undefined) ?? 'text'));
  }
  if (values['push-metrics']) {
    const url = values['push-metrics'];
    const pushed = await pushMetrics(url, 'wxo_policy_status', {}, render('prometheus'));
    const ce = colorsFor(ctx, 'stderr');
    if (pushed.ok) err(ctx, ce.dim(`wxo-policy: ${messages.metrics.pushed(displayUrl(url), 'wxo_policy_status')}`));
    else err(ctx, ce.yellow(`wxo-policy: warning: ${messages.metrics.pushFailed(displayUrl(url), pushed.detail ?? 'failed')}`));
  }
  return EXIT.ok;
}

/** What the board and the metrics add to the status: deploy records, drift verdicts, versions. */
function liveExtras(root: string, commonDir: string, policy: Policy, environments: readonly EnvironmentStatus[]) {
  const tags = environments.flatMap((e) => e.branches.map((b) => b.lastDeploy?.tag).filter((t): t is string => Boolean(t)));
  const records: Map<string, DeployRecord> = readDeployRecords(root, tags);
  const drift = new Map<string, DriftStateRecord>();
  for (const e of environments) {
    const d = readDriftState(commonDir, e.environment);
    if (d) drift.set(e.environment, d);
  }
  const versions = new Map<string, string>();
  for (const e of environments) {
    for (const b of e.branches) {
      const info = classifyBranch(b.name, policy);
      const v = info.kind === 'environment' ? info.version : undefined;
      if (v) versions.set(b.name, v);
    }
  }
  return { records, drift, versions };
}

function formatOfFile(file: string): Format {
  if (/\.html?$/i.test(file)) return 'html';
  if (/\.json$/i.test(file)) return 'json';
  if (/\.(prom|metrics)$/i.test(file)) return 'prometheus';
  return 'text';
}
