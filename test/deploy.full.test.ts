import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployWorld, edit, EXAMPLE_SECRET_NAMES, isLiveRead } from './helpers/fakeOrchestrate.js';
import { tempDir } from './helpers/tmp.js';

/**
 * Full deploys of the example repository through the built CLI, with the stand-in orchestrate on
 * PATH: the exact argv sequence, what the imported files contain, credentials per environment,
 * the deploy tag and its record. That no secret value is ever printed or recorded is checked
 * after every test of a deployWorld (assertNoLeaks).
 */
const URL_DEV_QA = 'https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/00000000-0000-0000-0000-000000000001';
const TOKEN_URL = 'https://login-uat.meridian-mutual.example/oauth2/v1/token';

/** The imports of a first deploy: the credentials of the stage's environment only (draft stays draft). */
function expectedImports(s: Record<string, string>, stage: 'draft' | 'live' = 'draft'): string[][] {
  return withCredentialsOf(stage, [
    ['connections', 'import', '-f', 'connections/claims_core.yaml'],
    [
      'connections',
      'set-credentials',
      '-a',
      'claims_core',
      '--env',
      'draft',
      '--client-id',
      s.CLAIMS_CORE_CLIENT_ID_DRAFT!,
      '--client-secret',
      s.CLAIMS_CORE_CLIENT_SECRET_DRAFT!,
      '--token-url',
      TOKEN_URL,
      '--grant-type',
      'client_credentials',
      '--scope',
      'claims.read claims.write',
    ],
    [
      'connections',
      'set-credentials',
      '-a',
      'claims_core',
      '--env',
      'live',
      '--client-id',
      s.CLAIMS_CORE_CLIENT_ID_LIVE!,
      '--client-secret',
      s.CLAIMS_CORE_CLIENT_SECRET_LIVE!,
      '--token-url',
      TOKEN_URL,
      '--grant-type',
      'client_credentials',
      '--scope',
      'claims.read claims.write',
    ],
    ['connections', 'import', '-f', 'connections/meridian_crm.yaml'],
    ['connections', 'set-credentials', '-a', 'meridian_crm', '--env', 'draft', '--api-key', s.MERIDIAN_CRM_API_KEY_DRAFT!],
    ['connections', 'set-credentials', '-a', 'meridian_crm', '--env', 'live', '--api-key', s.MERIDIAN_CRM_API_KEY_LIVE!],
    ['connections', 'import', '-f', 'connections/policy_admin.yaml'],
    [
      'connections',
      'set-credentials',
      '-a',
      'policy_admin',
      '--env',
      'draft',
      '-u',
      s.POLICY_ADMIN_USERNAME_DRAFT!,
      '-p',
      s.POLICY_ADMIN_PASSWORD_DRAFT!,
    ],
    [
      'connections',
      'set-credentials',
      '-a',
      'policy_admin',
      '--env',
      'live',
      '-u',
      s.POLICY_ADMIN_USERNAME_LIVE!,
      '-p',
      s.POLICY_ADMIN_PASSWORD_LIVE!,
    ],
    ['connections', 'import', '-f', 'connections/roadside_partner.yaml'],
    ['connections', 'set-credentials', '-a', 'roadside_partner', '--env', 'draft', '--token', s.ROADSIDE_PARTNER_TOKEN_DRAFT!],
    ['connections', 'set-credentials', '-a', 'roadside_partner', '--env', 'live', '--token', s.ROADSIDE_PARTNER_TOKEN_LIVE!],
    [
      'tools',
      'import',
      '-k',
      'python',
      '-f',
      'tools/calculate_payout_estimate/calculate_payout_estimate.py',
      '-r',
      'tools/calculate_payout_estimate/requirements.txt',
    ],
    [
      'tools',
      'import',
      '-k',
      'python',
      '-f',
      'tools/create_claim/create_claim.py',
      '-r',
      'tools/create_claim/requirements.txt',
      '-a',
      'claims_core',
    ],
    [
      'tools',
      'import',
      '-k',
      'python',
      '-f',
      'tools/get_claim_status/get_claim_status.py',
      '-r',
      'tools/get_claim_status/requirements.txt',
      '-a',
      'claims_core',
    ],
    [
      'tools',
      'import',
      '-k',
      'python',
      '-f',
      'tools/get_customer_profile/get_customer_profile.py',
      '-r',
      'tools/get_customer_profile/requirements.txt',
      '-a',
      'meridian_crm',
    ],
    [
      'tools',
      'import',
      '-k',
      'python',
      '-f',
      'tools/validate_loss_details/validate_loss_details.py',
      '-r',
      'tools/validate_loss_details/requirements.txt',
    ],
    ['tools', 'import', '-k', 'openapi', '-f', 'tools/openapi/policy_admin_api.yaml', '-a', 'policy_admin'],
    ['tools', 'import', '-k', 'flow', '-f', 'flows/first_notice_of_loss_flow.json'],
    ['knowledge-bases', 'import', '-f', 'knowledge_bases/policy_coverage_kb/policy_coverage_kb.yaml'],
    ['agents', 'import', '-f', 'agents/billing_agent.yaml'],
    ['agents', 'import', '-f', 'agents/claims_agent.yaml'],
    ['agents', 'import', '-f', 'agents/policy_servicing_agent.yaml'],
    ['agents', 'import', '-f', 'agents/roadside_assistance_agent.yaml'],
    ['agents', 'import', '-f', 'agents/customer_care_supervisor.yaml'],
  ]);
}
const withCredentialsOf = (stage: string, calls: string[][]) => calls.filter((c) => c[1] !== 'set-credentials' || c[5] === stage);

