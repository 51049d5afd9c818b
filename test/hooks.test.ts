import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { npmNetworkEnv } from './helpers/env.js';
import { deployWorld, edit } from './helpers/fakeOrchestrate.js';
import { minimalGitops, tenantFiles } from './helpers/gitops.js';
import { createOrigin, originOf, type Origin } from './helpers/jenkins.js';
import { createRepo, gitCallsOf, openRepo, type TestRepo } from './helpers/repo.js';
import { repoTemplate } from './helpers/template.js';
import { fake } from './helpers/secrets.js';
import { tempDir } from './helpers/tmp.js';
import { initToolkit } from './helpers/toolkit.js';

/**
 * The hooks as developers meet them: `init` in a repository, then real `git commit` and
 * `git push` to a bare remote, with git itself firing husky's hooks.
 */
const agent = (extra = '') =>
  `spec_version: v1\nkind: native\nname: helper\ndescription: Answers questions\nllm: \${values.llm.default}\ntools: []\n${extra}`;

/** An origin with develop (initialised with wxo-policy) and a feature branch checked out. */
const setUpTemplate = repoTemplate(() => {
  const origin = createOrigin('develop');
  const dev = origin.dev;
  dev.write(minimalGitops('dev-qa-tenant', '1.2.3'));
  initToolkit(dev);
  dev.run('add', '-A');
  expect(dev.attempt('commit', '-qm', 'initial').status).toBe(0); // the first commit may land on develop
  expect(dev.attempt('push', '-q', 'origin', 'develop').status).toBe(0);
  dev.run('switch', '-q', '-c', 'feature/work');
  return [origin.bare, dev.dir];
});
function setUp(): { origin: Origin; dev: TestRepo } {
  const [bare, devDir] = setUpTemplate.copy();
  const origin = originOf(bare!, openRepo(devDir!));
  return { origin, dev: origin.dev };
}

/** A repository on develop with wxo-policy set up and committed (no remote). */
const initialisedTemplate = repoTemplate(() => {
  const repo = createRepo({ branch: 'develop' });
  repo.write(minimalGitops());
  initToolkit(repo);
  repo.run('add', '-A');
  repo.run('commit', '-qm', 'init');
  return [repo.dir];
});
function initialisedRepo(): TestRepo {
  return openRepo(initialisedTemplate.copy()[0]!);
}

/** A colleague's clone of the origin, on `branch`, with the toolkit linked and the hooks installed. */
function cloneWithHooks(origin: Origin, branch: string): TestRepo {
  const clone = createRepo({ dir: join(tempDir(), 'clone') });
  clone.run('remote', 'add', 'origin', origin.bare);
  clone.run('fetch', '-q', 'origin');
  clone.run('checkout', '-q', '-b', branch, `origin/${branch}`);
  initToolkit(clone);
  return clone;
}

