import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash, createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, PROJECT_ROOT, runCli } from './helpers/cli.js';
import { deployWorld, edit } from './helpers/fakeOrchestrate.js';
import { DEFAULT_POLICY, minimalGitops } from './helpers/gitops.js';
import { createRepo, type TestRepo } from './helpers/repo.js';
import { fake } from './helpers/secrets.js';
import { tempDir } from './helpers/tmp.js';
import { safeAppendFile, safeCreateExclusive, safeMkdir, safeWriteFile } from '../src/fs/safeWrite.js';
import { displayArgv } from '../src/deploy/plan.js';
import { Masker } from '../src/deploy/secrets.js';
import { writeAtomically } from '../src/merge/textMerge.js';
import { globRisk, regexRisk } from '../src/policy/patternRisk.js';

/**
 * Hostile repositories and careless users (issue #10): what a pull request author commits must not
 * make wxo-policy write, run or print what it should not. Each case failed before its fix.
 */
const check = (repo: TestRepo, ...args: string[]) => runCli(['check', ...args], { cwd: repo.dir, env: repo.env });

function gitops(files: Record<string, string | Buffer> = {}): TestRepo {
  const repo = createRepo({ branch: 'feature/x' });
  repo.write({ ...minimalGitops(), ...files });
  repo.commitAll('initial');
  return repo;
}

describe('no file is written through a symlink or outside its directory', () => {
  it('check --output replaces a committed symlink at the report path instead of writing through it', () => {
    const victimDir = tempDir('wxo-victim-');
    const victim = join(victimDir, 'authorized_keys');
    writeFileSync(victim, 'ssh-ed25519 AAAA the-owner\n');
    // A file name that tries to smuggle a whole line into the report.
    const evil = 'agents/x\nssh-ed25519 AAAA attacker\n.yaml';
    const repo = gitops({ [evil]: 'name: [unclosed\n' });
    mkdirSync(join(repo.dir, 'reports'));
    symlinkSync(victim, join(repo.dir, 'reports', 'wxo-policy.xml'));
    repo.commitAll('a pull request');
    const r = check(repo, '--all', '--output', 'reports/wxo-policy.xml');
    expect(r.status).toBe(1);
    expect(readFileSync(victim, 'utf8')).toBe('ssh-ed25519 AAAA the-owner\n');
    const report = join(repo.dir, 'reports', 'wxo-policy.xml');
    expect(lstatSync(report).isSymbolicLink()).toBe(false);
    const xml = readFileSync(report, 'utf8');
    expect(xml).toContain('x\\nssh-ed25519 AAAA attacker\\n.yaml');
    expect(xml.split('\n').some((line) => line.startsWith('ssh-ed25519'))).toBe(false);
    // The text report on the terminal and the JSON report stay one line per finding too.
    expect(r.stdout.split('\n').some((line) => line.startsWith('ssh-ed25519'))).toBe(false);
    expect(readdirSync(join(repo.dir, 'reports'))).toEqual(['wxo-policy.xml']); // no temporary left behind
  });

  it('check --output refuses a report directory that is a committed symlink (exit 2, nothing written)', () => {
    const outside = tempDir('wxo-outside-');
    const repo = gitops();
    symlinkSync(outside, join(repo.dir, 'reports'));
    repo.commitAll('reports is a link');
    const r = check(repo, '--all', '--output', 'reports/wxo-policy.xml');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot write the report to');
    expect(r.stderr).toContain('symbolic link');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('writes a report outside the repository where the operator says', () => {
    const outside = tempDir('wxo-outside-');
    const repo = gitops();
    const r = check(repo, '--all', '--output', join(outside, 'deep', 'report.json'));
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(outside, 'deep', 'report.json'), 'utf8')).summary.errors).toBe(0);
  });

  it('safeWriteFile / safeMkdir / safeAppendFile / safeCreateExclusive refuse links and escapes', () => {
    const base = tempDir('wxo-safe-');
    const outside = tempDir('wxo-outside-');
    writeFileSync(join(outside, 'target'), 'original');
    symlinkSync(outside, join(base, 'link'));
    symlinkSync(join(outside, 'target'), join(base, 'file-link'));
    expect(() => safeWriteFile(base, 'link/new', 'x')).toThrow(/symbolic link/);
    expect(() => safeMkdir(base, 'link/deeper')).toThrow(/symbolic link/);
    expect(() => safeWriteFile(base, '../escape', 'x')).toThrow(/outside/);
    expect(() => safeWriteFile(base, join(outside, 'target'), 'x')).toThrow(/outside/);
    expect(() => safeAppendFile(base, 'file-link', 'x')).toThrow(/ELOOP|symbolic/);
    expect(safeCreateExclusive(base, 'file-link', 'x')).toBe(false); // exists (as a link): not followed
    expect(readFileSync(join(outside, 'target'), 'utf8')).toBe('original');
    expect(readdirSync(outside)).toEqual(['target']);
    safeWriteFile(base, 'file-link', 'replaced');
    expect(lstatSync(join(base, 'file-link')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(outside, 'target'), 'utf8')).toBe('original');
    safeWriteFile(base, 'a/b/c.txt', 'deep', { mode: 0o600 });
    expect(lstatSync(join(base, 'a/b/c.txt')).mode & 0o777).toBe(0o600);
    expect(safeCreateExclusive(base, 'once', '1')).toBe(true);
    expect(safeCreateExclusive(base, 'once', '2')).toBe(false);
    expect(readFileSync(join(base, 'once'), 'utf8')).toBe('1');
    expect(existsSync(join(base, 'a'))).toBe(true);
    expect(readdirSync(base).filter((n) => n.includes('wxo-tmp'))).toEqual([]);
  });
});