describe('a first deploy of the example repository', () => {
  it('deploys develop (draft): exact calls in order, credentials per environment, no agents deploy, a tag with the record', () => {
    const world = deployWorld();
    const r = world.cli(['deploy'], { BUILD_URL: 'https://jenkins.example.test/job/wxo/42/' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const calls = world.fake.calls();
    expect(calls.map((c) => c.argv)).toEqual([
      ['env', 'list'],
      ['env', 'add', '-n', 'wxo-dev-qa', '-u', URL_DEV_QA, '-t', 'ibm_iam'],
      ['env', 'activate', 'wxo-dev-qa', '--api-key', world.secrets.WXO_DEV_QA_API_KEY!],
      ...expectedImports(world.secrets),
      // The post-deploy verification reads the tenant: every kind, then the agents Git defines.
      ['connections', 'list', '-v'],
      ['tools', 'list', '-v'],
      ['toolkits', 'list', '-v'],
      ['knowledge-bases', 'list', '-v'],
      ['agents', 'list', '-v'],
      ...['billing_agent', 'claims_agent', 'policy_servicing_agent', 'customer_care_supervisor'].map((n) => [
        'agents',
        'export',
        '-n',
        n,
        '-k',
        'native',
        '--agent-only',
        '-o',
        expect.stringMatching(/agent-\d+\.yaml$/),
      ]),
      [
        'agents',
        'export',
        '-n',
        'roadside_assistance_agent',
        '-k',
        'external',
        '--agent-only',
        '-o',
        expect.stringMatching(/agent-\d+\.yaml$/),
      ],
    ]);
    // Every call: stdin from /dev/null, run in a private directory outside the work tree, gone afterwards.
    for (const call of calls) {
      expect(call.stdin).toBe('char');
      expect(call.cwd.startsWith(world.repo.dir)).toBe(false);
      expect(existsSync(call.cwd)).toBe(false);
    }
    // Connections are imported without their credentials, with values substituted; files are 0600.
    const claims = calls.find((c) => c.argv.join(' ') === 'connections import -f connections/claims_core.yaml')!;
    const file = claims.files['connections/claims_core.yaml']!;
    expect(file.mode).toBe(0o600);
    expect(file.content).not.toMatch(/^\s+credentials:/m);
    expect(file.content).not.toContain('${');
    expect(file.content).toContain('server_url: https://claims-uat.meridian-mutual.example/core/v1');
    // Draft stays draft: the connection is imported with its draft block only, and the tenant's
    // live configurations and credentials are untouched (the stand-in keeps them as the ADK does).
    expect(file.content).toMatch(/^ {2}draft:/m);
    expect(file.content).not.toMatch(/^ {2}live:/m);
    const tenant = world.fake.state().tenants['wxo-dev-qa']!;
    for (const conn of Object.values(tenant.connections!)) {
      expect(conn.environments.live).toBeUndefined();
      expect(conn.environments.draft.credentials).not.toBeNull();
    }
    // Agents and the OpenAPI spec get their values too; the Python tool keeps its requirements beside it.
    const billing = calls.find((c) => c.argv.join(' ') === 'agents import -f agents/billing_agent.yaml')!;
    expect(billing.files['agents/billing_agent.yaml']!.content).toContain('llm: groq/openai/gpt-oss-120b');
    const openapi = calls.find((c) => c.argv.includes('openapi'))!;
    expect(openapi.files['tools/openapi/policy_admin_api.yaml']!.content).toContain(
      '- url: https://pas-uat.meridian-mutual.example/api/v3',
    );
    const tool = calls.find((c) => c.argv.includes('tools/create_claim/create_claim.py'))!;
    expect(tool.files['tools/create_claim/requirements.txt']!.content).toContain('requests==2.32.3');

    // The output shows masked argv, the tenant-wide KB, and the tag.
    expect(r.stdout).toContain('$ orchestrate env activate wxo-dev-qa --api-key <secret:WXO_DEV_QA_API_KEY>');
    expect(r.stdout).toContain('import knowledge base policy_coverage_kb — new [tenant-wide]');
    expect(r.stdout).toContain('deployed dev: 21 operations');
    expect(r.stdout).toContain('tagged v1.4.0-dev');
    expect(r.stdout).not.toContain('agents deploy');

    // The annotated tag on HEAD carries the deploy record.
    expect(world.repo.run('cat-file', '-t', 'v1.4.0-dev').trim()).toBe('tag');
    expect(world.repo.run('rev-parse', 'v1.4.0-dev^{commit}').trim()).toBe(world.repo.run('rev-parse', 'HEAD').trim());
    const record = world.repo.run('tag', '-l', '--format=%(contents)', 'v1.4.0-dev');
    expect(record).toContain('environment: dev');
    expect(record).toContain('tenant: dev-qa-tenant');
    expect(record).toContain(`commit: ${world.repo.run('rev-parse', 'HEAD').trim()}`);
    expect(record).toContain('build: https://jenkins.example.test/job/wxo/42/');
    expect(record).toContain('operations: 21');
    expect(record).toContain('1. orchestrate connections import -f connections/claims_core.yaml');
    expect(record).toContain('--client-secret <secret:CLAIMS_CORE_CLIENT_SECRET_DRAFT>');
    expect(record).toContain('21. orchestrate agents import -f agents/customer_care_supervisor.yaml');

    // Deploying again: nothing to do, no call, no new tag.
    world.fake.clearLog();
    const again = world.cli(['deploy']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('nothing to deploy: v1.4.0-dev already deployed this commit');
    expect(world.fake.calls()).toEqual([]);
    expect(world.repo.run('tag', '-l').trim()).toBe('v1.4.0-dev');
  });

  it('deploys qa (live): every native agent is deployed after the imports, collaborators first; the external agent is not', () => {
    const world = deployWorld();
    world.repo.run('switch', '-q', '-c', 'qa-1.4.0');
    const r = world.cli(['deploy']);
    expect(r.status).toBe(0);
    const argv = world.fake
      .calls()
      .map((c) => c.argv)
      .filter((a) => !isLiveRead(a.join(' ')));
    expect(argv.slice(3)).toEqual([
      ...expectedImports(world.secrets, 'live'),
      ['agents', 'deploy', '-n', 'billing_agent'],
      ['agents', 'deploy', '-n', 'claims_agent'],
      ['agents', 'deploy', '-n', 'policy_servicing_agent'],
      ['agents', 'deploy', '-n', 'customer_care_supervisor'],
    ]);
    expect(r.stdout).toContain('tagged v1.4.0-qa');
    expect(world.repo.run('tag', '-l').trim()).toBe('v1.4.0-qa');
    // `agents deploy` polls for the release itself (WXO_AGENT_DEPLOYMENT_TIMEOUT, reference §2):
    // its budget ends 10 s before deploy.timeout_seconds (600) kills it; other calls get none.
    const timeouts = world.fake
      .calls()
      .filter((c) => !isLiveRead(c.argv.join(' ')))
      .map((c) => [c.argv.slice(0, 2).join(' '), c.env.WXO_AGENT_DEPLOYMENT_TIMEOUT]);
    expect(new Set(timeouts.map(([cmd, t]) => `${cmd} ${t}`))).toEqual(
      new Set([
        'env list undefined',
        'env add undefined',
        'env activate undefined',
        'connections import undefined',
        'connections set-credentials undefined',
        'tools import undefined',
        'knowledge-bases import undefined',
        'agents import undefined',
        'agents deploy 590',
      ]),
    );

    // A value of the deploy's own environment is the operator's choice and is left alone.
    world.fake.clearLog();
    edit(world.repo, 'agents/claims_agent.yaml', (t) => t.replace('display_name: Claims Specialist', 'display_name: Claims'));
    world.repo.commitAll('claims display name');
    expect(world.cli(['deploy'], { WXO_AGENT_DEPLOYMENT_TIMEOUT: '120' }).status).toBe(0);
    expect(
      world.fake
        .calls()
        .filter((c) => c.argv[1] === 'deploy')
        .map((c) => c.env.WXO_AGENT_DEPLOYMENT_TIMEOUT),
    ).toEqual(['120', '120']);
  });

  it('knows a configured orchestrate environment and only activates it', () => {
    const world = deployWorld({ deployed: 'develop' });
    edit(world.repo, 'agents/billing_agent.yaml', (t) => t.replace('display_name: Billing Specialist', 'display_name: Billing'));
    world.repo.commitAll('rename billing display name');
    world.fake.clearLog();
    const r = world.cli(['deploy']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('$ orchestrate env list: wxo-dev-qa is configured');
    expect(
      world.fake
        .commands()
        .filter((c) => !isLiveRead(c))
        .map((c) => c.replace(world.secrets.WXO_DEV_QA_API_KEY!, 'KEY')),
    ).toEqual(['env list', 'env activate wxo-dev-qa --api-key KEY', 'agents import -f agents/billing_agent.yaml']);
  });
});

describe('plan', () => {
  it('shows the ordered operations with secrets masked; JSON names the tenant-wide KB; --exit-code reports changes', () => {
    const world = deployWorld();
    const text = world.cli(['plan']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('environment dev: tenant dev-qa-tenant (orchestrate env wxo-dev-qa), draft stage');
    expect(text.stdout).toContain('base: none — first deploy of this environment, everything is new');
    expect(text.stdout).toContain('knowledge bases — tenant-wide: Draft and Live of dev-qa-tenant change at once');
    expect(text.stdout).toContain(
      'orchestrate connections set-credentials -a policy_admin --env draft -u <secret:POLICY_ADMIN_USERNAME_DRAFT> -p <secret:POLICY_ADMIN_PASSWORD_DRAFT>',
    );
    const order = [
      'connections import',
      'tools import -k python',
      'tools import -k openapi',
      'tools import -k flow',
      'knowledge-bases import',
      'agents import -f agents/billing_agent.yaml',
      'agents import -f agents/customer_care_supervisor.yaml',
    ];
    const positions = order.map((s) => text.stdout.indexOf(s));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    const json = world.cli(['plan', '--format', 'json']);
    const plan = JSON.parse(json.stdout);
    expect(plan.environment).toBe('dev');
    expect(plan.base).toBeNull();
    expect(plan.operations).toHaveLength(21);
    const kb = plan.operations.find((o: { kind: string }) => o.kind === 'knowledge_base');
    expect(kb).toMatchObject({
      action: 'import',
      tenant_wide: true,
      argv: ['orchestrate', 'knowledge-bases', 'import', '-f', 'knowledge_bases/policy_coverage_kb/policy_coverage_kb.yaml'],
    });
    expect(plan.secrets).toEqual(EXAMPLE_SECRET_NAMES.filter((n) => !n.endsWith('_LIVE'))); // a draft deploy needs no live credential
    expect(world.cli(['plan', '--exit-code']).status).toBe(1);
    expect(world.fake.calls()).toEqual([]); // planning calls nothing

    expect(world.cli(['deploy']).status).toBe(0);
    const clean = world.cli(['plan', '--exit-code']);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('base: v1.4.0-dev');
    expect(clean.stdout).toContain('no changes: nothing to deploy');
  });

  it('--env plans another environment from this commit; unknown environments and non-environment branches are usage errors', () => {
    const world = deployWorld();
    const qa = world.cli(['plan', '--env', 'qa', '--format', 'json']);
    expect(qa.status).toBe(0);
    expect(JSON.parse(qa.stdout).stage).toBe('live');
    expect(qa.stderr).toContain('--env qa: planning for qa although develop is the dev branch');
    const bad = world.cli(['plan', '--env', 'nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown environment "nope" (the policy has: dev, qa, staging, prod)');
    world.repo.run('switch', '-q', '-c', 'feature/x');
    const feature = world.cli(['plan']);
    expect(feature.status).toBe(2);
    expect(feature.stderr).toContain('branch feature/x is not an environment branch');
    expect(feature.stderr).toContain('--env');
    expect(feature.output).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it('--from is the base of a first deploy; a deploy tag wins over it', () => {
    const world = deployWorld();
    const first = world.repo.run('rev-parse', 'HEAD').trim();
    edit(world.repo, 'agents/claims_agent.yaml', (t) => t.replace('display_name: Claims Specialist', 'display_name: Claims'));
    world.repo.commitAll('claims display name');
    const plan = JSON.parse(world.cli(['plan', '--from', first, '--format', 'json']).stdout);
    expect(plan.base).toEqual({ commit: first, source: 'from', tag: null });
    expect(plan.operations.map((o: { argv: string[] }) => o.argv.slice(1).join(' '))).toEqual([
      'agents import -f agents/claims_agent.yaml',
    ]);
    // --from says the tenant already holds `first`: the strict stand-in needs the agent's tools there.
    world.fake.seed('wxo-dev-qa', {
      tools: ['first_notice_of_loss_flow', 'get_claim_status', 'listPolicyCoverages', 'calculate_payout_estimate'],
    });
    expect(world.cli(['deploy', '--from', first]).status).toBe(0);
    const after = world.cli(['plan', '--from', first]);
    expect(after.stderr).toContain(`--from ${first} ignored: the deploy tag v1.4.0-dev is the base`);
  });
});

describe('deploy --dry-run', () => {
  it('prints the plan and calls nothing, tags nothing', () => {
    const world = deployWorld();
    const r = world.cli(['deploy', '--dry-run'], Object.fromEntries(EXAMPLE_SECRET_NAMES.map((n) => [n, ''])));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('21 operations');
    expect(r.stdout).toContain('dry run: nothing was called, nothing was tagged.');
    expect(world.fake.calls()).toEqual([]);
    expect(world.repo.run('tag', '-l').trim()).toBe('');
  });
});

describe('secrets', () => {
  it('the leak check every deploy test ends with finds a secret in an output, a deploy record or a file', () => {
    const world = deployWorld();
    const secret = world.secrets.POLICY_ADMIN_PASSWORD_LIVE!;
    world.captured.push(`a careless line: ${secret}`);
    expect(() => world.assertNoLeaks()).toThrow(/secret POLICY_ADMIN_PASSWORD_LIVE leaked into output 1: …a careless line: <HERE>/);
    world.captured.pop();
    world.repo.run('tag', '-a', 'v0.0.1-dev', '-m', `record with ${secret}`);
    expect(() => world.assertNoLeaks()).toThrow(/leaked into the deploy records/);
    world.repo.run('tag', '-d', 'v0.0.1-dev');
    writeFileSync(join(world.repo.dir, '.git', 'wxo-policy-deploy-dev.lock'), secret);
    expect(() => world.assertNoLeaks()).toThrow(/leaked into \.git\/wxo-policy-deploy-dev\.lock/);
    writeFileSync(join(world.repo.dir, '.git', 'wxo-policy-deploy-dev.lock'), '');
    world.assertNoLeaks();
  });

  it('reports every missing secret at once and calls nothing (exit 2)', () => {
    const world = deployWorld();
    const r = world.cli(['deploy'], {
      WXO_DEV_QA_API_KEY: '',
      CLAIMS_CORE_CLIENT_SECRET_DRAFT: '',
      ROADSIDE_PARTNER_TOKEN_DRAFT: '',
      MERIDIAN_CRM_API_KEY_LIVE: '',
    });
    expect(r.status).toBe(2);
    // a live credential is no secret a Draft-stage deploy needs: its absence is no problem
    expect(r.stderr).toContain(
      '3 secrets missing (provider: environment variables); nothing was called:\n  WXO_DEV_QA_API_KEY\n  CLAIMS_CORE_CLIENT_SECRET_DRAFT\n  ROADSIDE_PARTNER_TOKEN_DRAFT',
    );
    expect(r.stderr).toContain('withCredentials');
    expect(world.fake.calls()).toEqual([]);
    expect(world.repo.run('tag', '-l').trim()).toBe('');
    expect(existsSync(`${world.repo.dir}/.git/wxo-policy-deploy-dev.lock`)).toBe(false);
  });

  it('masks secret values the orchestrate CLI itself prints', () => {
    const world = deployWorld();
    world.fake.rules([{ match: 'set-credentials -a meridian_crm --env draft', action: 'echo' }]);
    // The echo sets no credentials: the post-deploy verification would (rightly) fail this deploy.
    const r = world.cli(['deploy', '--no-verify-live']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '│ called with: connections set-credentials -a meridian_crm --env draft --api-key <secret:MERIDIAN_CRM_API_KEY_DRAFT>',
    );
    // The stand-in did receive the value; nothing wxo-policy printed or recorded contains it.
    expect(world.fake.rawLog()).toContain(world.secrets.MERIDIAN_CRM_API_KEY_DRAFT);
  });

  it('reads secrets from a file provider (dotenv) and from a command provider', () => {
    const world = deployWorld();
    const dotenv = Object.entries(world.secrets)
      .map(([k, v]) => `${k}="${v}"`)
      .join('\n');
    const dir = tempDir('wxo-secrets-');
    writeFileSync(join(dir, 'secrets.env'), `# deploy secrets\n${dotenv}\n`, { mode: 0o600 });
    edit(world.repo, 'wxo-policy.yaml', (t) =>
      t.replace('secrets:\n    provider: env', 'secrets:\n    provider: file\n    file: ${SECRETS_DIR}/secrets.env'),
    );
    world.repo.commitAll('secrets from a file');
    const noEnv = Object.fromEntries(EXAMPLE_SECRET_NAMES.map((n) => [n, '']));
    const r = world.cli(['deploy'], { ...noEnv, SECRETS_DIR: dir });
    expect(r.status).toBe(0);
    expect(world.fake.calls()[2]!.argv).toEqual(['env', 'activate', 'wxo-dev-qa', '--api-key', world.secrets.WXO_DEV_QA_API_KEY]);

    // A command: argv with {name}, stdout trimmed; a name it cannot answer is reported as missing.
    const script = join(dir, 'secret-cmd.mjs');
    writeFileSync(script, `const v = process.env['VAULT_' + process.argv[2]]; if (!v) process.exit(3); console.log(v);\n`);
    edit(world.repo, 'wxo-policy.yaml', (t) =>
      t.replace(
        'provider: file\n    file: ${SECRETS_DIR}/secrets.env',
        `provider: command\n    command: [node, ${JSON.stringify(script)}, "{name}"]`,
      ),
    );
    edit(world.repo, 'agents/billing_agent.yaml', (t) => t.replace('display_name: Billing Specialist', 'display_name: Billing'));
    world.repo.commitAll('secrets from a command');
    const vault = Object.fromEntries(Object.entries(world.secrets).map(([k, v]) => [`VAULT_${k}`, v]));
    const missing = world.cli(['deploy'], { ...noEnv, ...vault, VAULT_WXO_DEV_QA_API_KEY: '' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('1 secret missing (provider: command node');
    expect(missing.stderr).toContain('WXO_DEV_QA_API_KEY (exit 3)');
    const ok = world.cli(['deploy'], { ...noEnv, ...vault });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('tagged v1.4.0-dev.2');
  });
});

describe('tenant binding', () => {
  it('refuses to deploy when tenant.yaml does not match the policy tenant of the environment', () => {
    const world = deployWorld();
    edit(world.repo, 'tenant.yaml', (t) => t.replace('env_name: wxo-dev-qa', 'env_name: wxo-prod'));
    world.repo.commitAll('wrong env name');
    const plan = world.cli(['plan']);
    expect(plan.status).toBe(0);
    expect(plan.stdout).toContain(
      'warning: tenant.yaml orchestrate.env_name is "wxo-prod", but the policy\'s tenant of environment dev has "wxo-dev-qa" (deploy refuses this)',
    );
    const r = world.cli(['deploy']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("refusing to deploy dev: the tenant files do not match the policy's tenant of dev");
    expect(world.fake.calls()).toEqual([]);
  });

  it('checks every tenant-scoped file, not only tenant.yaml: values.yaml of another tenant refuses the deploy and shows in status', () => {
    const world = deployWorld();
    edit(world.repo, 'values.yaml', (t) => t.replace(/^tenant: dev-qa-tenant$/m, 'tenant: prod-tenant'));
    world.repo.commitAll('values of the wrong tenant');
    const problem = 'values.yaml:5:9 declares tenant "prod-tenant" but branch develop (dev) belongs to tenant "dev-qa-tenant"';
    const plan = world.cli(['plan']);
    expect(plan.status).toBe(0);
    expect(plan.stdout).toContain(`warning: ${problem} (deploy refuses this)`);
    const r = world.cli(['deploy']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`refusing to deploy dev: the tenant files do not match the policy's tenant of dev:\n  ${problem}`);
    expect(world.fake.calls()).toEqual([]);
    expect(world.repo.run('tag', '-l').trim()).toBe('');

    const status = world.cli(['status']);
    expect(status.stdout).toContain(`    tenant binding: does not match dev-qa-tenant (deploy refuses this branch):\n      ${problem}`);
    const json = JSON.parse(world.cli(['status', '--format', 'json']).stdout);
    expect(json.environments[0].branches[0].tenantBinding).toEqual({ state: 'mismatch', problems: [problem] });
  });
});
