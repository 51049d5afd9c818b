import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { deployWorld, edit, type DeployWorld } from './helpers/fakeOrchestrate.js';
import { freePort } from './helpers/debianTools.js';
import { startWebhook, type Webhook } from './helpers/webhook.js';

/** The event schema's compiled validator, as the build generates it (one module per schema). */
const validators = createRequire(import.meta.url)('../src/schema/generated/notification_event.cjs') as {
  notification_event: ValidateFunction;
};

/**
 * Notifications of deploys, rollbacks and approvals through the built CLI, received by a real
 * HTTP server on 127.0.0.1 (examples/webhook-receiver.mjs). A notification never fails a deploy.
 */
function withNotifications(
  world: DeployWorld,
  targets: string,
  settings = 'timeout_seconds: 2\n  retries: 1\n  backoff_seconds: 0.05\n',
): void {
  edit(world.repo, 'wxo-policy.yaml', (t) => `${t}\nnotifications:\n  ${settings}  targets:\n${targets}`);
  world.repo.commitAll('alerts for the team');
}

const TARGETS =
  '    - { name: team-slack, type: slack, url_secret: SLACK_WEBHOOK_URL, events: [deploy_failed, deploy_succeeded, rollback] }\n    - { name: audit, type: json, url_secret: AUDIT_WEBHOOK_URL }\n    - { name: prod-only, type: teams, url_secret: TEAMS_WEBHOOK_URL, environments: [prod] }\n';
const events = (hook: Webhook) => hook.received().map((r) => r.json.event ?? r.json.text ?? r.json.type);

describe('deploy notifications', () => {
  it('sends started and succeeded to the targets that take them, in their formats, URLs and secrets never in a payload', async () => {
    const world = deployWorld();
    const slack = await startWebhook();
    const audit = await startWebhook();
    const teams = await startWebhook();
    withNotifications(world, TARGETS);
    const vars = {
      SLACK_WEBHOOK_URL: slack.url,
      AUDIT_WEBHOOK_URL: audit.url,
      TEAMS_WEBHOOK_URL: teams.url,
      BUILD_URL: 'https://ci.example.test/job/wxo/9/',
    };
    const r = world.cli(['deploy'], vars);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('notified audit (deploy_started)');
    expect(r.stderr).toContain('notified team-slack (deploy_succeeded)');

    expect(events(audit)).toEqual(['deploy_started', 'deploy_succeeded']);
    const [started, succeeded] = audit.received().map((x) => x.json);
    for (const e of [started, succeeded])
      expect(validators.notification_event(e), JSON.stringify(validators.notification_event.errors)).toBe(true);
    expect(started).toMatchObject({
      event: 'deploy_started',
      environment: 'dev',
      tenant: 'dev-qa-tenant',
      stage: 'draft',
      branch: 'develop',
      version: '1.4.0',
      build_url: 'https://ci.example.test/job/wxo/9/',
      details: { operations: 21 },
    });
    expect(succeeded).toMatchObject({
      event: 'deploy_succeeded',
      severity: 'success',
      tag: 'v1.4.0-dev',
      title: 'Deployed dev: v1.4.0-dev',
    });

    expect(slack.received()).toHaveLength(1);
    expect(slack.received()[0]!.json.text).toBe('✅ Deployed dev: v1.4.0-dev');
    expect(slack.received()[0]!.headers['content-type']).toBe('application/json');
    expect(teams.received()).toEqual([]);

    const bodies = [...slack.received(), ...audit.received()].map((x) => x.body).join('\n');
    for (const [name, value] of Object.entries(world.secrets)) expect(bodies, name).not.toContain(value);
    expect(bodies).not.toContain('127.0.0.1');
  }, 300_000);

  it('a failed deploy sends deploy_failed with what failed (masked), and makes no tag', async () => {
    const world = deployWorld();
    const audit = await startWebhook();
    withNotifications(world, TARGETS);
    world.fake.rules([
      {
        match: 're:connections set-credentials -a meridian_crm --env draft',
        action: 'fail',
        message: `bad key ${world.secrets.MERIDIAN_CRM_API_KEY_DRAFT}`,
      },
    ]);
    const r = world.cli(['deploy'], { AUDIT_WEBHOOK_URL: audit.url });
    expect(r.status).toBe(1);
    expect(world.repo.run('tag', '--list')).toBe('');
    const failed = audit
      .received()
      .map((x) => x.json)
      .find((e) => e.event === 'deploy_failed');
    expect(failed).toMatchObject({ severity: 'error', title: 'Deploy of dev failed' });
    expect(failed.details.failure).toContain('set credentials');
    expect(failed.text).toContain('<secret:MERIDIAN_CRM_API_KEY_DRAFT>');
    expect(JSON.stringify(audit.received())).not.toContain(world.secrets.MERIDIAN_CRM_API_KEY_DRAFT);
  }, 300_000);

  it('a webhook that is down, refuses or lacks its URL only warns: the deploy succeeds and is tagged', async () => {
    const world = deployWorld();
    const failing = await startWebhook([500, 500, 500, 500]);
    withNotifications(
      world,
      '    - { name: flaky, type: json, url_secret: FLAKY_URL }\n    - { name: gone, type: slack, url_secret: GONE_URL }\n    - { name: unset, type: teams, url_secret: UNSET_URL }\n',
    );
    const gone = `http://127.0.0.1:${await freePort()}/hook`;
    const r = world.cli(['deploy'], { FLAKY_URL: failing.url, GONE_URL: gone });
    expect(r.status).toBe(0);
    expect(world.repo.run('tag', '--list').trim()).toBe('v1.4.0-dev');
    expect(r.stderr).toContain('warning: notification flaky (deploy_started) failed after 2 attempts: HTTP 500 — carrying on');
    expect(r.stderr).toContain('warning: notification gone (deploy_succeeded) failed after 2 attempts: ECONNREFUSED — carrying on');
    expect(r.stderr).toContain('warning: notification unset not sent: its URL secret UNSET_URL is not set');
    expect(failing.received()).toHaveLength(4);
    expect(r.output).not.toContain(failing.url);
  }, 300_000);
});

