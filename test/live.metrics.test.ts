import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Exposition, pushMetrics, pushUrl } from '../src/live/metrics.js';
import { debianTool, freePort, PUSHGATEWAY, startPushgateway } from './helpers/debianTools.js';
import { deployWorld } from './helpers/fakeOrchestrate.js';

/**
 * Metrics in the Prometheus text exposition format, pushed to the real Pushgateway of Debian's
 * `prometheus-pushgateway` package (started here on a free 127.0.0.1 port): it parses what it is
 * sent and refuses malformed expositions, so an accepted push is a format check as well.
 */
describe('the exposition format', () => {
  it('escapes label values, groups samples under one HELP/TYPE, builds grouping-key URLs', () => {
    const x = new Exposition().add('m', 'help with \\ and\nnewline', { a: 'q"uote\\back\nline' }, 1).add('m', 'ignored', { a: 'b' }, 2);
    expect(x.toString()).toBe('# HELP m help with \\\\ and\\nnewline\n# TYPE m gauge\nm{a="q\\"uote\\\\back\\nline"} 1\nm{a="b"} 2\n');
    expect(pushUrl('http://pg:9091/', 'wxo_policy_drift', { environment: 'qa/1' })).toBe(
      'http://pg:9091/metrics/job/wxo_policy_drift/environment/qa%2F1',
    );
  }, 300_000);

  it('credentials in the Pushgateway URL become Basic auth, never part of the request URL or an error', async () => {
    const seen: { url?: string; auth?: string; method?: string }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization ?? '', method: req.method ?? '' });
      req.resume();
      req.on('end', () => res.writeHead(seen.length === 1 ? 200 : 401).end('unauthorized for pw-9x\n'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      expect(await pushMetrics(`http://ops:pw-9x@127.0.0.1:${port}`, 'wxo_policy_status', {}, 'm 1\n')).toEqual({ ok: true });
      expect(seen[0]).toEqual({
        url: '/metrics/job/wxo_policy_status',
        auth: `Basic ${Buffer.from('ops:pw-9x').toString('base64')}`,
        method: 'PUT',
      });
      expect(await pushMetrics(`http://ops:pw-9x@127.0.0.1:${port}`, 'wxo_policy_status', {}, 'm 1\n')).toEqual({
        ok: false,
        detail: 'HTTP 401: unauthorized for ***',
      });
    } finally {
      server.close();
    }
  }, 300_000);
});

describe.skipIf(!debianTool(PUSHGATEWAY, 'prometheus-pushgateway'))('status and drift metrics, pushed to a real Pushgateway', () => {
  it('status --format prometheus per environment; --push-metrics lands in the gateway', async () => {
    const world = deployWorld();
    expect(world.cli(['deploy'], { BUILD_URL: 'https://ci.example.test/job/wxo/7/' }).status).toBe(0);
    world.repo.run('commit', '-q', '--allow-empty', '-m', 'not deployed yet');
    const text = world.cli(['status', '--format', 'prometheus']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^wxo_policy_deployed\{tenant="dev-qa-tenant",environment="dev",stage="draft",branch="develop"\} 1$/m);
    expect(text.stdout).toMatch(
      /^wxo_policy_pending_deploy_commits\{tenant="dev-qa-tenant",environment="dev",stage="draft",branch="develop"\} 1$/m,
    );
    expect(text.stdout).toMatch(/^wxo_policy_last_deploy_timestamp_seconds\{[^}]*environment="dev"[^}]*\} \d{10}$/m);
    expect(text.stdout).toMatch(/^wxo_policy_last_deploy_duration_seconds\{[^}]*environment="dev"[^}]*\} [\d.]+$/m);
    expect(text.stdout).toMatch(/^wxo_policy_last_deploy_info\{[^}]*tag="v1\.4\.0-dev"[^}]*\} 1$/m);
    expect(text.stdout).toMatch(/^wxo_policy_tenant_binding_ok\{[^}]*environment="dev"[^}]*\} 1$/m);

    const gateway = await startPushgateway();
    const pushed = world.cli(['status', '--push-metrics', gateway.url]);
    expect(pushed.status).toBe(0);
    expect(pushed.stderr).toContain(`metrics pushed to ${gateway.url}/ (job wxo_policy_status)`);
    const metrics = await gateway.metrics();
    expect(metrics).toMatch(
      /^wxo_policy_pending_deploy_commits\{branch="develop",environment="dev",instance="",job="wxo_policy_status",stage="draft",tenant="dev-qa-tenant"\} 1$/m,
    );
    expect(metrics).toMatch(/^push_time_seconds\{[^}]*job="wxo_policy_status"[^}]*\} /m);
    expect(metrics).not.toMatch(/push_failure_time_seconds\{[^}]*job="wxo_policy_status"[^}]*\} [1-9]/);
  }, 300_000);

  it('drift --push-metrics: a check that could not look says so (check_success 0), grouped per environment', async () => {
    const world = deployWorld({ deployed: 'develop' });
    const gateway = await startPushgateway();
    world.fake.rules([{ match: 'agents list -v', action: 'fail' }]);
    const r = world.cli(['drift', '--push-metrics', gateway.url]);
    expect(r.status).toBe(2);
    const metrics = await gateway.metrics();
    expect(metrics).toMatch(
      /^wxo_policy_drift_check_success\{environment="dev",instance="",job="wxo_policy_drift",stage="draft",tenant="dev-qa-tenant"\} 0$/m,
    );
    expect(metrics).toMatch(/^wxo_policy_drift_in_sync\{[^}]*environment="dev"[^}]*\} 0$/m);
    expect(metrics).toMatch(
      /^wxo_policy_drift_resources\{environment="dev",instance="",job="wxo_policy_drift",kind="agent",stage="draft",state="changed",tenant="dev-qa-tenant"\} 0$/m,
    );
  }, 300_000);

  it('a push that fails warns and keeps the exit code; credentials in the URL are never shown', async () => {
    const world = deployWorld();
    const port = await freePort();
    const r = world.cli(['status', '--push-metrics', `http://user:s3cr3t-pw@127.0.0.1:${port}`]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`metrics not pushed to http://127.0.0.1:${port}/: ECONNREFUSED`);
    expect(r.output).not.toContain('s3cr3t-pw');
    expect(world.cli(['status', '--push-metrics', 'ftp://127.0.0.1/x']).stderr).toContain(
      'the Pushgateway URL must be http:// or https://',
    );
  }, 300_000);
});
