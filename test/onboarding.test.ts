import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { isolatedEnv } from './helpers/env.js';
import { minimalGitops } from './helpers/gitops.js';
import { createRepo } from './helpers/repo.js';
import { tempDir } from './helpers/tmp.js';
import { initToolkit } from './helpers/toolkit.js';
import { createOrigin, prBuild } from './helpers/jenkins.js';
import { closest, editDistance } from '../src/cli/suggest.js';
import { describeArgumentError, usageHint } from '../src/cli/args.js';
import { learnTenants, policyWithTenants, apiKeyVariableOf } from '../src/setup/learnTenants.js';
import { judgePackageSpec } from '../src/setup/packageSpec.js';
import { tenantFileDisagreements } from '../src/setup/doctor.js';
import { parsePolicy as parsePolicyWith } from '../src/policy/parsePolicy.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';
import { credentialsIdOf } from '../src/policy/ciEnvironment.js';
import { formatSummary } from '../src/report/text.js';
import { palette } from '../src/report/colors.js';
import { messages } from '../src/messages.js';

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
    expect(staging.stdout).toContain(
      'environment=staging\ntenant=prod-tenant\nstage=draft\napproval=true\ncredentials_id=wxo-prod-api-key\ncredentials_variable=WXO_PROD_API_KEY\n',
    );
    const json = JSON.parse(runCli(['environment', '-b', 'main', '-f', 'json'], { cwd: repo.dir, env: repo.env }).stdout);
    expect(json).toMatchObject({ environment: 'prod', tenant: 'prod-tenant', approval: true, credentialsId: 'wxo-prod-api-key' });
  });

  it('reads the policy, not fixed names: renamed tenants and branches change the answer', () => {
    const other = createRepo({ branch: 'trunk' });
    const policy = minimalGitops()
      ['wxo-policy.yaml']!.replace(/dev-qa-tenant/g, 'acme-nonprod')
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
    expect(feature.stdout).toBe(
      'branch=feature/x\nenvironment=\ntenant=\nstage=\napproval=false\ncredentials_id=\ncredentials_variable=\nlock=\napprovers=\n',
    );
    const pr = runCli(['environment'], {
      cwd: repo.dir,
      env: {
        ...repo.env,
        JENKINS_URL: 'http://jenkins.test/',
        BRANCH_NAME: 'PR-7',
        CHANGE_ID: '7',
        CHANGE_BRANCH: 'feature/x',
        CHANGE_TARGET: 'develop',
      },
    });
    expect(pr.stdout).toContain('branch=PR-7\nenvironment=\n');
    const build = runCli(['environment'], {
      cwd: repo.dir,
      env: { ...repo.env, JENKINS_URL: 'http://jenkins.test/', BRANCH_NAME: 'qa-1.2.3' },
    });
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
    expect(JENKINSFILE).not.toMatch(
      /wxo-(dev-qa|prod)-api-key|WXO_(DEV_QA|PROD)_API_KEY|dev-qa-tenant|prod-tenant|qa-\\d|==~|'develop'|'main'/,
    );
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
    writeFileSync(
      join(dir, 'probe.groovy'),
      `${parser}\ndef wxo = parseProperties(new File(args[0]).text)\nprintln([wxo.environment, wxo.tenant, wxo.approval == 'true', wxo.credentials_id, wxo.credentials_variable, wxo.lock].join('|'))\n`,
    );
    const r = spawnSync('groovy', [join(dir, 'probe.groovy'), join(dir, 'input.txt')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('staging|prod-tenant|true|wxo-prod-api-key|WXO_PROD_API_KEY|wxo-deploy-staging');
  });
});

// ---- unit tests of each message and decision ------------------------------------------------------

const DEFAULT_POLICY_TEXT = readFileSync(join(PROJECT_ROOT, 'policies', 'default.yaml'), 'utf8');
const parsePolicy = (text: string, origin: string) => parsePolicyWith(text, origin, defaultPolicyText());
const defaultPolicy = parsePolicy(DEFAULT_POLICY_TEXT, 'default');
const tenantYaml = (name: string, url: string, key = 'ACME_KEY') =>
  `tenant: ${name}\norchestrate:\n  env_name: ${name}\n  url: ${url}\n  auth_type: ibm_iam\n  api_key: \${${key}}\n`;

