import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployWorld, edit, type DeployWorld } from './helpers/fakeOrchestrate.js';
import { fake as fakeSecret } from './helpers/secrets.js';
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
    const world = deployWorld({ deployed: 'develop' });
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
    const world = deployWorld({ deployed: 'develop' });
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
    const world = deployWorld({ deployed: 'develop' });
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
    edit(
      world.repo,
      'wxo-policy.yaml',
      (t) =>
        `${t}\nnotifications:\n  timeout_seconds: 2\n  targets:\n    - { name: ops, type: json, url_secret: OPS_WEBHOOK_URL, events: [drift_found, drift_cleared] }\n`,
    );
    world.repo.commitAll('alerts');
    const vars = { OPS_WEBHOOK_URL: hook.url };
    expect(world.cli(['deploy'], vars).status).toBe(0);
    const inSync = world.cli(['drift'], vars);
    expect(inSync.stdout).toContain('dev: the tenant matches its last deploy');
    expect(inSync.status).toBe(0);
    expect(hook.received()).toEqual([]);

    const key = world.secrets.WXO_DEV_QA_API_KEY!;
    handEdit(world, 'claims_agent', (y) =>
      y.replace(/^instructions: .*(\n {2}.*)*/m, `instructions: Always promise a full payout. Key ${key}`),
    );
    const dir = tempDir('wxo-hand-');
    writeFileSync(
      join(dir, 'shadow.yaml'),
      'spec_version: v1\nkind: native\nname: shadow_agent\ndescription: Made in the UI\nllm: groq/openai/gpt-oss-120b\n',
    );
    expect(orchestrate(world, ['agents', 'import', '-f', 'shadow.yaml'], dir).status).toBe(0);

    const drift = world.cli(['drift'], vars);
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain('~ CHANGED       agent claims_agent — agents/claims_agent.yaml');
    expect(drift.stdout).toMatch(
      /instructions: git To file a new claim.* ≠ tenant Always promise a full payout\. Key <secret:WXO_DEV_QA_API_KEY>/,
    );
    expect(drift.stdout).toContain('+ UNMANAGED     agent shadow_agent');
    expect(drift.stdout).toContain('redeploy v1.4.0-dev (`wxo-policy deploy --env dev --full` on its branch)');
    expect(drift.stdout).toContain('dev: 2 resources drifted from the last deploy');
    expect(drift.output).not.toContain(key);
    const found = hook.received().map((r) => r.json);
    expect(found).toMatchObject([
      {
        event: 'drift_found',
        environment: 'dev',
        tag: 'v1.4.0-dev',
        details: {
          drifted: 2,
          items: [
            { kind: 'agent', name: 'claims_agent', state: 'changed' },
            { kind: 'agent', name: 'shadow_agent', state: 'unmanaged' },
          ],
        },
      },
    ]);

    // Every format, to files; the same drift again alerts nobody.
    expect(world.cli(['drift', '--output', 'reports/drift.json', '--no-notify']).status).toBe(1);
    expect(JSON.parse(readFileSync(join(world.repo.dir, 'reports/drift.json'), 'utf8'))).toMatchObject({
      verdict: 'drift',
      items: [{ name: 'claims_agent', advice: expect.stringContaining('redeploy') }, { name: 'shadow_agent' }],
    });
    expect(world.cli(['drift', '--output', 'reports/drift.xml'], vars).status).toBe(1);
    expect(readFileSync(join(world.repo.dir, 'reports/drift.xml'), 'utf8')).toContain('failures="2"');
    expect(world.cli(['drift', '--format', 'sarif'], vars).stdout).toContain('"ruleId": "drift-changed"');
    expect(world.cli(['drift', '--format', 'prometheus'], vars).stdout).toMatch(
      /^wxo_policy_drift_resources\{[^}]*kind="agent"[^}]*state="unmanaged"[^}]*\} 1$/m,
    );
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
    const world = deployWorld({ deployed: 'develop' });
    const { repo } = world;
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
    expect(report).toMatchObject({
      environment: 'qa',
      stage: 'live',
      verdict: 'in-sync',
      tag: { name: 'v1.4.0-qa' },
      draftTag: { name: 'v1.4.0-dev.2', environment: 'dev' },
    });
    expect(report.items).toMatchObject([{ kind: 'agent', name: 'billing_agent', state: 'draft-differs' }]);
    expect(report.notes[0]).toContain("the tenant's draft was last deployed by dev (v1.4.0-dev.2)");
  }, 600_000);
});

