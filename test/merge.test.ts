import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { moduleLog } from './helpers/env.js';
import { minimalGitops, tenantFiles } from './helpers/gitops.js';
import { branchBuild, createOrigin, prBuild } from './helpers/jenkins.js';
import { createRepo, gitCallsOf, openRepo, type TestRepo } from './helpers/repo.js';
import { repoTemplate } from './helpers/template.js';
import { tempDir } from './helpers/tmp.js';
import { initToolkit } from './helpers/toolkit.js';

/**
 * Cross-tenant merges with the driver and hooks really installed: git itself calls the driver
 * and fires the hooks. Branches: develop and qa-1.2.3 (dev/qa tenant), main and staging-1.2.3
 * (prod tenant), as `environments()` builds them.
 */
const tenantOf = (repo: TestRepo, rev: string, file = 'tenant.yaml') => /^tenant: (\S+)/m.exec(repo.run('show', `${rev}:${file}`))?.[1];

const environmentsTemplate = repoTemplate(() => {
  const repo = createRepo({ branch: 'develop' });
  repo.write(minimalGitops('dev-qa-tenant', '1.2.3'));
  initToolkit(repo);
  repo.run('add', '-A');
  repo.run('commit', '-qm', 'develop: initial');
  repo.run('branch', 'qa-1.2.3');
  repo.run('switch', '-q', '-c', 'main');
  repo.write(tenantFiles('prod-tenant'));
  repo.run('commit', '-q', '--no-verify', '-am', 'main: prod tenant files');
  repo.run('branch', 'staging-1.2.3');
  return [repo.dir];
});
function environments(): TestRepo {
  return openRepo(environmentsTemplate.copy()[0]!);
}

/** Commits on a branch without the pre-commit hook (environment branches refuse direct commits). */
function commitOn(repo: TestRepo, branch: string, files: Record<string, string>, message: string): void {
  repo.run('switch', '-q', branch);
  repo.write(files);
  repo.run('add', '-A');
  repo.run('commit', '-q', '--no-verify', '-m', message);
}

const qaTenantEdit = () => ({
  'tenant.yaml': tenantFiles('dev-qa-tenant')['tenant.yaml']!.replace('auth_type: ibm_iam', 'auth_type: ibm_iam # rotated 2026-11'),
});