describe('did you mean', () => {
  it('suggests the closest command or option, and nothing for far-off words', () => {
    expect(closest('chek', ['check', 'init', 'status'])).toBe('check');
    expect(closest('stauts', ['check', 'init', 'status'])).toBe('status');
    expect(closest('--al', ['--all', '--staged'])).toBe('--all');
    expect(closest('--stagd', ['--all', '--staged'])).toBe('--staged');
    expect(closest('frobnicate', ['check', 'init', 'status'])).toBeUndefined();
    expect(closest('--x', ['--all', '--staged'])).toBeUndefined();
    expect(editDistance('chekc', 'check')).toBe(1);
  });

  it('says option errors in our words, with balanced quotes and the usage line', () => {
    const options = {
      all: { type: 'boolean' as const, short: 'a' },
      branch: { type: 'string' as const },
      format: { type: 'string' as const, short: 'f' },
    };
    const usage = 'wxo-policy check [--all] [options]\n\n  more';
    const say = (code: string, message: string) => describeArgumentError({ code, message }, options, usage);
    expect(
      say(
        'ERR_PARSE_ARGS_UNKNOWN_OPTION',
        "Unknown option '--al'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--al\"",
      ),
    ).toBe('unknown option --al (did you mean --all?)');
    expect(say('ERR_PARSE_ARGS_UNKNOWN_OPTION', "Unknown option '--json'")).toBe('unknown option --json (did you mean --format json?)');
    expect(say('ERR_PARSE_ARGS_UNKNOWN_OPTION', "Unknown option '--zzzzzz'")).toBe(
      'unknown option --zzzzzz (options: --all, --branch, --format)',
    );
    expect(say('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', "Option '--branch <value>' argument missing")).toBe(
      '--branch needs a value (--branch VALUE or --branch=VALUE)',
    );
    expect(say('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', "Option '--all' does not take an argument")).toBe('--all takes no value');
    expect(say('ERR_PARSE_ARGS_INVALID_OPTION_VALUE', "Option '--branch <value>' argument is ambiguous.")).toContain(
      'write --branch=VALUE if the value starts with "-"',
    );
    expect(say('ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL', "Unexpected argument 'foo'. This command does not take positional arguments")).toBe(
      'unexpected argument "foo": wxo-policy check takes no arguments',
    );
    for (const text of [say('ERR_PARSE_ARGS_UNKNOWN_OPTION', "Unknown option '--al'"), messages.unknownCommand('chek', 'check')]) {
      expect((text.match(/"/g) ?? []).length % 2).toBe(0);
      expect((text.match(/'/g) ?? []).length % 2).toBe(0);
    }
    expect(usageHint(usage)).toBe('usage: wxo-policy check [--all] [options]\nRun `wxo-policy check --help` for every option.');
  });
});

describe('init learns the tenants from the branches (pure)', () => {
  const nonprod = 'https://api.eu-de.watson-orchestrate.cloud.ibm.com/instances/np';
  const prod = 'https://api.eu-de.watson-orchestrate.cloud.ibm.com/instances/p';

  it('binds each environment to the tenant of its branches, and assumes siblings without a branch', () => {
    const learned = learnTenants(defaultPolicy, [
      { ref: 'develop', branch: 'develop', text: tenantYaml('acme-nonprod', nonprod, 'NP_KEY') },
      { ref: 'origin/main', branch: 'main', text: tenantYaml('acme-prod', prod, 'P_KEY') },
      { ref: 'feature/x', branch: 'feature/x' },
    ]);
    expect(learned.found).toBe(true);
    expect(learned.tenants.map((t) => [t.name, t.refs, t.environments])).toEqual([
      ['acme-nonprod', ['develop'], ['dev', 'qa']],
      ['acme-prod', ['origin/main'], ['staging', 'prod']],
    ]);
    expect(learned.bindings.find((b) => b.environment === 'qa')).toEqual({ environment: 'qa', tenant: 'acme-nonprod', assumedFrom: 'dev' });
    expect(learned.problems).toEqual([]);
    const text = policyWithTenants(DEFAULT_POLICY_TEXT, defaultPolicy, learned);
    const policy = parsePolicy(text, 'learned');
    expect(policy.tenants).toEqual([
      { name: 'acme-nonprod', orchestrate: { env_name: 'acme-nonprod', url: nonprod, auth_type: 'ibm_iam', api_key_secret: 'NP_KEY' } },
      { name: 'acme-prod', orchestrate: { env_name: 'acme-prod', url: prod, auth_type: 'ibm_iam', api_key_secret: 'P_KEY' } },
    ]);
    expect(policy.environments.map((e) => e.tenant)).toEqual(['acme-nonprod', 'acme-nonprod', 'acme-prod', 'acme-prod']);
    expect(text).toContain('# Tenants: the wxO instances the deploy runner talks to.'); // comments kept
  });

  it('reports disagreeing branches, missing fields and missing files; keeps placeholders it cannot fill', () => {
    const learned = learnTenants(defaultPolicy, [
      { ref: 'develop', branch: 'develop', text: tenantYaml('acme-nonprod', nonprod) },
      { ref: 'origin/develop', branch: 'develop', text: tenantYaml('acme-nonprod', `${nonprod}-old`) },
      {
        ref: 'qa-1.0.0',
        branch: 'qa-1.0.0',
        text: tenantYaml('acme-qa', nonprod)
          .replace(/api_key:.*\n/, '')
          .replace(/  url:.*\n/, ''),
      },
      { ref: 'main', branch: 'main' },
    ]);
    expect(learned.problems).toEqual([
      "origin/develop:tenant.yaml describes tenant acme-nonprod differently from develop (url): the policy takes develop's",
      "qa-1.0.0:tenant.yaml has no orchestrate.url: write the tenant's URL there and in wxo-policy.yaml",
      `qa-1.0.0:tenant.yaml has no \`api_key: \${NAME}\` placeholder: the policy uses ${apiKeyVariableOf('acme-qa')}`,
      'main has no tenant.yaml',
    ]);
    expect(apiKeyVariableOf('acme-qa')).toBe('ACME_QA_API_KEY');
    expect(learned.bindings.filter((b) => b.placeholder).map((b) => [b.environment, b.tenant])).toEqual([
      ['staging', 'prod-tenant'],
      ['prod', 'prod-tenant'],
    ]);
    const policy = parsePolicy(policyWithTenants(DEFAULT_POLICY_TEXT, defaultPolicy, learned), 'learned');
    expect(policy.tenants.map((t) => t.name)).toEqual(['acme-nonprod', 'acme-qa', 'prod-tenant']);
    expect(policy.tenants[1]!.orchestrate.url).toBe('https://replace-me.invalid/instances/acme-qa');
  });

  it('uses master for prod where the repository has no main; changes nothing without tenant files', () => {
    const learned = learnTenants(defaultPolicy, [{ ref: 'master', branch: 'master', text: tenantYaml('acme-prod', prod) }]);
    expect(learned.renamedBranches).toEqual([{ environment: 'prod', from: 'main', to: 'master' }]);
    const policy = parsePolicy(policyWithTenants(DEFAULT_POLICY_TEXT, defaultPolicy, learned), 'learned');
    expect(policy.environments.find((e) => e.name === 'prod')).toMatchObject({ branch: 'master', tenant: 'acme-prod' });
    const nothing = learnTenants(defaultPolicy, [{ ref: 'feature/a', branch: 'feature/a' }]);
    expect(nothing.found).toBe(false);
    expect(policyWithTenants(DEFAULT_POLICY_TEXT, defaultPolicy, nothing)).toBe(DEFAULT_POLICY_TEXT);
  });
});

describe('portable install and tenant truth (pure)', () => {
  it('judges package specs: portable ones and the ones another clone cannot install', () => {
    const root = '/src/agents';
    expect(judgePackageSpec('file:vendor/wxo-policy-0.1.0.tgz', root)).toEqual({ kind: 'vendored', portable: true });
    expect(judgePackageSpec('file:../wxo-policy', root)).toEqual({ kind: 'outside', portable: false });
    expect(judgePackageSpec('file:/home/me/wxo-policy', root)).toEqual({ kind: 'outside', portable: false });
    expect(judgePackageSpec('file:tools/wxo-policy', root)).toEqual({ kind: 'directory', portable: false });
    expect(judgePackageSpec('git+https://git.example.com/platform/wxo-policy.git#v0.1.0', root)).toEqual({ kind: 'git', portable: true });
    expect(judgePackageSpec('git+ssh://git@git.example.com/platform/wxo-policy.git#v0.1.0', root)).toEqual({ kind: 'git', portable: true });
    // A git repository on this machine is not in Jenkins' or a colleague's.
    expect(judgePackageSpec('git+file:///srv/git/wxo-policy.git#v0.1.0', root)).toEqual({ kind: 'outside', portable: false });
    expect(judgePackageSpec('https://releases.example.com/wxo-policy-0.1.0.tgz', root)).toEqual({ kind: 'tarball-url', portable: true });
    expect(judgePackageSpec('npm:@acme/wxo-policy@^0.1.0', root)).toEqual({ kind: 'alias', portable: true });
    expect(judgePackageSpec('^0.1.0', root)).toEqual({ kind: 'registry', portable: false });
    expect(messages.packageSpec.fix).not.toMatch(/npx/);
  });

  it('compares a tenant.yaml with the policy tenant, field by field', () => {
    const tenant = {
      name: 'acme-prod',
      orchestrate: { env_name: 'acme-prod', url: 'https://x.example/instances/p', auth_type: 'ibm_iam', api_key_secret: 'P' },
    };
    expect(tenantFileDisagreements(tenantYaml('acme-prod', 'https://x.example/instances/p/'), tenant)).toEqual([]);
    expect(tenantFileDisagreements(tenantYaml('acme-prod', 'https://x.example/instances/q'), tenant)).toEqual([
      'orchestrate.url "https://x.example/instances/q" (policy: "https://x.example/instances/p")',
    ]);
    expect(
      tenantFileDisagreements(
        tenantYaml('other', 'https://x.example/instances/p').replace('env_name: other', 'env_name: acme-prod'),
        tenant,
      ),
    ).toEqual(['tenant "other" (policy: "acme-prod")']);
    expect(tenantFileDisagreements('tenant: [', tenant)).toEqual(['tenant.yaml is not valid YAML']);
  });

  it('derives the Jenkins credential id from the key variable', () => {
    expect(credentialsIdOf('WXO_PROD_API_KEY')).toBe('wxo-prod-api-key');
    expect(credentialsIdOf('ACME__NP_KEY')).toBe('acme-np-key');
  });

  it('says what a verdict is about; deploy counts add up', () => {
    const c = palette(false);
    expect(formatSummary({ errors: 0, warnings: 0, suppressed: 0, files: 3 }, c, 'all files at HEAD (0123456789ab)')).toBe(
      '✔ no problems in 3 files — judged: all files at HEAD (0123456789ab)',
    );
    expect(formatSummary({ errors: 1, warnings: 0, suppressed: 0, files: 3 }, c, 'staged changes')).toBe(
      '✖ 1 error, 0 warnings in 3 files — judged: staged changes',
    );
    expect(messages.deploy.succeeded('dev', 7, 1.25, 'v1.0.0-dev', 2)).toBe(
      'deployed dev: 7 operations + 2 authentication steps = 9 steps in 1.3 s — tagged v1.0.0-dev',
    );
    expect(messages.deploy.hookDeployDisabled).toMatch(
      /^deploying from git hooks is off here, so that a merge on your machine never deploys by surprise/,
    );
    expect(messages.situational.secretStaged).toContain('not in the history');
    expect(messages.situational.versionMissing('VERSION')).not.toContain('branch name');
  });
});

describe('errors a person can act on (the CLI as a child process)', () => {
  const env = isolatedEnv();

  it('every command has --help (exit 0) listing each short form the command accepts', () => {
    const dir = join(PROJECT_ROOT, 'src', 'cli', 'commands');
    for (const file of readdirSync(dir)) {
      const command = file.replace(/\.ts$/, '');
      const r = runCli([command, '--help'], { cwd: PROJECT_ROOT, env });
      expect(r.status, `${command} --help`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: wxo-policy ${command}`));
      const source = readFileSync(join(dir, file), 'utf8');
      for (const m of source.matchAll(/'?([a-z][\w-]*)'?: \{ type: '(?:string|boolean)', short: '(\w)'/g)) {
        expect(r.stdout, `${command}: -${m[2]}`).toContain(`-${m[2]}, --${m[1]}`);
      }
    }
  });

  it('merge-driver --help is for people: exit 0, no merge attempted', () => {
    const r = runCli(['merge-driver', '--help'], { cwd: tempDir(), env });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: wxo-policy merge-driver %O %A %B %L %P');
  });

  it('an unbuilt checkout says so and how to build it, without a stack trace', () => {
    const checkout = tempDir('wxo-unbuilt-');
    mkdirSync(join(checkout, 'bin'));
    copyFileSync(join(PROJECT_ROOT, 'bin', 'wxo-policy.js'), join(checkout, 'bin', 'wxo-policy.js'));
    writeFileSync(join(checkout, 'package.json'), '{"type":"module"}\n');
    for (const args of [
      ['check', '--all'],
      ['merge-driver', 'a', 'b', 'c'],
    ]) {
      const r = spawnSync(process.execPath, [join(checkout, 'bin', 'wxo-policy.js'), ...args], { cwd: checkout, env, encoding: 'utf8' });
      expect(r.stderr).toBe(
        `wxo-policy: error: this wxo-policy checkout is not built (${checkout}/dist is missing or incomplete)\nRun \`npm ci\` in ${checkout} (it builds dist/), or \`npm run build\` there after a change.\n`,
      );
      expect(r.status).toBe(args[0] === 'merge-driver' ? 1 : 2);
    }
  });

  it('check says what it judged, warns about uncommitted changes, and --worktree judges them', () => {
    const repo = createRepo({ branch: 'feature/x' });
    repo.write(minimalGitops());
    repo.commitAll('init');
    const head = repo.run('rev-parse', 'HEAD').trim().slice(0, 12);
    const clean = runCli(['check', '--all'], { cwd: repo.dir, env: repo.env });
    expect(clean.stdout).toContain(`no problems in 5 files — judged: all files at HEAD (${head})`);
    expect(clean.stderr).not.toContain('uncommitted');
    repo.write({ 'agents/new.yaml': 'spec_version: v1\nname: [broken\n' });
    const stale = runCli(['check', '--all'], { cwd: repo.dir, env: repo.env });
    expect(stale.status).toBe(0);
    expect(stale.stderr).toContain(
      `judged the files committed at HEAD (${head}), as CI will; the work tree has uncommitted changes that were not judged: \`wxo-policy check --all --worktree\` judges them`,
    );
    const worktree = runCli(['check', '--all', '--worktree'], { cwd: repo.dir, env: repo.env });
    expect(worktree.status).toBe(1);
    expect(worktree.stdout).toMatch(/^agents\/new\.yaml:\d+:\d+ error yaml-syntax/m);
    expect(worktree.stdout).toContain('— judged: all files in the work tree');
    expect(runCli(['check', '-w'], { cwd: repo.dir, env: repo.env }).status).toBe(1);
    const mixed = runCli(['check', '--worktree', '--staged'], { cwd: repo.dir, env: repo.env });
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toContain('--worktree judges the whole work tree: it goes with --all (or alone)');
  });

  it('check reports a tenant.yaml that disagrees with the policy tenant of its branch, with the hint that fits', () => {
    const repo = createRepo({ branch: 'develop' });
    const files = minimalGitops();
    repo.write({
      ...files,
      'tenant.yaml': files['tenant.yaml']!.replace('00000000-0000-0000-0000-000000000001', 'ffffffff-0000-0000-0000-000000000001'),
    });
    repo.commitAll('init');
    const r = runCli(['check', '--all'], { cwd: repo.dir, env: repo.env });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^tenant\.yaml:4:8 error tenant-binding orchestrate\.url is "https:\/\/[^"]*ffffffff[^"]*", but the policy's tenant dev-qa-tenant has "https:\/\/[^"]*00000000[^"]*" \(deploy would refuse this branch\)$/m,
    );
    expect(r.stdout).toContain(
      'fix: tenant.yaml on develop and tenant dev-qa-tenant in wxo-policy.yaml (tenants[].orchestrate) must say the same',
    );
    expect(r.stdout).not.toContain('Restore the file from the target branch');
    // doctor sees the same disagreement on the branch.
    const doctor = runCli(['doctor'], { cwd: repo.dir, env: repo.env });
    expect(doctor.stdout).toContain(
      "problem  tenants: develop:tenant.yaml disagrees with the policy's tenant of dev (dev-qa-tenant): orchestrate.url",
    );
  });

  it('doctor lists every problem of an invalid policy on its own line', () => {
    const repo = createRepo({ branch: 'feature/x' });
    repo.write({
      ...minimalGitops(),
      'wxo-policy.yaml': `${minimalGitops()['wxo-policy.yaml']!}bogus_a: 1\nbogus_b: 2\nbogus_c: 3\nbogus_d: 4\n`,
    });
    repo.commitAll('init');
    const r = runCli(['doctor'], { cwd: repo.dir, env: repo.env });
    expect(r.status).toBe(1);
    for (const key of ['bogus_a', 'bogus_b', 'bogus_c', 'bogus_d']) expect(r.stdout).toMatch(new RegExp(`^problem  policy: .*${key}`, 'm'));
  });
});

describe('the refusal of a direct commit names a start that the policy accepts', () => {
  it('feature/<name> for develop, hotfix/<name> for main, promotion for qa and staging', () => {
    expect(messages.protectedBranchHint('develop', { glob: 'feature/*' })).toContain('git switch -c feature/<name>');
    expect(messages.protectedBranchHint('main', { glob: 'hotfix/*' })).toContain('git switch -c hotfix/<name>');
    expect(messages.protectedBranchHint('qa-1.2.3', { environments: ['dev'] })).toContain(
      'Changes reach qa-1.2.3 by promotion from dev (`wxo-policy promote` there)',
    );
  });

  it('git itself refuses a direct commit on main with the hotfix/ start', () => {
    const repo = createRepo({ branch: 'main' });
    repo.write(minimalGitops('prod-tenant'));
    initToolkit(repo);
    repo.run('add', '-A');
    repo.run('commit', '-qm', 'init'); // the first commit of a repository may land anywhere
    repo.write({ VERSION: '1.2.4\n' });
    repo.run('add', '-A');
    const r = repo.attempt('commit', '-qm', 'direct');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('git switch -c hotfix/<name>');
    expect(r.stderr).not.toContain('feature/<name>');
  });
});

describe('the bootstrap rule: a change that introduces the policy is judged by it', () => {
  it('a Jenkins pull request of the adoption into a develop without policy uses the PR policy and says so; later PRs use the target', () => {
    const origin = createOrigin('develop');
    const files = minimalGitops();
    const renamed = (text: string) => text.replace(/dev-qa-tenant/g, 'acme-nonprod');
    const { 'wxo-policy.yaml': policy, ...rest } = files;
    // develop before the adoption: its own tenant name, no policy.
    origin.dev.write({ ...rest, 'tenant.yaml': renamed(rest['tenant.yaml']!), 'values.yaml': renamed(rest['values.yaml']!) });
    origin.dev.commitAll('agents');
    origin.push('develop');
    origin.dev.run('switch', '-q', '-c', 'hotfix/adopt-wxo-policy');
    origin.dev.write({ 'wxo-policy.yaml': renamed(policy!) });
    origin.dev.commitAll('Add wxo-policy');
    origin.push('hotfix/adopt-wxo-policy');
    const pr = prBuild(origin, 'hotfix/adopt-wxo-policy', 'develop');
    const r = runCli(['check', '--ci'], { cwd: pr.ws.dir, env: pr.env });
    expect(r.stderr).toContain('origin/develop has no wxo-policy.yaml yet: the policy this change introduces applies (it is the adoption)');
    expect(r.status, r.output).toBe(0);
    // The same with --target locally.
    const local = runCli(['check', '--all', '--target', 'develop'], { cwd: origin.dev.dir, env: origin.dev.env });
    expect(local.stderr).toContain('develop has no wxo-policy.yaml yet: the policy this change introduces applies');
    expect(local.status, local.output).toBe(0);
    // Once develop has a policy, a PR cannot replace it with its own.
    origin.dev.run('switch', '-q', 'develop');
    origin.dev.run('merge', '-q', '--no-ff', '--no-edit', 'hotfix/adopt-wxo-policy');
    origin.push('develop');
    origin.dev.run('switch', '-q', '-c', 'feature/lax');
    origin.dev.write({ 'wxo-policy.yaml': renamed(policy!).replace('secrets: error', 'secrets: off') });
    origin.dev.commitAll('lax');
    origin.push('feature/lax');
    const later = prBuild(origin, 'feature/lax', 'develop', { id: 8 });
    const l = runCli(['check', '--ci'], { cwd: later.ws.dir, env: later.env });
    expect(l.stderr).toContain('policy from origin/develop');
    expect(l.stderr).not.toContain('has no wxo-policy.yaml yet');
  });
});
