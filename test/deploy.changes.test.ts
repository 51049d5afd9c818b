import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployWorld, edit, type DeployWorld, isLiveRead } from './helpers/fakeOrchestrate.js';

/**
 * Incremental deploys: the plan is the difference of the resource sets at the last deploy tag
 * and at HEAD, by kind and name — so a change imports exactly what changed, live stages deploy
 * exactly the agents it affects, and renames, moves, deletions and multi-resource files come out
 * right. Each test deploys first, changes something, and compares plan and actual calls.
 */

/** The plan's operations as `orchestrate` argv strings (without the executable). */
function planned(world: DeployWorld): string[] {
  const r = world.cli(['plan', '--format', 'json']);
  if (r.status !== 0) throw new Error(r.output);
  return JSON.parse(r.stdout).operations.map((o: { argv: string[] }) => o.argv.slice(1).join(' '));
}

/** Deploys and returns the calls after authentication (secrets replaced by their names). */
function deployed(world: DeployWorld): string[] {
  world.fake.clearLog();
  const r = world.cli(['deploy']);
  if (r.status !== 0) throw new Error(r.output);
  const names = Object.entries(world.secrets);
  return world.fake
    .commands()
    .filter((c) => !c.startsWith('env ') && !isLiveRead(c))
    .map((c) => names.reduce((text, [name, value]) => text.split(value).join(`<secret:${name}>`), c));
}

/** The example on qa-1.4.0 (live stage), deployed once (a copy of the file's one first deploy). */
const deployedQa = (): DeployWorld => deployWorld({ deployed: 'qa-1.4.0' });

/** The example on develop (draft stage), deployed once. */
const deployedDev = (): DeployWorld => deployWorld({ deployed: 'develop' });

