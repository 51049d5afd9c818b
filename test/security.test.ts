import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash, createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { DEFAULT_POLICY, minimalGitops } from './helpers/gitops.js';
import { createRepo, type TestRepo } from './helpers/repo.js';
import { fake } from './helpers/secrets.js';
import { tempDir } from './helpers/tmp.js';
import { safeAppendFile, safeCreateExclusive, safeMkdir, safeWriteFile } from '../src/fs/safeWrite.js';

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
    const fine = gitops({ 'agents/ok.yaml': 'spec_version: v1\nkind: native\nname: ok\ndescription: d\nllm: ${values.llm.default}\nconfig:\n  api_token: !!str ${OK_TOKEN}\n' });
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
  const withKey = (key: string, suppressions = '[]') => DEFAULT_POLICY.replace(/^secrets:\n/m, `secrets:\n  hash_key: ${key}\n`).replace('suppressions: []', `suppressions: ${suppressions}`);

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
    expect(JSON.parse(check(repo, '--all', '--format', 'json').stdout).findings.find((f: { rule: string }) => f.rule === 'secrets').hash).toBe(hmac(key, secret));
    const doctor = runCli(['doctor'], { cwd: repo.dir, env: repo.env });
    expect(doctor.output).not.toContain(key.slice(0, 16));
    expect(doctor.output).not.toContain('no secrets.hash_key');
  });

  it('a suppression written with the plain SHA-256 keeps working and check gives its keyed replacement', () => {
    const key = randomBytes(32).toString('hex');
    const secret = fake.password();
    const legacy = gitops({ 'wxo-policy.yaml': withKey(key, `\n  - { rule: secrets, hash: ${sha256(secret).slice(0, 16)}, reason: revoked test value }`), 'config/app.yaml': `service:\n  password: ${secret}\n` });
    const r = check(legacy, '--all');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`is a plain SHA-256 of the value, which a word list can reverse: replace its hash with ${hmac(key, secret).slice(0, 16)}`);
    expect(r.stdout).toContain('1 suppressed');
    const json = check(legacy, '--all', '--format', 'json').stdout;
    expect(json).not.toContain('legacySuppression');
    const migrated = gitops({ 'wxo-policy.yaml': withKey(key, `\n  - { rule: secrets, hash: ${hmac(key, secret).slice(0, 16)}, reason: revoked test value }`), 'config/app.yaml': `service:\n  password: ${secret}\n` });
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
    for (const file of ['keys/ec-sec1.txt', 'keys/ec-pkcs8.txt', 'keys/ed.txt']) expect(r.stdout).toMatch(new RegExp(`${file}:1:1 error secrets .*private key`));
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
