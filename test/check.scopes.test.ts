import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { minimalGitops, tenantFiles } from './helpers/gitops.js';
import { createRepo, type TestRepo } from './helpers/repo.js';
import { fake } from './helpers/secrets.js';
import { tempDir } from './helpers/tmp.js';

const check = (repo: TestRepo, ...args: string[]) => runCli(['check', ...args], { cwd: repo.dir, env: repo.env });

function gitopsRepo(branch = 'develop', tenant: 'dev-qa-tenant' | 'prod-tenant' = 'dev-qa-tenant', version = '1.2.3'): TestRepo {
  const repo = createRepo({ branch });
  repo.write(minimalGitops(tenant, version));
  repo.commitAll('initial');
  return repo;
}

const agentWith = (extra: string) =>
  `spec_version: v1\nkind: native\nname: helper\ndescription: Answers questions\nllm: \${values.llm.default}\ntools: []\n${extra}`;

describe('check --staged reads the index, never the working tree', () => {
  it('passes a clean staged file whose working-tree copy has a secret', () => {
    const repo = gitopsRepo();
    repo.write({ 'agents/helper.yaml': agentWith('display_name: Helper\n') });
    repo.run('add', 'agents/helper.yaml');
    repo.write({ 'agents/helper.yaml': agentWith(`display_name: Helper\npassword: ${fake.password()}\n`) });
    const r = check(repo, '--staged');
    expect(r.output).toContain('no problems in 1 file');
    expect(r.status).toBe(0);
  });

  it('fails a staged secret whose working-tree copy is clean', () => {
    const repo = gitopsRepo();
    const secret = fake.password();
    repo.write({ 'agents/helper.yaml': agentWith(`password: ${secret}\n`) });
    repo.run('add', 'agents/helper.yaml');
    repo.write({ 'agents/helper.yaml': agentWith('') });
    const r = check(repo, '--staged');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/agents\/helper\.yaml:7:11 error secrets credential-named key "password"/);
    expect(r.output).not.toContain(secret);
  });

  it('leaves a partially staged file exactly as it was', () => {
    const repo = gitopsRepo();
    const lines = Array.from({ length: 30 }, (_, i) => `  - step ${i}`);
    repo.write({ 'agents/helper.yaml': agentWith(`instructions: |\n${lines.join('\n')}\n`) });
    repo.commitAll('long agent');
    // Two separate hunks; stage only the first one (what `git add -p` does), via the index.
    const edited = [...lines];
    edited[1] = '  - step one, staged';
    edited[28] = `  - step twenty-eight, unstaged; token ${fake.githubToken()}`;
    repo.write({ 'agents/helper.yaml': agentWith(`instructions: |\n${edited.join('\n')}\n`) });
    const patch = repo.run('diff', '-U0', 'agents/helper.yaml');
    const firstHunk = patch
      .split(/(?=^@@)/m)
      .slice(0, 2)
      .join('');
    execFileSync('git', ['apply', '--cached', '--unidiff-zero', '-'], { cwd: repo.dir, env: repo.env, input: firstHunk });
    const before = { staged: repo.run('diff', '--cached'), unstaged: repo.run('diff'), status: repo.run('status', '--porcelain') };
    expect(before.staged).toContain('step one, staged');
    expect(before.staged).not.toContain('twenty-eight');
    expect(before.unstaged).toContain('twenty-eight');

    const r = check(repo, '--staged');
    expect(r.status).toBe(0); // the secret is only in the unstaged hunk
    expect({ staged: repo.run('diff', '--cached'), unstaged: repo.run('diff'), status: repo.run('status', '--porcelain') }).toEqual(before);
  });

  it('checks nothing but passes when nothing is staged', () => {
    const repo = gitopsRepo();
    const r = check(repo, '--staged');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no problems in 0 files');
  });
});

