import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { isolatedEnv } from './helpers/env.js';
import { createRepo } from './helpers/repo.js';
import { fake } from './helpers/secrets.js';
import { tempDir } from './helpers/tmp.js';

describe('CLI basics', () => {
  const env = isolatedEnv();

  it('prints its version', () => {
    const r = runCli(['--version'], { cwd: PROJECT_ROOT, env });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).version);
  });

  it('exits 2 with a usage message for an unknown command', () => {
    const r = runCli(['frobnicate'], { cwd: PROJECT_ROOT, env });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 for an unknown option', () => {
    const r = runCli(['check', '--frobnicate'], { cwd: PROJECT_ROOT, env });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option --frobnicate (options: --all, --worktree, --staged');
  });

  it('exits 2 outside a repository for --all', () => {
    const r = runCli(['check', '--all'], { cwd: tempDir(), env });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not inside a git repository');
  });

  it('checks files outside any git repository', () => {
    const dir = tempDir();
    const secret = fake.password();
    writeFileSync(join(dir, 'clean.yaml'), 'spec_version: v1\nkind: native\nname: a\ndescription: d\nllm: x\n');
    writeFileSync(join(dir, 'leaky.yaml'), `spec_version: v1\nkind: native\nname: b\ndescription: d\nllm: x\npassword: ${secret}\n`);
    const clean = runCli(['check', 'clean.yaml'], { cwd: dir, env });
    expect(clean.stdout).toContain('no problems in 1 file');
    expect(clean.status).toBe(0);
    const r = runCli(['check', 'clean.yaml', 'leaky.yaml'], { cwd: dir, env });
    expect(r.stdout).toMatch(/^leaky\.yaml:6:11 error secrets credential-named key "password"/m);
    expect(r.output).not.toContain(secret);
    expect(r.status).toBe(1);
    const directory = runCli(['check', '.'], { cwd: dir, env });
    expect(directory.stderr).toContain('. is a directory; outside a git repository give files');
    expect(directory.status).toBe(2);
  });

  it('-C runs the command in another directory, like git', () => {
    const repo = createRepo();
    repo.write({ 'broken.yaml': 'a: [1\n' });
    repo.commitAll('init');
    const elsewhere = tempDir();
    const r = runCli(['-C', repo.dir, 'check', '--all'], { cwd: elsewhere, env: repo.env });
    expect(r.stdout).toMatch(/^broken\.yaml:\d+:\d+ error yaml-syntax/m);
    expect(r.status).toBe(1);
    // Relative to the current directory, also glued to the option.
    const glued = runCli([`-C${relative(elsewhere, repo.dir)}`, 'check', 'broken.yaml'], { cwd: elsewhere, env: repo.env });
    expect(glued.stdout).toMatch(/^broken\.yaml:\d+:\d+ error yaml-syntax/m);
    expect(runCli(['-C', join(elsewhere, 'missing'), 'check', '--all'], { cwd: elsewhere, env: repo.env }).status).toBe(2);
  });

  it('--ci turns on Jenkins mode where no Jenkins variable gives it away', () => {
    const repo = createRepo({ branch: 'develop' });
    repo.write({ 'a.yaml': 'a: 1\n' });
    repo.commitAll('init');
    const buildEnv = { ...repo.env, BRANCH_NAME: 'qa-foo' };
    const local = runCli(['check', '--all'], { cwd: repo.dir, env: buildEnv });
    expect(local.stderr).not.toContain('Jenkins');
    expect(local.stdout).not.toContain('qa-foo');
    const ci = runCli(['check', '--ci'], { cwd: repo.dir, env: buildEnv });
    expect(ci.stderr).toContain('Jenkins branch build qa-foo');
    expect(ci.stdout).toContain('[qa-foo] error branch-name branch "qa-foo" looks like a qa branch');
    expect(ci.status).toBe(1);
    const unset = runCli(['check', '--ci'], { cwd: repo.dir, env: repo.env });
    expect(unset.stderr).toContain('CI mode: BRANCH_NAME, CHANGE_TARGET and TAG_NAME are all unset');
    expect(unset.status).toBe(2);
  });

  it('reports an invalid policy with file:line:column and exit 2', () => {
    const repo = createRepo();
    repo.write({ 'wxo-policy.yaml': 'version: 1\ntenants: []\nenvironments: []\nbogus: true\n', 'a.yaml': 'a: 1\n' });
    repo.commitAll('init');
    const r = runCli(['check', '--all'], { cwd: repo.dir, env: repo.env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/wxo-policy\.yaml:4:1 unknown key "bogus"/);
    expect(r.stderr).toMatch(/wxo-policy\.yaml:2:10 tenants: must not be an empty list/);
  });
});