describe('no message quotes a value that could be a secret', () => {
  const formats = ['text', 'json', 'junit', 'sarif'] as const;
  const everyFormat = (repo: TestRepo) => formats.map((f) => check(repo, '--all', '--format', f));

  it('password: *VALUE (an alias) and password: !VALUE (a tag) are secrets findings, never quoted', () => {
    const alias = fake.password();
    const tag = fake.password();
    const repo = gitops({
      'agents/alias.yaml': `spec_version: v1\nkind: native\nname: alias\ndescription: d\npassword: *${alias}\n`,
      'agents/tag.yaml': `spec_version: v1\nkind: native\nname: tagged\ndescription: d\nllm: \${values.llm.default}\nconfig:\n  api_token: !${tag}\n`,
    });
    for (const r of everyFormat(repo)) {
      expect(r.status).toBe(1); // the tag form was only a warning: the commit landed
      expect(r.output).not.toContain(alias);
      expect(r.output).not.toContain(tag);
    }
    const text = check(repo, '--all').stdout;
    expect(text).toMatch(/agents\/alias\.yaml:5:11 error secrets credential-named key "password" holds a YAML alias \*+ \(14 chars\)/);
    expect(text).toMatch(/agents\/tag\.yaml:7:14 error secrets credential-named key "api_token" holds a YAML tag \*+ \(14 chars\)/);
    // Standard tags and placeholders are no finding.
    const fine = gitops({
      'agents/ok.yaml':
        'spec_version: v1\nkind: native\nname: ok\ndescription: d\nllm: ${values.llm.default}\nconfig:\n  api_token: !!str ${OK_TOKEN}\n',
    });
    expect(check(fine, '--all').stdout).not.toContain('secrets');
  });

  it('schema messages name the path and the type of a credential, not its value', () => {
    const secret = fake.password();
    const repo = gitops({
      'connections/crm.yaml': `spec_version: v1\nkind: connection\napp_id: crm\nenvironments:\n  draft:\n    kind: basic\n    type: team\n    credentials: ${secret}\n`,
      'agents/styled.yaml': `spec_version: v1\nkind: native\nname: styled\ndescription: d\nllm: \${values.llm.default}\nstyle: ${secret}\n`,
    });
    for (const r of everyFormat(repo)) {
      expect(r.status).toBe(1);
      expect(r.output).not.toContain(secret);
    }
    const text = check(repo, '--all').stdout;
    expect(text).toContain('style: a string of 14 characters is not one of');
    expect(text).toMatch(/credentials: must be a mapping.*, not a string of 14 characters/);
  });

  it('init does not quote a package.json it cannot parse', () => {
    const secret = fake.password();
    const repo = gitops({ 'package.json': `{"t": ${secret}}\n` });
    const r = runCli(['init'], { cwd: repo.dir, env: repo.env });
    expect(r.output).toContain('package.json is not valid JSON');
    expect(r.output).not.toContain(secret.slice(0, 6)); // Node quotes the source around the error
  });
});