describe('cross-tenant git merge', () => {
  it('both sides changed: the driver keeps the target file and records it', () => {
    const repo = environments();
    commitOn(
      repo,
      'qa-1.2.3',
      { ...qaTenantEdit(), 'agents/helper.yaml': minimalGitops()['agents/helper.yaml']!.replace('Answers', 'Kindly answers') },
      'qa work',
    );
    repo.run('switch', '-q', 'staging-1.2.3');
    const r = repo.attempt('merge', '--no-ff', '--no-edit', 'qa-1.2.3');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      "wxo-policy: tenant.yaml: kept staging-1.2.3's version (qa-1.2.3 (dev-qa-tenant) → staging-1.2.3 (prod-tenant) crosses tenants)",
    );
    expect(tenantOf(repo, 'HEAD')).toBe('prod-tenant');
    expect(repo.run('show', 'HEAD:agents/helper.yaml')).toContain('Kindly answers'); // the rest is merged
    expect(repo.run('rev-list', '--parents', '-n1', 'HEAD').trim().split(' ')).toHaveLength(3);
  });

  it('an aborted merge leaves no resolution behind for the next, unrelated merge to report', () => {
    const repo = environments();
    commitOn(repo, 'qa-1.2.3', qaTenantEdit(), 'qa tenant edit');
    repo.run('branch', 'hotfix/wording', 'staging-1.2.3');
    commitOn(
      repo,
      'hotfix/wording',
      { 'agents/helper.yaml': minimalGitops()['agents/helper.yaml']!.replace('Answers', 'Politely answers') },
      'wording',
    );
    repo.run('switch', '-q', 'staging-1.2.3');
    const aborted = repo.attempt('merge', '--no-ff', '--no-commit', 'qa-1.2.3');
    expect(aborted.stderr).toContain("tenant.yaml: kept staging-1.2.3's version"); // the driver ran
    repo.run('merge', '--abort');
    const r = repo.attempt('merge', '--no-ff', '--no-edit', 'hotfix/wording');
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/tenant\.yaml|cross-tenant|qa-1\.2\.3/);
    // …and a real cross-tenant merge afterwards is still reported.
    const real = repo.attempt('merge', '--no-ff', '--no-edit', 'qa-1.2.3');
    expect(real.status).toBe(0);
    expect(real.stderr).toContain("this merge kept staging-1.2.3's tenant.yaml (from qa-1.2.3: cross-tenant)");
  });

  it('only the source changed: the pre-merge-commit guard restores the target files, `git commit` finishes', () => {
    const repo = environments();
    // A back-merge main → develop (develop keeps its files): now the merge base of qa and staging
    // is a prod commit, so only qa's tenant files differ from it and git never calls the driver.
    repo.run('switch', '-q', 'develop');
    const back = repo.attempt('merge', '--no-ff', '--no-edit', 'main');
    expect(back.status).not.toBe(0);
    expect(back.stderr).toContain('main → develop crosses tenants (prod-tenant → dev-qa-tenant)');
    expect(repo.attempt('commit', '--no-edit', '-q').status).toBe(0);
    expect(tenantOf(repo, 'develop')).toBe('dev-qa-tenant');
    repo.run('branch', '-f', 'qa-1.2.3', 'develop');

    repo.run('switch', '-q', 'staging-1.2.3');
    const r = repo.attempt('merge', '--no-ff', '--no-edit', 'qa-1.2.3');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      "git took qa-1.2.3's tenant.yaml, values.yaml without calling the merge driver (only qa-1.2.3 had changed them)",
    );
    expect(r.stderr).toContain('Finish it with: git commit --no-edit');
    expect(r.stderr).toContain('Not committing merge');
    expect(repo.attempt('commit', '--no-edit', '-q').status).toBe(0);
    expect(tenantOf(repo, 'HEAD')).toBe('prod-tenant');
    expect(tenantOf(repo, 'HEAD', 'values.yaml')).toBe('prod-tenant');
    expect(repo.run('rev-list', '--parents', '-n1', 'HEAD').trim().split(' ')).toHaveLength(3);
  });

  it('only the target changed: git keeps the target file, the merge goes through', () => {
    const repo = environments();
    commitOn(
      repo,
      'qa-1.2.3',
      { 'agents/helper.yaml': minimalGitops()['agents/helper.yaml']!.replace('Answers', 'Briefly answers') },
      'qa agent',
    );
    repo.run('switch', '-q', 'staging-1.2.3');
    expect(repo.attempt('merge', '--no-ff', '--no-edit', 'qa-1.2.3').status).toBe(0);
    expect(tenantOf(repo, 'HEAD')).toBe('prod-tenant');
  });

  it('a fast-forward across tenants is undone with the command that promotes correctly', () => {
    const repo = environments();
    repo.run('switch', '-q', '-c', 'staging-2.0.0', 'develop'); // an (ill-made) branch behind qa
    commitOn(
      repo,
      'qa-1.2.3',
      { 'agents/helper.yaml': minimalGitops()['agents/helper.yaml']!.replace('Answers', 'Quickly answers') },
      'qa agent',
    );
    repo.run('switch', '-q', 'staging-2.0.0');
    const before = repo.run('rev-parse', 'HEAD').trim();
    const r = repo.attempt('merge', 'qa-1.2.3');
    expect(r.stdout).toContain('Fast-forward');
    expect(r.stderr).toContain('staging-2.0.0 was fast-forwarded to qa-1.2.3, across tenants');
    expect(r.stderr).toContain(`wxo-policy undid it: staging-2.0.0 is back at ${before.slice(0, 12)}`);
    expect(r.stderr).toContain('wxo-policy promote staging');
    expect(repo.run('rev-parse', 'HEAD').trim()).toBe(before);
  });

  it('a fast-forward to a branch of another remote is undone too (git merge upstream/x, git pull --ff-only)', () => {
    const repo = environments();
    repo.run('switch', '-q', '-c', 'staging-2.0.0', 'develop');
    commitOn(
      repo,
      'qa-1.2.3',
      { 'agents/helper.yaml': minimalGitops()['agents/helper.yaml']!.replace('Answers', 'Quickly answers') },
      'qa agent',
    );
    const upstream = tempDir();
    repo.run('init', '-q', '--bare', upstream);
    repo.run('remote', 'add', 'upstream', upstream);
    repo.run('push', '-q', '--no-verify', 'upstream', 'qa-1.2.3');
    repo.run('fetch', '-q', 'upstream');
    repo.run('switch', '-q', 'staging-2.0.0');
    const before = repo.run('rev-parse', 'HEAD').trim();

    const merged = repo.attempt('merge', 'upstream/qa-1.2.3');
    expect(merged.stdout).toContain('Fast-forward');
    expect(merged.stderr).toContain('staging-2.0.0 was fast-forwarded to qa-1.2.3, across tenants');
    expect(repo.run('rev-parse', 'HEAD').trim()).toBe(before);

    const pulled = repo.attempt('pull', '--ff-only', 'upstream', 'qa-1.2.3');
    expect(pulled.stdout).toContain('Fast-forward');
    expect(pulled.stderr).toContain('staging-2.0.0 was fast-forwarded to qa-1.2.3, across tenants');
    expect(repo.run('rev-parse', 'HEAD').trim()).toBe(before);
  });

  it('a hand-resolved cross-tenant merge that takes the source tenant file is caught by post-commit and pre-commit', () => {
    const repo = environments();
    // Both change the same line of a tenant file and the driver is missing from this clone: git
    // falls back to a text merge and stops with a conflict, which someone resolves the wrong way.
    commitOn(repo, 'qa-1.2.3', { 'values.yaml': 'tenant: dev-qa-tenant\nvalues:\n  llm:\n    default: qa/model\n' }, 'qa values');
    commitOn(repo, 'staging-1.2.3', { 'values.yaml': 'tenant: prod-tenant\nvalues:\n  llm:\n    default: prod/model\n' }, 'staging values');
    repo.run('config', '--remove-section', 'merge.wxo-tenant');
    expect(repo.attempt('merge', '--no-ff', '--no-edit', 'qa-1.2.3').status).not.toBe(0);
    expect(repo.run('status', '--porcelain')).toContain('UU values.yaml');
    repo.run('checkout', '--theirs', 'values.yaml');
    repo.run('add', 'values.yaml');
    const refused = repo.attempt('commit', '--no-edit', '-q');
    expect(refused.status).not.toBe(0); // pre-commit: tenant-binding of what is being committed
    expect(refused.stderr).toContain('values.yaml:1:9 error tenant-binding declares tenant "dev-qa-tenant" but branch staging-1.2.3');
    const forced = repo.attempt('commit', '--no-edit', '-q', '--no-verify');
    expect(forced.status).toBe(0); // --no-verify skips pre-commit; post-commit still speaks up
    expect(forced.stderr).toContain('this merge commit carries tenant files of another tenant');
    expect(forced.stderr).toContain('git checkout HEAD^1 -- values.yaml && git commit --amend --no-edit');
    const remote = tempDir();
    repo.run('init', '-q', '--bare', remote);
    const push = repo.attempt('push', remote, 'staging-1.2.3');
    expect(push.stderr).toContain('error tenant-binding');
  });
});

