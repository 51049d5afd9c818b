import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { minimalGitops, tenantFiles } from './helpers/gitops.js';
import { branchBuild, createOrigin, prBuild, tagBuild, type JenkinsCheckout, type Origin } from './helpers/jenkins.js';
import { fake } from './helpers/secrets.js';

/**
 * Jenkins multibranch checkouts and the pitfalls of reference §2.2. Each test builds the checkout
 * the way Jenkins does (narrow refspec, no tags, shallow, detached, synthetic merge) and runs the
 * built CLI with Jenkins' variables; each would pass silently with a naive implementation.
 */
const check = (j: JenkinsCheckout, ...args: string[]) => runCli(['check', ...args], { cwd: j.ws.dir, env: j.env });

/** develop (dev/qa tenant), qa-1.2.3 from it, main and staging-1.2.3 with the prod tenant files. */
function environments(): Origin {
  const origin = createOrigin('develop');
  const { dev } = origin;
  dev.write(minimalGitops('dev-qa-tenant', '1.2.3'));
  dev.commitAll('develop: initial');
  dev.run('checkout', '-q', '-b', 'qa-1.2.3');
  dev.run('checkout', '-q', '-b', 'main');
  dev.write(tenantFiles('prod-tenant'));
  dev.commitAll('main: prod tenant files');
  dev.run('checkout', '-q', '-b', 'staging-1.2.3');
  dev.run('checkout', '-q', 'develop');
  origin.push('develop', 'qa-1.2.3', 'main', 'staging-1.2.3');
  return origin;
}

const agent = (extra = '') =>
  `spec_version: v1\nkind: native\nname: helper\ndescription: Answers questions\nllm: \${values.llm.default}\ntools: []\n${extra}`;

