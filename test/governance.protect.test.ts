import { readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { fakeServer, problems, requestValidator, responseValidator, runCliAsync, type Received } from './helpers/githubApi.js';
import { receivedProblems, requestProblems, responseProblems } from './helpers/gitlabApi.js';
import { minimalGitops } from './helpers/gitops.js';
import { createRepo } from './helpers/repo.js';
import { tempDir } from './helpers/tmp.js';

/** `wxo-policy protect` (issue #13 §1): GitHub requests checked against GitHub's own description. */

const OWNERS_POLICY = minimalGitops()
  ['wxo-policy.yaml']!.replace(
    '      api_key_secret: WXO_DEV_QA_API_KEY\n',
    '      api_key_secret: WXO_DEV_QA_API_KEY\n    owners: ["@acme/dev-qa-owners"]\n',
  )
  .replace('      api_key_secret: WXO_PROD_API_KEY\n', '      api_key_secret: WXO_PROD_API_KEY\n    owners: ["@acme/prod-owners", dana]\n')
  .replace(
    '{ from: staging, to: prod, same_version: true, approval: true }',
    '{ from: staging, to: prod, same_version: true, approval: true, approvers: [carol, "@acme/release"], required_approvals: 3 }',
  )
  .replace('  policy_owners: []', '  policy_owners: ["@acme/platform"]');

function repoWith(policy = OWNERS_POLICY, options: { codeowners?: boolean } = {}) {
  const repo = createRepo({ branch: 'develop' });
  repo.write({ ...minimalGitops(), 'wxo-policy.yaml': policy });
  repo.commitAll('init');
  if (options.codeowners ?? true) {
    // The branch carries the CODEOWNERS the policy asks for (for both servers): --check is clean on it.
    for (const provider of ['github', 'gitlab'])
      expect(runCli(['protect', '--provider', provider, '--write-codeowners'], { cwd: repo.dir, env: repo.env }).status).toBe(0);
    repo.commitAll('CODEOWNERS');
  }
  return repo;
}

/** `METHOD /path` + pretty JSON blocks of a dry run. */
function parseDryRun(stdout: string): { method: string; path: string; body: any }[] {
  const out: { method: string; path: string; body: any }[] = [];
  const re = /^(POST|PUT) (\S+)\n(\{[\s\S]*?\n\})\n/gm;
  for (let m = re.exec(stdout); m; m = re.exec(stdout)) out.push({ method: m[1]!, path: m[2]!, body: JSON.parse(m[3]!) });
  return out;
}

const token = () => `ghp_${'x'.repeat(4)}${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;

describe('protect --provider github --dry-run', () => {
  const repo = repoWith();
  const r = runCli(['protect', '--provider', 'github', '--repo', 'acme/agents'], { cwd: repo.dir, env: repo.env });
  const requests = parseDryRun(r.stdout);
  const byName = (name: string) => requests.find((q) => q.body.name === name)!.body;

  it('prints one create-ruleset request per environment branch, branch creation and deploy tags', () => {
    expect(r.status).toBe(0);
    expect(requests.map((q) => q.body.name)).toEqual([
      'wxo-policy: dev branch',
      'wxo-policy: qa branch',
      'wxo-policy: qa branch creation',
      'wxo-policy: staging branch',
      'wxo-policy: staging branch creation',
      'wxo-policy: prod branch',
      'wxo-policy: dev deploy tags',
      'wxo-policy: qa deploy tags',
      'wxo-policy: staging deploy tags',
      'wxo-policy: prod deploy tags',
    ]);
    expect(new Set(requests.map((q) => `${q.method} ${q.path}`))).toEqual(new Set(['POST /repos/acme/agents/rulesets']));
  });

  it('every body is valid for POST /repos/{owner}/{repo}/rulesets in GitHub’s OpenAPI description', () => {
    const validate = requestValidator('POST', '/repos/{owner}/{repo}/rulesets');
    for (const q of requests) expect(problems(validate, q.body), q.body.name).toEqual([]);
    // The validator is strict enough to catch a misspelt field or a wrong value.
    expect(
      problems(validate, {
        name: 'x',
        enforcement: 'active',
        rules: [{ type: 'pull_request', parameters: { required_approving_review_cnt: 1 } }],
      }),
    ).not.toEqual([]);
    expect(problems(validate, { name: 'x', enforcement: 'on' })).not.toEqual([]);
  });

  it('environment branches: no deletion, PR + Jenkins status; no force-push on live stages', () => {
    const qa = byName('wxo-policy: qa branch');
    expect(qa.conditions.ref_name.include).toEqual(['refs/heads/qa-*']);
    expect(qa.rules.map((x: any) => x.type)).toEqual(['deletion', 'non_fast_forward', 'pull_request', 'required_status_checks']);
    expect(qa.rules[3].parameters.required_status_checks).toEqual([{ context: 'continuous-integration/jenkins/pr-merge' }]);
    expect(qa.bypass_actors).toEqual([]);
    // dev is draft: a reset rollback (force-push) is allowed, by the release roles only.
    const dev = byName('wxo-policy: dev branch');
    expect(dev.rules.map((x: any) => x.type)).not.toContain('non_fast_forward');
    expect(dev.bypass_actors).toEqual([
      { actor_id: 2, actor_type: 'RepositoryRole', bypass_mode: 'always' },
      { actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' },
    ]);
  });

  it('approval edges need more approvers and a code owner; the edge’s required_approvals wins', () => {
    const pr = (name: string) => byName(name).rules.find((x: any) => x.type === 'pull_request').parameters;
    expect(pr('wxo-policy: qa branch')).toMatchObject({ required_approving_review_count: 1, require_code_owner_review: false });
    expect(pr('wxo-policy: staging branch')).toMatchObject({
      required_approving_review_count: 2,
      require_code_owner_review: true,
      require_last_push_approval: true,
    });
    expect(pr('wxo-policy: prod branch')).toMatchObject({ required_approving_review_count: 3, require_code_owner_review: true });
  });

  it('only release roles create qa-*/staging-* branches and deploy tags; v* excludes the other environments’ tags', () => {
    expect(byName('wxo-policy: qa branch creation').rules).toEqual([{ type: 'creation' }]);
    const prodTags = byName('wxo-policy: prod deploy tags');
    expect(prodTags.conditions.ref_name).toEqual({
      include: ['refs/tags/v*'],
      exclude: [
        'refs/tags/v*-dev',
        'refs/tags/v*-dev.*',
        'refs/tags/v*-qa',
        'refs/tags/v*-qa.*',
        'refs/tags/v*-staging',
        'refs/tags/v*-staging.*',
      ],
    });
    expect(byName('wxo-policy: qa deploy tags').conditions.ref_name.include).toEqual(['refs/tags/v*-qa', 'refs/tags/v*-qa.*']);
    expect(prodTags.rules.map((x: any) => x.type)).toEqual(['creation', 'update', 'deletion', 'non_fast_forward']);
  });

  it('prints CODEOWNERS per tenant: tenant files to the tenant’s owners, the policy to the platform', () => {
    expect(r.stdout).toContain('# .github/CODEOWNERS on the branches of tenant prod-tenant (staging-*, main):');
    expect(r.stdout).toContain(
      '/tenant.yaml @acme/prod-owners @dana\n/values.yaml @acme/prod-owners @dana\n/wxo-policy.yaml @acme/platform\n/Jenkinsfile @acme/platform\n',
    );
    expect(r.stdout).toContain('/tenant.yaml @acme/dev-qa-owners\n');
  });

  it('writes CODEOWNERS for the checked-out branch’s tenant, or refuses without one', () => {
    const w = runCli(['protect', '--provider', 'github', '--write-codeowners'], { cwd: repo.dir, env: repo.env });
    expect(w.status).toBe(0);
    expect(readFileSync(join(repo.dir, '.github/CODEOWNERS'), 'utf8')).toContain('/tenant.yaml @acme/dev-qa-owners\n');
    const g = runCli(['protect', '--provider', 'gitlab', '--write-codeowners', '--tenant', 'prod-tenant'], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(readFileSync(join(repo.dir, '.gitlab/CODEOWNERS'), 'utf8')).toContain('/values.yaml @acme/prod-owners @dana\n');
    expect(g.status).toBe(0);
    // A committed symlink cannot redirect the write outside the repository.
    const outside = tempDir();
    rmSync(join(repo.dir, '.github'), { recursive: true });
    symlinkSync(outside, join(repo.dir, '.github'));
    const linked = runCli(['protect', '--provider', 'github', '--write-codeowners'], { cwd: repo.dir, env: repo.env });
    expect(linked.status).toBe(2);
    expect(linked.stderr).toContain('refusing to write .github/CODEOWNERS');
    expect(readdirSync(outside)).toEqual([]);
    rmSync(join(repo.dir, '.github'));
    repo.run('switch', '-q', '-c', 'feature/x');
    const none = runCli(['protect', '--provider', 'github', '--write-codeowners'], { cwd: repo.dir, env: repo.env });
    repo.run('switch', '-q', 'develop');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('check out an environment branch or pass --tenant NAME');
  });

  it('refuses bad usage with exit 2: no provider, two modes, hostile --repo, apply without a target', () => {
    const run = (...a: string[]) => runCli(['protect', ...a], { cwd: repo.dir, env: repo.env });
    expect(run().stderr).toContain('--provider github or --provider gitlab');
    expect(run('--provider', 'github', '--apply', '--check', '--repo', 'a/b').stderr).toContain('choose one of');
    expect(run('--provider', 'github', '--repo', '--help=x/y').status).toBe(2);
    for (const bad of ['a/b;rm -rf', '../x', 'x/..', 'a/b/c']) {
      const x = run('--provider', 'github', '--repo', bad);
      expect(x.status, bad).toBe(2);
      expect(x.stderr).toContain('--repo must be OWNER/NAME');
    }
    expect(run('--provider', 'github', '--apply').stderr).toContain('--apply needs --repo OWNER/NAME');
    expect(run('--provider', 'gitlab', '--apply').stderr).toContain('--apply needs --project ID');
    expect(run('--provider', 'github', '--check', '--repo', 'a/b', '--api-url', 'file:///etc').stderr).toContain(
      '--api-url must be an http(s) URL',
    );
    expect(run('--provider', 'gitlab', '--check', '--project', 'x y').status).toBe(2);
  });
});

// ---- --check: the committed CODEOWNERS of every environment branch ------------------------------------

describe('protect --check compares the committed CODEOWNERS with the policy', () => {
  it('clean on every environment branch, local and remote-tracking; no token or server needed', () => {
    const repo = repoWith();
    repo.run('branch', 'qa-1.2.3');
    const origin = createRepo({ bare: true });
    repo.run('remote', 'add', 'origin', origin.dir);
    repo.run('push', '-q', '--no-verify', 'origin', 'develop', 'qa-1.2.3');
    const r = runCli(['protect', '--provider', 'github', '--check'], { cwd: repo.dir, env: repo.env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      'CODEOWNERS matches the policy on all 4 environment branches (develop, qa-1.2.3, origin/develop, origin/qa-1.2.3)',
    );
    expect(r.stdout).toContain("the server's settings were not compared: pass --repo OWNER/NAME (and a token) for that");
    expect(r.status).toBe(0);
    expect(runCli(['protect', '--provider', 'gitlab', '--check'], { cwd: repo.dir, env: repo.env }).status).toBe(0);
  });

  it('drifted: owners missing or added by hand, a branch without the file — exit 1, each named with the deciding line', () => {
    const repo = repoWith();
    const file = readFileSync(join(repo.dir, '.github/CODEOWNERS'), 'utf8');
    repo.run('switch', '-q', '-c', 'feature/owners');
    repo.write({
      '.github/CODEOWNERS': file
        .replace('/wxo-policy.yaml @acme/platform\n', '/wxo-policy.yaml\n')
        .replace('/tenant.yaml @acme/dev-qa-owners\n', '/tenant.yaml @acme/dev-qa-owners @mallory\n'),
    });
    repo.commitAll('owners by hand');
    repo.run('switch', '-q', 'develop');
    repo.run('merge', '-q', '--no-ff', '--no-verify', '-m', 'merge', 'feature/owners');
    // staging-1.2.3 (tenant prod-tenant) carries no CODEOWNERS at all.
    repo.run('switch', '-q', '--orphan', 'staging-1.2.3');
    repo.write({ ...minimalGitops(), 'wxo-policy.yaml': OWNERS_POLICY });
    repo.run('add', 'wxo-policy.yaml', 'tenant.yaml');
    repo.run('commit', '-qm', 'staging', '--no-verify');
    repo.run('switch', '-q', '-f', 'develop');
    const r = runCli(['protect', '--provider', 'github', '--check'], { cwd: repo.dir, env: repo.env });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'CODEOWNERS: 3 differences from the policy (`wxo-policy protect --provider github --write-codeowners` on the branch writes the file; bring it in through a pull request):',
    );
    expect(r.stdout).toMatch(
      /differs\s+CODEOWNERS on develop: \/tenant\.yaml\n\s+owned by @acme\/dev-qa-owners @mallory \(line 4 of \.github\/CODEOWNERS\), the policy wants @acme\/dev-qa-owners\n/,
    );
    expect(r.stdout).toMatch(
      /missing\s+CODEOWNERS on develop: \/wxo-policy\.yaml\n\s+no owners \(line 6 of \.github\/CODEOWNERS\), the policy wants @acme\/platform\n/,
    );
    expect(r.stdout).toMatch(/missing\s+CODEOWNERS on staging-1\.2\.3\n\s+no \.github\/CODEOWNERS, CODEOWNERS, docs\/CODEOWNERS/);
    // feature/owners is not an environment branch: not judged.
    expect(r.stdout).not.toContain('feature/owners');
    // GitLab reads other places: its file on develop is still the generated one.
    const gitlab = runCli(['protect', '--provider', 'gitlab', '--check'], { cwd: repo.dir, env: repo.env });
    expect(gitlab.status).toBe(1);
    expect(gitlab.stdout).not.toContain('CODEOWNERS on develop');
    expect(gitlab.stdout).toMatch(/missing\s+CODEOWNERS on staging-1\.2\.3\n\s+no CODEOWNERS, docs\/CODEOWNERS, \.gitlab\/CODEOWNERS/);
  });

  it('nothing to read (no environment branch) is an error, never a silent "in sync"', () => {
    const repo = createRepo({ branch: 'feature/x' });
    repo.write({ ...minimalGitops(), 'wxo-policy.yaml': OWNERS_POLICY });
    repo.commitAll('init');
    const r = runCli(['protect', '--provider', 'github', '--check'], { cwd: repo.dir, env: repo.env });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no environment branch here (local or remote-tracking) to read CODEOWNERS from');
  });

  it('a hostile CODEOWNERS cannot drive the terminal: control characters in owners are printed escaped', () => {
    const repo = repoWith();
    const file = readFileSync(join(repo.dir, '.github/CODEOWNERS'), 'utf8');
    repo.write({ '.github/CODEOWNERS': `${file}/values.yaml @x\u001b]0;pwned\u0007\n` });
    repo.commitAll('hostile');
    const r = runCli(['protect', '--provider', 'github', '--check'], { cwd: repo.dir, env: repo.env });
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('owned by @x\\u001b]0;pwned\\u0007');
  });
});

// ---- GitHub: --apply / --check against a local server answering in the documented shapes -------------

interface Ruleset {
  id: number;
  name: string;
  [k: string]: unknown;
}

function fakeGithub(initial: Omit<Ruleset, 'id'>[]) {
  let next = 41;
  const state = new Map<number, Ruleset>();
  const stamp = (r: Omit<Ruleset, 'id'> & { id?: number }): Ruleset => {
    const id = r.id ?? next++;
    return {
      name: String(r.name),
      target: 'branch',
      enforcement: 'active',
      bypass_actors: [],
      conditions: { ref_name: { include: [], exclude: [] } },
      rules: [],
      ...r,
      id,
      source_type: 'Repository',
      source: 'acme/agents',
      node_id: `RRS_${id}`,
      current_user_can_bypass: 'never',
      _links: {
        self: { href: `https://api.github.com/repos/acme/agents/rulesets/${id}` },
        html: { href: `https://github.com/acme/agents/rules/${id}` },
      },
      created_at: '2026-12-01T10:00:00Z',
      updated_at: '2026-12-01T10:00:00Z',
    };
  };
  for (const r of initial) {
    const s = stamp(r);
    state.set(s.id, s);
  }
  const validators = {
    list: responseValidator('GET', '/repos/{owner}/{repo}/rulesets', 200),
    one: responseValidator('GET', '/repos/{owner}/{repo}/rulesets/{ruleset_id}', 200),
    created: responseValidator('POST', '/repos/{owner}/{repo}/rulesets', 201),
    updated: responseValidator('PUT', '/repos/{owner}/{repo}/rulesets/{ruleset_id}', 200),
    createBody: requestValidator('POST', '/repos/{owner}/{repo}/rulesets'),
    updateBody: requestValidator('PUT', '/repos/{owner}/{repo}/rulesets/{ruleset_id}'),
  };
  const answer = (validate: ReturnType<typeof responseValidator>, status: number, body: unknown): [number, unknown] => {
    const p = problems(validate, body);
    if (p.length) throw new Error(`fake server answered outside GitHub's description: ${p.join('; ')}`);
    return [status, body];
  };
  const handle = (req: Received, expectedToken: string): [number, unknown] => {
    if (req.authorization !== `token ${expectedToken}`)
      return [401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }];
    const url = new URL(req.url, 'http://x');
    const m = /^\/repos\/acme\/agents\/rulesets(?:\/(\d+))?$/.exec(url.pathname);
    if (!m) return [404, { message: 'Not Found' }];
    const id = m[1] ? Number(m[1]) : undefined;
    if (id === undefined && req.method === 'GET')
      return answer(
        validators.list,
        200,
        [...state.values()].map(({ rules, conditions, bypass_actors, ...summary }) => summary),
      );
    if (id === undefined && req.method === 'POST') {
      const p = problems(validators.createBody, req.body);
      if (p.length) return [422, { message: `Invalid request: ${p.join('; ')}` }];
      const s = stamp(req.body as Ruleset);
      state.set(s.id, s);
      return answer(validators.created, 201, s);
    }
    const found = id === undefined ? undefined : state.get(id);
    if (!found) return [404, { message: 'Not Found' }];
    if (req.method === 'GET') return answer(validators.one, 200, found);
    if (req.method === 'PUT') {
      const p = problems(validators.updateBody, req.body);
      if (p.length) return [422, { message: `Invalid request: ${p.join('; ')}` }];
      const s = stamp({ ...found, ...(req.body as object), id: found.id });
      state.set(s.id, s);
      return answer(validators.updated, 200, s);
    }
    if (req.method === 'DELETE') {
      state.delete(found.id);
      return [204, undefined];
    }
    return [405, { message: 'Method Not Allowed' }];
  };
  return { state, handle };
}