describe('ordinary merges stay ordinary', () => {
  it('a same-tenant conflict is a real conflict with %L-wide markers, nothing silently resolved', () => {
    const repo = environments();
    repo.run('switch', '-q', 'develop');
    repo.write({ '.gitattributes': readFileSync(join(repo.dir, '.gitattributes'), 'utf8') + 'values.yaml conflict-marker-size=11\n' });
    repo.run('add', '.gitattributes');
    repo.run('commit', '-q', '--no-verify', '-m', 'wider markers');
    repo.run('branch', '-f', 'qa-1.2.3', 'develop');
    commitOn(repo, 'qa-1.2.3', { 'values.yaml': 'tenant: dev-qa-tenant\nvalues:\n  llm:\n    default: qa/model\n' }, 'qa values');
    commitOn(repo, 'develop', { 'values.yaml': 'tenant: dev-qa-tenant\nvalues:\n  llm:\n    default: dev/model\n' }, 'dev values');
    repo.run('switch', '-q', 'qa-1.2.3');
    const r = repo.attempt('merge', '--no-ff', '--no-edit', 'develop');
    expect(r.status).toBe(1);
    expect(repo.run('status', '--porcelain')).toContain('UU values.yaml');
    const text = readFileSync(join(repo.dir, 'values.yaml'), 'utf8');
    expect(text).toMatch(/^<{11} qa-1\.2\.3\n {4}default: qa\/model\n={11}\n {4}default: dev\/model\n>{11} develop\n/m);
  });

  it('develop → qa-X with a clean change merges normally', () => {
    const repo = environments();
    commitOn(repo, 'develop', { 'values.yaml': 'tenant: dev-qa-tenant\nvalues:\n  llm:\n    default: better/model\n' }, 'dev values');
    commitOn(
      repo,
      'qa-1.2.3',
      { 'agents/other.yaml': minimalGitops()['agents/helper.yaml']!.replace('name: helper', 'name: other') },
      'qa agent',
    );
    repo.run('switch', '-q', 'qa-1.2.3');
    expect(repo.attempt('merge', '--no-ff', '--no-edit', 'develop').status).toBe(0);
    expect(repo.run('show', 'HEAD:values.yaml')).toContain('better/model');
  });

  it('revert of a tenant-file change after later edits reverts it (never empty)', () => {
    const repo = environments();
    commitOn(
      repo,
      'main',
      {
        'tenant.yaml': repo
          .run('show', 'main:tenant.yaml')
          .replace('instances/00000000-0000-0000-0000-000000000002', 'instances/11111111-0000-0000-0000-000000000002'),
      },
      'point prod at the new instance',
    );
    const change = repo.run('rev-parse', 'HEAD').trim();
    commitOn(repo, 'main', { 'tenant.yaml': `${repo.run('show', 'main:tenant.yaml')}# audited 2026-11\n` }, 'later edit');
    const r = repo.attempt('revert', '--no-edit', change);
    expect(r.status).toBe(0);
    expect(repo.run('show', '--stat', 'HEAD')).toContain('tenant.yaml');
    const now = repo.run('show', 'HEAD:tenant.yaml');
    expect(now).toContain('instances/00000000-0000-0000-0000-000000000002');
    expect(now).toContain('# audited');
  });

  it('cherry-pick and rebase across tenants are ordinary merges: conflicts, not silent drops', () => {
    const repo = environments();
    commitOn(repo, 'qa-1.2.3', qaTenantEdit(), 'qa tenant edit');
    const pick = repo.run('rev-parse', 'HEAD').trim();
    repo.run('switch', '-q', 'staging-1.2.3');
    const cp = repo.attempt('cherry-pick', pick);
    expect(cp.status).not.toBe(0);
    expect(repo.run('status', '--porcelain')).toContain('UU tenant.yaml');
    expect(readFileSync(join(repo.dir, 'tenant.yaml'), 'utf8')).toContain('<<<<<<<');
    repo.run('cherry-pick', '--abort');

    repo.run('switch', '-q', 'qa-1.2.3');
    const rb = repo.attempt('rebase', 'staging-1.2.3');
    expect(rb.status).not.toBe(0);
    expect(rb.output).not.toContain('patch contents already upstream');
    expect(repo.run('status', '--porcelain')).toContain('tenant.yaml');
    repo.run('rebase', '--abort');
  });

  it('a criss-cross merge (hotfix back-merges) merges its merge bases with the text driver', () => {
    const repo = environments();
    expect(repo.run('config', 'merge.wxo-tenant.recursive').trim()).toBe('text');
    // Two merge bases: develop and main each merge the other's earlier state.
    commitOn(repo, 'develop', { 'values.yaml': 'tenant: dev-qa-tenant\nvalues:\n  llm:\n    default: dev/one\n' }, 'dev 1');
    commitOn(repo, 'main', { 'values.yaml': 'tenant: prod-tenant\nvalues:\n  llm:\n    default: prod/one\n' }, 'prod 1');
    const d1 = repo.run('rev-parse', 'develop').trim();
    const m1 = repo.run('rev-parse', 'main').trim();
    // Merged by commit id (no branch name: the driver cannot tell the tenants, so a text merge
    // conflicts) and resolved by hand, each side keeping its own tenant files.
    const crossMerge = (into: string, other: string, keep: string, message: string) => {
      repo.run('switch', '-q', into);
      repo.attempt('merge', '-q', '--no-ff', '--no-commit', other);
      repo.run('checkout', keep, '--', 'tenant.yaml', 'values.yaml');
      repo.run('add', '-A');
      repo.run('commit', '-q', '--no-verify', '-m', message);
    };
    crossMerge('develop', m1, d1, "Merge branch 'main' into develop");
    crossMerge('main', d1, m1, "Merge branch 'develop' into main");
    commitOn(repo, 'develop', { 'values.yaml': 'tenant: dev-qa-tenant\nvalues:\n  llm:\n    default: dev/two\n' }, 'dev 2');
    repo.run('switch', '-q', 'main');
    expect(repo.run('merge-base', '--all', 'main', 'develop').trim().split('\n')).toHaveLength(2);
    const r = repo.attempt('merge', '--no-ff', '--no-edit', 'develop');
    // values.yaml differs on all sides (driver); tenant.yaml only against the virtual base (guard).
    expect(r.stderr).toContain("values.yaml: kept main's version");
    expect(r.stderr).toContain("git took develop's tenant.yaml without calling the merge driver");
    expect(repo.attempt('commit', '--no-edit', '-q').status).toBe(0);
    expect(repo.run('show', 'HEAD:values.yaml')).toContain('prod/one');
    expect(tenantOf(repo, 'HEAD')).toBe('prod-tenant');
  });
});

