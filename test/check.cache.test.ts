import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultNamespace } from '../src/checks/resultCache.js';
import { runCli } from './helpers/cli.js';
import { DEFAULT_POLICY, minimalGitops } from './helpers/gitops.js';
import { createRepo, type TestRepo } from './helpers/repo.js';
import { fake } from './helpers/secrets.js';
import { tempDir } from './helpers/tmp.js';

/** `check --cache-dir`: the result cache of committed blobs (src/checks/resultCache.ts). */
const check = (repo: TestRepo, ...args: string[]) => runCli(['check', '--format', 'json', ...args], { cwd: repo.dir, env: repo.env });
const findingsOf = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { rule: string; file?: string; line?: number; severity: string; message: string }[] }).findings;
const agent = (name: string, tools: string[] = [], extra = '') =>
  `spec_version: v1\nkind: native\nname: ${name}\ndescription: Answers questions\nllm: \${values.llm.default}\ntools: [${tools.join(', ')}]\n${extra}`;

function gitops(files: Record<string, string> = {}): TestRepo {
  const repo = createRepo({ branch: 'feature/cache' });
  repo.write({ ...minimalGitops(), 'agents/other.yaml': agent('other'), 'docs/notes.md': '# Notes\n', ...files });
  repo.commitAll('initial');
  return repo;
}