/** Models, a model policy, a channel and a phone config of billing_agent, with the key_value connection a model needs. */
const LISTED_KIND_FILES = {
  // the provider's api_key comes from a key_value connection (`models import -a`, as the ADK needs it)
  'connections/llm.yaml':
    'spec_version: v1\nkind: connection\napp_id: llm\nenvironments:\n  draft:\n    kind: key_value\n    type: team\n    credentials:\n      entries:\n        api_key: ${LLM_KEY}\n  live:\n    kind: key_value\n    type: team\n    credentials:\n      entries:\n        api_key: ${LLM_KEY}\n',
  'models/m.yaml':
    'spec_version: v1\nname: watsonx/x/m\nmodel_type: chat\ndescription: Our tuned model\napp_id: llm\nprovider_config:\n  watsonx_space_id: s\n',
  'models/policies/p.yaml':
    'spec_version: v1\nname: policy_p\npolicy:\n  strategy:\n    mode: fallback\n  targets:\n    - model_name: virtual-model/watsonx/x/m\n',
  'channels/billing_agent/sms.yaml': 'spec_version: v1\nkind: channel\nchannel: twilio_sms\nname: sms\naccount_sid: ${TWILIO_SID}\n',
  'phone/billing_agent/line.yaml': 'spec_version: v1\nkind: phone\nservice_provider: genesys_audio_connector\nname: line\n',
};

/** The secrets LISTED_KIND_FILES need. */
const LISTED_KIND_VARS = { TWILIO_SID: 'AC0123456789', LLM_KEY: 'not-a-real-key' };

/** What drift (and a verification that touched them) reads for the kinds of LISTED_KIND_FILES. */
const LISTED_KIND_READS = [
  'voice-configs list -v',
  'models list --raw',
  'phone list-configs -v',
  'channels list-channels --agent-name billing_agent --env draft -v',
];

/** Commits a voice config and LISTED_KIND_FILES, and deploys them (exit 0). */
function deployListedKinds(
  world: DeployWorld,
  voice = 'name: voice_v\nspeech_to_text:\n  provider: watson\ntext_to_speech:\n  provider: watson\nlanguage: en-us\n',
): { vars: typeof LISTED_KIND_VARS; deployed: ReturnType<DeployWorld['cli']> } {
  world.repo.write({ 'voice/v.yaml': voice, ...LISTED_KIND_FILES });
  world.repo.commitAll('voice, models, channels, phone');
  const deployed = world.cli(['deploy'], LISTED_KIND_VARS);
  expect(deployed.status, deployed.output).toBe(0);
  return { vars: LISTED_KIND_VARS, deployed };
}

