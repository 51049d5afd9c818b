import type { EnvironmentStatus } from '../deploy/status.js';
import { messages } from '../messages.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { LIVE_KINDS } from './answers.js';
import type { DriftReport } from './drift.js';
import type { DeployRecord } from './record.js';

/**
 * Prometheus text exposition (version 0.0.4) of status, drift and deploy results, per tenant and
 * environment, and the push to a Pushgateway. Builders are pure; `pushMetrics` is the shell.
 * No timestamps in samples: the Pushgateway refuses them.
 */
export type Labels = Record<string, string>;

interface Family {
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels: Labels; value: number }[];
}

export class Exposition {
  private families = new Map<string, Family>();

  add(name: string, help: string, labels: Labels, value: number, type: Family['type'] = 'gauge'): this {
    let f = this.families.get(name);
    if (!f) this.families.set(name, (f = { help, type, samples: [] }));
    f.samples.push({ labels, value });
    return this;
  }

  toString(): string {
    const lines: string[] = [];
    for (const [name, f] of this.families) {
      lines.push(`# HELP ${name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${f.type}`);
      for (const s of f.samples) lines.push(`${name}${labelText(s.labels)} ${numberText(s.value)}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
};
const numberText = (n: number) => (Number.isNaN(n) ? 'NaN' : n === Infinity ? '+Inf' : n === -Infinity ? '-Inf' : String(n));

/**
 * Every metric wxo-policy writes, with its HELP text: one name, one meaning. Kept as one table here,
 * not in messages.ts: a HELP line is part of the metric's definition (Prometheus and dashboards read
 * it with the name), and the Pushgateway merges the groups of every push by name and keeps only one
 * HELP per name — a table keyed by name keeps them consistent (the drift and status expositions
 * share `wxo_policy_drift_last_check_timestamp_seconds`).
 */
const HELP = {
  wxo_policy_info: 'The wxo-policy version that wrote these metrics.',
  // status --format prometheus
  wxo_policy_deployed: 'Whether the branch has a deploy tag of its environment (1) or was never deployed (0).',
  wxo_policy_last_deploy_timestamp_seconds: 'When the last deploy of the environment finished (deploy tag time), Unix seconds.',
  wxo_policy_last_deploy_success: 'Result of the last deploy recorded in Git: deploy tags are made only by successful deploys (1).',
  wxo_policy_last_deploy_duration_seconds: 'Duration of the last deploy (from its deploy record).',
  wxo_policy_last_deploy_info: 'The last deploy tag and commit of the environment branch.',
  wxo_policy_pending_deploy_commits: 'Commits on the environment branch not yet deployed.',
  wxo_policy_pending_promotion_commits: 'Commits of the branch not yet promoted to the next environment.',
  wxo_policy_tenant_binding_ok: 'Whether the tenant-scoped files at the branch head declare the environment tenant (1) or not (0).',
  wxo_policy_drift_status: 'The verdict of the last drift check (one of in-sync, drift, unknown is 1).',
  // drift --format prometheus (and status)
  wxo_policy_drift_last_check_timestamp_seconds: 'When the last drift check ran, Unix seconds.',
  wxo_policy_drift_check_success:
    'Whether the drift check could read the tenant (1) or not (0: the other drift metrics are not meaningful).',
  wxo_policy_drift_in_sync: 'Whether the tenant matches the last deploy tag (1) or not (0).',
  wxo_policy_drift_resources:
    'Resources of the tenant that drifted from the last deploy tag, by kind and state (draft-differs is information, not drift).',
  // deploy --push-metrics
  wxo_policy_deploy_last_success: 'Result of the last deploy run (1 succeeded, 0 failed).',
  wxo_policy_deploy_last_timestamp_seconds: 'When the last deploy run ended, Unix seconds.',
  wxo_policy_deploy_last_duration_seconds: 'How long the last deploy run took.',
  wxo_policy_deploy_last_operations: 'orchestrate operations the last deploy run planned.',
} as const;
type Metric = keyof typeof HELP;

/** One sample of one of wxo-policy's metrics (a gauge), with the HELP of the table. */
const sample = (x: Exposition, name: Metric, labels: Labels, value: number) => x.add(name, HELP[name], labels, value);

const toolInfo = (x: Exposition) => sample(x, 'wxo_policy_info', { version: TOOL_VERSION }, 1);

/** `status --format prometheus`: per environment branch. */
export function statusMetrics(
  environments: readonly EnvironmentStatus[],
  records: ReadonlyMap<string, DeployRecord>,
  drift: ReadonlyMap<string, { verdict: string; checkedAt: string; drifted: number }>,
): string {
  const x = new Exposition();
  toolInfo(x);
  for (const e of environments) {
    const d = drift.get(e.environment);
    for (const b of e.branches) {
      const labels = { tenant: e.tenant, environment: e.environment, stage: e.stage, branch: b.name };
      sample(x, 'wxo_policy_deployed', labels, b.lastDeploy ? 1 : 0);
      if (b.lastDeploy) {
        const record = records.get(b.lastDeploy.tag);
        sample(x, 'wxo_policy_last_deploy_timestamp_seconds', labels, Math.round(Date.parse(record?.finished ?? b.lastDeploy.date) / 1000));
        sample(x, 'wxo_policy_last_deploy_success', labels, 1);
        if (record?.durationSeconds !== undefined) sample(x, 'wxo_policy_last_deploy_duration_seconds', labels, record.durationSeconds);
        sample(x, 'wxo_policy_last_deploy_info', { ...labels, tag: b.lastDeploy.tag, commit: b.lastDeploy.commit.slice(0, 12) }, 1);
      }
      sample(x, 'wxo_policy_pending_deploy_commits', labels, b.undeployed);
      for (const p of b.promotions)
        if (p.waiting !== null) sample(x, 'wxo_policy_pending_promotion_commits', { ...labels, to: p.environment }, p.waiting);
      sample(x, 'wxo_policy_tenant_binding_ok', labels, b.tenantBinding.state === 'ok' ? 1 : 0);
    }
    if (d) {
      const labels = { tenant: e.tenant, environment: e.environment, stage: e.stage };
      for (const verdict of ['in-sync', 'drift', 'unknown'])
        sample(x, 'wxo_policy_drift_status', { ...labels, verdict }, d.verdict === verdict ? 1 : 0);
      sample(x, 'wxo_policy_drift_last_check_timestamp_seconds', labels, Math.round(Date.parse(d.checkedAt) / 1000));
    }
  }
  return x.toString();
}

/** `drift --format prometheus`: drifted resources by kind and state; whether the check could look at all. */
export function driftMetrics(report: DriftReport): string {
  return driftMetricsAll([report]);
}

/** Every environment's drift metrics in one exposition (`drift --all --format prometheus`). */
export function driftMetricsAll(reports: readonly DriftReport[]): string {
  const x = new Exposition();
  toolInfo(x);
  for (const report of reports) addDriftMetrics(x, report);
  return x.toString();
}

function addDriftMetrics(x: Exposition, report: DriftReport): void {
  const labels = { tenant: report.tenant, environment: report.environment, stage: report.stage };
  sample(x, 'wxo_policy_drift_check_success', labels, report.verdict === 'unknown' ? 0 : 1);
  sample(x, 'wxo_policy_drift_in_sync', labels, report.verdict === 'in-sync' ? 1 : 0);
  sample(x, 'wxo_policy_drift_last_check_timestamp_seconds', labels, Math.round(Date.parse(report.checkedAt) / 1000));
  for (const kind of LIVE_KINDS) {
    for (const state of ['missing', 'unmanaged', 'changed', 'draft-differs'] as const) {
      const n = report.items.filter((i) => i.kind === kind && i.state === state).length;
      sample(x, 'wxo_policy_drift_resources', { ...labels, kind, state }, n);
    }
  }
}

/** Pushed by `deploy --push-metrics`: the result of this deploy, success or not. */
export function deployMetrics(d: {
  tenant: string;
  environment: string;
  stage: string;
  ok: boolean;
  finished: number;
  durationSeconds: number;
  operations: number;
}): string {
  const x = new Exposition();
  toolInfo(x);
  const labels = { tenant: d.tenant, environment: d.environment, stage: d.stage };
  sample(x, 'wxo_policy_deploy_last_success', labels, d.ok ? 1 : 0);
  sample(x, 'wxo_policy_deploy_last_timestamp_seconds', labels, Math.round(d.finished / 1000));
  sample(x, 'wxo_policy_deploy_last_duration_seconds', labels, Math.round(d.durationSeconds * 1000) / 1000);
  sample(x, 'wxo_policy_deploy_last_operations', labels, d.operations);
  return x.toString();
}

/** `<url>/metrics/job/<job>[/environment/<env>]`: one group per job and environment, replaced on each push (PUT). */
export function pushUrl(base: string, job: string, grouping: Labels = {}): string {
  const root = base.replace(/\/+$/, '');
  const parts = [`job/${encodeURIComponent(job)}`, ...Object.entries(grouping).map(([k, v]) => `${k}/${encodeURIComponent(v)}`)];
  return `${root}/metrics/${parts.join('/')}`;
}

/**
 * PUT to the Pushgateway. Never throws: returns why it failed. `user:password@` in the URL
 * becomes a Basic Authorization header (fetch refuses credentials in URLs) and is never quoted.
 */
export async function pushMetrics(
  base: string,
  job: string,
  grouping: Labels,
  body: string,
  timeoutMs = 10_000,
): Promise<{ ok: boolean; detail?: string }> {
  let url: URL;
  try {
    url = new URL(pushUrl(base, job, grouping));
  } catch {
    return { ok: false, detail: messages.metrics.badUrl };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, detail: messages.metrics.notHttp };
  const headers: Record<string, string> = {
    'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    'user-agent': `${TOOL_NAME}/${TOOL_VERSION}`,
  };
  const secrets = [url.username, url.password].filter(Boolean).map(decodeURIComponent);
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), text);
  try {
    const res = await fetch(url, { method: 'PUT', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    const text = (await res.text().catch(() => '')).trim().split('\n')[0]?.slice(0, 200) ?? '';
    return res.ok ? { ok: true } : { ok: false, detail: scrub(`HTTP ${res.status}${text ? `: ${text}` : ''}`) };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return {
      ok: false,
      detail: err.name === 'TimeoutError' ? `timed out after ${timeoutMs / 1000} s` : scrub(err.cause?.code ?? err.message),
    };
  }
}

/** The URL as it may be shown: without user:password. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}