describe('pre-commit', () => {
  it('lets a clean commit through and refuses a staged secret with file:line, fix and bypass', () => {
    const { dev } = setUp();
    dev.write({ 'agents/helper.yaml': agent('display_name: Helper\n') });
    dev.run('add', '-A');
    expect(dev.attempt('commit', '-qm', 'clean').status).toBe(0);

    const secret = fake.password();
    dev.write({ 'agents/helper.yaml': agent(`password: ${secret}\n`) });
    dev.run('add', '-A');
    const r = dev.attempt('commit', '-qm', 'leak');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('agents/helper.yaml:7:11 error secrets credential-named key "password" holds a literal value');
    expect(r.stderr).toContain('fix: Remove the secret');
    expect(r.stderr).toContain('commit refused by wxo-policy');
    expect(r.stderr).toContain('`git commit --no-verify`');
    expect(r.stderr).toContain('CI runs the same checks');
    expect(r.output).not.toContain(secret);
    expect(dev.run('log', '--oneline').split('\n').filter(Boolean)).toHaveLength(2);
    // Nothing was lost: the change is still staged.
    expect(dev.run('diff', '--cached', '--name-only').trim()).toBe('agents/helper.yaml');
  });

  it('refuses invalid YAML and a schema error', () => {
    const { dev } = setUp();
    dev.write({ 'agents/helper.yaml': 'spec_version: v1\nname: [oops\n' });
    dev.run('add', '-A');
    const r = dev.attempt('commit', '-qm', 'broken');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/agents\/helper\.yaml:\d+:\d+ error yaml-syntax/);

    dev.write({ 'agents/helper.yaml': agent('style: fancy\n') });
    dev.run('add', '-A');
    const s = dev.attempt('commit', '-qm', 'bad style');
    expect(s.status).not.toBe(0);
    expect(s.stderr).toMatch(/agents\/helper\.yaml:7:8 error schema style: "fancy" is not one of/);
  });

  it('refuses direct commits on environment branches, but not merges into them', () => {
    const { dev } = setUp();
    dev.run('switch', '-q', 'develop');
    dev.write({ 'agents/helper.yaml': agent('display_name: Direct\n') });
    dev.run('add', '-A');
    const r = dev.attempt('commit', '-qm', 'direct');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('direct commits to develop (environment dev) are not allowed');
    expect(r.stderr).toContain('git switch -c feature/<name>');
    // The advice works: the staged change moves to a feature branch and commits there.
    dev.run('switch', '-q', '-c', 'feature/moved');
    expect(dev.attempt('commit', '-qm', 'moved').status).toBe(0);
    dev.run('switch', '-q', 'develop');
    expect(dev.attempt('merge', '-q', '--no-ff', '--no-edit', 'feature/moved').status).toBe(0);
    expect(dev.run('log', '-1', '--format=%s')).toContain("Merge branch 'feature/moved'");
  });

  it('keeps a partially staged file exactly as it went in, refused or accepted', () => {
    const { dev } = setUp();
    const lines = Array.from({ length: 30 }, (_, i) => `  - step ${i}`);
    dev.write({ 'agents/helper.yaml': agent(`instructions: |\n${lines.join('\n')}\n`) });
    dev.run('add', '-A');
    dev.run('commit', '-qm', 'long');
    const stageFirstHunk = (first: string, last: string) => {
      const edited = [...lines];
      edited[1] = first;
      edited[28] = last;
      dev.write({ 'agents/helper.yaml': agent(`instructions: |\n${edited.join('\n')}\n`) });
      const patch = dev.run('diff', '-U0', 'agents/helper.yaml');
      execFileSync('git', ['apply', '--cached', '--unidiff-zero', '-'], {
        cwd: dev.dir,
        env: dev.env,
        input: patch
          .split(/(?=^@@)/m)
          .slice(0, 2)
          .join(''),
      });
    };

    // Refused: the secret is in the staged hunk; afterwards index and work tree are unchanged.
    stageFirstHunk(`  - call with ${fake.githubToken()}`, '  - unstaged edit');
    const before = { staged: dev.run('diff', '--cached'), unstaged: dev.run('diff') };
    const refused = dev.attempt('commit', '-qm', 'partial');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('GitHub token');
    expect({ staged: dev.run('diff', '--cached'), unstaged: dev.run('diff') }).toEqual(before);

    // Accepted: the secret is only in the unstaged hunk; the commit holds the staged hunk only.
    dev.run('reset', '-q');
    dev.run('checkout', '--', 'agents/helper.yaml');
    stageFirstHunk('  - step one, staged', `  - later: ${fake.githubToken()}`);
    const unstagedBefore = dev.run('diff');
    expect(dev.attempt('commit', '-qm', 'partial ok').status).toBe(0);
    expect(dev.run('show', 'HEAD:agents/helper.yaml')).toContain('step one, staged');
    expect(dev.run('show', 'HEAD:agents/helper.yaml')).not.toContain('later:');
    expect(dev.run('diff')).toBe(unstagedBefore);
  });

  it("runs lint-staged for the repository's own tasks after the policy checks", () => {
    const { dev } = setUp();
    dev.write({
      '.lintstagedrc.json': JSON.stringify({ '*.md': 'node -e "process.exit(process.argv.some(a=>a.endsWith(\'bad.md\'))?1:0)"' }),
    });
    dev.run('add', '-A');
    expect(dev.attempt('commit', '-qm', 'lint-staged config').status).toBe(0);
    dev.write({ 'docs/bad.md': '# bad\n' });
    dev.run('add', '-A');
    const r = dev.attempt('commit', '-qm', 'bad doc');
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('lint-staged');
    dev.run('rm', '-q', '--cached', 'docs/bad.md');
    dev.write({ 'docs/good.md': '# good\n' });
    dev.run('add', 'docs/good.md');
    expect(dev.attempt('commit', '-qm', 'good doc').status).toBe(0);
  });

  it('takes staged files from the work tree only where it holds their bytes: an edit after staging, a link, a FIFO, a directory are not judged', () => {
    const { dev } = setUp();
    const trace = join(tempDir(), 'trace.json');
    const named = (name: string, extra = '') => agent(extra).replace('name: helper', `name: ${name}`);
    const blobReads = () => gitCallsOf(trace, 'pre-commit')!.filter((c) => c.startsWith('cat-file --batch'));
    // A new file as staged: no git process reads it, nor values.yaml, nor looks up a base.
    dev.write({ 'agents/one.yaml': named('one') });
    dev.run('add', '-A');
    expect(spawnGit(dev, { GIT_TRACE2_EVENT: trace }, 'commit', '-qm', 'one').status).toBe(0);
    expect(blobReads()).toEqual([]);

    // Staged clean, then a secret in the work tree only: the staged bytes are judged, read from git.
    const unstaged = fake.password();
    dev.write({ 'agents/two.yaml': named('two') });
    dev.run('add', '-A');
    dev.write({ 'agents/two.yaml': named('two', `password: ${unstaged}\n`) });
    writeFileSync(trace, '');
    expect(spawnGit(dev, { GIT_TRACE2_EVENT: trace }, 'commit', '-qm', 'two').status).toBe(0);
    expect(blobReads()).toEqual(['cat-file --batch']);

    // A staged secret, whatever stands in its place in the work tree, is refused (and nothing waits on a FIFO).
    dev.write({ 'agents/three.yaml': named('three', `password: ${fake.password()}\n`), 'clean.yaml': named('three') });
    dev.run('add', 'agents/three.yaml');
    const path = join(dev.dir, 'agents', 'three.yaml');
    const standIns: [string, () => void][] = [
      ['a clean copy', () => writeFileSync(path, named('three'))],
      ['a link to a clean copy', () => symlinkSync(join(dev.dir, 'clean.yaml'), path)],
      ['a FIFO', () => execFileSync('mkfifo', [path])],
      ['a directory', () => mkdirSync(path)],
    ];
    for (const [what, put] of standIns) {
      rmSync(path, { recursive: true, force: true });
      put();
      const r = spawnSync('git', ['commit', '-qm', 'three'], { cwd: dev.dir, env: dev.env, encoding: 'utf8', input: '', timeout: 30_000 });
      expect({ what, status: r.status }).toEqual({ what, status: 1 });
      expect(r.stderr).toContain('agents/three.yaml:7:11 error secrets credential-named key "password"');
    }
  });

  it('pre-commit and pre-push leave NODE_EXTRA_CA_CERTS to the programs they start: their own node does not parse it', () => {
    const { dev } = setUp();
    // node warns at start-up about an extra CA bundle it cannot read: the warning shows who parsed it.
    const ca = { NODE_EXTRA_CA_CERTS: join(tempDir(), 'no-such-ca.pem') };
    const warning = 'Ignoring extra certs';
    dev.write({
      '.lintstagedrc.json': JSON.stringify({
        '*.md': "node -e \"require('fs').writeFileSync('ca-seen.txt', String(process.env.NODE_EXTRA_CA_CERTS))\"",
      }),
      'docs/guide.md': '# guide\n',
    });
    dev.run('add', '-A');
    const commit = spawnGit(dev, ca, 'commit', '-qm', 'a guide');
    expect(commit.status).toBe(0);
    expect(commit.output).not.toContain(warning);
    expect(readFileSync(join(dev.dir, 'ca-seen.txt'), 'utf8')).toBe(ca.NODE_EXTRA_CA_CERTS);
    const push = spawnGit(dev, ca, 'push', '-q', 'origin', 'feature/work');
    expect(push.status).toBe(0);
    expect(push.output).not.toContain(warning);
    // Any other command keeps it: it may open a TLS connection (a deploy's notifications).
    expect(
      spawnSync(join(dev.dir, '.git', 'wxo-policy', 'run'), ['--version'], { env: { ...dev.env, ...ca }, encoding: 'utf8' }).stderr,
    ).toContain(warning);
  });

  it('judges what `git commit -a` and `git commit <path>` commit (the temporary index git hands the hook), read without ls-files', () => {
    const { dev } = setUp();
    dev.write({ 'agents/helper.yaml': agent('display_name: Helper\n') });
    dev.run('add', '-A');
    dev.run('commit', '-qm', 'helper');
    // The secret is only in the work tree: `-a` and a path stage it into a temporary index.
    const secret = fake.password();
    dev.write({ 'agents/helper.yaml': agent(`password: ${secret}\n`) });
    const trace = join(tempDir(), 'trace.json');
    const all = spawnGit(dev, { GIT_TRACE2_EVENT: trace }, 'commit', '-qam', 'leak');
    expect(all.status).not.toBe(0);
    expect(all.output).toContain('agents/helper.yaml:7:11 error secrets');
    expect(all.output).not.toContain(secret);
    expect(gitCallsOf(trace, 'pre-commit')?.filter((c) => c.startsWith('ls-files -s'))).toEqual([]);
    const path = dev.attempt('commit', '-qm', 'leak', '--', 'agents/helper.yaml');
    expect(path.status).not.toBe(0);
    expect(path.stderr).toContain('agents/helper.yaml:7:11 error secrets');
    // The index proper still holds the clean file: a commit of it passes.
    expect(dev.run('diff', '--cached', '--name-only').trim()).toBe('');
    dev.write({ 'docs/notes.md': '# notes\n' });
    dev.run('add', 'docs/notes.md');
    expect(dev.attempt('commit', '-qm', 'notes').status).toBe(0);
    expect(dev.run('show', '--name-only', '--format=', 'HEAD').trim()).toBe('docs/notes.md');
  });

  it('HUSKY=0 skips the hooks, the way husky users expect', () => {
    const { dev } = setUp();
    dev.write({ 'agents/helper.yaml': agent(`password: ${fake.password()}\n`) });
    dev.run('add', '-A');
    const r = spawnGit(dev, { HUSKY: '0' }, 'commit', '-qm', 'skipped');
    expect(r.status).toBe(0);
  });
});

