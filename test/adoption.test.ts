import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/cli.js';
import { isolatedEnv, npmNetworkEnv } from './helpers/env.js';
import { createRepo, type TestRepo } from './helpers/repo.js';
import { fake } from './helpers/secrets.js';
import { tempDir } from './helpers/tmp.js';

/**
 * The first ten minutes, as a newcomer meets them: README "Adopt wxo-policy in your repository",
 * its shell blocks run exactly as written (only /path/to/wxo-policy and the API key "…" are
 * filled in) on a fresh repository with tenants of its own, main + develop + a bare origin — up
 * to a green `check` in CI mode and a first deploy with the orchestrate stand-in.
 */

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

/** The ```sh blocks of the README's adoption section, in order. */
function adoptionBlocks(): string[] {
  const start = README.indexOf('## Adopt wxo-policy in your repository');
  const end = README.indexOf('\n## ', start + 5);
  const section = README.slice(start, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const TENANT = (name: string, env: string, instance: string, key: string) =>
  `tenant: ${name}\norchestrate:\n  env_name: ${env}\n  url: https://api.eu-de.watson-orchestrate.cloud.ibm.com/instances/${instance}\n  auth_type: ibm_iam\n  api_key: \${${key}}\n`;

/** An existing GitOps repository: main (acme-prod), develop (acme-nonprod), on a bare origin. */
function existingRepository(): { origin: string; author: TestRepo; env: NodeJS.ProcessEnv } {
  const env = isolatedEnv();
  const origin = tempDir('wxo-adopt-origin-');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin], { env });
  const author = createRepo({ branch: 'main', env });
  author.write({
    VERSION: '1.0.0\n',
    'tenant.yaml': TENANT('acme-prod', 'acme-prod', '7d1c0b2e-prod', 'ACME_PROD_API_KEY'),
    'values.yaml': 'tenant: acme-prod\nvalues:\n  llm: watsonx/ibm/granite-3-8b-instruct\n',
    'agents/greeter.yaml': 'spec_version: v1\nkind: native\nname: greeter\ndescription: Greets customers\nllm: ${values.llm}\ntools: []\n',
  });
  author.commitAll('acme agents');
  author.run('switch', '-q', '-c', 'develop');
  author.write({
    'tenant.yaml': TENANT('acme-nonprod', 'acme-nonprod', '7d1c0b2e-nonprod', 'ACME_NONPROD_API_KEY'),
    'values.yaml': 'tenant: acme-nonprod\nvalues:\n  llm: groq/openai/gpt-oss-120b\n',
  });
  author.commitAll('develop: the non-production tenant');
  author.run('remote', 'add', 'origin', origin);
  author.run('push', '-q', 'origin', 'main', 'develop');
  return { origin, author, env };
}