describe('check --range', () => {
  it('reports a secret added in one commit and removed in the next, with the commit', () => {
    const repo = gitopsRepo();
    const base = repo.run('rev-parse', 'HEAD').trim();
    const token = fake.githubToken();
    repo.write({ 'tools/notes.md': `# Notes\n\nUse ${token} to call the API.\n` });
    const leaky = repo.commitAll('add notes');
    repo.write({ 'tools/notes.md': '# Notes\n\nUse the token from the vault.\n' });
    repo.commitAll('remove token');

    const r = check(repo, '--range', `${base}..HEAD`);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/tools\/notes\.md:3:5 error secrets GitHub token ghp_\*+/);
    expect(r.stdout).toContain(`[commit ${leaky.slice(0, 12)}]`);
    expect(r.output).not.toContain(token);
    // The tip alone is clean: a tip-only check passes, which is why ranges scan every commit.
    expect(check(repo, '--all').status).toBe(0);
  });

  it('the policy allowlist covers a secret that only the commits of the range hold', () => {
    const repo = gitopsRepo();
    const base = repo.run('rev-parse', 'HEAD').trim();
    repo.write({ 'tools/notes.md': `# Notes\n\nUse ${fake.githubToken()} to call the sandbox.\n` });
    repo.commitAll('add notes');
    repo.write({ 'tools/notes.md': '# Notes\n\nUse the token from the vault.\n' });
    repo.commitAll('remove token');
    const before = JSON.parse(check(repo, '--range', `${base}..HEAD`, '--format', 'json').stdout).findings as {
      rule: string;
      hash?: string;
    }[];
    const hash = before.find((f) => f.rule === 'secrets')!.hash!;
    const policy = readFileSync(join(repo.dir, 'wxo-policy.yaml'), 'utf8').replace(
      'suppressions: []',
      `suppressions:\n  - { rule: secrets, hash: ${hash.slice(0, 16)}, reason: revoked sandbox token }`,
    );
    repo.write({ 'wxo-policy.yaml': policy });
    repo.commitAll('allowlist the revoked token');
    const r = check(repo, '--range', `${base}..HEAD`);
    expect(r.stdout).not.toContain('error secrets');
    expect(r.stdout).toContain('1 suppressed');
    expect(r.status).toBe(0);
  });

  it('--since REV is the same as --range REV..HEAD', () => {
    const repo = gitopsRepo();
    const base = repo.run('rev-parse', 'HEAD').trim();
    repo.write({ 'agents/helper.yaml': agentWith(`password: ${fake.password()}\n`) });
    repo.commitAll('secret');
    const r = check(repo, '--since', base);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('credential-named key "password"');
  });

  it('passes a clean range and only judges the files it changed', () => {
    const repo = gitopsRepo();
    repo.write({ 'broken.yaml': 'a: [1, 2\n' });
    repo.commitAll('pre-existing problem');
    const base = repo.run('rev-parse', 'HEAD').trim();
    repo.write({ 'agents/helper.yaml': agentWith('display_name: Helper\n') });
    repo.commitAll('clean change');
    const r = check(repo, '--range', `${base}..HEAD`);
    expect(r.stdout).toContain('no problems in 1 file');
    expect(r.status).toBe(0);
    expect(check(repo, '--all').status).toBe(1);
  });

  it('exits 2 for an unknown revision', () => {
    const repo = gitopsRepo();
    const r = check(repo, '--range', 'nope..HEAD');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown revision "nope"');
  });
});