describe('finding hashes are keyed with the repository key, which no artifact shows', () => {
  const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
  const hmac = (key: string, v: string) => createHmac('sha256', key).update(v).digest('hex');
  const withKey = (key: string, suppressions = '[]') =>
    DEFAULT_POLICY.replace(/^secrets:\n/m, `secrets:\n  hash_key: ${key}\n`).replace('suppressions: []', `suppressions: ${suppressions}`);

  it('shows HMAC-SHA256 with secrets.hash_key, never the plain SHA-256 nor the key, in every format', () => {
    const key = randomBytes(32).toString('hex');
    const secret = fake.password();
    const repo = gitops({ 'wxo-policy.yaml': withKey(key), 'config/app.yaml': `service:\n  password: ${secret}\n` });
    for (const format of ['text', 'json', 'junit', 'sarif']) {
      const r = check(repo, '--all', '--format', format);
      expect(r.status).toBe(1);
      if (format !== 'junit') expect(r.output).toContain(hmac(key, secret).slice(0, 16));
      expect(r.output).not.toContain(sha256(secret).slice(0, 16));
      expect(r.output).not.toContain(key.slice(0, 16));
    }
    expect(
      JSON.parse(check(repo, '--all', '--format', 'json').stdout).findings.find((f: { rule: string }) => f.rule === 'secrets').hash,
    ).toBe(hmac(key, secret));
    const doctor = runCli(['doctor'], { cwd: repo.dir, env: repo.env });
    expect(doctor.output).not.toContain(key.slice(0, 16));
    expect(doctor.output).not.toContain('no secrets.hash_key');
  });

  it('a suppression written with the plain SHA-256 keeps working and check gives its keyed replacement', () => {
    const key = randomBytes(32).toString('hex');
    const secret = fake.password();
    const legacy = gitops({
      'wxo-policy.yaml': withKey(key, `\n  - { rule: secrets, hash: ${sha256(secret).slice(0, 16)}, reason: revoked test value }`),
      'config/app.yaml': `service:\n  password: ${secret}\n`,
    });
    const r = check(legacy, '--all');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `is a plain SHA-256 of the value, which a word list can reverse: replace its hash with ${hmac(key, secret).slice(0, 16)}`,
    );
    expect(r.stdout).toContain('1 suppressed');
    const json = check(legacy, '--all', '--format', 'json').stdout;
    expect(json).not.toContain('legacySuppression');
    const migrated = gitops({
      'wxo-policy.yaml': withKey(key, `\n  - { rule: secrets, hash: ${hmac(key, secret).slice(0, 16)}, reason: revoked test value }`),
      'config/app.yaml': `service:\n  password: ${secret}\n`,
    });
    const m = check(migrated, '--all');
    expect(m.status).toBe(0);
    expect(m.stdout).not.toContain('plain SHA-256');
    expect(m.stdout).toContain('1 suppressed');
  });

  it('init gives a new policy its own key (kept on re-runs); doctor warns about a policy without one', () => {
    const repo = createRepo();
    repo.write({ 'package.json': '{"name": "agents"}\n' });
    expect(runCli(['init'], { cwd: repo.dir, env: repo.env }).status).toBe(0);
    const policy = readFileSync(join(repo.dir, 'wxo-policy.yaml'), 'utf8');
    const key = /^ {2}hash_key: ([0-9a-f]{64})$/m.exec(policy)?.[1];
    expect(key).toBeDefined();
    runCli(['init', '--force'], { cwd: repo.dir, env: repo.env });
    expect(readFileSync(join(repo.dir, 'wxo-policy.yaml'), 'utf8')).toBe(policy);
    const other = createRepo();
    other.write({ 'package.json': '{"name": "agents"}\n' });
    runCli(['init'], { cwd: other.dir, env: other.env });
    expect(readFileSync(join(other.dir, 'wxo-policy.yaml'), 'utf8')).not.toContain(key!);
    const unkeyed = gitops();
    expect(runCli(['doctor'], { cwd: unkeyed.dir, env: unkeyed.env }).output).toContain('no secrets.hash_key');
  });
});