/** Commits an agent change on feature/work and switches to develop, to merge it there. */
function readyToMerge(dev: TestRepo, displayName: string): void {
  dev.write({ 'agents/helper.yaml': agent(`display_name: ${displayName}\n`) });
  dev.run('add', '-A');
  dev.run('commit', '-qm', 'work');
  dev.run('switch', '-q', 'develop');
}

/** Like TestRepo.attempt, with extra environment variables. */
function spawnGit(repo: TestRepo, extra: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync('git', args, { cwd: repo.dir, env: { ...repo.env, ...extra }, encoding: 'utf8', input: '' });
  return { status: r.status ?? -1, output: r.stdout + r.stderr };
}

describe('post-commit and post-rewrite', () => {
  it('an ordinary commit costs post-commit one git process and no node; amend runs no post-rewrite', () => {
    const { dev } = setUp();
    const trace = join(tempDir(), 'trace.json');
    dev.write({ 'agents/helper.yaml': agent('display_name: Helper\n') });
    dev.run('add', '-A');
    expect(spawnGit(dev, { GIT_TRACE2_EVENT: trace }, 'commit', '-qm', 'ordinary').status).toBe(0);
    expect(gitCallsOf(trace, 'post-commit')?.map((c) => c.split(' ')[0])).toEqual(['log']);

    writeFileSync(trace, '');
    expect(spawnGit(dev, { GIT_TRACE2_EVENT: trace }, 'commit', '-q', '--amend', '--no-edit').status).toBe(0);
    expect(gitCallsOf(trace, 'post-rewrite') ?? []).toEqual([]); // husky's stub finds no .husky/post-rewrite
    expect(existsSync(join(dev.dir, '.husky', 'post-rewrite'))).toBe(false);
  });

  it('a post-rewrite shim from an older init is left alone and stays quiet', () => {
    const { dev } = setUp();
    const shim = readFileSync(join(dev.dir, '.husky', 'post-commit'), 'utf8').replaceAll('post-commit', 'post-rewrite');
    dev.write({ '.husky/post-rewrite': shim });
    chmodSync(join(dev.dir, '.husky', 'post-rewrite'), 0o755);
    const again = runCli(['init'], { cwd: dev.dir, env: dev.env });
    expect(again.status).toBe(0);
    expect(again.output).not.toContain('post-rewrite');
    expect(readFileSync(join(dev.dir, '.husky', 'post-rewrite'), 'utf8')).toBe(shim);
    const amend = dev.attempt('commit', '-q', '--amend', '--no-edit');
    expect(amend.status).toBe(0);
    expect(amend.output).toBe('');
  });
});

describe('post-merge', () => {
  it('a squash merge commits nothing yet: no plan, no deploy', () => {
    const { dev } = setUp();
    readyToMerge(dev, 'Squashed');
    const r = spawnGit(dev, { WXO_POLICY_DEPLOY: '1' }, 'merge', '--squash', 'feature/work');
    expect(r.status).toBe(0);
    expect(r.output).toContain('Squash commit -- not updating HEAD');
    expect(r.output).not.toContain('deploy plan');
    expect(r.output).not.toContain('wxo-policy');
  });

  it('on an environment branch asks git once for the repository and the policy, then shows the plan', () => {
    const { dev } = setUp();
    readyToMerge(dev, 'Helper');
    const trace = join(tempDir(), 'trace.json');
    const r = spawnGit(dev, { GIT_TRACE2_EVENT: trace }, 'merge', '--no-ff', '--no-edit', 'feature/work');
    expect(r.status).toBe(0);
    expect(r.output).toContain('deploy plan for dev (dev-qa-tenant, draft)');
    const calls = gitCallsOf(trace, 'post-merge')!;
    expect(calls.filter((c) => c.startsWith('rev-parse --path-format'))).toHaveLength(1); // the repository
    expect(calls.filter((c) => /^cat-file -p \S+:wxo-policy\.yaml$/.test(c))).toHaveLength(1); // the policy
    expect(calls.filter((c) => /^(symbolic-ref|rev-parse --verify -q HEAD)/.test(c))).toEqual([]); // branch and HEAD: read from the git dir
  });
});

