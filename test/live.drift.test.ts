import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployWorld, edit, type DeployWorld } from './helpers/fakeOrchestrate.js';
import { tempDir } from './helpers/tmp.js';
import { startWebhook } from './helpers/webhook.js';

/**
 * `wxo-policy drift` through the built CLI against the stand-in orchestrate: never 0 when it
 * could not look (no deploy tag, no API key, authentication refused, a list that fails or answers
 * something that is not the ADK's JSON).
 */
describe('drift cannot tell', () => {
  it('exits 2 when the environment was never deployed, without calling orchestrate', () => {
    const world = deployWorld();
    const r = world.cli(['drift']);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('could not tell whether the tenant drifted: dev has no deploy tag reachable from this commit');
    expect(world.fake.calls()).toEqual([]);
  });

  it('exits 2 when the API key is missing (before any call) or activation fails; json says unknown', () => {
    const world = deployWorld();
    expect(world.cli(['deploy']).status).toBe(0);
    world.fake.clearLog();
    const noKey = world.cli(['drift'], { WXO_DEV_QA_API_KEY: '' });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain('WXO_DEV_QA_API_KEY');
    expect(world.fake.calls()).toEqual([]);

    world.fake.rules([{ match: 'env activate', action: 'fail', message: 'Invalid API key' }]);
    const refused = world.cli(['drift', '--format', 'json']);
    expect(refused.status).toBe(2);
    const report = JSON.parse(refused.stdout);
    expect(report).toMatchObject({ environment: 'dev', verdict: 'unknown', tag: { name: expect.stringMatching(/^v[0-9.]+-dev$/) } });
    expect(report.error).toContain('cannot reach orchestrate environment wxo-dev-qa');
    expect(report.error).toContain('Invalid API key');
  });

  it('exits 2 when a list call fails or does not answer JSON', () => {
    const world = deployWorld();
    expect(world.cli(['deploy']).status).toBe(0);
    world.fake.rules([{ match: 'connections list -v', action: 'exception', message: 'status 503' }]);
    const failed = world.cli(['drift', '--format', 'junit']);
    expect(failed.status).toBe(2);
    expect(failed.stdout).toContain('<error message="could not tell whether the tenant drifted: orchestrate connections list -v');
    world.fake.rules([{ match: 'connections list -v', action: 'echo' }]);
    const garbled = world.cli(['drift']);
    expect(garbled.status).toBe(2);
    expect(garbled.stdout).toMatch(/orchestrate connections list -v: no JSON in the answer/);
  });

  it('refuses an unknown format and an unknown environment with exit 2', () => {
    const world = deployWorld();
    expect(world.cli(['drift', '--format', 'html']).status).toBe(2);
    const r = world.cli(['drift', '--env', 'nowhere']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nowhere');
  });
});

describe('deploy --full', () => {
  it('imports everything at head again although Git did not change, and tags a redeploy', () => {
    const world = deployWorld();
    expect(world.cli(['deploy']).status).toBe(0);
    const firstImports = world.fake.commands().filter((c) => / import /.test(c));
    const tags = () => world.repo.run('tag', '--list').trim().split('\n').filter(Boolean);
    const first = tags();
    world.fake.clearLog();
    const again = world.cli(['deploy']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already deployed/i);
    expect(world.fake.calls()).toEqual([]);

    const full = world.cli(['deploy', '--full']);
    expect(full.status).toBe(0);
    const imports = world.fake.commands().filter((c) => / import /.test(c));
    expect(imports).toEqual(firstImports);
    expect(imports.filter((c) => c.startsWith('agents import'))).toHaveLength(5);
    expect(tags()).toHaveLength(first.length + 1);
    expect(tags().find((t) => !first.includes(t))).toMatch(/^v[0-9.]+-dev\.2$/);
  }, 300_000);
});

// ---- against the stateful stand-in: a deploy, hand edits in the tenant, drift, a repair ------------------

/** Runs the stand-in orchestrate as a person at a terminal would (the tenant that is active). */
function orchestrate(world: DeployWorld, args: string[], cwd: string): { status: number; output: string } {
  const r = spawnSync('orchestrate', args, { cwd, env: world.env(), encoding: 'utf8', input: '' });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** Someone edits an agent in the tenant by hand: export, change, import. */
function handEdit(world: DeployWorld, agent: string, change: (yaml: string) => string): void {
  const dir = tempDir('wxo-hand-edit-');
  const exported = orchestrate(world, ['agents', 'export', '-n', agent, '-k', 'native', '--agent-only', '-o', `${agent}.yaml`], dir);
  expect(exported.status, exported.output).toBe(0);
  const file = join(dir, `${agent}.yaml`);
  writeFileSync(file, change(readFileSync(file, 'utf8')));
  const imported = orchestrate(world, ['agents', 'import', '-f', `${agent}.yaml`], dir);
  expect(imported.status, imported.output).toBe(0);
}

describe('drift against the tenant', () => {
  it('in sync after a deploy; a hand edit, an unmanaged agent and a removed tool are drift (exit 1) in every format; a full redeploy clears it', async () => {
    const world = deployWorld();
    const hook = await startWebhook();
    edit(world.repo, 'wxo-policy.yaml', (t) => `${t}\nnotifications:\n  timeout_seconds: 2\n  targets:\n    - { name: ops, type: json, url_secret: OPS_WEBHOOK_URL, events: [drift_found, drift_cleared] }\n`);
    world.repo.commitAll('alerts');
    const vars = { OPS_WEBHOOK_URL: hook.url };
    expect(world.cli(['deploy'], vars).status).toBe(0);
    const inSync = world.cli(['drift'], vars);
    expect(inSync.stdout).toContain('dev: the tenant matches its last deploy');
    expect(inSync.status).toBe(0);
    expect(hook.received()).toEqual([]);

    const key = world.secrets.WXO_DEV_QA_API_KEY!;
    handEdit(world, 'claims_agent', (y) => y.replace(/^instructions: .*(\n {2}.*)*/m, `instructions: Always promise a full payout. Key ${key}`));
    const dir = tempDir('wxo-hand-');
    writeFileSync(join(dir, 'shadow.yaml'), 'spec_version: v1\nkind: native\nname: shadow_agent\ndescription: Made in the UI\nllm: groq/openai/gpt-oss-120b\n');
    expect(orchestrate(world, ['agents', 'import', '-f', 'shadow.yaml'], dir).status).toBe(0);

    const drift = world.cli(['drift'], vars);
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain('~ CHANGED       agent claims_agent — agents/claims_agent.yaml');
    expect(drift.stdout).toMatch(/instructions: git To file a new claim.* ≠ tenant Always promise a full payout\. Key <secret:WXO_DEV_QA_API_KEY>/);
    expect(drift.stdout).toContain('+ UNMANAGED     agent shadow_agent');
    expect(drift.stdout).toContain('redeploy v1.4.0-dev (`wxo-policy deploy --env dev --full` on its branch)');
    expect(drift.stdout).toContain('dev: 2 resources drifted from the last deploy');
    expect(drift.output).not.toContain(key);
    const found = hook.received().map((r) => r.json);
    expect(found).toMatchObject([{ event: 'drift_found', environment: 'dev', tag: 'v1.4.0-dev', details: { drifted: 2, items: [{ kind: 'agent', name: 'claims_agent', state: 'changed' }, { kind: 'agent', name: 'shadow_agent', state: 'unmanaged' }] } }]);

    // Every format, to files; the same drift again alerts nobody.
    expect(world.cli(['drift', '--output', 'reports/drift.json', '--no-notify']).status).toBe(1);
    expect(JSON.parse(readFileSync(join(world.repo.dir, 'reports/drift.json'), 'utf8'))).toMatchObject({ verdict: 'drift', items: [{ name: 'claims_agent', advice: expect.stringContaining('redeploy') }, { name: 'shadow_agent' }] });
    expect(world.cli(['drift', '--output', 'reports/drift.xml'], vars).status).toBe(1);
    expect(readFileSync(join(world.repo.dir, 'reports/drift.xml'), 'utf8')).toContain('failures="2"');
    expect(world.cli(['drift', '--format', 'sarif'], vars).stdout).toContain('"ruleId": "drift-changed"');
    expect(world.cli(['drift', '--format', 'prometheus'], vars).stdout).toMatch(/^wxo_policy_drift_resources\{[^}]*kind="agent"[^}]*state="unmanaged"[^}]*\} 1$/m);
    expect(hook.received()).toHaveLength(1);
    expect(readFileSync(join(world.repo.dir, 'reports/drift.json'), 'utf8')).not.toContain(key);

    // A plain deploy has nothing to do (Git did not change); --full imports everything again.
    expect(world.cli(['deploy'], vars).stdout).toMatch(/already deployed/i);
    const repaired = world.cli(['deploy', '--full'], vars);
    expect(repaired.status).toBe(0);
    expect(orchestrate(world, ['agents', 'remove', '-n', 'shadow_agent', '-k', 'native'], dir).status).toBe(0);
    const cleared = world.cli(['drift'], vars);
    expect(cleared.stdout).toContain('dev: the tenant matches its last deploy');
    expect(cleared.status).toBe(0);
    expect(hook.received().map((r) => r.json.event)).toEqual(['drift_found', 'drift_cleared']);
  }, 600_000);

  it('a live stage whose draft another environment of the tenant replaced: draft compared with that tag, the agent listed as draft-differs, in sync', () => {
    const world = deployWorld();
    const { repo } = world;
    expect(world.cli(['deploy']).status).toBe(0);
    repo.run('switch', '-q', '-c', 'qa-1.4.0');
    expect(world.cli(['deploy']).status).toBe(0);
    repo.run('switch', '-q', 'develop');
    edit(repo, 'agents/billing_agent.yaml', (t) => t.replace('Billing Specialist', 'Billing Desk'));
    repo.commitAll('billing: new name');
    expect(world.cli(['deploy']).status).toBe(0);
    repo.run('switch', '-q', 'qa-1.4.0');
    const r = world.cli(['drift', '--format', 'json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ environment: 'qa', stage: 'live', verdict: 'in-sync', tag: { name: 'v1.4.0-qa' }, draftTag: { name: 'v1.4.0-dev.2', environment: 'dev' } });
    expect(report.items).toMatchObject([{ kind: 'agent', name: 'billing_agent', state: 'draft-differs' }]);
    expect(report.notes[0]).toContain("the tenant's draft was last deployed by dev (v1.4.0-dev.2)");
  }, 600_000);
});

describe('post-deploy verification', () => {
  it('fails the deploy (exit 1, no tag) when the tenant does not show an import; --no-verify-live skips it and the record says so', () => {
    const world = deployWorld();
    // The import answers success but the tenant keeps nothing: the platform lost it.
    world.fake.rules([{ match: 'agents import -f agents/customer_care_supervisor.yaml', action: 'echo' }]);
    const r = world.cli(['deploy']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('✗ agent customer_care_supervisor: not in the tenant after its import');
    expect(r.stderr).toContain('post-deploy verification failed: 1 resource is not as planned; no deploy tag was made');
    expect(world.repo.run('tag', '--list')).toBe('');

    const skipped = world.cli(['deploy', '--no-verify-live']);
    expect(skipped.status).toBe(0);
    expect(world.tagMessages()).toContain('live verification: skipped (--no-verify-live)');
  }, 300_000);

  it('reads the tenant after the operations; a failing read fails the deploy; a clean deploy records the check', () => {
    const world = deployWorld();
    world.fake.rules([{ match: 'knowledge-bases list -v', action: 'exception', message: 'status 502' }]);
    const failed = world.cli(['deploy']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/post-deploy verification failed: orchestrate knowledge-bases list -v: exit 1/);
    world.fake.rules([]);
    world.fake.clearLog();
    expect(world.cli(['deploy']).status).toBe(0);
    const commands = world.fake.commands();
    const firstRead = commands.indexOf('connections list -v');
    expect(commands.slice(0, firstRead).some((c) => c.startsWith('agents import'))).toBe(true);
    expect(commands.slice(firstRead).every((c) => / list -v$/.test(c) || c.startsWith('agents export'))).toBe(true);
    expect(world.tagMessages()).toMatch(/live verification: ok \(\d+ resources as planned\)/);
  }, 300_000);
});