describe('a changed resource', () => {
  it('imports only the changed tool, and on a live stage deploys the agents that use it (through the flow), collaborators first', () => {
    const world = deployedQa();
    edit(world.repo, 'tools/create_claim/create_claim.py', (t) => t.replace('TIMEOUT_SECONDS = 30', 'TIMEOUT_SECONDS = 45'));
    world.repo.commitAll('create_claim: longer timeout');
    const text = world.cli(['plan']).stdout;
    expect(text).toContain('deploy agent claims_agent — flow first_notice_of_loss_flow → Python tool create_claim changed');
    expect(text).toContain(
      'deploy agent customer_care_supervisor — collaborator claims_agent: flow first_notice_of_loss_flow → Python tool create_claim changed',
    );
    const expected = [
      'tools import -k python -f tools/create_claim/create_claim.py -r tools/create_claim/requirements.txt -a claims_core',
      'agents deploy -n claims_agent',
      'agents deploy -n customer_care_supervisor',
    ];
    expect(planned(world)).toEqual(expected);
    expect(deployed(world)).toEqual(expected);
    expect(world.repo.run('tag', '-l').trim().split('\n')).toEqual(['v1.4.0-qa', 'v1.4.0-qa.2']);
  });

  it('live stage: an agent change deploys that agent and its supervisors only', () => {
    const world = deployedQa();
    edit(world.repo, 'agents/policy_servicing_agent.yaml', (t) =>
      t.replace('present coverages as a markdown table', 'present coverages as a table'),
    );
    world.repo.commitAll('policy servicing: wording');
    expect(deployed(world)).toEqual([
      'agents import -f agents/policy_servicing_agent.yaml',
      'agents deploy -n policy_servicing_agent',
      'agents deploy -n customer_care_supervisor',
    ]);
  });

  it('draft stage: the same change is an import only', () => {
    const world = deployedDev();
    edit(world.repo, 'agents/policy_servicing_agent.yaml', (t) =>
      t.replace('present coverages as a markdown table', 'present coverages as a table'),
    );
    world.repo.commitAll('policy servicing: wording');
    expect(deployed(world)).toEqual(['agents import -f agents/policy_servicing_agent.yaml']);
  });

  it('a knowledge-base document or a requirements.txt change re-imports what reads it', () => {
    const world = deployedQa();
    edit(
      world.repo,
      'knowledge_bases/policy_coverage_kb/claims_and_billing_faq.txt',
      (t) => `${t}\nQ: Can I pay by cheque?\nA: Yes, by post.\n`,
    );
    edit(world.repo, 'tools/get_customer_profile/requirements.txt', (t) => t.replace('requests==2.32.3', 'requests==2.32.4'));
    world.repo.commitAll('faq and requests bump');
    const text = world.cli(['plan']).stdout;
    expect(text).toContain('import knowledge base policy_coverage_kb — changed [tenant-wide]');
    expect(deployed(world)).toEqual([
      'tools import -k python -f tools/get_customer_profile/get_customer_profile.py -r tools/get_customer_profile/requirements.txt -a meridian_crm',
      'knowledge-bases import -f knowledge_bases/policy_coverage_kb/policy_coverage_kb.yaml',
      'agents deploy -n policy_servicing_agent',
      'agents deploy -n customer_care_supervisor',
    ]);
  });

  it('a value change redeploys exactly the resources that use the value', () => {
    const world = deployedDev();
    edit(world.repo, 'values.yaml', (t) =>
      t.replace('url: https://crm-uat.meridian-mutual.example/api/v2', 'url: https://crm-uat2.meridian-mutual.example/api/v2'),
    );
    world.repo.commitAll('crm: new UAT host');
    const calls = deployed(world);
    expect(calls).toEqual([
      'connections import -f connections/meridian_crm.yaml',
      'connections set-credentials -a meridian_crm --env draft --api-key <secret:MERIDIAN_CRM_API_KEY_DRAFT>', // draft stage: draft only
    ]);
    const imported = world.fake.calls().find((c) => c.argv[1] === 'import')!;
    expect(imported.files['connections/meridian_crm.yaml']!.content).toContain(
      'server_url: https://crm-uat2.meridian-mutual.example/api/v2',
    );

    edit(world.repo, 'values.yaml', (t) => t.replace('default: groq/openai/gpt-oss-120b', 'default: groq/openai/gpt-oss-20b'));
    world.repo.commitAll('collaborators: smaller model');
    expect(deployed(world)).toEqual([
      'agents import -f agents/billing_agent.yaml',
      'agents import -f agents/claims_agent.yaml',
      'agents import -f agents/policy_servicing_agent.yaml',
    ]);
    expect(world.repo.run('tag', '-l').trim().split('\n')).toEqual(['v1.4.0-dev', 'v1.4.0-dev.2', 'v1.4.0-dev.3']);
  });

  it('an unknown ${values.x} key stops the plan with file:line:column (exit 2)', () => {
    const world = deployWorld();
    edit(world.repo, 'agents/billing_agent.yaml', (t) => t.replace('llm: ${values.llm.default}', 'llm: ${values.llm.fancy}'));
    world.repo.commitAll('typo');
    const r = world.cli(['plan']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('agents/billing_agent.yaml:9:6 ${values.llm.fancy} is not defined in values.yaml');
  });
});

describe('identity by kind and name, not by path', () => {
  it('a renamed agent is imported under its new name and the old one removed at the end', () => {
    const world = deployedQa();
    world.repo.run('mv', 'agents/billing_agent.yaml', 'agents/billing_specialist.yaml');
    edit(world.repo, 'agents/billing_specialist.yaml', (t) => t.replace('name: billing_agent', 'name: billing_specialist'));
    edit(world.repo, 'agents/customer_care_supervisor.yaml', (t) =>
      t.replace('  - billing_agent\n', '  - billing_specialist\n').replace('- billing_agent:', '- billing_specialist:'),
    );
    world.repo.commitAll('billing agent renamed');
    expect(deployed(world)).toEqual([
      'agents import -f agents/billing_specialist.yaml',
      'agents import -f agents/customer_care_supervisor.yaml',
      'agents deploy -n billing_specialist',
      'agents deploy -n customer_care_supervisor',
      'agents remove -n billing_agent -k native',
    ]);
  });

  it('a moved tool directory is no change at all', () => {
    const world = deployedDev();
    world.repo.run('mv', 'tools/get_claim_status', 'tools/claims');
    world.repo.commitAll('tools: group claims tools');
    const r = world.cli(['plan', '--exit-code']);
    expect(r.stdout).toContain('no changes: nothing to deploy');
    expect(r.status).toBe(0);
    // Deploying it calls nothing, but records that this commit is what dev runs.
    world.fake.clearLog();
    const d = world.cli(['deploy']);
    expect(d.status).toBe(0);
    expect(d.stdout).toContain('no resource changed since the last deploy: no orchestrate call needed');
    expect(d.stdout).toContain('tagged v1.4.0-dev.2');
    expect(world.fake.calls()).toEqual([]);
  });

  it('deletions are removed in reverse order: agents, then tools, then connections', () => {
    const world = deployedQa();
    world.repo.run('rm', '-q', 'agents/roadside_assistance_agent.yaml', 'connections/roadside_partner.yaml');
    world.repo.run('rm', '-q', '-r', 'tools/calculate_payout_estimate');
    edit(world.repo, 'agents/customer_care_supervisor.yaml', (t) => t.replace('  - roadside_assistance_agent\n', ''));
    edit(world.repo, 'agents/claims_agent.yaml', (t) => t.replace('  - calculate_payout_estimate\n', ''));
    world.repo.commitAll('no roadside partner, no payout estimates');
    const text = world.cli(['plan']).stdout;
    expect(text).toContain(
      'remove agent roadside_assistance_agent — removed from the repository (was agents/roadside_assistance_agent.yaml)',
    );
    expect(deployed(world)).toEqual([
      'agents import -f agents/claims_agent.yaml',
      'agents import -f agents/customer_care_supervisor.yaml',
      'agents deploy -n claims_agent',
      'agents deploy -n customer_care_supervisor',
      'agents remove -n roadside_assistance_agent -k external',
      'tools remove -n calculate_payout_estimate',
      'connections remove -a roadside_partner',
    ]);
  });

  it('a multi-tool OpenAPI spec: one import for the file, a removal for the operation that went away', () => {
    const world = deployedQa();
    edit(world.repo, 'tools/openapi/policy_admin_api.yaml', (t) =>
      t.replace('operationId: listInvoices', 'operationId: listBillingInvoices'),
    );
    edit(world.repo, 'agents/billing_agent.yaml', (t) => t.replace('  - listInvoices\n', '  - listBillingInvoices\n'));
    world.repo.commitAll('PAS: operation renamed');
    expect(deployed(world)).toEqual([
      'tools import -k openapi -f tools/openapi/policy_admin_api.yaml -a policy_admin',
      'agents import -f agents/billing_agent.yaml',
      'agents deploy -n billing_agent',
      'agents deploy -n claims_agent',
      'agents deploy -n policy_servicing_agent',
      'agents deploy -n customer_care_supervisor',
      'tools remove -n listInvoices',
    ]);
  });

  it('a collaborator cycle is an error (exit 2) naming the cycle', () => {
    const world = deployWorld();
    edit(world.repo, 'agents/claims_agent.yaml', (t) => t.replace('collaborators: []', 'collaborators:\n  - customer_care_supervisor'));
    world.repo.commitAll('claims agent hands back to the supervisor');
    for (const command of ['plan', 'deploy']) {
      const r = world.cli([command]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('collaborator cycle: claims_agent → customer_care_supervisor → claims_agent');
    }
    expect(world.fake.calls()).toEqual([]);
  });
});

describe('deploy tags', () => {
  it('a redeploy of the same version gets .2, .3; existing tags never move; a new version starts again', () => {
    const world = deployedDev();
    const first = world.repo.run('rev-parse', 'v1.4.0-dev^{commit}').trim();
    for (const [i, name] of ['Billing', 'Billing desk'].entries()) {
      edit(world.repo, 'agents/billing_agent.yaml', (t) => t.replace(/display_name: .*/, `display_name: ${name}`));
      world.repo.commitAll(`billing display name ${i}`);
      expect(world.cli(['deploy']).stdout).toContain(`tagged v1.4.0-dev.${i + 2}`);
    }
    expect(world.repo.run('rev-parse', 'v1.4.0-dev^{commit}').trim()).toBe(first);
    world.repo.write({ VERSION: '1.5.0\n' });
    edit(world.repo, 'agents/billing_agent.yaml', (t) => t.replace(/display_name: .*/, 'display_name: Billing team'));
    world.repo.commitAll('1.5.0');
    expect(world.cli(['deploy']).stdout).toContain('tagged v1.5.0-dev');
    // The base of the next plan is the newest tag.
    expect(world.cli(['plan']).stdout).toContain('base: v1.5.0-dev ');
    rmSync(join(world.repo.dir, 'VERSION'));
    edit(world.repo, 'agents/billing_agent.yaml', (t) => t.replace(/display_name: .*/, 'display_name: Billing'));
    world.repo.commitAll('no version file');
    const r = world.cli(['deploy']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no VERSION at');
  });
});