describe('plans and deploys from hooks', () => {
  it('a revert on an environment branch shows the plan of the deploy that rolls it back', () => {
    const { dev } = setUp();
    readyToMerge(dev, 'To be rolled back');
    expect(dev.attempt('merge', '-q', '--no-ff', '--no-edit', 'feature/work').status).toBe(0);
    const r = dev.attempt('revert', '--no-edit', '-m', '1', 'HEAD');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('deploy plan for dev (dev-qa-tenant, draft)');
    expect(r.stderr).toContain('deploying from git hooks is off here');
  });

  it('post-merge deploys only where deploy.from_hooks or WXO_POLICY_DEPLOY=1 says so', () => {
    const world = deployWorld();
    const { repo, fake: orchestrate } = world;
    initToolkit(repo, world.env());
    repo.commitAll('wxo-policy init');
    const featureMerge = (name: string, extra: NodeJS.ProcessEnv = {}) => {
      repo.run('switch', '-q', '-c', `feature/${name}`, 'develop');
      edit(repo, 'agents/billing_agent.yaml', (t) =>
        t.replace('display_name: Billing Specialist', `display_name: Billing Specialist (${name})`),
      );
      repo.commitAll(name);
      repo.run('switch', '-q', 'develop');
      return spawnSync('git', ['merge', '--no-ff', '--no-edit', `feature/${name}`], {
        cwd: repo.dir,
        env: world.env(extra),
        encoding: 'utf8',
      });
    };
    const tags = () => repo.run('tag', '--list', 'v*').trim();

    const off = featureMerge('one');
    expect(off.status).toBe(0);
    expect(off.stderr).toContain('deploy plan for dev');
    expect(off.stderr).toContain('deploying from git hooks is off here');
    expect(orchestrate.calls()).toEqual([]);
    expect(tags()).toBe('');

    const deployAgent = featureMerge('two', { WXO_POLICY_DEPLOY: '1' }); // the Jenkins deploy agent
    expect(deployAgent.status).toBe(0);
    expect(orchestrate.commands().some((c) => c.includes('agents import'))).toBe(true);
    expect(tags()).toBe('v1.4.0-dev');

    orchestrate.clearLog();
    edit(repo, 'wxo-policy.yaml', (t) => t.replace('from_hooks: false', 'from_hooks: true'));
    repo.commitAll('deploy from hooks here');
    const on = featureMerge('three');
    expect(on.status).toBe(0);
    expect(on.stderr).not.toContain('deploying from git hooks is off here');
    expect(orchestrate.commands().some((c) => c.includes('agents import'))).toBe(true);
    expect(tags().split('\n')).toEqual(['v1.4.0-dev', 'v1.4.0-dev.2']);
    expect(world.captured.join('') + on.stderr + deployAgent.stderr).not.toContain(world.secrets.WXO_DEV_QA_API_KEY!);
  });
});

describe('hooks without node on PATH (GUI git clients)', () => {
  it("run through the launcher, which carries node's absolute path", () => {
    const { dev } = setUp();
    // A PATH with git and the shell tools husky's stub uses, and no node.
    const bin = tempDir('wxo-bin-');
    for (const tool of ['git', 'sh', 'basename', 'dirname'])
      symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
    const noNode = { PATH: bin };
    expect(spawnSync('sh', ['-c', 'command -v node'], { env: noNode }).status).not.toBe(0);
    dev.write({ 'agents/helper.yaml': agent(`password: ${fake.password()}\n`) });
    dev.run('add', '-A');
    const refused = spawnGit(dev, noNode, 'commit', '-qm', 'leak');
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('commit refused by wxo-policy');
    dev.write({ 'agents/helper.yaml': agent('display_name: Helper\n') });
    dev.run('add', '-A');
    const clean = spawnGit(dev, noNode, 'commit', '-qm', 'clean');
    expect(clean.output).not.toContain('not found');
    expect(clean.status).toBe(0);
  });
});

describe('policy settings for the hooks', () => {
  it('protected_environments and allow_merge_commits decide which commits environment branches take', () => {
    const { dev } = setUp();
    dev.run('switch', '-q', 'develop');
    const policy = readFileSync(join(dev.dir, 'wxo-policy.yaml'), 'utf8');
    dev.write({
      'wxo-policy.yaml': policy
        .replace('protected_environments: [dev, qa, staging, prod]', 'protected_environments: [qa, staging, prod]')
        .replace('allow_merge_commits: true', 'allow_merge_commits: false'),
    });
    dev.run('add', '-A');
    // The commit that loosens the policy is judged by HEAD's policy too, which protects develop: refused.
    const loosening = dev.attempt('commit', '-qm', 'develop is not protected here');
    expect(loosening.status).not.toBe(0);
    expect(loosening.stderr).toContain('judged by the policy of HEAD');
    // Once the reviewed change is in (here past the hook), the new policy governs the next commits.
    dev.run('commit', '-q', '--no-verify', '-m', 'develop is not protected here');
    dev.write({ 'docs/notes.md': '# Notes\n' });
    dev.run('add', '-A');
    expect(dev.attempt('commit', '-qm', 'a direct commit on develop').status).toBe(0);

    dev.run('switch', '-q', '-c', 'qa-1.2.3');
    dev.write({ 'agents/helper.yaml': agent('display_name: Direct\n') });
    dev.run('add', '-A');
    const direct = dev.attempt('commit', '-qm', 'direct');
    expect(direct.status).not.toBe(0);
    expect(direct.stderr).toContain('direct commits to qa-1.2.3 (environment qa) are not allowed');
    dev.run('reset', '-q', '--hard');

    dev.run('switch', '-q', '-c', 'feature/merge-me', 'develop');
    dev.write({ 'agents/helper.yaml': agent('display_name: Merged\n') });
    dev.run('add', '-A');
    dev.run('commit', '-qm', 'to merge');
    dev.run('switch', '-q', 'qa-1.2.3');
    const merged = dev.attempt('merge', '--no-ff', '--no-edit', 'feature/merge-me');
    expect(merged.status).not.toBe(0);
    expect(merged.stderr).toContain(
      'merge commits on qa-1.2.3 (environment qa) are not allowed by this policy (hooks.allow_merge_commits: false)',
    );
    expect(merged.stderr).toContain('git merge --abort');
    const finished = dev.attempt('commit', '--no-edit', '-q'); // finishing it by hand is refused too
    expect(finished.status).not.toBe(0);
    expect(finished.stderr).toContain('merge commits on qa-1.2.3');
    dev.run('merge', '--abort');
    expect(dev.run('log', '-1', '--format=%s', 'develop').trim()).toBe('a direct commit on develop');
  });
});