describe('protect --provider github --apply / --check (local server)', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it(
    'creates what is missing, leaves others’ rulesets alone, removes its stale ones; then --check is clean',
    { timeout: 180_000 },
    async () => {
      const repo = repoWith();
      const secret = token();
      const gh = fakeGithub([
        { name: 'team: require signed commits', rules: [{ type: 'required_signatures' }] },
        { name: 'wxo-policy: hotfix branch', rules: [{ type: 'deletion' }] },
      ]);
      const server = await fakeServer((req) => gh.handle(req, secret));
      servers.push(server);
      const env = { ...repo.env, GITHUB_TOKEN: secret };
      const args = ['protect', '--provider', 'github', '--repo', 'acme/agents', '--api-url', server.url];

      const before = await runCliAsync([...args, '--check'], { cwd: repo.dir, env });
      expect(before.status).toBe(1);
      expect(before.stdout).toContain('11 settings differ from the policy');
      expect(before.stdout).toMatch(/missing\s+ruleset "wxo-policy: prod branch"/);
      expect(before.stdout).toMatch(/extra\s+ruleset "wxo-policy: hotfix branch"/);

      const applied = await runCliAsync([...args, '--apply'], { cwd: repo.dir, env });
      expect(server.failures).toEqual([]);
      expect(applied.stderr).toBe('');
      expect(applied.status).toBe(0);
      expect(applied.stdout).toContain('created ruleset "wxo-policy: staging branch"');
      expect(applied.stdout).toContain('removed ruleset "wxo-policy: hotfix branch" (no longer in the policy)');
      expect(applied.stdout).toContain('11 changes applied');
      const names = [...gh.state.values()].map((r) => r.name);
      expect(names).toContain('team: require signed commits');
      expect(names).not.toContain('wxo-policy: hotfix branch');
      expect(names.filter((n) => n.startsWith('wxo-policy:'))).toHaveLength(10);

      const after = await runCliAsync([...args, '--check'], { cwd: repo.dir, env });
      expect(after.status).toBe(0);
      expect(after.stdout).toContain('github acme/agents: branch protection matches the policy');

      // Someone lowers the approvals of prod by hand: the drift check names it; --apply puts it back.
      const prod = [...gh.state.values()].find((r) => r.name === 'wxo-policy: prod branch')!;
      (prod.rules as any[]).find((x) => x.type === 'pull_request').parameters.required_approving_review_count = 1;
      const drift = await runCliAsync([...args, '--check'], { cwd: repo.dir, env });
      expect(drift.status).toBe(1);
      expect(drift.stdout).toMatch(
        /differs\s+ruleset "wxo-policy: prod branch"\n\s+rules: server has .*"required_approving_review_count":1.*the policy wants .*"required_approving_review_count":3/,
      );
      const fixed = await runCliAsync([...args, '--apply'], { cwd: repo.dir, env });
      expect(fixed.stdout).toContain('updated ruleset "wxo-policy: prod branch"');
      expect(server.received.some((q) => q.method === 'PUT' && q.url === `/repos/acme/agents/rulesets/${prod.id}`)).toBe(true);
      expect((await runCliAsync([...args, '--check'], { cwd: repo.dir, env })).status).toBe(0);
      expect(server.failures).toEqual([]);
      for (const out of [before, applied, after, drift, fixed]) expect(out.output).not.toContain(secret);
    },
  );

  it('takes the token from the policy’s secret provider; without one it stops before any request', async () => {
    const repo = repoWith(OWNERS_POLICY.replace('  github_token_secret: GITHUB_TOKEN', '  github_token_secret: ACME_GH_ADMIN'));
    const secret = token();
    const gh = fakeGithub([]);
    const server = await fakeServer((req) => gh.handle(req, secret));
    servers.push(server);
    const args = ['protect', '--provider', 'github', '--repo', 'acme/agents', '--api-url', server.url, '--check'];
    const missing = await runCliAsync(args, { cwd: repo.dir, env: { ...repo.env, GITHUB_TOKEN: secret } });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('ACME_GH_ADMIN is not set (secret provider: environment variables)');
    expect(server.received).toEqual([]);
    const ok = await runCliAsync(args, { cwd: repo.dir, env: { ...repo.env, ACME_GH_ADMIN: secret } });
    expect(ok.status).toBe(1);
    expect(server.received[0]!.authorization).toBe(`token ${secret}`);
  });

  it('a refused token is an environment error (exit 2) that names the request, never the token', async () => {
    const repo = repoWith();
    const gh = fakeGithub([]);
    const server = await fakeServer((req) => gh.handle(req, 'the-right-one'));
    servers.push(server);
    const secret = token();
    const r = await runCliAsync(['protect', '--provider', 'github', '--repo', 'acme/agents', '--api-url', server.url, '--apply'], {
      cwd: repo.dir,
      env: { ...repo.env, GITHUB_TOKEN: secret },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`GET /repos/acme/agents/rulesets on ${server.url} failed: HTTP 401: Bad credentials`);
    expect(r.output).not.toContain(secret);
    expect(r.output).not.toMatch(/\n\s+at /);
    expect(server.received.filter((q) => q.method !== 'GET')).toEqual([]);
  });
});