describe('secrets that passed with exit 0', () => {
  it('finds EC P-256 (SEC1 and PKCS#8) and Ed25519 (PKCS#8) private keys', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const ed = generateKeyPairSync('ed25519').privateKey;
    const repo = gitops({
      'keys/ec-sec1.txt': ec.export({ type: 'sec1', format: 'pem' }).toString(),
      'keys/ec-pkcs8.txt': ec.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'keys/ed.txt': ed.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'docs/howto.md': 'A key looks like this:\n-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----\n',
    });
    const r = check(repo, '--all');
    expect(r.status).toBe(1);
    for (const file of ['keys/ec-sec1.txt', 'keys/ec-pkcs8.txt', 'keys/ed.txt'])
      expect(r.stdout).toMatch(new RegExp(`${file}:1:1 error secrets .*private key`));
    expect(r.stdout).not.toContain('docs/howto.md');
  });

  it('finds credential keys in every document of a YAML stream, and pwd / pass_word / secret_key / camelCase names', () => {
    const [a, b, c, d] = [fake.password(), fake.password(), fake.password(), fake.password()];
    const repo = gitops({
      'deploy/manifests.yaml': `kind: ConfigMap\nname: first\n---\nkind: Secret\nstringData:\n  password: ${a}\n`,
      'config/db.yaml': `db:\n  pwd: ${b}\n  pass_word: ${c}\n  aws:\n    secret_key: ${d}\n  adminPassword: ${a}x\n`,
    });
    const r = check(repo, '--all');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('deploy/manifests.yaml:6:13 error secrets credential-named key "password"');
    for (const key of ['pwd', 'pass_word', 'secret_key', 'adminPassword']) expect(r.stdout).toContain(`credential-named key "${key}"`);
    for (const s of [a, b, c, d]) expect(r.output).not.toContain(s);
  });

  it('scans a file over max_file_bytes for secrets in chunks instead of skipping it', () => {
    const token = fake.githubToken();
    const policy = DEFAULT_POLICY.replace('max_file_bytes: 10485760', 'max_file_bytes: 100000');
    // The token straddles the 1 MiB chunk boundary.
    const padding = 'lorem ipsum dolor sit amet\n'.repeat(Math.ceil((1 << 20) / 27));
    const repo = gitops({ 'wxo-policy.yaml': policy, 'docs/big.log': `${padding.slice(0, (1 << 20) - 10)}\n${token}\n${padding}` });
    const r = check(repo, '--all');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('docs/big.log:1:1 warning secrets file is');
    expect(r.stdout).toMatch(/docs\/big\.log:\d+:\d+ error secrets .*ghp_\*+/);
    expect(r.output).not.toContain(token);
  });

  it('finds a token in a commit message of a range', () => {
    const token = fake.githubToken();
    const repo = gitops();
    const base = repo.run('rev-parse', 'HEAD').trim();
    repo.write({ 'docs/notes.md': 'notes\n' });
    repo.run('add', '-A');
    repo.run('commit', '-q', '--no-verify', '-m', `add notes\n\nused ${token} to test`);
    const r = check(repo, '--range', `${base}..HEAD`);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/\(repository\) error secrets commit message holds .*ghp_\*+ .*\[commit [0-9a-f]{12}\]/);
    expect(r.output).not.toContain(token);
  });
});