describe('pre-push', () => {
  it('refuses a secret in any pushed commit, not only the tip', () => {
    const { dev } = setUp();
    const token = fake.githubToken();
    dev.write({ 'docs/setup.md': `# Setup\n\ntoken: ${token}\n` });
    dev.run('add', '-A');
    dev.run('commit', '-q', '--no-verify', '-m', 'leak (hook bypassed)');
    dev.write({ 'docs/setup.md': '# Setup\n\ntoken: from the vault\n' });
    dev.run('commit', '-q', '-am', 'clean up');
    const r = dev.attempt('push', '-q', 'origin', 'feature/work');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(
      /docs\/setup\.md:3:8 error secrets GitHub token ghp_\*+ \(40 chars\) \[secretlint\/github\] \[commit [0-9a-f]{12}\]/,
    );
    expect(r.stderr).toContain('push refused by wxo-policy');
    expect(r.stderr).toContain('`git push --no-verify`');
    expect(r.output).not.toContain(token);
    expect(dev.attempt('ls-remote', '--exit-code', 'origin', 'refs/heads/feature/work').status).not.toBe(0);
  });

  it('lets clean branches through and refuses badly named branches and tags', () => {
    const { dev } = setUp();
    dev.write({ 'agents/helper.yaml': agent('display_name: Helper\n') });
    dev.run('add', '-A');
    dev.run('commit', '-qm', 'work');
    expect(dev.attempt('push', '-q', 'origin', 'feature/work').status).toBe(0);

    dev.run('branch', 'qa-latest');
    const branch = dev.attempt('push', '-q', 'origin', 'qa-latest');
    expect(branch.status).not.toBe(0);
    expect(branch.stderr).toContain('[qa-latest] error branch-name branch "qa-latest" looks like a qa branch');

    dev.run('tag', '-a', 'v1.2.3-qa', '-m', 'hand-made', 'feature/work');
    const tag = dev.attempt('push', '-q', 'origin', 'v1.2.3-qa');
    expect(tag.status).not.toBe(0);
    expect(tag.stderr).toContain('[v1.2.3-qa] error tag-name tag "v1.2.3-qa" (qa) should point at a commit of branch qa-1.2.3');

    dev.run('tag', 'release-candidate');
    const other = dev.attempt('push', '-q', 'origin', 'release-candidate');
    expect(other.status).not.toBe(0);
    expect(other.stderr).toContain('tag "release-candidate" matches no deploy tag pattern');
  });

  it('accepts a deploy tag on its environment branch and a branch deletion', () => {
    const { dev } = setUp();
    dev.run('switch', '-q', 'develop');
    dev.run('switch', '-q', '-c', 'qa-1.2.3');
    expect(dev.attempt('push', '-q', 'origin', 'qa-1.2.3').status).toBe(0);
    dev.run('tag', '-a', 'v1.2.3-qa', '-m', 'deploy');
    expect(dev.attempt('push', '-q', 'origin', 'v1.2.3-qa').status).toBe(0);
    expect(dev.attempt('push', '-q', 'origin', '--delete', 'qa-1.2.3').status).toBe(0);
  });

  it("finds a tag's environment branch on the remote it is pushed to, whatever its name", () => {
    const { origin, dev } = setUp();
    dev.run('switch', '-q', 'develop');
    dev.run('switch', '-q', '-c', 'qa-1.2.3');
    expect(dev.attempt('push', '-q', 'origin', 'qa-1.2.3').status).toBe(0);
    dev.run('remote', 'add', 'upstream', origin.bare);
    dev.run('fetch', '-q', 'upstream');
    // The branch is known only as upstream/qa-1.2.3: not local, not under origin.
    dev.run('switch', '-q', 'feature/work');
    dev.run('branch', '-q', '-D', 'qa-1.2.3');
    dev.run('update-ref', '-d', 'refs/remotes/origin/qa-1.2.3');
    dev.run('tag', '-a', 'v1.2.3-qa', '-m', 'deploy', 'upstream/qa-1.2.3');
    const r = dev.attempt('push', '-q', 'upstream', 'v1.2.3-qa');
    expect(r.stderr).not.toContain('tag-name');
    expect(r.status).toBe(0);
  });

  it('refuses a merge pushed to an environment branch along a path the policy does not allow', () => {
    const { dev } = setUp();
    dev.run('switch', '-q', 'develop');
    dev.run('switch', '-q', '-c', 'main');
    dev.write(tenantFiles('prod-tenant'));
    dev.run('add', '-A');
    dev.run('commit', '-q', '--no-verify', '-m', 'prod files');
    expect(dev.attempt('push', '-q', 'origin', 'main').status).toBe(0);
    dev.run('switch', '-q', 'feature/work');
    dev.write({ 'agents/helper.yaml': agent('display_name: Shortcut\n') });
    dev.run('add', '-A');
    dev.run('commit', '-qm', 'shortcut');
    dev.run('switch', '-q', 'main');
    dev.run('merge', '-q', '--no-ff', '--no-edit', 'feature/work');
    const r = dev.attempt('push', '-q', 'origin', 'main');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('[feature/work → main] error promotion-path feature/work → main is not a promotion path of the policy');
  });

  it('accepts an environment branch that merged its own remote copy (git pull, git merge origin/<branch>)', () => {
    const { origin, dev } = setUp();
    const colleague = cloneWithHooks(origin, 'develop');
    // Each side brings a feature into develop the allowed way (a merge commit)…
    const featureInto = (repo: TestRepo, name: string) => {
      repo.run('switch', '-q', '-c', `feature/${name}`, 'develop');
      repo.write({ [`agents/${name}.yaml`]: agent().replace('name: helper', `name: ${name}`) });
      repo.run('add', '-A');
      repo.run('commit', '-qm', name);
      repo.run('switch', '-q', 'develop');
      expect(repo.attempt('merge', '-q', '--no-ff', '--no-edit', `feature/${name}`).status).toBe(0);
    };
    featureInto(dev, 'first');
    expect(dev.attempt('push', '-q', 'origin', 'develop').status).toBe(0);
    featureInto(colleague, 'second');
    // …so develop diverged: `git pull` merges origin's develop into the local one.
    expect(colleague.attempt('pull', '-q', '--no-rebase', '--no-edit', 'origin', 'develop').status).toBe(0);
    expect(colleague.run('log', '-1', '--format=%s').trim()).toMatch(/^Merge branch 'develop' of .+ into develop$/);
    const pushed = colleague.attempt('push', '-q', 'origin', 'develop');
    expect(pushed.stderr).not.toContain('promotion-path');
    expect(pushed.status).toBe(0);

    // The same with fetch + merge of the remote-tracking branch.
    featureInto(dev, 'third');
    dev.run('fetch', '-q', 'origin');
    expect(dev.attempt('merge', '-q', '--no-edit', 'origin/develop').status).toBe(0);
    expect(dev.run('log', '-1', '--format=%s').trim()).toBe("Merge remote-tracking branch 'origin/develop' into develop");
    const again = dev.attempt('push', '-q', 'origin', 'develop');
    expect(again.stderr).not.toContain('promotion-path');
    expect(again.status).toBe(0);
  });

  it("a secret the policy allowlists passes check --staged, the commit hook, CI's range check and the push alike", () => {
    const { dev } = setUp();
    const token = fake.githubToken();
    dev.write({ 'docs/setup.md': `# Setup\n\ntoken: ${token}\n` });
    dev.run('add', '-A');
    const before = runCli(['check', '--staged', '--format', 'json'], { cwd: dev.dir, env: dev.env });
    expect(before.status).toBe(1);
    const hash = (JSON.parse(before.stdout).findings as { rule: string; hash?: string }[]).find((f) => f.rule === 'secrets')!.hash!;
    // Without the allowlist entry the push is refused (the commit hook is bypassed here).
    dev.run('commit', '-q', '--no-verify', '-m', 'sandbox token');
    expect(dev.attempt('push', '-q', 'origin', 'feature/work').stderr).toContain('error secrets');
    dev.run('reset', '-q', '--soft', 'HEAD~1');

    // The allowlist entry staged with the secret does not count: the commit is judged by HEAD's policy.
    edit(dev, 'wxo-policy.yaml', (t) =>
      t.replace(
        'suppressions: []',
        `suppressions:\n  - { rule: secrets, hash: ${hash.slice(0, 16)}, reason: public sandbox token of the vendor docs }`,
      ),
    );
    dev.run('add', '-A');
    const sameCommit = runCli(['check', '--staged'], { cwd: dev.dir, env: dev.env });
    expect(sameCommit.status).toBe(1);
    expect(sameCommit.stdout).toContain('error secrets');
    // Committed first, it applies to the commit that follows.
    dev.run('reset', '-q', '--', 'docs/setup.md');
    expect(dev.attempt('commit', '-qm', 'allowlist the vendor sandbox token').status).toBe(0);
    dev.run('add', '-A');
    const staged = runCli(['check', '--staged'], { cwd: dev.dir, env: dev.env });
    expect(staged.stdout).toContain('1 suppressed');
    expect(staged.status).toBe(0);
    expect(dev.attempt('commit', '-qm', 'sandbox token, allowlisted').status).toBe(0);
    const ci = runCli(['check', '--range', 'origin/develop..HEAD'], { cwd: dev.dir, env: dev.env });
    expect(ci.stdout).not.toContain('error secrets');
    expect(ci.status).toBe(0);
    const pushed = dev.attempt('push', '-q', 'origin', 'feature/work');
    expect(pushed.stderr).not.toContain('error secrets');
    expect(pushed.output).not.toContain(token);
    expect(pushed.status).toBe(0);
    expect(dev.attempt('ls-remote', '--exit-code', 'origin', 'refs/heads/feature/work').status).toBe(0);
  });

  it('refuses a pushed tip whose tenant files belong to another tenant', () => {
    const { dev } = setUp();
    dev.run('switch', '-q', 'develop');
    dev.run('switch', '-q', '-c', 'staging-1.2.3');
    const r = dev.attempt('push', '-q', 'origin', 'staging-1.2.3');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      'tenant.yaml:1:9 error tenant-binding declares tenant "dev-qa-tenant" but branch staging-1.2.3 (staging) belongs to tenant "prod-tenant"',
    );
  });
});

