import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { minimalGitops } from './helpers/gitops.js';
import { createRepo } from './helpers/repo.js';
import { tempDir } from './helpers/tmp.js';

/** Tests of the first ten minutes (issue #15): the Jenkinsfile's questions, adoption, messages. */

const JENKINSFILE = readFileSync(join(PROJECT_ROOT, 'policies', 'Jenkinsfile'), 'utf8');

function hasGroovy(): boolean {
  const found = spawnSync('groovy', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!found && process.env.CI === 'true') throw new Error('groovy is missing: .ci/run installs it (apt-get install groovy)');
  return found;
}

describe('wxo-policy environment (what the Jenkinsfile asks the policy)', () => {
  const repo = createRepo({ branch: 'develop' });
  repo.write(minimalGitops());
  repo.commitAll('init');

  it('prints the environment, tenant, approval and credential of each environment branch', () => {
    const dev = runCli(['environment'], { cwd: repo.dir, env: repo.env });
    expect(dev.status).toBe(0);
    expect(dev.stdout).toBe(
      'branch=develop\nenvironment=dev\ntenant=dev-qa-tenant\nstage=draft\napproval=false\ncredentials_id=wxo-dev-qa-api-key\ncredentials_variable=WXO_DEV_QA_API_KEY\nlock=wxo-deploy-dev\napprovers=\n',
    );
    const staging = runCli(['environment', '--branch', 'staging-1.2.3'], { cwd: repo.dir, env: repo.env });
    expect(staging.stdout).toContain('environment=staging\ntenant=prod-tenant\nstage=draft\napproval=true\ncredentials_id=wxo-prod-api-key\ncredentials_variable=WXO_PROD_API_KEY\n');
    const json = JSON.parse(runCli(['environment', '-b', 'main', '-f', 'json'], { cwd: repo.dir, env: repo.env }).stdout);
    expect(json).toMatchObject({ environment: 'prod', tenant: 'prod-tenant', approval: true, credentialsId: 'wxo-prod-api-key' });
  });

  it('reads the policy, not fixed names: renamed tenants and branches change the answer', () => {
    const other = createRepo({ branch: 'trunk' });
    const policy = minimalGitops()['wxo-policy.yaml']!
      .replace(/dev-qa-tenant/g, 'acme-nonprod')
      .replace('WXO_DEV_QA_API_KEY', 'ACME_NONPROD_KEY')
      .replace('branch: main', 'branch: trunk')
      .replace('{ from: staging, to: prod, same_version: true, approval: true }', '{ from: staging, to: prod, same_version: true }')
      .replace('{ from: "hotfix/*", to: prod, approval: true }', '{ from: "hotfix/*", to: prod }');
    other.write({ ...minimalGitops(), 'wxo-policy.yaml': policy });
    other.commitAll('init');
    const trunk = runCli(['environment'], { cwd: other.dir, env: other.env });
    expect(trunk.stdout).toContain('environment=prod\n');
    expect(trunk.stdout).toContain('approval=false\n');
    const qa = runCli(['environment', '--branch', 'qa-2.0.0'], { cwd: other.dir, env: other.env });
    expect(qa.stdout).toContain('tenant=acme-nonprod\n');
    expect(qa.stdout).toContain('credentials_id=acme-nonprod-key\ncredentials_variable=ACME_NONPROD_KEY\n');
    expect(runCli(['environment', '--branch', 'main'], { cwd: other.dir, env: other.env }).stdout).toContain('environment=\n');
  });

  it('has no environment for other branches, pull requests and tags (checked, never deployed)', () => {
    const feature = runCli(['environment', '--branch', 'feature/x'], { cwd: repo.dir, env: repo.env });
    expect(feature.status).toBe(0);
    expect(feature.stdout).toBe('branch=feature/x\nenvironment=\ntenant=\nstage=\napproval=false\ncredentials_id=\ncredentials_variable=\nlock=\napprovers=\n');
    const pr = runCli(['environment'], { cwd: repo.dir, env: { ...repo.env, JENKINS_URL: 'http://jenkins.test/', BRANCH_NAME: 'PR-7', CHANGE_ID: '7', CHANGE_BRANCH: 'feature/x', CHANGE_TARGET: 'develop' } });
    expect(pr.stdout).toContain('branch=PR-7\nenvironment=\n');
    const build = runCli(['environment'], { cwd: repo.dir, env: { ...repo.env, JENKINS_URL: 'http://jenkins.test/', BRANCH_NAME: 'qa-1.2.3' } });
    expect(build.stdout).toContain('branch=qa-1.2.3\nenvironment=qa\n');
  });

  it('refuses an unknown format and a detached HEAD without --branch, with the fix', () => {
    const bad = runCli(['environment', '--format', 'yaml'], { cwd: repo.dir, env: repo.env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown format "yaml" (formats: properties, json)');
    repo.run('checkout', '-q', '--detach');
    const detached = runCli(['environment'], { cwd: repo.dir, env: repo.env });
    repo.run('checkout', '-q', 'develop');
    expect(detached.status).toBe(2);
    expect(detached.stderr).toContain('HEAD is detached and no branch was given');
    expect(detached.stderr).toContain('Pass --branch NAME');
  });

  it('the shipped Jenkinsfile hard-codes no credential id, tenant or branch pattern', () => {
    expect(JENKINSFILE).not.toMatch(/wxo-(dev-qa|prod)-api-key|WXO_(DEV_QA|PROD)_API_KEY|dev-qa-tenant|prod-tenant|qa-\\d|==~|'develop'|'main'/);
    expect(JENKINSFILE).toContain("sh(script: 'npx wxo-policy environment', returnStdout: true)");
    expect(JENKINSFILE).toContain('string(credentialsId: wxo.credentials_id, variable: wxo.credentials_variable)');
  });

  it("the Jenkinsfile's parser reads what the command prints (run under groovy)", { timeout: 60_000 }, () => {
    if (!hasGroovy()) return;
    const printed = runCli(['environment', '--branch', 'staging-1.2.3'], { cwd: repo.dir, env: repo.env }).stdout;
    const parser = /def parseProperties\(String text\) \{[\s\S]*?\n\}\n/.exec(JENKINSFILE)?.[0];
    expect(parser).toBeDefined();
    const dir = tempDir();
    writeFileSync(join(dir, 'input.txt'), printed);
    writeFileSync(join(dir, 'probe.groovy'), `${parser}\ndef wxo = parseProperties(new File(args[0]).text)\nprintln([wxo.environment, wxo.tenant, wxo.approval == 'true', wxo.credentials_id, wxo.credentials_variable, wxo.lock].join('|'))\n`);
    const r = spawnSync('groovy', [join(dir, 'probe.groovy'), join(dir, 'input.txt')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('staging|prod-tenant|true|wxo-prod-api-key|WXO_PROD_API_KEY|wxo-deploy-staging');
  });
});
