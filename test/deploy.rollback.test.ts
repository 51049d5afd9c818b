import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployFromHook, planSummary } from '../src/deploy/fromHooks.js';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { deployWorld, edit, type DeployWorld, isLiveRead } from './helpers/fakeOrchestrate.js';
import { branchBuild } from './helpers/jenkins.js';

/**
 * Rollback is `git revert` on the environment branch, and the plan of the revert redeploys the
 * previous versions; `status` shows where every environment stands; in Jenkins the deploy tags
 * are fetched into the narrow clone before planning, and pushed after deploying.
 */
const FRAUD_AGENT =
  'spec_version: v1\nkind: native\nname: fraud_screening_agent\ndescription: Screens new claims for fraud indicators.\nllm: ${values.llm.default}\ntools:\n  - get_claim_status\n';
const exampleFile = (path: string) => readFileSync(join(PROJECT_ROOT, 'examples', 'gitops-repo', path), 'utf8');

function deployed(world: DeployWorld): string[] {
  world.fake.clearLog();
  const r = world.cli(['deploy']);
  if (r.status !== 0) throw new Error(r.output);
  return world.fake.commands().filter((c) => !c.startsWith('env ') && !isLiveRead(c));
}

describe('rollback by git revert', () => {
  it('the plan of a revert re-imports the previous versions and removes what the reverted commit added', () => {
    const world = deployWorld({ deployed: 'develop' });
    world.repo.write({ 'agents/fraud_screening_agent.yaml': FRAUD_AGENT });
    edit(world.repo, 'tools/create_claim/create_claim.py', (t) => t.replace('TIMEOUT_SECONDS = 30', 'TIMEOUT_SECONDS = 5'));
    world.repo.commitAll('fraud screening; shorter create_claim timeout');
    expect(deployed(world)).toEqual([
      'tools import -k python -f tools/create_claim/create_claim.py -r tools/create_claim/requirements.txt -a claims_core',
      'agents import -f agents/fraud_screening_agent.yaml',
    ]);

    world.repo.run('revert', '--no-edit', 'HEAD');
    const plan = world.cli(['plan']).stdout;
    expect(plan).toContain('base: v1.4.0-dev.2');
    expect(plan).toContain('remove agent fraud_screening_agent — removed from the repository (was agents/fraud_screening_agent.yaml)');
    expect(deployed(world)).toEqual([
      'tools import -k python -f tools/create_claim/create_claim.py -r tools/create_claim/requirements.txt -a claims_core',
      'agents remove -n fraud_screening_agent -k native',
    ]);
    // What was imported is the previous version, byte for byte.
    const imported = world.fake.calls().find((c) => c.argv.includes('tools/create_claim/create_claim.py'))!;
    expect(imported.files['tools/create_claim/create_claim.py']!.content).toBe(exampleFile('tools/create_claim/create_claim.py'));
    expect(world.repo.run('tag', '-l').trim().split('\n')).toEqual(['v1.4.0-dev', 'v1.4.0-dev.2', 'v1.4.0-dev.3']);
  }, 240_000);

  it('rollback --to <tag> reverts every commit after the tag (merges with -m 1) and shows the plan that redeploys', () => {
    const world = deployWorld({ deployed: 'qa-1.4.0' });
    const { repo } = world;
    repo.run('switch', '-q', '-c', 'bugfix/billing', 'develop');
    edit(repo, 'agents/billing_agent.yaml', (t) => t.replace('display_name: Billing Specialist', 'display_name: Billing'));
    repo.commitAll('billing: shorter name');
    repo.run('switch', '-q', 'qa-1.4.0');
    repo.run('merge', '-q', '--no-ff', '-m', 'Merge bugfix/billing into qa-1.4.0', 'bugfix/billing');
    repo.write({ 'agents/fraud_screening_agent.yaml': FRAUD_AGENT });
    repo.commitAll('fraud screening agent');
    expect(world.cli(['deploy']).stdout).toContain('tagged v1.4.0-qa.2');

    // Refused on a dirty tree, with the wrong kind of tag, or a tag of another environment.
    edit(repo, 'agents/claims_agent.yaml', (t) => `${t}# local edit\n`);
    const dirty = world.cli(['rollback', '--to', 'v1.4.0-qa']);
    expect(dirty.status).toBe(2);
    expect(dirty.stderr).toContain('the working tree has 1 uncommitted change: refusing to revert');
    repo.run('checkout', '--', 'agents/claims_agent.yaml');
    expect(world.cli(['rollback', '--to', 'v9.9.9-qa']).stderr).toContain('no tag v9.9.9-qa in this clone');
    repo.run('tag', 'v1.4.0-dev', 'develop');
    expect(world.cli(['rollback', '--to', 'v1.4.0-dev']).stderr).toContain(
      'v1.4.0-dev is a deploy tag of dev, but qa-1.4.0 is the qa branch',
    );

    const r = world.cli(['rollback', '--to', 'v1.4.0-qa']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('reverting 2 commits of qa-1.4.0 back to v1.4.0-qa (newest first)');
    expect(r.stdout).toMatch(/reverted [0-9a-f]+ fraud screening agent\n/);
    expect(r.stdout).toMatch(/reverted [0-9a-f]+ Merge bugfix\/billing into qa-1.4.0 \(merge, -m 1\)/);
    expect(r.stdout).toContain('2 revert commits made:');
    expect(r.stdout).toContain('base: v1.4.0-qa.2');
    expect(r.stdout).toContain('remove agent fraud_screening_agent');
    expect(r.stdout).toContain('push the branch to deploy it: `git push origin qa-1.4.0`');
    // The tree is the tagged one again, and the history only grew.
    expect(repo.attempt('diff', '--quiet', 'v1.4.0-qa', 'HEAD').status).toBe(0);
    expect(repo.run('log', '--format=%s', '-2').trim().split('\n')).toEqual([
      'Revert "Merge bugfix/billing into qa-1.4.0"',
      'Revert "fraud screening agent"',
    ]);
    expect(deployed(world)).toEqual([
      'agents import -f agents/billing_agent.yaml',
      'agents deploy -n billing_agent',
      'agents deploy -n customer_care_supervisor',
      'agents remove -n fraud_screening_agent -k native',
    ]);
    expect(world.cli(['rollback', '--to', 'v1.4.0-qa.3']).stdout).toContain('nothing to revert: qa-1.4.0 has no commits after v1.4.0-qa.3');
  }, 240_000);
});

describe('status', () => {
  it('shows per environment: branches, tenant, last deploy tag, undeployed commits, waiting promotions, tenant binding', () => {
    const world = deployWorld({ deployed: 'develop' });
    const { repo, origin } = world;
    repo.run('switch', '-q', '-c', 'qa-1.4.0');
    const qa = world.cli(['deploy']);
    expect(qa.status).toBe(0);
    repo.run('switch', '-q', 'develop');
    edit(repo, 'agents/billing_agent.yaml', (t) => t.replace('display_name: Billing Specialist', 'display_name: Billing'));
    repo.commitAll('billing: shorter name');
    origin.push('develop', 'qa-1.4.0');
    // staging-1.4.0 still carries the dev/qa tenant's files: a binding problem status must show.
    repo.run('branch', 'staging-1.4.0', 'qa-1.4.0');

    const r = world.cli(['status']);
    expect(r.status).toBe(0);
    const text = r.stdout;
    expect(text).toContain('dev — tenant dev-qa-tenant, draft stage, branch develop, tags v{version}-dev');
    expect(text).toMatch(/ {2}develop \(local \+ origin, in sync\) at [0-9a-f]{12}\n {4}last deploy: v1\.4\.0-dev → [0-9a-f]{12} \(\d{4}-/);
    expect(text).toContain(
      '    not deployed: 1 commit\n    waiting for promotion to qa (qa-1.4.0): 1 commit\n    tenant binding: ok (every tenant-scoped file declares dev-qa-tenant)',
    );
    expect(text).toMatch(/ {2}qa-1\.4\.0 \(local \+ origin, in sync\) at [0-9a-f]{12}\n {4}last deploy: v1\.4\.0-qa → /);
    expect(text).toContain('    not deployed: none\n    waiting for promotion to staging (staging-1.4.0): 0 commits');
    expect(text).toContain('staging — tenant prod-tenant, draft stage');
    expect(text).toContain('  staging-1.4.0 (local) at');
    expect(text).toContain('    last deploy: never');
    expect(text).toContain(
      '    tenant binding: does not match prod-tenant (deploy refuses this branch):\n      tenant.yaml:4:9 declares tenant "dev-qa-tenant" but branch staging-1.4.0 (staging) belongs to tenant "prod-tenant"\n      values.yaml:5:9 declares tenant "dev-qa-tenant" but branch staging-1.4.0 (staging) belongs to tenant "prod-tenant"',
    );
    expect(text).toContain('prod — tenant prod-tenant, live stage, branch main, tags v{version}\n  no branch here or on the remote');

    const json = JSON.parse(world.cli(['status', '--format', 'json']).stdout);
    const dev = json.environments.find((e: { environment: string }) => e.environment === 'dev');
    expect(dev.branches[0]).toMatchObject({
      name: 'develop',
      local: true,
      remote: true,
      undeployed: 1,
      lastDeploy: { tag: 'v1.4.0-dev' },
      promotions: [{ environment: 'qa', branch: 'qa-1.4.0', exists: true, waiting: 1 }],
      tenantBinding: { state: 'ok', problems: [] },
    });
  }, 240_000);
});

describe('Jenkins', () => {
  it('fetches the environment deploy tags into a narrow shallow clone, plans from the last one, and pushes the new tag', () => {
    const world = deployWorld();
    const { repo, origin } = world;
    repo.run('switch', '-q', '-c', 'qa-1.4.0');
    origin.push('qa-1.4.0');
    const first = world.cli(['deploy', '--push-tags']);
    expect(first.stdout).toContain('pushed v1.4.0-qa to origin');
    edit(repo, 'agents/claims_agent.yaml', (t) => t.replace('display_name: Claims Specialist', 'display_name: Claims'));
    repo.commitAll('claims: shorter name');
    origin.push('qa-1.4.0');

    const j = branchBuild(origin, 'qa-1.4.0', { depth: 1 });
    expect(j.ws.run('tag', '-l').trim()).toBe('');
    const env = { ...world.fake.env(j.env), ...world.secrets };
    const plan = runCli(['plan'], { cwd: j.ws.dir, env });
    expect(plan.status).toBe(0);
    expect(plan.stderr).toContain('Jenkins branch build qa-1.4.0 (BRANCH_NAME)');
    expect(plan.stderr).toContain('fetched the deploy tags of qa from origin');
    expect(plan.stdout).toContain('head: qa-1.4.0 at');
    expect(plan.stdout).toContain('base: v1.4.0-qa (');
    expect(plan.stdout).toContain('changes: 0 added, 1 changed, 0 removed — 3 operations');

    world.fake.clearLog();
    const r = runCli(['deploy', '--push-tags'], { cwd: j.ws.dir, env });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('tagged v1.4.0-qa.2');
    expect(r.stdout).toContain('pushed v1.4.0-qa.2 to origin');
    expect(world.fake.commands().filter((c) => !c.startsWith('env ') && !isLiveRead(c))).toEqual([
      'agents import -f agents/claims_agent.yaml',
      'agents deploy -n claims_agent',
      'agents deploy -n customer_care_supervisor',
    ]);
    expect(repo.run('ls-remote', '--tags', 'origin')).toMatch(/refs\/tags\/v1\.4\.0-qa\.2\n/);
    world.captured.push(plan.output, r.output);
  }, 240_000);

  it('a pull request build does not deploy', () => {
    const world = deployWorld();
    // In Jenkins HEAD is detached; BRANCH_NAME PR-3 is a pull request, which never deploys.
    world.repo.run('checkout', '-q', '--detach');
    const r = world.cli(['deploy'], {
      JENKINS_URL: 'https://jenkins.example.test/',
      BUILD_ID: '1',
      JOB_NAME: 'x',
      BRANCH_NAME: 'PR-3',
      CHANGE_ID: '3',
      CHANGE_BRANCH: 'feature/x',
      CHANGE_TARGET: 'develop',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('a Jenkins pull request build deploys nothing');
    expect(world.fake.calls()).toEqual([]);
  });
});

describe('hooks API', () => {
  it('planSummary is short; deployFromHook deploys only where enabled', async () => {
    const world = deployWorld();
    const summary = await planSummary(world.repo.dir, { vars: world.env() });
    expect(summary.split('\n')[0]).toBe(
      'deploy plan for dev (dev-qa-tenant, draft) since none (first deploy): 17 added, 0 changed, 0 removed — 21 operations',
    );
    expect(summary).toContain('  orchestrate connections import -f connections/claims_core.yaml');
    expect(summary).toContain('… 16 more (wxo-policy plan)');

    const off = await deployFromHook(world.repo.dir, { vars: world.env() });
    expect(off).toMatchObject({ deployed: false, exitCode: 0 });
    expect(off.message).toContain('deploying from git hooks is off here');
    expect(world.fake.calls()).toEqual([]);

    const lines: string[] = [];
    const on = await deployFromHook(world.repo.dir, {
      vars: world.env({ WXO_POLICY_DEPLOY: '1' }),
      out: (t) => lines.push(t),
      err: (t) => lines.push(t),
    });
    expect(on).toEqual({ deployed: true, exitCode: 0 });
    expect(lines.join('\n')).toContain('tagged v1.4.0-dev');
    expect(await planSummary(world.repo.dir, { vars: world.env() })).toBe(
      'deploy plan for dev (dev-qa-tenant, draft) since v1.4.0-dev: no changes',
    );

    const quiet = { out: () => {}, err: () => {} };
    const again = await deployFromHook(world.repo.dir, { vars: world.env({ WXO_POLICY_DEPLOY: '1', WXO_DEV_QA_API_KEY: '' }), ...quiet });
    expect(again).toEqual({ deployed: true, exitCode: 0 }); // nothing to deploy, so no secret is needed

    // Configuration problems come back as a result, not an exception.
    edit(world.repo, 'agents/billing_agent.yaml', (t) => t.replace('display_name: Billing Specialist', 'display_name: Billing'));
    world.repo.commitAll('billing');
    const missing = await deployFromHook(world.repo.dir, { vars: world.env({ WXO_POLICY_DEPLOY: '1', WXO_DEV_QA_API_KEY: '' }), ...quiet });
    expect(missing.deployed).toBe(false);
    expect(missing.exitCode).toBe(2);
    expect(missing.message).toContain('1 secret missing (provider: environment variables); nothing was called:\n  WXO_DEV_QA_API_KEY');
    world.captured.push(lines.join('\n'), summary, String(missing.message));
  }, 240_000);
});