describe('adoption, as the README says', () => {
  it(
    'adopts wxo-policy in an existing repository: init, verify, commit, first pushes, CI check, first deploy',
    { timeout: 300_000 },
    () => {
      const { origin, env: baseEnv } = existingRepository();
      const bin = tempDir('wxo-adopt-bin-');
      copyFileSync(join(PROJECT_ROOT, 'examples', 'orchestrate-stand-in.cjs'), join(bin, 'orchestrate'));
      chmodSync(join(bin, 'orchestrate'), 0o755);
      const npmCache = process.env.npm_config_cache ?? join(process.env.HOME ?? '', '.npm');
      const env: NodeJS.ProcessEnv = {
        ...baseEnv,
        PATH: `${bin}${delimiter}${baseEnv.PATH}`,
        npm_config_cache: npmCache,
        npm_config_prefer_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
        ...npmNetworkEnv(),
        FAKE_ORCHESTRATE_LOG: join(bin, 'calls.jsonl'),
        FAKE_ORCHESTRATE_STATE: join(bin, 'state.json'),
        // The stand-in finds the CLI oracle of this project from here (it is copied, not linked).
        FAKE_ORCHESTRATE_PROJECT: PROJECT_ROOT,
      };
      // The newcomer's clone: main checked out, develop only as origin/develop.
      const parent = tempDir('wxo-adopt-');
      execFileSync('git', ['clone', '-q', origin, 'agents'], { cwd: parent, env });
      const dir = join(parent, 'agents');
      const sh = (script: string, extra: NodeJS.ProcessEnv = {}) => {
        const r = spawnSync('sh', ['-e', '-c', script], { cwd: dir, env: { ...env, ...extra }, encoding: 'utf8' });
        return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, output: r.stdout + r.stderr };
      };
      const blocks = adoptionBlocks().map((b) => b.replaceAll('/path/to/wxo-policy', PROJECT_ROOT));
      expect(blocks).toHaveLength(6);
      const [branch, install, verify, commit, merge, deploy] = blocks as [string, string, string, string, string, string];

      // 2. adopt on a branch
      expect(sh(branch).status).toBe(0);
      // 3. vendor the package, init, npm install
      const installed = sh(install);
      expect(installed.output).not.toMatch(/\n\s+at /);
      expect(installed.status, installed.output).toBe(0);
      expect(installed.stdout).toContain('Tenants found on the environment branches');
      expect(installed.stdout).toMatch(/acme-nonprod {2}origin\/develop → environments dev, qa/);
      expect(installed.stdout).toMatch(/acme-prod {2}main, origin\/main → environments staging, prod/);
      expect(installed.stdout).toContain('qa: no branch of it yet, same tenant as dev');
      expect(installed.stdout).toContain(
        '"Secret text" credentials acme-nonprod-api-key (ACME_NONPROD_API_KEY), acme-prod-api-key (ACME_PROD_API_KEY)',
      );
      expect(installed.stdout).not.toContain('npm registry, where wxo-policy is not published'); // the vendored tarball is portable
      const policy = readFileSync(join(dir, 'wxo-policy.yaml'), 'utf8');
      expect(policy).toContain('name: acme-prod');
      expect(policy).toContain('url: https://api.eu-de.watson-orchestrate.cloud.ibm.com/instances/7d1c0b2e-nonprod');
      expect(policy).not.toMatch(/dev-qa-tenant|prod-tenant|00000000-0000/);
      expect(readdirSync(join(dir, 'vendor'))).toEqual(['wxo-policy-0.1.0.tgz']);
      expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).devDependencies['wxo-policy']).toBe(
        'file:vendor/wxo-policy-0.1.0.tgz',
      );

      // 5. verify
      const verified = sh(verify);
      expect(verified.status, verified.output).toBe(0);
      expect(verified.stdout).toContain('all good');
      expect(verified.stdout).toContain('no problems');

      // 6. commit and push: accepted by the hooks, no --no-verify
      expect(commit).not.toContain('--no-verify');
      const committed = sh(commit);
      expect(committed.status, committed.output).toBe(0);
      const merged = sh(merge);
      expect(merged.status, merged.output).toBe(0);
      expect(merged.stderr).toContain('origin/develop has no wxo-policy.yaml yet: the policy this change introduces applies');
      expect(merged.stderr).toContain('origin/main has no wxo-policy.yaml yet');
      expect(sh('git ls-remote origin develop main').stdout.split('\n').filter(Boolean)).toHaveLength(2);
      expect(sh('git show origin/develop:wxo-policy.yaml').status).toBe(0);
      expect(sh('git show origin/main:tenant.yaml').stdout).toContain('tenant: acme-prod'); // main kept its own tenant

      // 7. the first deploy (develop), with the stand-in orchestrate
      const key = fake.password();
      const deployed = sh(deploy.replace('ACME_NONPROD_API_KEY=…', `ACME_NONPROD_API_KEY=${key}`));
      expect(deployed.status, deployed.output).toBe(0);
      expect(deployed.output).not.toContain(key);
      expect(deployed.stdout).toMatch(/deployed dev: \d+ operations? .* tagged v1\.0\.0-dev/);
      expect(sh('git ls-remote --tags origin v1.0.0-dev').stdout).toContain('refs/tags/v1.0.0-dev');
      const calls = readFileSync(join(bin, 'calls.jsonl'), 'utf8');
      expect(calls).toContain(
        '"env","add","-n","acme-nonprod","-u","https://api.eu-de.watson-orchestrate.cloud.ibm.com/instances/7d1c0b2e-nonprod"',
      );

      // Jenkins: a fresh clone installs the same package (npm ci) and the branch check is green.
      const ws = join(tempDir('wxo-adopt-jenkins-'), 'ws');
      execFileSync('git', ['clone', '-q', origin, ws], { env });
      execFileSync('git', ['checkout', '-q', '--detach', 'origin/develop'], { cwd: ws, env });
      const jenkins = {
        ...env,
        JENKINS_URL: 'https://jenkins.example.test/',
        BUILD_ID: '1',
        JOB_NAME: 'acme/agents',
        BRANCH_NAME: 'develop',
        CI: 'true',
      };
      execFileSync('npm', ['ci'], { cwd: ws, env: jenkins, stdio: 'pipe' });
      expect(existsSync(join(ws, 'node_modules', 'wxo-policy', 'dist', 'cli', 'main.js'))).toBe(true);
      const ci = spawnSync('npx', ['wxo-policy', 'check', '--ci'], { cwd: ws, env: jenkins, encoding: 'utf8' });
      expect(ci.status, ci.stdout + ci.stderr).toBe(0);
      expect(ci.stderr).toContain('Jenkins branch build develop');
      const asked = spawnSync('npx', ['wxo-policy', 'environment'], { cwd: ws, env: jenkins, encoding: 'utf8' });
      expect(asked.stdout).toContain(
        'environment=dev\ntenant=acme-nonprod\nstage=draft\napproval=false\ncredentials_id=acme-nonprod-api-key\ncredentials_variable=ACME_NONPROD_API_KEY\n',
      );
    },
  );
});

