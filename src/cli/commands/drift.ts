import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { messages } from '../../messages.js';
import {
  alertFor,
  exitCodeOf,
  exitCodeOfAll,
  readDriftState,
  runDrift,
  runDriftAll,
  stateRecord,
  writeDriftState,
  type DriftReport,
} from '../../live/drift.js';
import type { Target } from '../../deploy/target.js';
import { writeReportFile } from '../../fs/writeReport.js';
import {
  formatDriftAllJson,
  formatDriftAllJunit,
  formatDriftAllSarif,
  formatDriftAllText,
  formatDriftJson,
  formatDriftJunit,
  formatDriftSarif,
  formatDriftText,
} from '../../live/format.js';
import { displayUrl, driftMetrics, driftMetricsAll, pushMetrics } from '../../live/metrics.js';
import { makeEvent, sendNotifications } from '../../live/notify.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary = "compare the environment's tenant with its last deploy tag: missing, unmanaged and changed resources";
export const usage = `wxo-policy drift [--env E | --all] [--format text|json|junit|sarif|prometheus] [--output FILE] [--push-metrics URL]

  -e, --env E          environment (default: from the branch; Jenkins: BRANCH_NAME)
  --all                every environment of the policy in one run (knowledge bases compared once
                       per tenant); exit 2 if any could not be told, else 1 if any drifted, else 0
  -f, --format F       report format on stdout (default text); with --output, of the file
  -o, --output FILE    write the report to FILE (format from --format, else from the name:
                       .xml junit, .sarif sarif, .json json, .prom prometheus); text on stdout
  --push-metrics URL   push the drift metrics to a Prometheus Pushgateway (job wxo_policy_drift)
  --no-notify          do not send drift found / cleared notifications
  --remote NAME        remote for deploy tags (default: origin)

Reads the tenant through the orchestrate CLI (list -v, agents export --agent-only) with the
environment's API key, read-only. Exit 0 in sync, 1 drift, 2 could not tell (no deploy tag,
authentication, CLI error) — never 0 when it could not look.`;

type Format = 'text' | 'json' | 'junit' | 'sarif' | 'prometheus';
const FORMATS: readonly Format[] = ['text', 'json', 'junit', 'sarif', 'prometheus'];

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      env: { type: 'string', short: 'e' },
      all: { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      'push-metrics': { type: 'string' },
      'no-notify': { type: 'boolean' },
      remote: { type: 'string' },
    },
    usage,
    false,
  );
  if (values.format !== undefined && !FORMATS.includes(values.format as Format))
    throw new UsageError(messages.unknownFormat(values.format, [...FORMATS]));
  if (values.all && values.env) throw new UsageError(messages.live.allWithEnv);
  const c = colorsFor(ctx);
  const ce = colorsFor(ctx, 'stderr');
  const common = { ...(values.remote ? { remote: values.remote } : {}), vars: ctx.env, log: (line: string) => err(ctx, ce.dim(line)) };
  const results = values.all
    ? await runDriftAll(ctx.cwd, common)
    : [await runDrift(ctx.cwd, { ...(values.env ? { env: values.env } : {}), ...common })];
  const reports = results.map((r) => r.report);
  const one = values.all ? undefined : reports[0]!;

  const render = (format: Format, palette = c): string => {
    switch (format) {
      case 'json':
        return one ? formatDriftJson(one) : formatDriftAllJson(reports);
      case 'junit':
        return one ? formatDriftJunit(one) : formatDriftAllJunit(reports);
      case 'sarif':
        return one ? formatDriftSarif(one) : formatDriftAllSarif(reports);
      case 'prometheus':
        return one ? driftMetrics(one) : driftMetricsAll(reports);
      default:
        return `${one ? formatDriftText(one, palette) : formatDriftAllText(reports, palette)}\n`;
    }
  };
  if (values.output) {
    const format = (values.format as Format | undefined) ?? formatOfFile(values.output);
    const root = results.find((r) => r.target)?.target?.root ?? ctx.cwd;
    writeReportFile(
      root,
      resolve(ctx.cwd, values.output),
      render(format, colorsFor({ ...ctx, env: { ...ctx.env, NO_COLOR: '1' } })),
      messages.live.cannotWrite,
    );
    out(ctx, render('text'));
  } else {
    out(ctx, render((values.format as Format | undefined) ?? 'text'));
  }

  // Per environment, as a single run does: the state, the alerts, the metrics push.
  for (const { report, target } of results) await afterReport(report, target, values, ctx);
  return values.all ? exitCodeOfAll(reports) : exitCodeOf(one!);
}