// ---- GitLab --------------------------------------------------------------------------------------------

/**
 * A GitLab on 127.0.0.1 that takes only what GitLab's documentation describes
 * (test/fixtures/gitlab/rest-api.json) and answers with the documented entities, checked against
 * the same description: a request or an answer outside it fails the test (server.failures).
 */
function fakeGitlab(expectedToken: string) {
  let next = 100;
  const branches: any[] = [];
  const tags: any[] = [];
  const rules: any[] = [];
  const groups: Record<string, number> = { 'acme/release': 7 };
  const users: Record<string, number> = { carol: 21, dana: 22 };
  const levels = (n: unknown) => [
    {
      id: next++,
      access_level: Number(n),
      access_level_description: `level ${Number(n)}`,
      user_id: null,
      group_id: null,
      deploy_key_id: null,
    },
  ];
  const group = (id: number) => {
    const full_path = Object.keys(groups).find((k) => groups[k] === id)!;
    return {
      id,
      name: full_path.split('/').at(-1)!,
      path: full_path.split('/').at(-1)!,
      full_path,
      full_name: full_path.replace('/', ' / '),
      web_url: `https://gitlab.test/groups/${full_path}`,
      parent_id: 3,
    };
  };
  const user = (username: string) => ({
    id: users[username] ?? next++,
    username,
    name: username,
    state: 'active',
    avatar_url: null,
    web_url: `https://gitlab.test/${username}`,
  });
  const route = (req: Received): [number, unknown] => {
    if (req.privateToken !== expectedToken) return [401, { message: '401 Unauthorized' }];
    const url = new URL(req.url, 'http://x');
    const q = Object.fromEntries(url.searchParams);
    const p = decodeURIComponent(url.pathname.replace(/^\/api\/v4/, ''));
    if (p.startsWith('/groups/')) {
      const id = groups[p.slice('/groups/'.length)];
      return id ? [200, group(id)] : [404, { message: '404 Group Not Found' }];
    }
    const m = /^\/projects\/acme\/agents\/(protected_branches|protected_tags|approval_rules)(?:\/(.+))?$/.exec(p);
    if (!m) return [404, { message: '404 Not Found' }];
    const [, kind, key] = m;
    const body = { ...q, ...(req.body as object) } as any;
    if (kind === 'protected_branches') {
      if (req.method === 'GET') return [200, branches];
      if (req.method === 'POST') {
        if (branches.some((b) => b.name === body.name)) return [409, { message: 'Protected branch already exists' }];
        branches.push({
          id: next++,
          name: body.name,
          push_access_levels: levels(body.push_access_level),
          merge_access_levels: levels(body.merge_access_level),
          unprotect_access_levels: levels(body.unprotect_access_level),
          allow_force_push: String(body.allow_force_push) === 'true',
          code_owner_approval_required: String(body.code_owner_approval_required) === 'true',
          inherited: false,
        });
        return [201, branches.at(-1)];
      }
      if (req.method === 'DELETE') {
        branches.splice(
          branches.findIndex((b) => b.name === key),
          1,
        );
        return [204, undefined];
      }
    }
    if (kind === 'protected_tags') {
      if (req.method === 'GET') return [200, tags];
      if (req.method === 'POST') {
        tags.push({ name: body.name, create_access_levels: levels(body.create_access_level) });
        return [201, tags.at(-1)];
      }
      if (req.method === 'DELETE') {
        tags.splice(
          tags.findIndex((t) => t.name === key),
          1,
        );
        return [204, undefined];
      }
    }
    if (kind === 'approval_rules') {
      if (req.method === 'GET') return [200, rules];
      const make = (id: number) => {
        const approvers = (body.usernames ?? []).map(user);
        return {
          id,
          name: body.name,
          rule_type: 'regular',
          eligible_approvers: approvers,
          approvals_required: Number(body.approvals_required),
          users: approvers,
          groups: (body.group_ids ?? []).map(group),
          contains_hidden_groups: false,
          protected_branches: (body.protected_branch_ids ?? []).map((b: number) => branches.find((x) => x.id === b)).filter(Boolean),
          applies_to_all_protected_branches: false,
        };
      };
      if (req.method === 'POST') {
        rules.push(make(next++));
        return [201, rules.at(-1)];
      }
      if (req.method === 'PUT') {
        const i = rules.findIndex((r) => r.id === Number(key));
        rules[i] = make(Number(key));
        return [200, rules[i]];
      }
      if (req.method === 'DELETE') {
        rules.splice(
          rules.findIndex((r) => r.id === Number(key)),
          1,
        );
        return [204, undefined];
      }
    }
    return [405, { message: 'Method Not Allowed' }];
  };
  const handle = (req: Received): [number, unknown] => {
    const asked = receivedProblems(req);
    if (asked.length) throw new Error(`request outside GitLab's documented API: ${asked.join('; ')}`);
    const [status, body] = route(req);
    const answered = responseProblems(req.method, req.url, status, body);
    if (answered.length) throw new Error(`fake server answered outside GitLab's documented API: ${answered.join('; ')}`);
    return [status, body];
  };
  return { branches, tags, rules, handle, expectedToken };
}