describe('worker threads', () => {
  // Big enough for the engine to hand work to threads (MIN_FILES_FOR_WORKERS), with findings of
  // every per-file kind spread over the batches and references that cross them.
  const manyAgents = (count: number) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
      const next = i + 1 < count ? `agent_${i + 1}` : 'ghost';
      const extra = i % 37 === 5 ? `password: ${fake.password()}\n` : i % 53 === 7 ? 'style: unknown_style\n' : '';
      files[`agents/agent_${i}.yaml`] =
        `spec_version: v1\nkind: native\nname: agent_${i}\ndescription: Agent ${i}\nllm: \${values.llm.default}\ncollaborators: [${next}]\n${extra}`;
    }
    return files;
  };
  const findings = (repo: TestRepo, ...args: string[]) => {
    const r = check(repo, ...args, '--format', 'json');
    expect(r.stderr).not.toMatch(/Error|    at /);
    return { status: r.status, findings: JSON.parse(r.stdout).findings as { rule: string; file: string; message: string }[] };
  };
  const coldCache = (repo: TestRepo) => rmSync(join(repo.dir, '.git', 'wxo-policy'), { recursive: true, force: true });

  it('finds exactly what one thread finds, over a whole snapshot and over a big range', () => {
    const repo = gitopsRepo();
    const base = repo.run('rev-parse', 'HEAD').trim();
    repo.write(manyAgents(260));
    repo.commitAll('many agents');

    const one = findings(repo, '--all', '--jobs', '1');
    expect(one.status).toBe(1);
    expect(new Set(one.findings.map((f) => f.rule))).toEqual(new Set(['secrets', 'schema', 'references']));
    expect(one.findings.filter((f) => f.rule === 'secrets')).toHaveLength(7);
    expect(one.findings.find((f) => f.rule === 'references')).toMatchObject({ file: 'agents/agent_259.yaml' });
    expect(findings(repo, '--all', '--jobs', '3')).toEqual(one);
    coldCache(repo);
    expect(findings(repo, '--range', `${base}..HEAD`, '--jobs', '3')).toEqual(findings(repo, '--range', `${base}..HEAD`, '--jobs', '1'));
  });

  it('computes the facts of unchanged files on threads when the cache is cold', () => {
    const repo = gitopsRepo();
    repo.write(manyAgents(260));
    repo.commitAll('many agents');
    const base = repo.run('rev-parse', 'HEAD').trim();
    const everyone = Array.from({ length: 259 }, (_, i) => `agent_${i + 1}`).join(', ');
    repo.write({
      'agents/agent_0.yaml': `spec_version: v1\nkind: native\nname: agent_0\ndescription: d\nllm: \${values.llm.default}\ncollaborators: [${everyone}, nobody]\n`,
    });
    repo.commitAll('agent_0 works with everyone');
    coldCache(repo);
    const r = findings(repo, '--range', `${base}..HEAD`, '--jobs', '3');
    // The others are only known from the unchanged files' facts: a lost batch would report them missing.
    expect(r.findings.map((f) => [f.file, f.rule])).toEqual([['agents/agent_0.yaml', 'references']]);
    expect(r.findings[0]!.message).toContain('"nobody"');
  });
});

describe('branch rules', () => {
  it.each([
    ['qa-foo', 1, /branch "qa-foo" looks like a qa branch but its version is not MAJOR\.MINOR\.PATCH/],
    ['qa-1.2', 1, /branch "qa-1\.2" looks like a qa branch/],
    ['wip', 1, /branch "wip" is neither an environment branch/],
    ['feature/login', 0, /no problems/],
  ])('branch %s → exit %i', (branch, status, message) => {
    const repo = gitopsRepo();
    repo.run('checkout', '-q', '-b', branch);
    const r = check(repo, '--all');
    expect(r.stdout).toMatch(message);
    expect(r.status).toBe(status);
  });

  it('--branch overrides the checked-out branch (and works on a detached HEAD)', () => {
    const repo = gitopsRepo();
    repo.run('checkout', '-q', '--detach');
    expect(check(repo, '--all').stderr).toContain('detached HEAD and no --branch: branch rules skipped');
    const r = check(repo, '--all', '--branch', 'qa-foo');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('[qa-foo] error branch-name');
  });

  it('version-consistency: the VERSION file equals the version of the branch', () => {
    const repo = gitopsRepo('develop', 'dev-qa-tenant', '1.2.4');
    repo.run('checkout', '-q', '-b', 'qa-1.2.3');
    const r = check(repo, '--all');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('VERSION:1:1 error version-consistency VERSION says "1.2.4" but the branch is qa-1.2.3');
    repo.write({ VERSION: '1.2.3\n' });
    repo.commitAll('fix version');
    expect(check(repo, '--all').status).toBe(0);
  });

  it('version-consistency: develop needs a valid version file', () => {
    const repo = gitopsRepo();
    repo.write({ VERSION: 'next\n' });
    repo.commitAll('bad version');
    const r = check(repo, '--all');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('VERSION holds "next", which is not a valid MAJOR.MINOR.PATCH version');
  });

  it('tenant-binding: tenant files declare the tenant of the branch', () => {
    const repo = gitopsRepo();
    repo.run('checkout', '-q', '-b', 'staging-1.2.3');
    const r = check(repo, '--all');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'tenant.yaml:1:9 error tenant-binding declares tenant "dev-qa-tenant" but branch staging-1.2.3 (staging) belongs to tenant "prod-tenant"',
    );
    expect(r.stdout).toContain('values.yaml:1:9 error tenant-binding');
    repo.write(tenantFiles('prod-tenant'));
    repo.commitAll('prod tenant files');
    expect(check(repo, '--all').status).toBe(0);
  });

  it('tenant-binding: a tenant file must declare a known tenant', () => {
    const repo = gitopsRepo();
    repo.write({ 'values.yaml': 'values:\n  llm:\n    default: x\n' });
    repo.commitAll('no tenant');
    const r = check(repo, '--all', '--branch', 'feature/x');
    expect(r.stdout).toContain('values.yaml:1:1 error tenant-binding tenant-scoped file declares no tenant');
  });
});