describe('drift of the kinds without list -v: voice configs, custom models, model policies, channels, phone configs', () => {
  it('compares them (presence and what the CLI lists) instead of counting them as not compared; hand changes of each are drift', () => {
    const world = deployWorld();
    const { vars } = deployListedKinds(world);
    world.fake.clearLog();
    const inSync = world.cli(['drift', '--format', 'json'], vars);
    expect(inSync.status, inSync.output).toBe(0);
    expect(JSON.parse(inSync.stdout)).toMatchObject({ verdict: 'in-sync', unchecked: [] });
    expect(world.fake.commands()).toEqual(expect.arrayContaining(LISTED_KIND_READS));

    // By hand in the tenant: the voice config's language, the policy removed, the channel deleted, a phone config added.
    const dir = tempDir('wxo-hand-');
    writeFileSync(
      join(dir, 'v.yaml'),
      'name: voice_v\nspeech_to_text:\n  provider: watson\ntext_to_speech:\n  provider: watson\nlanguage: de-de\n',
    );
    writeFileSync(join(dir, 'extra.yaml'), 'spec_version: v1\nkind: phone\nservice_provider: sip_trunk\nname: extra_trunk\n');
    for (const args of [
      ['voice-configs', 'import', '-f', 'v.yaml'],
      ['models', 'policy', 'remove', '-n', 'virtual-policy/policy_p'],
      ['channels', 'delete', '--agent-name', 'billing_agent', '--env', 'draft', '--type', 'twilio_sms', '--name', 'sms', '--yes'],
      ['phone', 'import', '-f', 'extra.yaml'],
    ]) {
      const r = orchestrate(world, args, dir);
      expect(r.status, `${args.join(' ')}: ${r.output}`).toBe(0);
    }
    const drift = world.cli(['drift', '--format', 'json'], vars);
    expect(drift.status, drift.output).toBe(1);
    const items = JSON.parse(drift.stdout).items.map(
      (i: { state: string; kind: string; name: string; diffs: { field: string; expected: string; actual: string }[] }) =>
        `${i.state} ${i.kind} ${i.name}${i.diffs.map((d) => ` [${d.field}: ${d.expected} → ${d.actual}]`).join('')}`,
    );
    expect(items).toEqual([
      'changed voice_config voice_v [language: en-us → de-de]',
      'missing model_policy virtual-policy/policy_p',
      'missing channel billing_agent/sms',
      'unmanaged phone extra_trunk',
    ]);
    const text = world.cli(['drift'], vars).stdout;
    expect(text).toContain('- MISSING       channel billing_agent/sms — channels/billing_agent/sms.yaml');
    expect(text).not.toContain('not compared');
  }, 300_000);
});