describe('deploys that die, and deploys that race', () => {
  const lockModule = join(PROJECT_ROOT, 'dist', 'deploy', 'lock.js');
  /**
   * One contender: takes the lock at `startAt`, proves it is alone while holding it, releases.
   * Its first removal of the lock file is delayed by `delay` ms (node:fs patched before the lock
   * module runs): contender k judges the stale lock at once but removes it k × 120 ms later. A
   * takeover that reads, deletes and creates then deletes a lock another contender has just taken
   * (the old read-delete-create lock did so in 5 of 5 rounds; one fails the test).
   */
  const contender = `
    const fs = (await import('node:module')).createRequire(import.meta.url)('node:fs');
    const { syncBuiltinESMExports } = await import('node:module');
    const [modulePath, dir, startAt, delay] = [process.argv[1], process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
    const rmSync = fs.rmSync;
    let delayed = false;
    fs.rmSync = (path, options) => {
      if (!delayed && String(path).endsWith('.lock')) {
        delayed = true;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delay);
      }
      return rmSync(path, options);
    };
    syncBuiltinESMExports();
    const { acquireLock } = await import(modulePath);
    while (Date.now() < startAt);
    let lock;
    try { lock = acquireLock(dir, 'dev', 'abc'); } catch { console.log('REFUSED'); process.exit(0); }
    try { fs.writeFileSync(dir + '/holder', String(process.pid), { flag: 'wx' }); } catch { console.log('OVERLAP'); }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
    fs.rmSync(dir + '/holder', { force: true });
    lock.release();
    console.log('HELD');
  `;

  it('four deploys on a stale lock, each deleting it at a different moment: never two hold it, in any round', async () => {
    const dir = tempDir('wxo-lock-');
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout.trim());
    let overlaps = 0;
    for (let round = 0; round < 5; round++) {
      writeFileSync(
        join(dir, 'wxo-policy-deploy-dev.lock'),
        JSON.stringify({ pid: deadPid, host: hostname(), time: new Date().toISOString(), environment: 'dev', commit: 'old' }),
      );
      const startAt = Date.now() + 3000;
      const outputs = await Promise.all(
        [0, 1, 2, 3].map(
          (k) =>
            new Promise<string>((resolve) => {
              const child = spawn(
                process.execPath,
                ['--input-type=module', '-e', contender, lockModule, dir, String(startAt), String(k * 120)],
                { stdio: ['ignore', 'pipe', 'inherit'] },
              );
              let out = '';
              child.stdout.on('data', (d) => (out += d));
              child.on('close', () => resolve(out));
            }),
        ),
      );
      const all = outputs.join('');
      if (all.includes('OVERLAP')) overlaps++;
      expect(all).toContain('HELD');
      expect(readdirSync(dir).filter((n) => n !== 'wxo-policy-deploy-dev.lock' && n !== 'holder')).toEqual([]); // no token or temporary left
    }
    expect(overlaps).toBe(0);
    expect(existsSync(join(dir, 'wxo-policy-deploy-dev.lock'))).toBe(false);
  }, 120_000);

  // Fails on the code before the fix (b604ea7^, verified): the orphan runs on (process.kill(pid, 0) does not throw).
  it('a deploy killed with SIGKILL: the next one kills its orchestrate process group and removes its rendered files', async () => {
    const world = deployWorld();
    // The deploys' own temporary directory: a deploy removes the rendered workspaces of dead deploys
    // it finds there, so in the shared one a deploy of another test (or of another run on this
    // machine) could remove this one's first, or this one's next deploy count theirs too. HOME goes
    // inside it: the stand-in writes the ADK's config.yaml only under a HOME in the temp directory.
    const tmp = tempDir('wxo-deploy-tmp-');
    const home = join(tmp, 'home');
    mkdirSync(join(home, '.config'), { recursive: true });
    const vars = { TMPDIR: tmp, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
    world.fake.rules([{ match: 'agents import', action: 'hang' }]);
    const child = spawn(process.execPath, [CLI, 'deploy'], {
      cwd: world.repo.dir,
      env: world.env(vars),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Generous: at a load average of 18 the calls before the first agents import take half a minute.
    const deadline = Date.now() + 180_000;
    while (!world.fake.commands().some((c) => c.startsWith('agents import')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const hung = world.fake.calls().find((c) => c.argv[0] === 'agents');
    if (!hung) throw new Error('the deploy made no agents import call within 180 s');
    child.kill('SIGKILL');
    await exited;
    expect(() => process.kill(hung.pid, 0)).not.toThrow(); // the orphan runs on
    expect(existsSync(hung.cwd)).toBe(true); // with the rendered files beside it

    world.fake.rules([]);
    const next = world.cli(['deploy'], vars);
    expect(next.stderr).toContain(`took over a stale deploy lock (pid ${child.pid}`);
    expect(next.stderr).toMatch(/killed the orchestrate process group\(s\) it left running: \d+/);
    expect(next.stderr).toContain('removed 1 rendered workspace(s) of deploys that died');
    expect(next.status).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(() => process.kill(hung.pid, 0)).toThrow();
    expect(existsSync(hung.cwd)).toBe(false);
    world.assertNoLeaks();
  }, 300_000);
});

describe('one hostile file does not end the run', () => {
  it('reports a 60 KB nested JSON file and a 10k-deep YAML flow sequence, and checks the rest', () => {
    const token = fake.githubToken();
    const repo = gitops({
      'agents/deep.json': `${'['.repeat(30_000)}${']'.repeat(30_000)}`,
      'agents/deep.yaml': `items: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
      'docs/deep.md': `${'{'.repeat(5000)}\n`, // not YAML: not parsed, nothing to report
      'config/app.yaml': `service:\n  api_token: ${token}\n`,
    });
    const r = check(repo, '--all');
    expect(r.stderr).not.toContain('Maximum call stack');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('agents/deep.json:1:257 error yaml-syntax nested more than 256 levels deep');
    expect(r.stdout).toContain('agents/deep.yaml:1:264 error yaml-syntax nested more than 256 levels deep');
    expect(r.stdout).not.toContain('docs/deep.md');
    expect(r.stdout).toContain('config/app.yaml:2:14 error secrets credential-named key "api_token"');
  });
});

describe('low-severity hardening', () => {
  it('reports a wxO file that is not valid UTF-8 instead of deploying U+FFFD', () => {
    const repo = gitops({
      'agents/latin1.yaml': Buffer.concat([
        Buffer.from('spec_version: v1\nkind: native\nname: latin1\ndescription: caf'),
        Buffer.from([0xe9]),
        Buffer.from('\nllm: ${values.llm.default}\n'),
      ]),
    });
    const r = check(repo, '--all');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('agents/latin1.yaml:4:17 error yaml-syntax not valid UTF-8 here');
  });

  it('refuses option-like values for remotes, branches and revisions (no --upload-pack)', () => {
    const repo = gitops();
    const marker = join(repo.dir, 'PWNED');
    for (const args of [
      ['check', '--ci', `--remote=--upload-pack=touch ${marker}`, '--branch', 'feature/x'],
      ['status', `--remote=--upload-pack=touch ${marker}`],
      ['check', '--all', '--branch=--help'],
    ]) {
      const r = runCli(args, { cwd: repo.dir, env: repo.env });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('starts with "-": git would read it as an option');
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('masks case variants, escaped and base64 forms, and short secrets with the word around them', () => {
    const masker = new Masker();
    const password = 'Tr0ub4dor&3xyz';
    masker.add('PASSWORD', password);
    masker.add('PIN', '4711');
    const basic = Buffer.from(`admin:${password}`).toString('base64');
    const out = masker.mask(
      `p=${password.toUpperCase()} json="${JSON.stringify(password + '"\\').slice(1, -1)}" auth: Basic ${basic} url=${encodeURIComponent(password)} build 47115 pin:4711`,
    );
    expect(out).not.toContain(password.toUpperCase());
    expect(out).not.toContain(basic.slice(4, 16));
    expect(out).not.toContain('4711');
    expect(out).toContain('build <secret:PIN>');
    expect(out).toContain('pin:<secret:PIN>');
    expect(out).not.toMatch(/<secret:PIN>5/);
  });

  it('quotes argv in plan text the way a shell needs it; secrets stay placeholders', () => {
    expect(
      displayArgv('orchestrate', [
        'tools',
        'import',
        '-f',
        'tools/a<b|c.yaml',
        '--app-id',
        'x;rm -rf ~',
        { parts: ['--url=https://h/', { secret: 'S' }] },
      ]),
    ).toBe("orchestrate tools import -f 'tools/a<b|c.yaml' --app-id 'x;rm -rf ~' --url=https://h/<secret:S>");
  });

  it('the merge driver keeps its temporaries in the git dir and removes those of killed runs', () => {
    const repo = createRepo();
    const gitDir = join(repo.dir, '.git');
    const tmp = join(gitDir, 'wxo-policy', 'tmp');
    mkdirSync(tmp, { recursive: true });
    const dead = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
    writeFileSync(join(tmp, `merge-${dead}-abcdef`), 'partial merge with a secret');
    const target = join(repo.dir, '.merge_file_a1b2c3');
    writeFileSync(target, 'ours');
    writeAtomically(target, 'merged', gitDir);
    expect(readFileSync(target, 'utf8')).toBe('merged');
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(repo.dir).filter((n) => n.startsWith('.wxo') || n.includes('wxo-tmp'))).toEqual([]);
  });

  it('policy regexes run on a linear-time engine: (a+)+ and (a|aa)*b cannot hang check; back-references and look-around are refused by check and doctor', () => {
    const withPattern = (pattern: string) =>
      DEFAULT_POLICY.replace('versioning:\n  format: semver\n', () => `versioning:\n  format: pattern\n  pattern: '${pattern}'\n`);
    for (const [pattern, branch] of [
      ['^(a+)+$', `qa-${'a'.repeat(200)}!`],
      ['(a|aa)*b', `qa-${'a'.repeat(200)}`],
      ['^(\\d+|\\d+\\.)*x$', `qa-${'1.'.repeat(100)}1`],
    ] as const) {
      const repo = gitops({ 'wxo-policy.yaml': withPattern(pattern) });
      repo.run('checkout', '-q', '-b', branch);
      const started = Date.now();
      const r = check(repo, '--all');
      // JavaScript's backtracking engine would take longer than the age of the universe here.
      expect(Date.now() - started, pattern).toBeLessThan(20_000);
      expect(r.stderr, pattern).not.toContain('refused');
      expect(r.status, `${pattern}: ${r.stderr}`).toBe(1); // the branch matches no environment: a branch-name finding
      expect(r.stdout, pattern).toContain('branch-name');
    }
    // Accepted patterns still do their job (named version group, whole-name match).
    const ok = gitops({ 'wxo-policy.yaml': withPattern('^(a+)+$') });
    ok.run('checkout', '-q', '-b', 'qa-aaa');
    expect(check(ok, '--all').stdout).not.toContain('branch-name');
    for (const [pattern, why] of [
      ['^(\\d+)\\.\\1$', 'a back-reference'],
      ['^(?=\\d)\\d+$', 'a look-ahead or look-behind'],
      ['^(\\d+$', 'not a regular expression the linear-time engine'],
    ] as const) {
      const repo = gitops({ 'wxo-policy.yaml': withPattern(pattern) });
      const r = check(repo, '--all');
      expect(r.status, pattern).toBe(2);
      expect(r.stderr, pattern).toContain(`refused: ${why}`);
      expect(runCli(['doctor'], { cwd: repo.dir, env: repo.env }).output, pattern).toContain(`refused: ${why}`);
    }
    expect(regexRisk('^\\d+\\.\\d+\\.\\d+(-rc\\d+)?$')).toBeUndefined();
    expect(regexRisk('^(a|ab)*$')).toBeUndefined();
    expect(regexRisk('(x+)\\k<x>')).toMatch(/back-reference/);
    expect(regexRisk(`^${'a'.repeat(300)}$`)).toMatch(/longer than/);
    expect(globRisk('+(a*)')).toMatch(/extglob/);
  });

  it('a commit that weakens the policy and adds a secret is judged by the committed policy', () => {
    const secret = fake.password();
    const repo = gitops();
    repo.write({
      'wxo-policy.yaml': DEFAULT_POLICY.replace(/^ {2}secrets: error$/m, '  secrets: off'),
      'config/app.yaml': `db:\n  password: ${secret}\n`,
    });
    repo.run('add', '-A');
    const r = check(repo, '--staged');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('this commit is judged by the policy of HEAD');
    expect(r.stdout).toContain('credential-named key "password"');
    const hook = runCli(['hook', 'pre-commit'], { cwd: repo.dir, env: repo.env });
    expect(hook.status).toBe(1);
    expect(hook.output).toContain('credential-named key "password"');
  });

  it('files named --help.yaml and -x.yaml and an agent named --debug reach orchestrate as values, never as options (real deploy)', () => {
    const world = deployWorld();
    const agent = (name: string) =>
      readFileSync(join(world.repo.dir, 'agents', 'billing_agent.yaml'), 'utf8').replace(/^name: billing_agent$/m, `name: ${name}`);
    world.repo.write({ '--help.yaml': agent('help_agent'), '-x.yaml': agent('--debug'), '-kb/--version.yaml': agent('version_agent') });
    world.repo.commitAll('files whose names look like options');
    const r = world.cli(['deploy']);
    expect(r.status).toBe(0);
    const imports = world.fake.calls().filter((c) => c.argv[0] === 'agents' && c.argv[1] === 'import');
    const fileArgs = imports.map((c) => c.argv[c.argv.indexOf('-f') + 1]!);
    expect(fileArgs).toEqual(expect.arrayContaining(['./--help.yaml', './-x.yaml', './-kb/--version.yaml']));
    const tenant = () => Object.values(world.fake.state().tenants)[0]!;
    expect(Object.keys(tenant().agents!)).toEqual(expect.arrayContaining(['help_agent', '--debug', 'version_agent']));

    // Removing the agent named --debug names it attached to its option: the ADK scans sys.argv for a
    // bare `--debug` token (core/utils/exceptions.py:16) and would then not stop on a BadRequest.
    world.repo.run('rm', '-q', '--', '-x.yaml');
    world.repo.commitAll('remove the --debug agent');
    const removed = world.cli(['deploy']);
    expect(removed.status).toBe(0);
    expect(world.fake.commands()).toContain('agents remove --name=--debug -k native');
    expect(Object.keys(tenant().agents!)).not.toContain('--debug');

    // Every token that starts with "-" in every call is an option of that command (the CLI's surface).
    const surface = JSON.parse(readFileSync(join(PROJECT_ROOT, 'scripts', 'adk-cli', 'surface.json'), 'utf8')) as {
      commands: Record<string, { options: { flags: string[]; offFlags?: string[] }[] }>;
    };
    for (const call of world.fake.calls()) {
      const words = call.argv.filter((a, i) => i < 3 && !a.startsWith('-'));
      const command = [3, 2, 1].map((n) => words.slice(0, n).join(' ')).find((c) => surface.commands[c])!;
      const flags = new Set(surface.commands[command]!.options.flatMap((o) => [...o.flags, ...(o.offFlags ?? [])]));
      for (const token of call.argv.filter((a) => a.startsWith('-')))
        expect(`${command}: ${flags.has(token.split('=')[0]!) || token === '--' ? 'option' : token}`).toBe(`${command}: option`);
    }
  });

  it('deploy.orchestrate may not name a program of the deployed commit', () => {
    const world = deployWorld();
    const marker = join(world.repo.dir, '..', `ran-${randomBytes(4).toString('hex')}`);
    world.repo.write({ 'bin/orchestrate': `#!/bin/sh\necho "$@" > ${marker}\n` });
    chmodSync(join(world.repo.dir, 'bin/orchestrate'), 0o755);
    edit(world.repo, 'wxo-policy.yaml', (t) => t.replace(/^ {2}orchestrate: orchestrate$/m, '  orchestrate: bin/orchestrate'));
    world.repo.commitAll('bring my own orchestrate');
    const r = world.cli(['deploy']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('deploy.orchestrate "bin/orchestrate" is refused');
    expect(r.stderr).toContain('WXO_POLICY_ALLOW_REPO_ORCHESTRATE=1');
    expect(existsSync(marker)).toBe(false);
    world.assertNoLeaks();
  });
});