describe('adoption: the refusals a newcomer can meet, and what they say', () => {
  it('init outside a git repository refuses and writes nothing', () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'wxo-policy.js'), 'init'], {
      cwd: dir,
      env: isolatedEnv(),
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not inside a git repository: init sets up an existing GitOps repository and wrote nothing');
    expect(r.stderr).toContain('`git init` first');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('init on develop says to adopt on a branch; no tenant.yaml anywhere leaves placeholders to edit', () => {
    const repo = createRepo({ branch: 'develop' });
    repo.write({ 'README.md': 'agents\n' });
    repo.commitAll('start');
    mkdirSync(join(repo.dir, 'node_modules'), { recursive: true });
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'wxo-policy.js'), 'init'], {
      cwd: repo.dir,
      env: repo.env,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No environment branch (develop, main, qa-*, staging-* — local or remote-tracking) has a tenant.yaml');
    expect(r.stdout).toContain('edit tenant dev-qa-tenant in wxo-policy.yaml (environments dev, qa)');
    expect(r.stdout).toContain('edit tenant prod-tenant in wxo-policy.yaml (environments staging, prod)');
    expect(r.stdout).toContain(
      'you are on develop, an environment branch, where direct commits are refused once the hooks are on: adopt on a branch',
    );
    expect(r.stdout).toContain('installs wxo-policy as "^0.1.0" from the npm registry, where wxo-policy is not published');
    expect(r.stdout).toContain('file:vendor/wxo-policy-<version>.tgz');
    expect(r.stdout + r.stderr).not.toMatch(/npx wxo-policy install/);
  });
});

/** tmux (a real terminal): colours, TTY-only behaviour such as git opening the merge editor. */
function hasTmux(): boolean {
  const found = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
  if (!found && process.env.CI === 'true') throw new Error('tmux is missing: .ci/run installs it (apt-get install tmux)');
  return found;
}

describe('adoption in a terminal (tmux)', () => {
  it(
    'init on develop in a terminal, the refused commit there, the commit on a branch, the local merge with its editor',
    { timeout: 180_000 },
    async () => {
      if (!hasTmux()) return;
      const { origin, env } = existingRepository();
      const parent = tempDir('wxo-adopt-tty-');
      execFileSync('git', ['clone', '-q', origin, 'agents'], { cwd: parent, env });
      const dir = join(parent, 'agents');
      const socket = `wxo-${process.pid}-${Date.now()}`;
      const ttyEnv = { ...env, TERM: 'xterm-256color', PS1: '$ ', GIT_EDITOR: 'true', NO_COLOR: undefined } as NodeJS.ProcessEnv;
      const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { env: ttyEnv, encoding: 'utf8' });
      expect(tmux('new-session', '-d', '-s', 'adopt', '-x', '250', '-y', '80', '-c', dir, 'sh').status).toBe(0);
      try {
        let step = 0;
        const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-3000', '-t', 'adopt').stdout;
        const type = async (command: string): Promise<string> => {
          step++;
          const before = screen().length;
          tmux('send-keys', '-t', 'adopt', `${command}; printf '%s\\n' "STEP""${step}:$?"`, 'Enter');
          for (let i = 0; i < 600; i++) {
            const text = screen();
            const m = new RegExp(`STEP${step}:(\\d+)$`, 'm').exec(text);
            if (m) return text.slice(Math.max(0, Math.min(before, text.length) - 200)) + `\nexit ${m[1]}`;
            await new Promise((r) => setTimeout(r, 200));
          }
          throw new Error(`no answer from: ${command}\n${screen()}`);
        };
        const cli = `${process.execPath} ${join(PROJECT_ROOT, 'bin', 'wxo-policy.js')}`;
        await type('git switch -q develop');
        const init = await type(`${cli} init`);
        expect(init).toContain('you are on develop, an environment branch, where direct commits are refused once the hooks are on');
        expect(init).toContain('acme-nonprod  develop, origin/develop → environments dev, qa');
        expect(init).toMatch(/exit 0$/);
        const refused = await type('git add -A && git commit -q -m "Add wxo-policy"');
        expect(refused).toContain('direct commits to develop (environment dev) are not allowed');
        expect(refused).toContain('git switch -c feature/<name>');
        expect(refused).toMatch(/exit 1$/);
        await type('git switch -q -c hotfix/adopt-wxo-policy');
        const committed = await type('git commit -q -m "Add wxo-policy"');
        expect(committed).toMatch(/exit 0$/);
        const merged = await type('git switch -q develop && git merge --no-ff hotfix/adopt-wxo-policy');
        expect(merged).toContain('deploying from git hooks is off here, so that a merge on your machine never deploys by surprise');
        expect(merged).toMatch(/exit 0$/);
        const pushed = await type('git push -q origin develop');
        expect(pushed).toContain('origin/develop has no wxo-policy.yaml yet: the policy this change introduces applies');
        expect(pushed).toMatch(/exit 0$/);
        expect(await type(`${cli} chek`)).toContain('unknown command "chek" (did you mean "check"?)');
      } finally {
        tmux('kill-server');
      }
    },
  );
});