describe('drift --all', () => {
  /** The example policy with only the dev/qa tenant's environments (both on one tenant). */
  const devAndQaOnly = (t: string) =>
    t
      .replace(/^ {2}- name: staging\n(?: {4}.*\n)+/m, '')
      .replace(/^ {2}- name: prod\n(?: {4}.*\n)+/m, '')
      .split('\n')
      .filter((l) => !/^ {2}- \{ from: .*(?:staging|prod)/.test(l))
      .join('\n')
      .replace('protected_environments: [dev, qa, staging, prod]', 'protected_environments: [dev, qa]');

  it('checks every environment in one run: knowledge bases once per tenant, the worst verdict as exit code, alerts and metrics per environment', async () => {
    const world = deployWorld();
    const { repo } = world;
    const hook = await startWebhook();
    const gateway = await startWebhook();
    const gatewayUrl = gateway.url.replace(/\/hooks\/.*$/, '');
    edit(
      repo,
      'wxo-policy.yaml',
      (t) =>
        `${devAndQaOnly(t)}\nnotifications:\n  timeout_seconds: 2\n  targets:\n    - { name: ops, type: json, url_secret: OPS_WEBHOOK_URL, events: [drift_found, drift_cleared] }\n`,
    );
    repo.commitAll('dev and qa only; alerts');
    const vars = { OPS_WEBHOOK_URL: hook.url };
    expect(world.cli(['deploy'], vars).status).toBe(0);
    repo.run('switch', '-q', '-c', 'qa-1.4.0');
    expect(world.cli(['deploy'], vars).status).toBe(0);
    repo.run('switch', '-q', 'develop');

    const inSync = world.cli(['drift', '--all'], vars);
    expect(inSync.status, inSync.output).toBe(0);
    expect(inSync.stdout).toContain('dev: the tenant matches its last deploy');
    expect(inSync.stdout).toContain('qa: the tenant matches its last deploy');
    expect(inSync.stdout).toContain('drift --all: 2 in sync, 0 drifted, 0 could not tell');
    expect(inSync.stdout).toContain('knowledge bases are tenant-wide: compared once for tenant dev-qa-tenant, in dev');

    // A knowledge base removed and an agent edited by hand: the KB is reported once (in dev), the agent in both.
    const dir = tempDir('wxo-hand-');
    expect(orchestrate(world, ['knowledge-bases', 'remove', '-n', 'policy_coverage_kb'], dir).status).toBe(0);
    handEdit(world, 'claims_agent', (y) => y.replace(/^instructions: .*(\n {2}.*)*/m, 'instructions: Be brief.'));
    const drift = world.cli(['drift', '--all', '--format', 'json', '--push-metrics', gatewayUrl], vars);
    expect(drift.status).toBe(1);
    const all = JSON.parse(drift.stdout);
    expect(all.verdict).toBe('drift');
    expect(all.environments.map((e: { environment: string; verdict: string }) => `${e.environment} ${e.verdict}`)).toEqual([
      'dev drift',
      'qa drift',
    ]);
    const kbItems = all.environments.flatMap((e: { environment: string; items: { kind: string; state: string }[] }) =>
      e.items.filter((i) => i.kind === 'knowledge_base').map((i) => `${e.environment} ${i.state}`),
    );
    expect(kbItems).toEqual(['dev missing']);
    for (const e of all.environments)
      expect(e.items.map((i: { name: string; state: string }) => `${i.name} ${i.state}`)).toContain('claims_agent changed');
    // One drift_found per environment; one metrics group per environment, as single runs push them.
    expect(hook.received().map((r) => `${r.json.event} ${r.json.environment}`)).toEqual(['drift_found dev', 'drift_found qa']);
    expect(gateway.received().map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /metrics/job/wxo_policy_drift/environment/dev',
      'PUT /metrics/job/wxo_policy_drift/environment/qa',
    ]);

    // The other formats hold every environment once.
    const prom = world.cli(['drift', '--all', '--format', 'prometheus', '--no-notify'], vars).stdout;
    expect(prom.match(/^# TYPE wxo_policy_drift_in_sync gauge$/gm)).toHaveLength(1);
    expect(prom).toMatch(/^wxo_policy_drift_in_sync\{[^}]*environment="dev"[^}]*\} 0$/m);
    expect(prom).toMatch(/^wxo_policy_drift_in_sync\{[^}]*environment="qa"[^}]*\} 0$/m);
    const junit = world.cli(['drift', '--all', '--format', 'junit', '--no-notify'], vars).stdout;
    expect(junit.match(/<testsuite /g)).toHaveLength(2);
    expect(junit).toContain('<testsuites name="wxo-policy drift --all" tests="3" failures="3" errors="0">');
    const sarif = JSON.parse(world.cli(['drift', '--all', '--format', 'sarif', '--no-notify'], vars).stdout);
    expect(sarif.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).toEqual([
      'wxo-policy/drift/dev',
      'wxo-policy/drift/qa',
    ]);

    // Could not tell (the tenant's key is missing): exit 2, every environment still reported.
    const noKey = world.cli(['drift', '--all', '--format', 'json', '--no-notify'], { ...vars, WXO_DEV_QA_API_KEY: '' });
    expect(noKey.status).toBe(2);
    expect(JSON.parse(noKey.stdout).environments.map((e: { verdict: string }) => e.verdict)).toEqual(['unknown', 'unknown']);
    expect(world.cli(['drift', '--all', '--env', 'dev']).status).toBe(2);

    // Repaired: in sync again, drift_cleared per environment.
    expect(world.cli(['deploy', '--full'], vars).status).toBe(0);
    repo.run('switch', '-q', 'qa-1.4.0');
    expect(world.cli(['deploy', '--full'], vars).status).toBe(0);
    const cleared = world.cli(['drift', '--all'], vars);
    expect(cleared.status, cleared.output).toBe(0);
    expect(hook.received().map((r) => `${r.json.event} ${r.json.environment}`)).toEqual([
      'drift_found dev',
      'drift_found qa',
      'drift_cleared dev',
      'drift_cleared qa',
    ]);
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

  it('reads back the voice configs, models, model policies, phone configs and channels it imported: a match verifies; a tenant that differs fails (exit 1, no tag) with the differences, secrets masked', () => {
    const world = deployWorld();
    const stt = 'https://stt.example/instances/meridian';
    world.secrets.STT_API_KEY = fakeSecret.password();
    const voice = (language: string) =>
      `name: voice_v\nspeech_to_text:\n  provider: watson_stt\n  watson_stt_config:\n    api_url: ${stt}\n    api_key: \${STT_API_KEY}\n    model: en-US_Telephony\ntext_to_speech:\n  provider: watson_tts\n  watson_tts_config:\n    api_url: https://tts.example/instances/meridian\n    voice: en-US_AllisonV3Voice\nlanguage: ${language}\n`;
    const { vars, deployed } = deployListedKinds(world, voice('en-us'));
    // Read back after the imports: the four lists of these kinds, the channels of the agent they belong to.
    const commands = world.fake.commands();
    const reads = commands.slice(commands.indexOf('connections list -v'));
    expect(reads).toEqual(expect.arrayContaining(LISTED_KIND_READS));
    expect(commands.indexOf('voice-configs list -v')).toBeGreaterThan(
      commands.indexOf('phone attach -n line --agent-name billing_agent --env draft'),
    );
    expect(deployed.stdout).toContain('✓ live verification: ok (28 resources as planned)');

    // In the tenant by hand: someone pasted the STT key into the voice config's URL, removed the model
    // policy and switched the phone config to a SIP trunk. Git then changes each of them (and renames
    // the channel); the platform answers every import with success but keeps nothing of it.
    const dir = tempDir('wxo-hand-');
    writeFileSync(
      join(dir, 'v.yaml'),
      voice('en-us').replace(stt, `${stt}?apikey=${world.secrets.STT_API_KEY}`).replace('${STT_API_KEY}', 'x'),
    );
    writeFileSync(join(dir, 'line.yaml'), 'spec_version: v1\nkind: phone\nservice_provider: sip_trunk\nname: line\n');
    for (const args of [
      ['voice-configs', 'import', '-f', 'v.yaml'],
      ['models', 'policy', 'remove', '-n', 'virtual-policy/policy_p'],
      ['phone', 'import', '-f', 'line.yaml'],
    ]) {
      const r = orchestrate(world, args, dir);
      expect(r.status, `${args.join(' ')}: ${r.output}`).toBe(0);
    }
    edit(world.repo, 'voice/v.yaml', (t) => t.replace('language: en-us', 'language: de-de'));
    edit(world.repo, 'models/m.yaml', (t) => t.replace('Our tuned model', 'Our tuned model, v2'));
    edit(world.repo, 'models/policies/p.yaml', (t) => t.replace('mode: fallback', 'mode: loadbalance'));
    edit(world.repo, 'phone/billing_agent/line.yaml', (t) => `${t}description: Billing hotline\n`);
    edit(world.repo, 'channels/billing_agent/sms.yaml', (t) => t.replace('name: sms', 'name: sms_us'));
    world.repo.commitAll('voice in German, model v2, policy load-balanced, hotline, SMS renamed');
    world.fake.rules([{ match: 're:^(voice-configs|models|models policy|phone|channels) import ', action: 'echo' }]);
    const failed = world.cli(['deploy'], vars);
    expect(failed.status, failed.output).toBe(1);
    const shown = failed.stdout.slice(failed.stdout.indexOf('verifying:'));
    expect(shown.split('\n').filter((l) => /^ {2}✗|^ {6}\S/.test(l))).toEqual([
      '  ✗ voice_config voice_v: differs from what was imported',
      `      speech_to_text.watson_stt_config.api_url: planned ${stt} ≠ tenant ${stt}?apikey=<secret:STT_API_KEY>`,
      '      language: planned de-de ≠ tenant en-us',
      '  ✗ model virtual-model/watsonx/x/m: differs from what was imported',
      '      description: planned Our tuned model, v2 ≠ tenant Our tuned model',
      '  ✗ model_policy virtual-policy/policy_p: not in the tenant after its import',
      '  ✗ channel billing_agent/sms_us: not in the tenant after its import',
      '  ✗ phone line: differs from what was imported',
      '      service_provider: planned genesys_audio_connector ≠ tenant sip_trunk',
    ]);
    expect(failed.stderr).toContain('post-deploy verification failed: 5 resources are not as planned; no deploy tag was made');
    expect(failed.output).not.toContain(world.secrets.STT_API_KEY);
    expect(world.repo.run('tag', '--list').trim()).toBe('v1.4.0-dev');

    // The platform keeps the imports again: the same plan verifies, and is tagged.
    world.fake.rules([]);
    const repaired = world.cli(['deploy'], vars);
    expect(repaired.status, repaired.output).toBe(0);
    // 5 imports read back, and the removal of the channel's old name (sms) confirmed.
    expect(repaired.stdout).toContain('✓ live verification: ok (6 resources as planned)');
    expect(world.repo.run('tag', '--list').trim().split('\n')).toEqual(['v1.4.0-dev', 'v1.4.0-dev.2']);
  }, 300_000);

  it('confirms the removals of voice configs, models, model policies, phone configs and channels: a platform that answers success but keeps them fails the deploy (exit 1, no tag) with the leftovers; the same plan then verifies', () => {
    const world = deployWorld();
    const { vars } = deployListedKinds(world);

    // Git removes one object of each kind; the platform answers each removal with success but keeps the object.
    const removedFiles = [
      'voice/v.yaml',
      'models/m.yaml',
      'models/policies/p.yaml',
      'phone/billing_agent/line.yaml',
      'channels/billing_agent/sms.yaml',
    ];
    world.repo.run('rm', '-q', ...removedFiles);
    world.repo.commitAll('no voice, model, policy, phone line or SMS channel any more');
    world.fake.rules([
      { match: 're:^(voice-configs remove|models remove|models policy remove|phone delete|channels delete) ', action: 'echo' },
    ]);
    world.fake.clearLog();
    const failed = world.cli(['deploy'], vars);
    expect(failed.status, failed.output).toBe(1);
    const removals = world.fake.commands().filter((c) => / (remove|delete) /.test(c));
    expect(removals).toHaveLength(5);
    // Read back after the removals: the lists of these kinds, the channels of the agent the channel belonged to.
    const reads = world.fake.commands().slice(world.fake.commands().indexOf('connections list -v'));
    expect(reads).toEqual(expect.arrayContaining(LISTED_KIND_READS));
    const shown = failed.stdout.slice(failed.stdout.indexOf('verifying:'));
    expect(shown.split('\n').filter((l) => /^ {2}✗/.test(l))).toEqual([
      '  ✗ voice_config voice_v: still in the tenant after its removal',
      '  ✗ model virtual-model/watsonx/x/m: still in the tenant after its removal',
      '  ✗ model_policy virtual-policy/policy_p: still in the tenant after its removal',
      '  ✗ channel billing_agent/sms: still in the tenant after its removal',
      '  ✗ phone line: still in the tenant after its removal',
    ]);
    expect(failed.stderr).toContain('post-deploy verification failed: 5 resources are not as planned; no deploy tag was made');
    expect(world.repo.run('tag', '--list').trim()).toBe('v1.4.0-dev');

    // The platform removes them again: the same plan (from the last tag) verifies, and is tagged.
    world.fake.rules([]);
    const repaired = world.cli(['deploy'], vars);
    expect(repaired.status, repaired.output).toBe(0);
    expect(repaired.stdout).toContain('✓ live verification: ok (5 resources as planned)');
    expect(world.repo.run('tag', '--list').trim().split('\n')).toEqual(['v1.4.0-dev', 'v1.4.0-dev.2']);
    for (const tenant of Object.values(world.fake.state().tenants))
      for (const kind of ['voice_configs', 'models', 'model_policies', 'channels', 'phone_configs'])
        expect(Object.keys(tenant[kind] ?? {}), kind).toEqual([]);
  }, 300_000);
});