describe('protect --provider gitlab', () => {
  it('dry run: protected branches (no force-push on live stages), tags, approval rules per environment', () => {
    const repo = repoWith();
    const r = runCli(['protect', '--provider', 'gitlab', '--project', 'acme/agents'], { cwd: repo.dir, env: repo.env });
    expect(r.status).toBe(0);
    const requests = parseDryRun(r.stdout);
    const branch = (name: string) => requests.find((q) => q.path.endsWith('/protected_branches') && q.body.name === name)!.body;
    expect(branch('main')).toEqual({
      name: 'main',
      push_access_level: 0,
      merge_access_level: 40,
      unprotect_access_level: 40,
      allow_force_push: false,
      code_owner_approval_required: true,
    });
    expect(branch('develop')).toMatchObject({ push_access_level: 40, allow_force_push: true, code_owner_approval_required: false });
    expect(requests.filter((q) => q.path.endsWith('/protected_tags')).map((q) => q.body.name)).toContain('v*-qa.*');
    const prodRule = requests.find((q) => q.path === '/projects/acme%2Fagents/approval_rules' && q.body.name === 'wxo-policy: prod')!.body;
    expect(prodRule).toEqual({ name: 'wxo-policy: prod', approvals_required: 3, usernames: ['carol'] });
    // GitLab takes groups and protected branches by id: the dry run says what --apply looks up.
    expect(r.stdout).toContain(
      '"usernames": [\n    "carol"\n  ]\n}\n# --apply adds group_ids: the ids of group acme/release (GET /groups/acme%2Frelease)\n# --apply adds protected_branch_ids: the ids of protected branch "main" (GET /projects/acme%2Fagents/protected_branches)\n',
    );
  });

  it('every printed request is valid for its endpoint in GitLab’s documented REST API (test/fixtures/gitlab/rest-api.json)', () => {
    const repo = repoWith();
    const requests = parseDryRun(
      runCli(['protect', '--provider', 'gitlab', '--project', 'acme/agents'], { cwd: repo.dir, env: repo.env }).stdout,
    );
    expect(requests).toHaveLength(4 + 7 + 4);
    for (const q of requests) expect(requestProblems(q.method, q.path, q.body), `${q.method} ${q.path} ${q.body.name}`).toEqual([]);
    // The description is strict enough to catch a misspelt parameter, a level GitLab does not know,
    // and the made-up fields the dry run used to print for approval rules.
    const path = '/projects/acme%2Fagents';
    expect(requestProblems('POST', `${path}/protected_branches`, { name: 'main', allow_force_pushes: false })).not.toEqual([]);
    expect(requestProblems('POST', `${path}/protected_branches`, { name: 'main', push_access_level: 50 })).not.toEqual([]);
    expect(requestProblems('POST', `${path}/protected_tags?name=v*&create_access_level=60`, undefined)).not.toEqual([]);
    expect(requestProblems('POST', `${path}/protected_tags?name=v*&create_access_level=40`, undefined)).toEqual([]);
    expect(
      requestProblems('POST', `${path}/approval_rules`, {
        name: 'x',
        approvals_required: 1,
        group_paths: ['acme/release'],
        protected_branch_names: ['main'],
      }),
    ).toHaveLength(2);
    expect(requestProblems('POST', `${path}/approval_rules`, { name: 'x' })).not.toEqual([]);
    expect(requestProblems('PATCH', `${path}/protected_branches/main`, {})).not.toEqual([]);
  });

  it('release roles of admins only: branches take admin level, tags (which have none) maintainers — both documented levels', () => {
    const repo = repoWith(OWNERS_POLICY.replace('  release_roles: [maintain, admin]', '  release_roles: [admin]'));
    const requests = parseDryRun(
      runCli(['protect', '--provider', 'gitlab', '--project', 'acme/agents'], { cwd: repo.dir, env: repo.env }).stdout,
    );
    for (const q of requests) expect(requestProblems(q.method, q.path, q.body), `${q.method} ${q.path} ${q.body.name}`).toEqual([]);
    expect(requests.find((q) => q.path.endsWith('/protected_branches') && q.body.name === 'develop')!.body.push_access_level).toBe(60);
    expect(new Set(requests.filter((q) => q.path.endsWith('/protected_tags')).map((q) => q.body.create_access_level))).toEqual(
      new Set([40]),
    );
  });

  it('--apply with @gitbeaker/rest, then --check is clean; a hand-made change is drift', { timeout: 180_000 }, async () => {
    const repo = repoWith();
    const secret = token();
    const gl = fakeGitlab(secret);
    const server = await fakeServer((req) => gl.handle(req));
    try {
      const env = { ...repo.env, GITLAB_TOKEN: secret };
      const args = ['protect', '--provider', 'gitlab', '--project', 'acme/agents', '--api-url', server.url];
      const applied = await runCliAsync([...args, '--apply'], { cwd: repo.dir, env });
      expect(server.failures).toEqual([]);
      expect(applied.stderr).toBe('');
      expect(applied.status).toBe(0);
      expect(applied.stdout).toContain('created protected branch "qa-*"');
      expect(applied.stdout).toContain('created approval rule "wxo-policy: prod"');
      expect(gl.branches.map((b) => b.name)).toEqual(['develop', 'qa-*', 'staging-*', 'main']);
      expect(gl.rules.find((x) => x.name === 'wxo-policy: prod')).toMatchObject({
        approvals_required: 3,
        users: [{ username: 'carol' }],
        groups: [{ id: 7 }],
        protected_branches: [{ name: 'main' }],
      });
      const clean = await runCliAsync([...args, '--check'], { cwd: repo.dir, env });
      expect(clean.stdout).toContain('gitlab acme/agents: branch protection matches the policy');
      expect(clean.status).toBe(0);
      gl.branches.find((b) => b.name === 'main').allow_force_push = true;
      const drift = await runCliAsync([...args, '--check'], { cwd: repo.dir, env });
      expect(drift.status).toBe(1);
      expect(drift.stdout).toMatch(/differs\s+protected branch "main"/);
      // --apply puts it back: unprotect + protect again, the approval rule updated with the new id.
      gl.rules.find((x) => x.name === 'wxo-policy: prod').approvals_required = 1;
      const fixed = await runCliAsync([...args, '--apply'], { cwd: repo.dir, env });
      expect(fixed.stdout).toContain('updated protected branch "main"');
      expect(fixed.stdout).toContain('updated approval rule "wxo-policy: prod"');
      expect(server.received.map((q) => `${q.method} ${q.url.split('?')[0]}`)).toEqual(
        expect.arrayContaining([
          'DELETE /api/v4/projects/acme%2Fagents/protected_branches/main',
          expect.stringMatching(/^PUT \/api\/v4\/projects\/acme%2Fagents\/approval_rules\/\d+$/),
        ]),
      );
      expect((await runCliAsync([...args, '--check'], { cwd: repo.dir, env })).status).toBe(0);
      // Every request the client sent was checked against GitLab's documented API, every answer too.
      expect(server.received.length).toBeGreaterThan(20);
      expect(server.failures).toEqual([]);
      for (const out of [applied, clean, drift]) expect(out.output).not.toContain(secret);
    } finally {
      await server.close();
    }
  });
});