/** On qa-1.2.3, with staging-1.2.3 (the prod tenant's files) beside it: a cross-tenant promotion. */
function qaBesideStaging(): TestRepo {
  const repo = gitopsRepo();
  repo.run('checkout', '-q', '-b', 'staging-1.2.3');
  repo.write(tenantFiles('prod-tenant'));
  repo.commitAll('prod files');
  repo.run('checkout', '-q', 'develop');
  repo.run('checkout', '-q', '-b', 'qa-1.2.3');
  return repo;
}

describe('promotion-path (--target)', () => {
  it.each([
    ['develop', 'main', /develop → main is not a promotion path of the policy \(main accepts merges from: staging, hotfix\/\*\)/],
    ['feature/x', 'qa-1.2.3', /feature\/x → qa-1\.2\.3 is not a promotion path/],
    ['qa-1.2.3', 'staging-1.2.4', /a promotion from qa to staging keeps the version \(expected staging-1\.2\.3\)/],
  ])('refuses %s → %s', (source, target, message) => {
    const repo = gitopsRepo();
    if (target !== 'develop') repo.run('branch', target);
    if (source !== 'develop') repo.run('checkout', '-q', '-b', source);
    const r = check(repo, '--all', '--target', target);
    expect(r.stdout).toMatch(message);
    expect(r.status).toBe(1);
  });

  it('allows qa-X → staging-X and reports the approval it needs', () => {
    const repo = qaBesideStaging();
    const r = check(repo, '--all', '--target', 'staging-1.2.3');
    expect(r.stderr).toContain('promotion qa-1.2.3 → staging-1.2.3 requires an approval');
    expect(r.stdout).not.toContain('promotion-path');
    expect(r.status).toBe(0);
  });

  it('a cross-tenant check fails closed (exit 2) where git cannot compute the server-side merge', () => {
    const repo = qaBesideStaging();
    // A git before 2.38: the old merge-tree, which answers --write-tree with its usage text.
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { env: repo.env, encoding: 'utf8' }).trim();
    const bin = tempDir();
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nif [ "$1" = merge-tree ] && [ "$2" = --write-tree ]; then echo 'usage: git merge-tree <base-tree> <branch1> <branch2>' >&2; exit 129; fi\nif [ "$1" = --version ]; then echo 'git version 2.37.1'; exit 0; fi\nexec '${realGit}' "$@"\n`,
    );
    chmodSync(join(bin, 'git'), 0o755);
    const r = runCli(['check', '--all', '--target', 'staging-1.2.3'], {
      cwd: repo.dir,
      env: { ...repo.env, PATH: `${bin}:${repo.env.PATH}` },
    });
    expect(r.stderr).toContain(
      'cannot tell what a server-side merge of qa-1.2.3 into staging-1.2.3 would do with the tenant files: that needs `git merge-tree --write-tree`, git 2.38 or later (this is git version 2.37.1)',
    );
    expect(r.status).toBe(2);
    // The same check with this machine's git computes the merge and passes.
    expect(check(repo, '--all', '--target', 'staging-1.2.3').status).toBe(0);
  });

  it('a change that weakens the policy is judged by the target policy', () => {
    const repo = gitopsRepo();
    repo.run('checkout', '-q', '-b', 'feature/quiet');
    const policy = repo.run('show', 'HEAD:wxo-policy.yaml').replace(/^  secrets: error$/m, '  secrets: off');
    repo.write({ 'wxo-policy.yaml': policy, 'agents/helper.yaml': agentWith(`password: ${fake.password()}\n`) });
    repo.commitAll('silence the scanner');
    // Its own policy would let it pass…
    expect(check(repo, '--all').status).toBe(0);
    // …the target's does not, and the policy change is reported.
    const r = check(repo, '--range', 'develop..HEAD', '--target', 'develop');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('error secrets credential-named key "password"');
    expect(r.stdout).toContain('wxo-policy.yaml:1:1 warning policy-change the policy file changed');
  });
});

describe('partial scopes report what the change removed', () => {
  // The example repository: agents refer to tools, knowledge bases, collaborators and values keys.
  const example = (branch = 'feature/x') => {
    const repo = createRepo({ branch });
    cpSync(join(PROJECT_ROOT, 'examples', 'gitops-repo'), repo.dir, { recursive: true });
    repo.commitAll('example');
    return repo;
  };
  const SUPERVISOR_TOOL =
    /agents\/customer_care_supervisor\.yaml:36:5 error references agent "customer_care_supervisor" refers to tool "get_customer_profile" \(tools\), which is not defined/;

  it('--staged and the pre-commit hook: deleting a tool an unchanged agent lists', () => {
    const repo = example();
    repo.run('rm', '-rq', 'tools/get_customer_profile');
    const r = check(repo, '--staged');
    expect(r.stdout).toMatch(SUPERVISOR_TOOL);
    expect(r.status).toBe(1);
    const hook = runCli(['hook', 'pre-commit'], { cwd: repo.dir, env: repo.env });
    expect(hook.stderr).toMatch(SUPERVISOR_TOOL);
    expect(hook.status).toBe(1);
  });

  it('--range: deleting a tool, renaming a knowledge base, dropping a document and a values key', () => {
    const repo = example();
    const base = repo.run('rev-parse', 'HEAD').trim();
    // Warms the facts cache: the unchanged agents are then known by their cached facts, which list
    // what they refer to without positions.
    expect(check(repo, '--all').status).toBe(0);
    repo.run('rm', '-rq', 'tools/get_customer_profile', 'knowledge_bases/policy_coverage_kb/claims_and_billing_faq.txt');
    const kb = 'knowledge_bases/policy_coverage_kb/policy_coverage_kb.yaml';
    const values = readFileSync(join(repo.dir, 'values.yaml'), 'utf8');
    repo.write({
      [kb]: readFileSync(join(repo.dir, kb), 'utf8').replace('name: policy_coverage_kb', 'name: coverage_kb'),
      'values.yaml': values.replace(/^    supervisor: .*\n/m, ''),
    });
    repo.commitAll('tidy up');
    // Only the knowledge base and values.yaml are judged (they changed); the agents are not, yet
    // each is broken by the change.
    const r = check(repo, '--range', `${base}..HEAD`);
    expect(r.stdout).toMatch(SUPERVISOR_TOOL);
    expect(r.stdout).toMatch(
      /agents\/policy_servicing_agent\.yaml:\d+:\d+ error references agent "policy_servicing_agent" refers to knowledge base "policy_coverage_kb"/,
    );
    expect(r.stdout).toMatch(
      /agents\/customer_care_supervisor\.yaml:9:6 error references \$\{values\.llm\.supervisor\} is not defined in values\.yaml/,
    );
    expect(r.stdout).toMatch(
      /policy_coverage_kb\.yaml:\d+:\d+ error references knowledge base "coverage_kb" lists document "claims_and_billing_faq\.txt"/,
    );
    expect(r.stdout).toContain('4 errors');
    expect(r.status).toBe(1);
  });

  it('a deleted document is reported at the unchanged knowledge base that lists it', () => {
    const repo = example();
    repo.run('rm', '-q', 'knowledge_bases/policy_coverage_kb/claims_and_billing_faq.txt');
    const r = check(repo, '--staged');
    expect(r.stdout).toMatch(
      /policy_coverage_kb\.yaml:\d+:\d+ error references knowledge base "policy_coverage_kb" lists document "claims_and_billing_faq\.txt", which is not in the repository/,
    );
    expect(r.status).toBe(1);
  });

  it('a new file that repeats a name is reported at the new file', () => {
    const repo = example();
    repo.write({ 'agents/claims_agent_copy.yaml': readFileSync(join(repo.dir, 'agents/claims_agent.yaml'), 'utf8') });
    repo.run('add', '-A');
    const r = check(repo, '--staged');
    expect(r.stdout).toMatch(
      /agents\/claims_agent_copy\.yaml:\d+:\d+ error references agent "claims_agent" is also defined in agents\/claims_agent\.yaml/,
    );
    expect(r.status).toBe(1);
  });

  it('a policy change can remove provided names: every reference is judged again', () => {
    const repo = example();
    // A platform tool the policy provides (the ADK's intrinsic tools are known without it).
    const policy = readFileSync(join(repo.dir, 'wxo-policy.yaml'), 'utf8');
    const claims = 'agents/claims_agent.yaml';
    repo.write({
      'wxo-policy.yaml': policy.replace(
        /^    tools:\n      - i__get_flow_status_intrinsic_tool__\n/m,
        '    tools:\n      - i__get_flow_status_intrinsic_tool__\n      - tenant_search_tool\n',
      ),
      [claims]: readFileSync(join(repo.dir, claims), 'utf8').replace(
        '  - i__get_flow_status_intrinsic_tool__\n',
        '  - i__get_flow_status_intrinsic_tool__\n  - tenant_search_tool\n',
      ),
    });
    repo.commitAll('a provided tool');
    expect(check(repo, '--all').status).toBe(0);
    repo.write({ 'wxo-policy.yaml': readFileSync(join(repo.dir, 'wxo-policy.yaml'), 'utf8').replace('      - tenant_search_tool\n', '') });
    repo.run('add', '-A');
    const r = check(repo, '--staged');
    expect(r.stdout).toMatch(/agents\/claims_agent\.yaml:30:5 error references agent "claims_agent" refers to tool "tenant_search_tool"/);
    expect(r.status).toBe(1);
  });

  it('a renamed file keeps its name: nothing removed, nothing reported', () => {
    const repo = example();
    repo.run('mv', 'tools/get_customer_profile', 'tools/customer_profile');
    const r = check(repo, '--staged');
    expect(r.stdout).toContain('no problems');
    expect(r.status).toBe(0);
  });

  it('a problem the change did not cause stays out of a partial check', () => {
    const repo = example();
    const supervisor = 'agents/customer_care_supervisor.yaml';
    repo.write({
      [supervisor]: readFileSync(join(repo.dir, supervisor), 'utf8').replace(
        '  - get_customer_profile\n',
        '  - get_customer_profile\n  - lookup_weather\n',
      ),
    });
    repo.commitAll('a reference that was already broken');
    // Deleting a tool nobody lists removes nothing anybody needs.
    repo.run('rm', '-rq', 'tools/calculate_payout_estimate');
    const claims = 'agents/claims_agent.yaml';
    repo.write({ [claims]: readFileSync(join(repo.dir, claims), 'utf8').replace(/^  - calculate_payout_estimate\n/m, '') });
    repo.run('add', '-A');
    const r = check(repo, '--staged');
    expect(r.stdout).toContain('no problems');
    expect(r.status).toBe(0);
    expect(check(repo, '--all').stdout).toContain('"lookup_weather"');
  });
});