describe('deploys refused before their first call', () => {
  it('a tenant-binding mismatch, a lock held by a running deploy and a plan that cannot be made each send deploy_failed and push the metrics', async () => {
    const world = deployWorld();
    const audit = await startWebhook();
    const gateway = await startWebhook(); // takes the Pushgateway's PUT like any HTTP server
    const gatewayUrl = gateway.url.replace(/\/hooks\/.*$/, '');
    withNotifications(world, TARGETS);
    const vars = { AUDIT_WEBHOOK_URL: audit.url };
    const refusedEvents = () =>
      audit
        .received()
        .map((x) => x.json)
        .filter((e) => e.event === 'deploy_failed');

    // 1. the tenant binding: values.yaml of the other tenant
    edit(world.repo, 'values.yaml', (t) => t.replace(/^tenant: dev-qa-tenant$/m, 'tenant: prod-tenant'));
    world.repo.commitAll("the other tenant's values");
    const binding = world.cli(['deploy', '--push-metrics', gatewayUrl], vars);
    expect(binding.status).toBe(2);
    expect(binding.stderr).toContain('refusing to deploy dev');
    expect(refusedEvents()).toHaveLength(1);
    expect(refusedEvents()[0]).toMatchObject({
      severity: 'error',
      title: 'Deploy of dev refused',
      environment: 'dev',
      tenant: 'dev-qa-tenant',
      details: { refused: true },
    });
    expect(refusedEvents()[0].details.failure).toContain('refusing to deploy dev');
    expect(refusedEvents()[0].text).toContain('nothing was changed in the tenant');
    world.repo.run('revert', '--no-edit', 'HEAD');

    // 2. the lock, held by a live deploy (this test's process)
    const lockPath = join(world.repo.dir, '.git', 'wxo-policy-deploy-dev.lock');
    writeFileSync(
      lockPath,
      JSON.stringify({
        pid: process.pid,
        host: hostname(),
        time: new Date().toISOString(),
        environment: 'dev',
        commit: 'f'.repeat(40),
        nonce: 'n',
      }),
    );
    const locked = world.cli(['deploy', '--push-metrics', gatewayUrl], vars);
    expect(locked.status).toBe(2);
    expect(locked.stderr).toContain('another deploy of dev is running');
    expect(refusedEvents()).toHaveLength(2);
    expect(refusedEvents()[1].details.failure).toContain('another deploy of dev is running');
    rmSync(lockPath);

    // 3. a plan that cannot be made: a collaborator cycle
    edit(world.repo, 'agents/billing_agent.yaml', (t) => t.replace('collaborators: []', 'collaborators: [customer_care_supervisor]'));
    world.repo.commitAll('a cycle');
    const cycle = world.cli(['deploy', '--push-metrics', gatewayUrl], vars);
    expect(cycle.status).toBe(2);
    expect(refusedEvents()).toHaveLength(3);
    expect(refusedEvents()[2].details.failure).toContain('collaborator cycle');

    // Nothing was started, nothing called, no tag; every event valid; a metrics push per refusal.
    expect(audit.received().map((x) => x.json.event)).toEqual(['deploy_failed', 'deploy_failed', 'deploy_failed']);
    for (const e of refusedEvents())
      expect(validators.notification_event(e), JSON.stringify(validators.notification_event.errors)).toBe(true);
    expect(world.fake.calls()).toEqual([]);
    expect(world.repo.run('tag', '--list')).toBe('');
    const pushes = gateway.received();
    expect(pushes.map((p) => `${p.method} ${p.path}`)).toEqual(Array(3).fill('PUT /metrics/job/wxo_policy_deploy/environment/dev'));
    for (const p of pushes) expect(p.body).toMatch(/^wxo_policy_deploy_last_success\{[^}]*\} 0$/m);

    // A dry run that cannot be planned tells nobody.
    world.cli(['deploy', '--dry-run'], vars);
    expect(audit.received()).toHaveLength(3);
  }, 300_000);
});