describe('the driver never loses work', () => {
  function driverFiles(): { dir: string; files: Record<'base' | 'ours' | 'theirs', string> } {
    const dir = tempDir();
    const files = { base: join(dir, 'base'), ours: join(dir, 'ours'), theirs: join(dir, 'theirs') };
    writeFileSync(files.base, 'a\nb\nc\nd\ne\n');
    writeFileSync(files.ours, 'a\nOURS\nc\nd\ne\n');
    writeFileSync(files.theirs, 'a\nb\nc\nd\nTHEIRS\n');
    return { dir, files };
  }

  it('falls back to a text merge with a broken policy, and writes the merged result', () => {
    const repo = environments();
    writeFileSync(join(repo.dir, 'wxo-policy.yaml'), 'version: 1\nnot: [valid\n');
    const { files } = driverFiles();
    const r = runCli(['merge-driver', files.base, files.ours, files.theirs, '7', 'tenant.yaml', '%X', '%Y'], {
      cwd: repo.dir,
      env: { ...repo.env, GITHEAD_0123456789012345678901234567890123456789: 'qa-1.2.3', GIT_REFLOG_ACTION: 'merge qa-1.2.3' },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('internal error, falling back to a text merge');
    expect(readFileSync(files.ours, 'utf8')).toBe('a\nOURS\nc\nd\nTHEIRS\n');
  });

  it('leaves %A intact and reports a conflict for missing files, binary garbage or missing arguments', () => {
    const repo = environments();
    const { dir, files } = driverFiles();
    const missing = runCli(['merge-driver', join(dir, 'nope'), files.ours, files.theirs, '7', 'tenant.yaml'], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(missing.status).toBe(1);
    expect(readFileSync(files.ours, 'utf8')).toBe('a\nOURS\nc\nd\ne\n');

    writeFileSync(files.theirs, Buffer.from([0, 1, 2, 255, 0, 7]));
    const binary = runCli(['merge-driver', files.base, files.ours, files.theirs, '7', 'values.yaml'], { cwd: repo.dir, env: repo.env });
    expect(binary.status).toBe(1);
    expect(readFileSync(files.ours, 'utf8')).toBe('a\nOURS\nc\nd\ne\n');

    const noArgs = runCli(['merge-driver'], { cwd: repo.dir, env: repo.env });
    expect(noArgs.status).toBe(1);
    expect(readFileSync(files.ours, 'utf8')).toBe('a\nOURS\nc\nd\ne\n');
  });

  it('keeps %A byte for byte on a cross-tenant merge, even outside a repository it cannot read', () => {
    const repo = environments();
    const { files } = driverFiles();
    const ours = readFileSync(files.ours);
    const env = { ...repo.env, GITHEAD_0123456789012345678901234567890123456789: 'qa-1.2.3', GIT_REFLOG_ACTION: 'merge qa-1.2.3' };
    repo.run('switch', '-q', 'staging-1.2.3');
    const r = runCli(['merge-driver', files.base, files.ours, files.theirs, '7', 'tenant.yaml', '%X', '%Y'], { cwd: repo.dir, env });
    expect(r.status).toBe(0);
    expect(readFileSync(files.ours).equals(ours)).toBe(true);
    // Outside a repository the driver cannot tell source and target: git's text merge, %A merged.
    const elsewhere = runCli(['merge-driver', files.base, files.ours, files.theirs, '7', 'tenant.yaml'], { cwd: tempDir(), env });
    expect(elsewhere.stderr).toContain('internal error, falling back to a text merge');
    expect(elsewhere.status).toBe(0);
    expect(readFileSync(files.ours, 'utf8')).toBe('a\nOURS\nc\nd\nTHEIRS\n');
  });

  it('under `git pull` (GITHEAD_<sha>=<sha>) finds the source in FETCH_HEAD and keeps the target file', () => {
    const repo = environments();
    commitOn(repo, 'qa-1.2.3', qaTenantEdit(), 'qa tenant edit');
    const upstream = tempDir();
    repo.run('init', '-q', '--bare', upstream);
    repo.run('push', '-q', '--no-verify', upstream, 'qa-1.2.3');
    repo.run('switch', '-q', 'staging-1.2.3');
    const r = repo.attempt('pull', '--no-rebase', '--no-ff', '--no-edit', upstream, 'qa-1.2.3');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      "wxo-policy: tenant.yaml: kept staging-1.2.3's version (qa-1.2.3 (dev-qa-tenant) → staging-1.2.3 (prod-tenant) crosses tenants)",
    );
    expect(tenantOf(repo, 'HEAD')).toBe('prod-tenant');
    expect(repo.run('rev-list', '--parents', '-n1', 'HEAD').trim().split(' ')).toHaveLength(3);
  });
});

describe('the driver and the merge hooks stay light', () => {
  it('load the policy parser only when the policy cache misses', () => {
    const repo = environments();
    commitOn(repo, 'qa-1.2.3', qaTenantEdit(), 'qa tenant edit');
    repo.run('branch', 'feature/a', 'develop');
    repo.run('branch', 'feature/b', 'develop');
    commitOn(repo, 'feature/b', { 'docs/b.md': '# b\n' }, 'b');
    repo.run('switch', '-q', 'feature/a');
    const modules = moduleLog();
    const parser = (loaded: string[]) => loaded.filter((url) => /\/policy\/loadPolicy\.js$|\/node_modules\/yaml\//.test(url));
    // pre-merge-commit and post-merge of a merge on a branch that is no environment, cache warm.
    const merged = spawnSync('git', ['merge', '--no-ff', '--no-edit', 'feature/b'], {
      cwd: repo.dir,
      env: { ...repo.env, ...modules.env },
      encoding: 'utf8',
    });
    expect(merged.status).toBe(0);
    expect(modules.loaded().some((url) => url.endsWith('/hooks/mergeGuards.js'))).toBe(true);
    expect(parser(modules.loaded())).toEqual([]);
    // The driver on a cross-tenant merge, cache warm…
    modules.clear();
    const files = { base: join(tempDir(), 'base'), ours: join(tempDir(), 'ours'), theirs: join(tempDir(), 'theirs') };
    writeFileSync(files.base, 'a\n');
    writeFileSync(files.ours, 'tenant: prod-tenant\n');
    writeFileSync(files.theirs, 'tenant: dev-qa-tenant\n');
    repo.run('switch', '-q', 'staging-1.2.3');
    const env = {
      ...repo.env,
      ...modules.env,
      GITHEAD_0123456789012345678901234567890123456789: 'qa-1.2.3',
      GIT_REFLOG_ACTION: 'merge qa-1.2.3',
    };
    const driven = runCli(['merge-driver', files.base, files.ours, files.theirs, '7', 'tenant.yaml', '%X', '%Y'], { cwd: repo.dir, env });
    expect(driven.stderr).toContain("kept staging-1.2.3's version");
    expect(modules.loaded().some((url) => url.endsWith('/merge/driver.js'))).toBe(true);
    expect(parser(modules.loaded())).toEqual([]);
    // …and with a policy it has never seen, it parses (and caches) it.
    writeFileSync(join(repo.dir, 'wxo-policy.yaml'), `${readFileSync(join(repo.dir, 'wxo-policy.yaml'), 'utf8')}\n# edited\n`);
    modules.clear();
    expect(
      runCli(['merge-driver', files.base, files.ours, files.theirs, '7', 'tenant.yaml', '%X', '%Y'], { cwd: repo.dir, env }).status,
    ).toBe(0);
    expect(parser(modules.loaded()).length).toBeGreaterThan(0);
  });
});

describe('promote', () => {
  it('refuses to cut a versioned branch from develop while VERSION is missing or not a version', () => {
    const repo = environments();
    repo.run('switch', '-q', 'develop');
    repo.run('branch', '-D', 'qa-1.2.3');
    commitOn(repo, 'develop', { VERSION: '1.2\n' }, 'half a version');
    const bad = runCli(['promote'], { cwd: repo.dir, env: repo.env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('qa needs a version and develop has none (VERSION holds "1.2")');
    expect(bad.stderr).toContain('Write the release version into VERSION and commit it first.');
    repo.run('rm', '-q', 'VERSION');
    repo.run('commit', '-q', '--no-verify', '-m', 'no version');
    expect(runCli(['promote'], { cwd: repo.dir, env: repo.env }).stderr).toContain('(VERSION is missing)');
    expect(repo.run('branch', '--list', 'qa-*').trim()).toBe('');
  });

  it('promotes develop → qa-X → staging-X → main with the right branches and tenant files', () => {
    const repo = environments();
    commitOn(
      repo,
      'develop',
      { 'agents/helper.yaml': minimalGitops()['agents/helper.yaml']!.replace('Answers questions', 'Answers questions about claims') },
      'better agent',
    );
    repo.run('switch', '-q', 'develop');
    repo.run('branch', '-D', 'qa-1.2.3', 'staging-1.2.3');

    const qa = runCli(['promote'], { cwd: repo.dir, env: repo.env });
    expect(qa.status).toBe(0);
    expect(qa.stdout).toContain('created qa-1.2.3 from develop (same tenant dev-qa-tenant)');
    expect(repo.run('branch', '--show-current').trim()).toBe('qa-1.2.3');

    const staging = runCli(['promote'], { cwd: repo.dir, env: repo.env });
    expect(staging.status).toBe(0);
    expect(staging.stdout).toContain('created staging-1.2.3 from main (it starts with prod-tenant');
    expect(staging.stdout).toContain('promoted into staging-1.2.3');
    expect(staging.stdout).toContain('tenant binding verified (prod-tenant)');
    expect(staging.stdout).toContain('~ changed agent helper');
    expect(staging.stdout).toContain('agents/helper.yaml | 2 +-');
    expect(staging.stdout).toContain('git push -u origin staging-1.2.3');
    expect(tenantOf(repo, 'staging-1.2.3')).toBe('prod-tenant');
    expect(repo.run('rev-list', '--parents', '-n1', 'staging-1.2.3').trim().split(' ')).toHaveLength(3); // never a fast-forward
    expect(repo.run('log', '-1', '--format=%B', 'staging-1.2.3')).toContain('Crosses tenants dev-qa-tenant → prod-tenant');

    // promote verifies the tenant binding itself: its commit's post-commit does not. The tree is
    // listed there twice — the plan's resources and the plan's own tenant check — not three times.
    const trace = join(tempDir(), 'trace.json');
    const prod = runCli(['promote'], { cwd: repo.dir, env: { ...repo.env, GIT_TRACE2_EVENT: trace } });
    expect(gitCallsOf(trace, 'post-commit')?.filter((c) => c.startsWith('ls-tree'))).toHaveLength(2);
    expect(prod.status).toBe(0);
    expect(prod.stdout).toContain('promoted into main');
    expect(tenantOf(repo, 'main')).toBe('prod-tenant');
    expect(repo.run('show', 'main:agents/helper.yaml')).toContain('about claims');
    expect(repo.run('show', 'main:VERSION').trim()).toBe('1.2.3');
  });

  it('a cross-tenant promotion that conflicts only in tenant files goes through without the driver', () => {
    const repo = environments();
    repo.run('config', '--remove-section', 'merge.wxo-tenant'); // a clone where `install` never ran
    commitOn(repo, 'qa-1.2.3', { 'values.yaml': 'tenant: dev-qa-tenant\nvalues:\n  llm:\n    default: qa/model\n' }, 'qa values');
    commitOn(repo, 'staging-1.2.3', { 'values.yaml': 'tenant: prod-tenant\nvalues:\n  llm:\n    default: prod/model\n' }, 'staging values');
    repo.run('switch', '-q', 'qa-1.2.3');
    const r = runCli(['promote'], { cwd: repo.dir, env: repo.env });
    expect(r.stderr).not.toContain('conflicts in');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('promoted into staging-1.2.3');
    expect(repo.run('show', 'staging-1.2.3:values.yaml')).toContain('prod/model');
    expect(tenantOf(repo, 'staging-1.2.3')).toBe('prod-tenant');
    expect(repo.run('rev-list', '--parents', '-n1', 'staging-1.2.3').trim().split(' ')).toHaveLength(3);
    expect(repo.run('status', '--porcelain', '--untracked-files=no')).toBe('');
  });

  it('refuses a dirty tree, a disallowed path and a conflicting merge (left for the user)', () => {
    const repo = environments();
    repo.run('switch', '-q', 'develop');
    repo.write({ 'agents/helper.yaml': 'dirty: true\n' });
    const dirty = runCli(['promote'], { cwd: repo.dir, env: repo.env });
    expect(dirty.status).toBe(1);
    expect(dirty.stderr).toContain('the working tree has uncommitted changes');
    repo.run('checkout', '--', 'agents/helper.yaml');

    const skip = runCli(['promote', 'prod'], { cwd: repo.dir, env: repo.env });
    expect(skip.status).toBe(1);
    expect(skip.stderr).toContain('develop → main is not a promotion path of the policy');

    commitOn(
      repo,
      'qa-1.2.3',
      { 'agents/helper.yaml': minimalGitops()['agents/helper.yaml']!.replace('Answers questions', 'QA wording') },
      'qa wording',
    );
    commitOn(
      repo,
      'staging-1.2.3',
      { 'agents/helper.yaml': minimalGitops()['agents/helper.yaml']!.replace('Answers questions', 'Staging wording') },
      'staging wording',
    );
    repo.run('switch', '-q', 'qa-1.2.3');
    const conflict = runCli(['promote'], { cwd: repo.dir, env: repo.env });
    expect(conflict.status).toBe(1);
    expect(conflict.stderr).toContain('conflicts in agents/helper.yaml');
    expect(conflict.stderr).toContain('git merge --abort');
    expect(repo.run('branch', '--show-current').trim()).toBe('staging-1.2.3');
    expect(repo.attempt('rev-parse', '-q', '--verify', 'MERGE_HEAD').status).toBe(0);
  });
});

describe('pull requests merged on a server', () => {
  it('fails a cross-tenant PR whose server-side merge would take the source tenant files', () => {
    const origin = createOrigin('develop');
    const { dev } = origin;
    dev.write(minimalGitops('dev-qa-tenant', '1.2.3'));
    dev.commitAll('initial');
    dev.run('switch', '-q', '-c', 'main');
    dev.write(tenantFiles('prod-tenant'));
    dev.commitAll('prod');
    dev.run('switch', '-q', '-c', 'staging-1.2.3');
    // back-merge main → develop keeping develop's files, then qa from develop
    dev.run('switch', '-q', 'develop');
    dev.run('merge', '-q', '--no-ff', '--no-commit', 'main');
    dev.run('checkout', 'develop', '--', 'tenant.yaml', 'values.yaml');
    dev.run('commit', '-q', '-m', 'back-merge');
    dev.run('branch', 'qa-1.2.3');
    origin.push('develop', 'main', 'staging-1.2.3', 'qa-1.2.3');

    const j = prBuild(origin, 'qa-1.2.3', 'staging-1.2.3'); // HEAD is the PR head
    const r = runCli(['check'], { cwd: j.ws.dir, env: j.env });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'tenant.yaml:1:9 error tenant-binding a plain server-side merge of qa-1.2.3 into staging-1.2.3 (a web UI merge ignores merge drivers) would give tenant.yaml the wrong tenant',
    );
    expect(r.stdout).toContain('run `wxo-policy promote staging` on qa-1.2.3');

    // After a web-UI merge anyway, tenant-binding fails on the target branch itself.
    dev.run('switch', '-q', 'staging-1.2.3');
    dev.run('merge', '-q', '--no-ff', '-m', 'Merge pull request #7 from org/qa-1.2.3', 'qa-1.2.3');
    origin.push('staging-1.2.3');
    const build = branchBuild(origin, 'staging-1.2.3');
    const after = runCli(['check'], { cwd: build.ws.dir, env: build.env });
    expect(after.status).toBe(1);
    expect(after.stdout).toContain('error tenant-binding declares tenant "dev-qa-tenant" but branch staging-1.2.3');
  });
});