describe('pitfall 1: detached HEAD — the branch comes from BRANCH_NAME', () => {
  it('refuses a badly named branch although HEAD names no branch', () => {
    const origin = environments();
    origin.dev.run('checkout', '-q', '-b', 'qa-foo');
    origin.push('qa-foo');
    const j = branchBuild(origin, 'qa-foo');
    expect(j.ws.run('branch', '--show-current').trim()).toBe(''); // detached, as in Jenkins
    const r = check(j);
    expect(r.stderr).toContain('Jenkins branch build qa-foo');
    expect(r.stdout).toContain('[qa-foo] error branch-name branch "qa-foo" looks like a qa branch');
    expect(r.status).toBe(1);
  });

  it('judges tenant-binding against the branch of the build', () => {
    const origin = environments();
    origin.dev.run('checkout', '-q', 'staging-1.2.3');
    origin.dev.write(tenantFiles('dev-qa-tenant'));
    origin.dev.commitAll('oops: dev tenant on staging');
    origin.push('staging-1.2.3');
    const r = check(branchBuild(origin, 'staging-1.2.3'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'tenant.yaml:1:9 error tenant-binding declares tenant "dev-qa-tenant" but branch staging-1.2.3 (staging) belongs to tenant "prod-tenant"',
    );
  });

  it('passes a clean environment branch', () => {
    const r = check(branchBuild(environments(), 'main'));
    expect(r.stdout).toContain('no problems');
    expect(r.status).toBe(0);
  });
});

describe('pitfall 2: narrow refspec, no tags — the target is fetched', () => {
  it('fetches the missing target branch and judges the promotion', () => {
    const origin = environments();
    origin.dev.run('checkout', '-q', '-b', 'feature/shortcut');
    origin.dev.write({ 'agents/helper.yaml': agent('display_name: Helper\n') });
    origin.dev.commitAll('feature');
    origin.push('feature/shortcut');
    const j = prBuild(origin, 'feature/shortcut', 'qa-1.2.3');
    expect(j.ws.run('branch', '-r')).not.toContain('qa-1.2.3');
    const r = check(j);
    expect(r.stderr).toContain('fetching qa-1.2.3 from origin (not in this clone)');
    expect(r.stderr).toContain('Jenkins pull request PR-7: feature/shortcut → qa-1.2.3');
    expect(r.stdout).toContain('[feature/shortcut → qa-1.2.3] error promotion-path feature/shortcut → qa-1.2.3 is not a promotion path');
    expect(r.status).toBe(1);
  });

  it('fails with exit 2 when the target cannot be fetched — never passes', () => {
    const origin = environments();
    origin.dev.run('checkout', '-q', '-b', 'feature/lost');
    origin.dev.write({ 'agents/helper.yaml': agent('display_name: Helper\n') });
    origin.dev.commitAll('feature');
    origin.push('feature/lost');
    const j = prBuild(origin, 'feature/lost', 'develop');
    const r = check({ ...j, env: { ...j.env, CHANGE_TARGET: 'no-such-branch' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot fetch branch no-such-branch from origin');
    expect(r.stderr).toContain('refspec');
  });
});

describe('a reused workspace: the target ref an earlier build left there is stale', () => {
  it("fetches the target again, so the PR is judged by the target's current policy", () => {
    const origin = environments();
    const { dev } = origin;
    dev.run('checkout', '-q', '-b', 'feature/cache', 'develop');
    dev.write({ 'data/answers.sqlite': 'SQLite format 3 (a stand-in)\n' });
    dev.commitAll('ship the answer cache');
    origin.push('feature/cache');
    const first = prBuild(origin, 'feature/cache', 'develop');
    expect(check(first).status).toBe(0); // leaves refs/remotes/origin/develop in the workspace
    // Meanwhile develop forbids database files …
    dev.run('checkout', '-q', 'develop');
    dev.write({
      'wxo-policy.yaml': dev.run('show', 'HEAD:wxo-policy.yaml').replace('forbidden_files:\n', 'forbidden_files:\n  - "**/*.sqlite"\n'),
    });
    dev.commitAll('policy: no database files');
    origin.push('develop');
    // … and the next build of the same PR, in the same workspace, must apply that.
    const second = prBuild(origin, 'feature/cache', 'develop', { reuse: first.ws });
    const r = check(second);
    expect(r.stdout).toContain('data/answers.sqlite');
    expect(r.stdout).toContain('forbidden-files');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('fetching develop from origin (the copy in this workspace may be from an earlier build)');
    expect(second.ws.run('rev-parse', 'refs/remotes/origin/develop').trim()).toBe(dev.run('rev-parse', 'develop').trim());
  });

  it('judges against the copy it has, saying so, when the target cannot be fetched again', () => {
    const origin = environments();
    origin.dev.run('checkout', '-q', '-b', 'feature/offline', 'develop');
    origin.dev.write({ 'agents/helper.yaml': agent('display_name: Offline\n') });
    origin.dev.commitAll('feature');
    origin.push('feature/offline');
    const j = prBuild(origin, 'feature/offline', 'develop');
    expect(check(j).status).toBe(0);
    j.ws.run('remote', 'set-url', 'origin', `file://${origin.bare}-gone`);
    const r = check(j);
    expect(r.stderr).toContain('cannot fetch develop from origin');
    expect(r.stderr).toContain("judging against this workspace's refs/remotes/origin/develop, which may be stale");
    expect(r.status).toBe(0);
  });
});

describe('pitfall 3: shallow clones — deepened until a merge base exists', () => {
  it('finds a secret in an earlier commit of a depth-1 pull request', () => {
    const origin = environments();
    origin.dev.run('checkout', '-q', '-b', 'feature/leak');
    const token = fake.githubToken();
    origin.dev.write({ 'docs/setup.md': `# Setup\n\nexport GH=${token}\n` });
    origin.dev.commitAll('add setup notes');
    origin.dev.write({ 'docs/setup.md': '# Setup\n\nexport GH=$(vault read gh)\n' });
    origin.dev.commitAll('use the vault');
    origin.dev.write({ 'agents/helper.yaml': agent('display_name: Helper\n') });
    origin.dev.commitAll('tidy');
    origin.push('feature/leak');
    const j = prBuild(origin, 'feature/leak', 'develop', { depth: 1 });
    expect(j.ws.run('rev-parse', '--is-shallow-repository').trim()).toBe('true');
    const r = check(j);
    console.log(r.stderr, j.ws.run('rev-parse', '--is-shallow-repository'));
    expect(r.stderr).toMatch(/deepening by \d+ commits/);
    expect(r.stdout).toMatch(
      /docs\/setup\.md:3:11 error secrets GitHub token ghp_\*+ \(40 chars\) \[secretlint\/github\] \[commit [0-9a-f]{12}\]/,
    );
    expect(r.output).not.toContain(token);
    expect(r.status).toBe(1);
  });
});

describe('pitfall 3: no common history at all', () => {
  it('exits 2 when even the full history has no merge base — never passes', () => {
    const origin = environments();
    origin.dev.run('checkout', '-q', '--orphan', 'feature/unrelated');
    origin.dev.write({ 'agents/helper.yaml': agent('display_name: Unrelated\n') });
    origin.dev.commitAll('a history of its own');
    origin.dev.write({ 'docs/unrelated.md': '# Unrelated\n' });
    origin.dev.commitAll('more of it');
    origin.push('feature/unrelated');
    const j = prBuild(origin, 'feature/unrelated', 'develop', { depth: 1 });
    expect(j.ws.run('rev-parse', '--is-shallow-repository').trim()).toBe('true');
    const r = check(j);
    expect(j.ws.run('rev-parse', '--is-shallow-repository').trim()).toBe('false'); // deepened, then unshallowed
    expect(r.stderr).toContain(
      'no merge base between HEAD and refs/remotes/origin/develop: the range of this change cannot be established',
    );
    expect(r.status).toBe(2);
  });
});

describe('pitfall 4: the PR "merge" strategy — HEAD is a synthetic merge commit', () => {
  it('checks the PR changes of a synthetic merge and passes a clean one', () => {
    const origin = environments();
    origin.dev.run('checkout', '-q', '-b', 'feature/greeting');
    origin.dev.write({ 'agents/helper.yaml': agent('display_name: Friendly helper\n') });
    origin.dev.commitAll('friendlier');
    origin.dev.run('checkout', '-q', 'develop');
    origin.dev.write({ 'README.md': 'develop moved on\n' });
    origin.dev.commitAll('develop moves');
    origin.push('develop', 'feature/greeting');
    const j = prBuild(origin, 'feature/greeting', 'develop', { strategy: 'merge' });
    expect(j.ws.run('rev-list', '--parents', '-n', '1', 'HEAD').trim().split(' ')).toHaveLength(3);
    const r = check(j);
    expect(r.stderr).toContain('(HEAD is the synthetic merge commit)');
    expect(r.stdout).toContain('no problems in 1 file'); // the PR's one file, not develop's README
    expect(r.status).toBe(0);
  });

  it('judges the merge result against the target tenant (a web-UI merge would leak qa tenant files)', () => {
    const origin = environments();
    const { dev } = origin;
    // A back-merge main → develop that kept develop's tenant files: from now on the merge base of
    // qa and staging is a prod commit, so qa's tenant files differ from it and staging's do not.
    dev.run('checkout', '-q', 'develop');
    dev.run('merge', '-q', '--no-ff', '--no-commit', 'main');
    dev.run('checkout', 'develop', '--', 'tenant.yaml', 'values.yaml');
    dev.run('commit', '-q', '--no-verify', '-m', 'back-merge main');
    dev.run('branch', '-f', 'qa-1.2.3', 'develop');
    origin.push('develop', 'qa-1.2.3');
    // The server-side merge (and Jenkins' synthetic merge) takes qa's tenant files silently.
    const j = prBuild(origin, 'qa-1.2.3', 'staging-1.2.3', { strategy: 'merge' });
    expect(j.ws.run('show', 'HEAD:tenant.yaml')).toContain('tenant: dev-qa-tenant');
    const r = check(j);
    expect(r.stderr).toContain('requires an approval');
    expect(r.stdout).toContain(
      'tenant.yaml:1:9 error tenant-binding declares tenant "dev-qa-tenant" but branch staging-1.2.3 (staging) belongs to tenant "prod-tenant"',
    );
    expect(r.status).toBe(1);
  });
});

describe('pitfall 5: tags — TAG_NAME builds check the tag against its environment branch', () => {
  function tagged(onBranch: string, tag: string): Origin {
    const origin = environments();
    origin.dev.run('checkout', '-q', onBranch);
    origin.dev.run('tag', '-a', tag, '-m', 'deploy');
    origin.push(`refs/tags/${tag}`);
    return origin;
  }

  it('passes a tag on its environment branch', () => {
    const r = check(tagBuild(tagged('qa-1.2.3', 'v1.2.3-qa'), 'v1.2.3-qa'));
    expect(r.stderr).toContain('Jenkins tag build v1.2.3-qa');
    expect(r.status).toBe(0);
  });

  it('refuses a tag whose commit is not on its environment branch', () => {
    const r = check(tagBuild(tagged('main', 'v1.2.3-qa'), 'v1.2.3-qa'));
    expect(r.stdout).toMatch(/\[v1\.2\.3-qa\] error tag-name tag "v1\.2\.3-qa" points at [0-9a-f]{12}, which is not on branch qa-1\.2\.3/);
    expect(r.status).toBe(1);
  });

  it('fetches the environment branch from the remote given with --remote', () => {
    const good = tagBuild(tagged('qa-1.2.3', 'v1.2.3-qa'), 'v1.2.3-qa');
    good.ws.run('remote', 'rename', 'origin', 'upstream');
    const r = check(good, '--remote', 'upstream');
    expect(r.stdout).not.toContain('tag-name');
    expect(r.status).toBe(0);
    expect(good.ws.run('rev-parse', '--verify', '-q', 'refs/remotes/upstream/qa-1.2.3').trim()).toMatch(/^[0-9a-f]{40}$/);
    const bad = tagBuild(tagged('main', 'v1.2.3-qa'), 'v1.2.3-qa');
    bad.ws.run('remote', 'rename', 'origin', 'upstream');
    expect(check(bad, '--remote', 'upstream').stdout).toMatch(
      /error tag-name tag "v1\.2\.3-qa" points at [0-9a-f]{12}, which is not on branch qa-1\.2\.3/,
    );
  });

  it('refuses a tag that matches no deploy pattern', () => {
    const r = check(tagBuild(tagged('qa-1.2.3', 'v1.2-qa'), 'v1.2-qa'));
    expect(r.stdout).toContain('tag "v1.2-qa" matches no deploy tag pattern');
    expect(r.status).toBe(1);
  });
});

describe('pitfall 6: GIT_PREVIOUS_SUCCESSFUL_COMMIT may be absent from the clone', () => {
  it('fetches the previous commit and scans every commit since', () => {
    const origin = environments();
    const previous = origin.dev.run('rev-parse', 'develop').trim();
    origin.dev.write({ 'agents/helper.yaml': agent(`password: ${fake.password()}\n`) });
    origin.dev.commitAll('leak');
    origin.dev.write({ 'agents/helper.yaml': agent() + '# cleaned\n' });
    origin.dev.commitAll('clean');
    origin.push('develop');
    const j = branchBuild(origin, 'develop', { depth: 1 });
    expect(check(j).status).toBe(0); // the tip alone is clean
    const r = check({ ...j, env: { ...j.env, GIT_PREVIOUS_SUCCESSFUL_COMMIT: previous } }, '--since', previous);
    expect(r.stderr).toContain(`range ${previous.slice(0, 12)}`);
    expect(r.stdout).toContain('error secrets credential-named key "password"');
    expect(r.status).toBe(1);
  });

  it('exits 2 when the previous commit does not exist anywhere', () => {
    const j = branchBuild(environments(), 'develop', { depth: 1 });
    const r = check(j, '--since', 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot be fetched from origin');
  });

  it('exits 2 for an empty --since (an unset variable)', () => {
    const j = branchBuild(environments(), 'develop', { depth: 1 });
    const r = check(j, '--since', '');
    expect(r.status).toBe(2);
  });
});

describe('pitfall 7: multibranch variables only (no ghprb*)', () => {
  it('recognises a pull request from CHANGE_* alone', () => {
    const origin = environments();
    origin.dev.run('checkout', '-q', '-b', 'feature/ok');
    origin.dev.write({ 'agents/helper.yaml': agent('display_name: OK\n') });
    origin.dev.commitAll('ok');
    origin.push('feature/ok');
    const j = prBuild(origin, 'feature/ok', 'develop');
    expect(Object.keys(j.env).some((k) => k.startsWith('ghprb'))).toBe(false);
    const r = check(j);
    expect(r.stderr).toContain('Jenkins pull request PR-7: feature/ok → develop');
    expect(r.status).toBe(0);
  });

  it('exits 2 with what to configure when a PR build lacks CHANGE_TARGET', () => {
    const origin = environments();
    const j = branchBuild(origin, 'develop');
    const r = check({ ...j, env: { ...j.env, BRANCH_NAME: 'PR-9', CHANGE_ID: '9', CHANGE_BRANCH: 'feature/x' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('pull request build without CHANGE_TARGET');
    expect(r.stderr).toContain('multibranch');
  });
});

describe("the policy in force in a pull request is the target branch's", () => {
  it('a PR that disables the secrets rule and adds a secret still fails', () => {
    const origin = environments();
    origin.dev.run('checkout', '-q', '-b', 'feature/quiet');
    const weakened = origin.dev.run('show', 'HEAD:wxo-policy.yaml').replace(/^  secrets: error$/m, '  secrets: off');
    const secret = fake.password();
    origin.dev.write({ 'wxo-policy.yaml': weakened, 'agents/helper.yaml': agent(`password: ${secret}\n`) });
    origin.dev.commitAll('quiet please');
    origin.push('feature/quiet');
    const r = check(prBuild(origin, 'feature/quiet', 'develop', { strategy: 'merge' }));
    expect(r.stderr).toContain('policy from origin/develop');
    expect(r.stdout).toContain('error secrets credential-named key "password"');
    expect(r.stdout).toContain("warning policy-change the policy file changed (the target branch's policy judged this change)");
    expect(r.output).not.toContain(secret);
    expect(r.status).toBe(1);
  });
});

describe('report files for Jenkins', () => {
  it('writes JUnit and SARIF reports while the log keeps the text report', () => {
    const origin = environments();
    origin.dev.run('checkout', '-q', '-b', 'qa-foo');
    origin.push('qa-foo');
    const j = branchBuild(origin, 'qa-foo');
    const r = check(j, '--format', 'junit', '--output', 'reports/wxo-policy.xml');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('error branch-name'); // the log keeps the text report
    expect(readFileSync(join(j.ws.dir, 'reports', 'wxo-policy.xml'), 'utf8')).toContain(
      '<testsuite name="wxo-policy branch-name" tests="1" failures="1"',
    );
    // An output path that cannot be written is a clear error (exit 2), not a crash.
    const bad = check(j, '--format', 'sarif', '--output', 'reports');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('cannot write the report to');
  });
});