describe('check --cache-dir', () => {
  it('answers a second run from the cache with exactly the findings of the first', () => {
    const token = fake.githubToken();
    const repo = gitops({ 'docs/leak.md': `token ${token}\n`, 'agents/broken.yaml': agent('broken', ['no_such_tool']) });
    const cache = tempDir('wxo-cache-');
    const cold = check(repo, '--all', '--cache-dir', cache);
    expect(cold.status).toBe(1);
    expect(cold.stderr).toMatch(/result cache: 0 of \d+ file/);
    const warm = check(repo, '--all', '--cache-dir', cache);
    expect(warm.stderr).toMatch(/result cache: [1-9]\d* of \d+ file/);
    expect(findingsOf(warm.stdout)).toEqual(findingsOf(cold.stdout));
    expect(findingsOf(warm.stdout).map((f) => `${f.rule} ${f.file}`)).toEqual(
      expect.arrayContaining(['secrets docs/leak.md', 'references agents/broken.yaml']),
    );
    // Without the cache: the same again.
    expect(findingsOf(check(repo, '--all').stdout)).toEqual(findingsOf(cold.stdout));
    expect(readdirSync(cache).some((n) => n.startsWith('results-'))).toBe(true);
  });

  it('never keeps a result when the file changes: a new blob is analysed', () => {
    const repo = gitops();
    const cache = tempDir('wxo-cache-');
    expect(check(repo, '--all', '--cache-dir', cache).status).toBe(0);
    repo.write({ 'docs/notes.md': `# Notes\n\nexport GITHUB_TOKEN=${fake.githubToken()}\n` });
    repo.commitAll('notes');
    const r = check(repo, '--all', '--cache-dir', cache);
    expect(r.status).toBe(1);
    expect(findingsOf(r.stdout).map((f) => `${f.rule} ${f.file}:${f.line}`)).toContain('secrets docs/notes.md:3');
    // The new blob's result went to the journal; the next run reads it back.
    const journal = readdirSync(cache).find((n) => n.endsWith('.journal'))!;
    expect(readFileSync(join(cache, journal), 'utf8')).toContain(':docs/notes.md\t');
    const again = check(repo, '--all', '--cache-dir', cache);
    expect(again.stderr).toMatch(/result cache: (\d+) of \1 file/);
    expect(findingsOf(again.stdout)).toEqual(findingsOf(r.stdout));
    // A journal line that does not carry its own checksum (torn, or two appends mixed) is no result.
    const oid = repo.run('rev-parse', 'HEAD:docs/notes.md').trim();
    writeFileSync(join(cache, journal), `${oid}:docs/notes.md\t{"findings":[],"facts":{"resources":[],"refs":[]}}\t0000000000000000\n`, {
      flag: 'a',
    });
    expect(findingsOf(check(repo, '--all', '--cache-dir', cache).stdout)).toEqual(findingsOf(r.stdout));
  });

  it('starts afresh when the policy or the values change', () => {
    const token = fake.githubToken();
    const repo = gitops({ 'docs/leak.md': `token ${token}\n` });
    const cache = tempDir('wxo-cache-');
    expect(findingsOf(check(repo, '--all', '--cache-dir', cache).stdout).find((f) => f.rule === 'secrets')?.severity).toBe('error');
    // The policy makes secrets warnings: the cached error must not survive.
    repo.write({ 'wxo-policy.yaml': DEFAULT_POLICY.replace(/^  secrets: error$/m, '  secrets: warning') });
    repo.commitAll('secrets are warnings');
    const afterPolicy = check(repo, '--all', '--cache-dir', cache);
    expect(afterPolicy.stderr).toMatch(/result cache: 0 of/);
    expect(findingsOf(afterPolicy.stdout).find((f) => f.rule === 'secrets')?.severity).toBe('warning');
    // values.yaml decides how deployable files validate: a value that breaks the agent's schema.
    repo.write({ 'values.yaml': 'tenant: dev-qa-tenant\nvalues:\n  llm:\n    default: 42\n' });
    repo.commitAll('values');
    const afterValues = check(repo, '--all', '--cache-dir', cache);
    expect(afterValues.stderr).toMatch(/result cache: 0 of/);
    expect(findingsOf(afterValues.stdout).some((f) => f.file === 'agents/helper.yaml')).toBe(true);
  });

  it('keys on the build, the policy and the values', () => {
    const base = resultNamespace('build-a', 'policy-a', { llm: 'x' });
    expect(resultNamespace('build-a', 'policy-a', { llm: 'x' })).toBe(base);
    expect(resultNamespace('build-b', 'policy-a', { llm: 'x' })).not.toBe(base);
    expect(resultNamespace('build-a', 'policy-b', { llm: 'x' })).not.toBe(base);
    expect(resultNamespace('build-a', 'policy-a', { llm: 'y' })).not.toBe(base);
    expect(resultNamespace('build-a', 'policy-a', undefined)).not.toBe(base);
  });

  it('ignores a damaged or doctored cache instead of trusting it', () => {
    const token = fake.githubToken();
    const repo = gitops({ 'docs/leak.md': `token ${token}\n` });
    const cache = tempDir('wxo-cache-');
    const cold = check(repo, '--all', '--cache-dir', cache);
    const base = readdirSync(cache).find((n) => n.endsWith('.json'))!;
    const data = JSON.parse(readFileSync(join(cache, base), 'utf8')) as { entries: Record<string, unknown> };
    // Entries of the wrong shape are not results.
    for (const key of Object.keys(data.entries)) data.entries[key] = { findings: 'none', facts: {} };
    writeFileSync(join(cache, base), JSON.stringify(data));
    expect(findingsOf(check(repo, '--all', '--cache-dir', cache).stdout)).toEqual(findingsOf(cold.stdout));
    for (const name of readdirSync(cache)) if (name.startsWith('results-')) writeFileSync(join(cache, name), '{"namespace": tor');
    const r = check(repo, '--all', '--cache-dir', cache);
    expect(r.status).toBe(1);
    expect(findingsOf(r.stdout)).toEqual(findingsOf(cold.stdout));
  });

  it('refuses a cache directory inside the checkout (a pull request could commit one)', () => {
    const repo = gitops();
    const r = runCli(['check', '--all', '--cache-dir', '.wxo-cache'], { cwd: repo.dir, env: repo.env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/inside the repository's work tree/);
  });

  it('keeps a range check right from the cache: what the change broke elsewhere is still found', () => {
    const repo = gitops({ 'agents/user.yaml': agent('user', [], 'collaborators: [other]\n') });
    const base = repo.run('rev-parse', 'HEAD').trim();
    const cache = tempDir('wxo-cache-');
    expect(check(repo, '--all', '--cache-dir', cache).status).toBe(0);
    repo.run('rm', '-q', 'agents/other.yaml');
    repo.commitAll('remove other');
    const r = check(repo, '--range', `${base}..HEAD`, '--cache-dir', cache);
    expect(r.status).toBe(1);
    expect(findingsOf(r.stdout).map((f) => `${f.rule} ${f.file}`)).toContain('references agents/user.yaml');
  });
});
