import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, PROJECT_ROOT } from './helpers/cli.js';
import { npmNetworkEnv } from './helpers/env.js';
import { minimalGitops } from './helpers/gitops.js';
import { createRepo, type TestRepo } from './helpers/repo.js';
import { fake } from './helpers/secrets.js';
import { tempDir } from './helpers/tmp.js';

/**
 * The portable installs of README "Installing wxo-policy portably" (issue #15), really installed by
 * npm in a fresh repository: a git URL with a tag (npm clones the repository, installs its build
 * tools and runs `prepare`), and a private registry under the company's scope (a registry on
 * 127.0.0.1 that serves the packument and the tarball, and wants a token). Then `init`, `npm install`
 * and a commit the hooks refuse: the package works as installed, not only as checked out. Slow (a
 * real npm install each): two tests, generous timeouts.
 */

const agent = (extra = '') =>
  `spec_version: v1\nkind: native\nname: helper\ndescription: Answers questions\nllm: \${values.llm.default}\ntools: []\n${extra}`;

function npmEnv(repo: TestRepo, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...repo.env,
    npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? '', '.npm'),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
    ...npmNetworkEnv(),
    ...extra,
  };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 600_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}` };
}

/** A GitOps repository before adoption: its files on develop, no policy yet. */
function gitopsRepo(): TestRepo {
  const repo = createRepo({ branch: 'develop' });
  const files = minimalGitops();
  delete files['wxo-policy.yaml'];
  repo.write({ ...files, 'package.json': `${JSON.stringify({ name: 'agents', version: '1.2.3', private: true }, null, 2)}\n` });
  repo.commitAll('agents');
  repo.run('switch', '-q', '-c', 'hotfix/adopt-wxo-policy');
  return repo;
}

/** init with SPEC, npm install, then the hooks at work: a secret refused, the adoption accepted. */
function adoptAndCommit(repo: TestRepo, spec: string, env: NodeJS.ProcessEnv) {
  const init = run(process.execPath, [CLI, 'init', '--package-spec', spec], repo.dir, env);
  expect(init.status, init.output).toBe(0);
  expect(JSON.parse(readFileSync(join(repo.dir, 'package.json'), 'utf8')).devDependencies['wxo-policy']).toBe(spec);
  const installed = run('npm', ['install'], repo.dir, env);
  expect(installed.status, installed.output).toBe(0);
  // What npm installed is the package, built: dist/ is there, the sources are not (package.json "files").
  const pkg = join(repo.dir, 'node_modules', 'wxo-policy');
  expect(existsSync(join(pkg, 'dist', 'cli', 'main.js'))).toBe(true);
  expect(existsSync(join(pkg, 'src'))).toBe(false);
  expect(existsSync(join(repo.dir, 'node_modules', '.bin', 'wxo-policy'))).toBe(true);
  // prepare turned the hooks on: git itself runs them.
  expect(repo.run('config', 'core.hooksPath').trim()).toBe(join(repo.dir, '.git', 'wxo-policy', 'hooks'));
  repo.write({ 'agents/helper.yaml': agent(`password: ${fake.password()}\n`) });
  repo.run('add', 'agents/helper.yaml');
  const refused = repo.attempt('commit', '-qm', 'leak');
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain('commit refused by wxo-policy');
  repo.run('checkout', '-q', 'HEAD', '--', 'agents/helper.yaml');
  const adopted = spawnSync('sh', ['-c', 'git add -A && git commit -qm "Add wxo-policy"'], { cwd: repo.dir, env, encoding: 'utf8' });
  expect(adopted.status, `${adopted.stdout}${adopted.stderr}`).toBe(0);
  return { init, installed };
}

describe('installing wxo-policy portably, as npm does it', () => {
  const servers: ChildProcess[] = [];
  afterAll(() => {
    for (const s of servers) s.kill();
  });

  it('from a git URL with a tag: npm clones, builds with prepare, installs; init; hooks fire on commit', { timeout: 900_000 }, () => {
    // The team's git server: a bare clone of this repository with a release tag.
    const bare = join(tempDir('wxo-gitserver-'), 'wxo-policy.git');
    execFileSync('git', ['clone', '-q', '--bare', '--no-tags', PROJECT_ROOT, bare], { stdio: 'pipe' });
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    execFileSync('git', ['-C', bare, 'tag', 'v0.1.0', head], { stdio: 'pipe' });
    // A clone of the bare repository holds no dist/: only npm's prepare can have built it.
    expect(execFileSync('git', ['-C', bare, 'ls-tree', '-r', '--name-only', 'v0.1.0'], { encoding: 'utf8' })).not.toMatch(/^dist\//m);

    const repo = gitopsRepo();
    const env = npmEnv(repo);
    const spec = `git+file://${bare}#v0.1.0`;
    const { init } = adoptAndCommit(repo, spec, env);
    // A git repository on this machine is no more portable than a path: init says so (git+https is).
    expect(init.stdout).toContain(
      `package.json installs wxo-policy from "${spec}", a path on this machine: other clones and Jenkins do not have it`,
    );
    const lock = JSON.parse(readFileSync(join(repo.dir, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/wxo-policy'].resolved).toBe(`git+file://${bare}#${head}`);
    expect(JSON.parse(readFileSync(join(repo.dir, 'node_modules', 'wxo-policy', 'package.json'), 'utf8')).name).toBe('wxo-policy');
  });

  it(
    'from a private registry under the company’s scope (npm:@acme/wxo-policy, a token in .npmrc); Jenkins’ npm ci in a fresh clone',
    { timeout: 900_000 },
    async () => {
      // What the platform team publishes: the package, renamed into their scope.
      const work = tempDir('wxo-publish-');
      const packed = execFileSync('npm', ['pack', PROJECT_ROOT, '--ignore-scripts', '--pack-destination', work, '--loglevel=error'], {
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .at(-1)!;
      execFileSync('tar', ['-xzf', join(work, packed), '-C', work]);
      const manifest = JSON.parse(readFileSync(join(work, 'package', 'package.json'), 'utf8'));
      manifest.name = '@acme/wxo-policy';
      writeFileSync(join(work, 'package', 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      const dest = join(work, 'out');
      mkdirSync(dest);
      execFileSync('npm', ['pack', join(work, 'package'), '--ignore-scripts', '--pack-destination', dest, '--loglevel=error'], {
        encoding: 'utf8',
      });
      const [tarballName] = readdirSync(dest);

      // The private registry (its own process): a packument and a tarball, for a bearer token only.
      const token = fake.password();
      const log = join(work, 'requests.log');
      writeFileSync(log, '');
      writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest));
      const server = spawn(
        process.execPath,
        [join(PROJECT_ROOT, 'test/fixtures/npm/private-registry.mjs'), join(dest, tarballName!), join(work, 'manifest.json'), token, log],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      servers.push(server);
      const port = await new Promise<string>((ok, fail) => {
        server.stdout!.on('data', (d: Buffer) => {
          const m = /listening (\d+)/.exec(String(d));
          if (m) ok(m[1]!);
        });
        server.on('exit', (code) => fail(new Error(`the registry stopped (${code})`)));
      });
      const registry = `http://127.0.0.1:${port}/`;
      const asked = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);

      const repo = gitopsRepo();
      // Committed: the scope's registry; the token comes from the environment (Jenkins binds it).
      repo.write({ '.npmrc': `@acme:registry=${registry}\n//${registry.replace(/^http:\/\//, '')}:_authToken=\${ACME_NPM_TOKEN}\n` });
      // Without the right token the registry refuses, and npm says so (no fallback to the public registry).
      const refused = run(
        'npm',
        ['view', '@acme/wxo-policy', 'version', '--prefer-online'],
        repo.dir,
        npmEnv(repo, { ACME_NPM_TOKEN: 'not-the-token' }),
      );
      expect(refused.status).not.toBe(0);
      expect(refused.output).toMatch(/E401|401/);
      const env = npmEnv(repo, { ACME_NPM_TOKEN: token });
      const spec = 'npm:@acme/wxo-policy@^0.1.0';
      const { init, installed } = adoptAndCommit(repo, spec, env);
      expect(init.stdout).not.toContain('other clones and Jenkins do not have it');
      expect(installed.output).not.toContain(token);
      expect(JSON.parse(readFileSync(join(repo.dir, 'node_modules', 'wxo-policy', 'package.json'), 'utf8')).name).toBe('@acme/wxo-policy');
      const doctor = run(process.execPath, [join(repo.dir, 'node_modules', '.bin', 'wxo-policy'), 'doctor'], repo.dir, env);
      expect(doctor.stdout).toMatch(
        /ok\s+install: package\.json installs wxo-policy from "npm:@acme\/wxo-policy@\^0\.1\.0" \(alias: the same in every clone and in Jenkins\)/,
      );
      // Only the scope went to the private registry, always with the token.
      expect(asked().length).toBeGreaterThan(0);
      for (const a of asked()) expect(a).toMatch(/^GET \/@acme(%2[fF]|\/)wxo-policy/);

      // Jenkins: a fresh clone, npm ci from the lock (which pins the private registry's tarball).
      const origin = createRepo({ bare: true });
      repo.run('push', '-q', '--no-verify', origin.dir, 'HEAD:refs/heads/develop');
      const ws = join(tempDir('wxo-jenkins-'), 'ws');
      execFileSync('git', ['clone', '-q', '-b', 'develop', origin.dir, ws], { env });
      const lock = JSON.parse(readFileSync(join(ws, 'package-lock.json'), 'utf8'));
      // The lock names the scoped package and pins the tarball's integrity (npm leaves out the
      // registry URL here: every clone resolves @acme through the committed .npmrc).
      expect(lock.packages['node_modules/wxo-policy']).toMatchObject({
        name: '@acme/wxo-policy',
        version: manifest.version,
        integrity: `sha512-${createHash('sha512')
          .update(readFileSync(join(dest, tarballName!)))
          .digest('base64')}`,
      });
      const ci = run('npm', ['ci'], ws, { ...env, CI: 'true', JENKINS_URL: 'https://jenkins.example.test/' });
      expect(ci.status, ci.output).toBe(0);
      const check = run(process.execPath, [join(ws, 'node_modules', '.bin', 'wxo-policy'), 'environment', '--branch', 'develop'], ws, env);
      expect(check.status, check.output).toBe(0);
      expect(check.stdout).toContain('environment=dev');
    },
  );
});