async function afterReport(
  report: DriftReport,
  target: Target | undefined,
  values: { 'no-notify'?: boolean; 'push-metrics'?: string },
  ctx: CliContext,
): Promise<void> {
  const ce = colorsFor(ctx, 'stderr');
  // The state of the last look, for drift found / cleared and the status board (unknown is not a look).
  if (report.verdict !== 'unknown' && target) {
    const commonDir = target.repo.commonDir;
    const previous = readDriftState(commonDir, report.environment);
    const current = stateRecord(report);
    try {
      writeDriftState(commonDir, current);
    } catch (e) {
      err(ctx, ce.yellow(`wxo-policy: warning: ${messages.live.stateUnwritable((e as Error).message)}`));
    }
    const alert = alertFor(previous, current);
    if (alert && !values['no-notify']) await notifyDrift(alert, report, target.root, target.policy, ctx);
  }

  if (values['push-metrics']) {
    const url = values['push-metrics'];
    const pushed = await pushMetrics(url, 'wxo_policy_drift', { environment: report.environment }, driftMetrics(report));
    if (pushed.ok) err(ctx, ce.dim(`wxo-policy: ${messages.metrics.pushed(displayUrl(url), 'wxo_policy_drift')}`));
    else err(ctx, ce.yellow(`wxo-policy: warning: ${messages.metrics.pushFailed(displayUrl(url), pushed.detail ?? 'failed')}`));
  }
}

async function notifyDrift(
  event: 'drift_found' | 'drift_cleared',
  report: DriftReport,
  root: string,
  policy: Parameters<typeof sendNotifications>[0]['policy'],
  ctx: CliContext,
): Promise<void> {
  const drifted = report.items.filter((i) => i.state !== 'draft-differs');
  const title =
    event === 'drift_found'
      ? `Drift in ${report.environment}: ${drifted.length} resource${drifted.length === 1 ? '' : 's'}`
      : `Drift cleared in ${report.environment}`;
  const text =
    event === 'drift_found'
      ? `${drifted
          .slice(0, 20)
          .map((i) => `${i.state} ${i.kind} ${i.name}${i.tenantWide ? ' (tenant-wide)' : ''}`)
          .join(
            '\n',
          )}${drifted.length > 20 ? `\n… and ${drifted.length - 20} more` : ''}\n${messages.live.adviceRedeploy(report.environment, report.tag?.name ?? '')}`
      : messages.live.inSync(report.environment);
  const e = makeEvent({
    event,
    title,
    text,
    tenant: report.tenant,
    environment: report.environment,
    stage: report.stage,
    ...(report.branch ? { branch: report.branch } : {}),
    ...(report.tag ? { tag: report.tag.name, commit: report.tag.commit } : {}),
    ...(ctx.env.BUILD_URL ? { build_url: ctx.env.BUILD_URL } : {}),
    details: { drifted: drifted.length, items: report.items.map((i) => ({ kind: i.kind, name: i.name, state: i.state })) },
  });
  const ce = colorsFor(ctx, 'stderr');
  const results = await sendNotifications(
    { policy, root, vars: ctx.env, warn: (t) => err(ctx, ce.yellow(`wxo-policy: warning: ${t}`)) },
    e,
  );
  for (const r of results) if (r.ok) err(ctx, ce.dim(`wxo-policy: ${messages.notify.sent(r.target, event)}`));
}

function formatOfFile(file: string): Format {
  if (/\.xml$/i.test(file)) return 'junit';
  if (/\.sarif(\.json)?$/i.test(file)) return 'sarif';
  if (/\.json$/i.test(file)) return 'json';
  if (/\.(prom|metrics)$/i.test(file)) return 'prometheus';
  return 'text';
}