describe('init, install and doctor', () => {
  it('init is idempotent, merges into existing files and keeps what it does not own', () => {
    const repo = createRepo({ branch: 'develop' });
    repo.write({
      '.gitattributes': '*.png binary\n',
      '.gitignore': 'dist/\n',
      'package.json': JSON.stringify(
        { name: 'agents', version: '2.0.0', scripts: { prepare: 'husky', test: 'pytest' }, devDependencies: { husky: '^9.0.0' } },
        null,
        4,
      ),
      Jenkinsfile: 'pipeline { /* ours */ }\n',
      '.husky/pre-commit': 'npm test\n',
    });
    const first = initToolkit(repo);
    expect(first.stdout).toMatch(/updated\s+\.gitattributes/);
    expect(first.stdout).toMatch(/kept\s+Jenkinsfile \(exists; --force overwrites it\)/);
    expect(readFileSync(join(repo.dir, '.gitattributes'), 'utf8')).toBe(
      '*.png binary\n\n# wxo-policy: tenant-scoped files keep the target branch version on cross-tenant merges\ntenant.yaml merge=wxo-tenant\nvalues.yaml merge=wxo-tenant\n',
    );
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toMatch(/^dist\/\n\n# wxo-policy\nnode_modules\/\n\.env\n/);
    const pkg = JSON.parse(readFileSync(join(repo.dir, 'package.json'), 'utf8'));
    expect(pkg.version).toBe('2.0.0');
    expect(pkg.scripts).toEqual({ prepare: 'husky && wxo-policy install', test: 'pytest' });
    expect(pkg.devDependencies.husky).toBe('^9.0.0');
    expect(pkg.devDependencies['wxo-policy']).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(repo.dir, 'package.json'), 'utf8')).toMatch(/^{\n {4}"name"/); // indentation kept
    expect(readFileSync(join(repo.dir, '.husky/pre-commit'), 'utf8')).toMatch(/^npm test\n\n# wxo-policy/);
    expect(readFileSync(join(repo.dir, 'Jenkinsfile'), 'utf8')).toBe('pipeline { /* ours */ }\n');

    const snapshot = () =>
      repo.run('status', '--porcelain', '--untracked-files=all') +
      readFileSync(join(repo.dir, 'package.json'), 'utf8') +
      readFileSync(join(repo.dir, '.gitattributes'), 'utf8');
    const before = snapshot();
    const second = runCli(['init'], { cwd: repo.dir, env: repo.env });
    expect(second.status).toBe(0);
    expect(second.stdout).not.toMatch(/created|updated/);
    expect(second.stdout).toContain('Nothing to do');
    expect(snapshot()).toBe(before);

    const forced = runCli(['init', '--force'], { cwd: repo.dir, env: repo.env });
    expect(forced.stdout).toMatch(/updated\s+Jenkinsfile/);
  });

  it('init writes a lint-staged configuration where lint-staged is only a devDependency', () => {
    const repo = createRepo();
    repo.write({ 'package.json': JSON.stringify({ name: 'agents', devDependencies: { 'lint-staged': '^16.0.0' } }, null, 2) });
    const r = initToolkit(repo);
    expect(r.stdout).toMatch(/created\s+\.lintstagedrc\.yaml/);
    // A configuration in package.json is the user's: kept, and nothing written beside it.
    const other = createRepo();
    other.write({ 'package.json': JSON.stringify({ name: 'agents', 'lint-staged': { '*.md': 'prettier --check' } }, null, 2) });
    const kept = initToolkit(other);
    expect(kept.stdout).toMatch(/kept\s+lint-staged configuration \(package\.json\)/);
    expect(existsSync(join(other.dir, '.lintstagedrc.yaml'))).toBe(false);
  });

  it('init refuses to touch a package.json that is not valid JSON', () => {
    const repo = createRepo();
    repo.write({ 'package.json': '{ "name": "x", }\n' });
    const r = runCli(['init'], { cwd: repo.dir, env: repo.env });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('package.json is not valid JSON');
    expect(readFileSync(join(repo.dir, 'package.json'), 'utf8')).toBe('{ "name": "x", }\n');
  });

  it('install is idempotent and quiet, registers the driver, and respects HUSKY=0 and CI=true', () => {
    const repo = createRepo();
    initToolkit(repo);
    const again = runCli(['install'], { cwd: repo.dir, env: repo.env });
    expect(again.status).toBe(0);
    expect(again.output).toBe('');
    expect(repo.run('config', 'merge.wxo-tenant.driver')).toMatch(
      /\.git\/wxo-policy\/run' ?merge-driver %O %A %B %L %P %X %Y|\.git\/wxo-policy\/run merge-driver %O %A %B %L %P %X %Y/,
    );
    expect(repo.run('check-attr', 'merge', '--', 'tenant.yaml').trim()).toBe('tenant.yaml: merge: wxo-tenant');

    const fresh = createRepo();
    fresh.write({ '.husky/pre-commit': 'echo hi\n' });
    const ci = runCli(['install'], { cwd: fresh.dir, env: { ...fresh.env, CI: 'true' } });
    expect(ci.stderr).toContain('CI: git hooks not installed');
    expect(fresh.attempt('config', 'core.hooksPath').stdout).toBe('');
    expect(fresh.run('config', 'merge.wxo-tenant.driver')).toContain('merge-driver');
    const verbose = runCli(['install', '--verbose'], { cwd: fresh.dir, env: { ...fresh.env, CI: 'true' } });
    expect(verbose.stdout).toBe('wxo-policy: merge driver already registered; git hooks left alone (see above)\n');
    expect(verbose.stderr).toContain('CI: git hooks not installed');
    expect(runCli(['install', '--verbose'], { cwd: repo.dir, env: repo.env }).stdout).toBe(
      'wxo-policy: merge driver already registered; hooks already active\n',
    );
    const off = runCli(['install'], { cwd: fresh.dir, env: { ...fresh.env, HUSKY: '0' } });
    expect(off.stderr).toContain('HUSKY=0: git hooks not installed');
    expect(fresh.attempt('config', 'core.hooksPath').stdout).toBe('');
  });

  it('doctor finds the problems and says how to fix them, including new worktrees', () => {
    const repo = initialisedRepo();
    const ok = runCli(['doctor'], { cwd: repo.dir, env: repo.env });
    expect(ok.stdout).toContain('all good');
    expect(ok.stdout).toMatch(/ok\s+merge driver: registered/);
    expect(ok.stdout).toMatch(/ok\s+attributes: tenant\.yaml merge=wxo-tenant/);
    expect(ok.status).toBe(0);

    // A new worktree: git runs its .husky/ hooks at once — no install there, nothing to fix.
    const wt = join(tempDir(), 'wt');
    repo.run('worktree', 'add', '-q', '-b', 'feature/wt', wt);
    const r = runCli(['doctor'], { cwd: repo.dir, env: repo.env });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /ok\s+hooks active: core\.hooksPath .*\/\.git\/wxo-policy\/hooks: git runs the \.husky\/ hooks of each of the 2 worktrees, new ones included/,
    );
    expect(runCli(['doctor'], { cwd: wt, env: repo.env }).status).toBe(0);
    writeFileSync(join(wt, 'agents', 'bad.yaml'), 'spec_version: v1\nname: [broken\n');
    execFileSync('git', ['add', 'agents/bad.yaml'], { cwd: wt, env: repo.env });
    const refused = spawnSync('git', ['commit', '-qm', 'in the worktree'], { cwd: wt, env: repo.env, encoding: 'utf8' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('error yaml-syntax');
    // A staged secret in a new worktree is refused too (it used to be committed silently).
    execFileSync('git', ['reset', '-q'], { cwd: wt, env: repo.env });
    writeFileSync(join(wt, 'agents', 'helper.yaml'), agent(`password: ${fake.password()}\n`));
    execFileSync('git', ['add', 'agents/helper.yaml'], { cwd: wt, env: repo.env });
    const leak = spawnSync('git', ['commit', '-qm', 'leak in the worktree'], { cwd: wt, env: repo.env, encoding: 'utf8' });
    expect(leak.status).not.toBe(0);
    expect(leak.stderr).toContain('commit refused by wxo-policy');
    // Hooks off (core.hooksPath unset): a problem with a fix that does not fetch anything.
    repo.run('config', '--unset', 'core.hooksPath');
    const off = runCli(['doctor'], { cwd: wt, env: repo.env });
    expect(off.stdout).toContain('problem  hooks active: git does not run the .husky/ hooks (core.hooksPath is not set)');
    expect(off.stdout).not.toContain('npx');
    expect(runCli(['install'], { cwd: wt, env: repo.env }).status).toBe(0);
    expect(runCli(['doctor'], { cwd: repo.dir, env: repo.env }).status).toBe(0);

    // The driver unregistered and an attribute unbound are problems with fixes.
    repo.run('config', '--unset', 'merge.wxo-tenant.driver');
    repo.write({ '.gitattributes': '' });
    const broken = runCli(['doctor'], { cwd: repo.dir, env: repo.env });
    expect(broken.stdout).toContain('problem  merge driver: merge.wxo-tenant.driver is not in this clone');
    expect(broken.stdout).toContain('problem  attributes: tenant.yaml is not bound to the driver');
    expect(broken.stdout).toContain('fix: run `npm install`');
  });

  it('doctor: git older than 2.38 cannot simulate pull-request merges — a problem where PR checks run', () => {
    const repo = initialisedRepo();
    // A git that says it is 2.34 (Ubuntu 22.04's) and is the real one otherwise.
    const bin = tempDir('wxo-oldgit-');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'git'), `#!/bin/sh\n[ "$1" = --version ] && { echo "git version 2.34.1"; exit 0; }\nexec ${realGit} "$@"\n`, {
      mode: 0o755,
    });
    const oldGit = { ...repo.env, PATH: `${bin}:${repo.env.PATH}` };
    const laptop = runCli(['doctor'], { cwd: repo.dir, env: oldGit });
    expect(laptop.stdout).toContain('warning  git merge-tree: git 2.34.1 has no `git merge-tree --write-tree` (git ≥ 2.38)');
    expect(laptop.status).toBe(0);
    const ci = runCli(['doctor'], {
      cwd: repo.dir,
      env: { ...oldGit, JENKINS_URL: 'https://jenkins.example.test/', BRANCH_NAME: 'develop' },
    });
    expect(ci.stdout).toContain('problem  git merge-tree: git 2.34.1 has no `git merge-tree --write-tree`');
    expect(ci.stdout).toContain('fix: install git 2.38 or newer on the CI agents');
    expect(ci.status).toBe(1);
    expect(runCli(['doctor'], { cwd: repo.dir, env: repo.env }).stdout).toMatch(/ok\s+git merge-tree: pull-request checks can simulate/);
  });

  /**
   * The package as a directory dependency, copied: npm runs a linked directory's own `prepare` (our
   * build) in that directory, and in the checkout it rewrote dist/ under the other test files' feet.
   */
  const packageCopy = () => {
    const dir = join(tempDir(), 'wxo-policy');
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    for (const entry of manifest.files as string[]) cpSync(join(PROJECT_ROOT, entry), join(dir, entry), { recursive: true });
    delete manifest.scripts.prepare;
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'));
    return dir;
  };

  it('a real `npm install` runs prepare: hooks and driver are set up in a fresh clone', () => {
    const { origin } = setUp();
    // A colleague clones the repository and installs its devDependencies.
    const clone = createRepo({ dir: join(tempDir(), 'clone') });
    clone.run('remote', 'add', 'origin', origin.bare);
    clone.run('fetch', '-q', 'origin');
    clone.run('checkout', '-q', '-b', 'develop', 'origin/develop');
    const pkg = JSON.parse(readFileSync(join(clone.dir, 'package.json'), 'utf8'));
    pkg.devDependencies['wxo-policy'] = `file:${packageCopy()}`;
    clone.write({ 'package.json': JSON.stringify(pkg, null, 2) });
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: clone.dir,
      env: { ...clone.env, ...npmNetworkEnv(), npm_config_cache: join(process.env.HOME ?? '', '.npm') },
      stdio: 'pipe',
    });
    expect(existsSync(join(clone.dir, '.husky', '_', 'h'))).toBe(true);
    expect(clone.run('config', 'core.hooksPath').trim()).toBe(join(clone.dir, '.git', 'wxo-policy', 'hooks'));
    expect(clone.run('config', 'merge.wxo-tenant.driver')).toContain('merge-driver');
    clone.run('checkout', '-q', '-b', 'feature/colleague');
    clone.write({ 'agents/helper.yaml': agent(`password: ${fake.password()}\n`) });
    clone.run('add', 'agents/helper.yaml');
    const r = clone.attempt('commit', '-qm', 'leak');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('commit refused by wxo-policy');
  }, 180_000);
});