describe('rollback and approval notifications', () => {
  it('rollback sends the rollback event; notify --event approval_waiting sends the approval; a wrong event is exit 2', async () => {
    const world = deployWorld();
    const audit = await startWebhook();
    withNotifications(world, TARGETS);
    const vars = { AUDIT_WEBHOOK_URL: audit.url };
    expect(world.cli(['deploy'], vars).status).toBe(0);
    edit(world.repo, 'agents/claims_agent.yaml', (t) => t.replace('Claims Specialist', 'Claims Desk'));
    world.repo.commitAll('rename the claims agent');
    expect(world.cli(['deploy'], vars).status).toBe(0);
    expect(world.cli(['rollback', '--to', 'v1.4.0-dev'], vars).status).toBe(0);
    const rollback = audit
      .received()
      .map((x) => x.json)
      .find((e) => e.event === 'rollback');
    expect(rollback).toMatchObject({
      severity: 'warning',
      tag: 'v1.4.0-dev',
      title: 'Rollback of dev to v1.4.0-dev',
      details: { reverts: 1 },
    });

    const approval = world.cli(['notify', '--event', 'approval_waiting', '--env', 'qa'], {
      ...vars,
      BUILD_URL: 'https://ci.example.test/job/wxo/12/',
    });
    expect(approval.status).toBe(0);
    expect(audit.received().at(-1)!.json).toMatchObject({
      event: 'approval_waiting',
      environment: 'qa',
      stage: 'live',
      text: expect.stringContaining('https://ci.example.test/job/wxo/12/input'),
    });
    for (const e of audit.received()) expect(validators.notification_event(e.json)).toBe(true);

    const wrong = world.cli(['notify', '--event', 'coffee']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('unknown event "coffee"');
  }, 300_000);
});
