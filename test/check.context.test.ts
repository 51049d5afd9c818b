import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runChecks } from '../src/checks/runChecks.js';
import { baseEntriesOf, stagedChanges } from '../src/git/queries.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import * as snapshot from '../src/snapshot/snapshot.js';
import { runCli } from './helpers/cli.js';
import { DEFAULT_POLICY, minimalGitops } from './helpers/gitops.js';
import { createRepo, type TestRepo } from './helpers/repo.js';

/**
 * The context of a partial check (staged files, a range, check PATH): the files it does not judge
 * that can change a finding about the ones it does. It is found by the names themselves (git grep),
 * not by reading every resource file (a fresh clone has no facts cache); it must never hide a
 * finding, and never report one that the whole repository's context would not.
 */
vi.mock('../src/snapshot/snapshot.js', async (original) => {
  const real = await original<typeof import('../src/snapshot/snapshot.js')>();
  // Every search the context makes (a `git grep`), counted by wrapping the function snapshotGrep returns.
  const searched = vi.fn();
  const snapshotGrep: typeof real.snapshotGrep = (root, source) => {
    const grep = real.snapshotGrep(root, source);
    return Object.assign((...args: Parameters<typeof grep>) => (searched(...args), grep(...args)), { sameOnDisk: grep.sameOnDisk });
  };
  return { ...real, readSnapshot: vi.fn(real.readSnapshot), snapshotGrep, searched };
});
const policy = parsePolicy(DEFAULT_POLICY, 'wxo-policy.yaml', DEFAULT_POLICY);
const searches = () => (snapshot as unknown as { searched: ReturnType<typeof vi.fn> }).searched;
const check = (repo: TestRepo, ...args: string[]) => runCli(['check', ...args, '--format', 'json'], { cwd: repo.dir, env: repo.env });
const findingsOf = (r: { stdout: string }) =>
  (JSON.parse(r.stdout) as { findings: { file: string; line: number; rule: string; message: string }[] }).findings;
const refsOf = (r: { stdout: string }) =>
  findingsOf(r)
    .filter((f) => f.rule === 'references')
    .map((f) => `${f.file}: ${f.message}`);

const agent = (name: string, lines: { tools?: string[]; collaborators?: string[] } = {}) =>
  `spec_version: v1\nkind: native\nname: ${name}\ndescription: Agent ${name}\nllm: \${values.llm.default}\ntools: [${(lines.tools ?? []).join(', ')}]\n` +
  (lines.collaborators ? `collaborators: [${lines.collaborators.join(', ')}]\n` : '');
const pythonTool = (name: string) =>
  `from ibm_watsonx_orchestrate.agent_builder.tools import tool\n\n\n@tool\ndef ${name}(x: str) -> str:\n    """Echo."""\n    return x\n`;

/** A repository of `count` Python tools and agents that use them (the unchanged files). */
function bigRepo(count: number): TestRepo {
  const repo = createRepo({ branch: 'develop' });
  const files: Record<string, string> = { ...minimalGitops() };
  for (let i = 0; i < count; i++) {
    files[`tools/tool_${i}/tool_${i}.py`] = pythonTool(`tool_${i}`);
    files[`agents/user_${i}.yaml`] = agent(`user_${i}`, { tools: [`tool_${i}`] });
  }
  repo.write(files);
  repo.commitAll('initial');
  return repo;
}

/** Stages agents/new.yaml (already written) and checks it as pre-commit does; also the paths read from the snapshot. */
async function checkStagedNewAgent(repo: TestRepo) {
  repo.run('add', '-A');
  const reads = vi.mocked(snapshot.readSnapshot);
  reads.mockClear();
  const head = repo.run('rev-parse', 'HEAD').trim();
  const result = await runChecks({
    root: repo.dir,
    policy,
    source: { type: 'index' },
    paths: ['agents/new.yaml'],
    change: { base: { type: 'commit', rev: head }, paths: ['agents/new.yaml'], entries: [] },
    cacheDir: join(repo.dir, '.git'),
  });
  return { result, read: reads.mock.calls.flatMap(([, , entries]) => entries.map((e) => e.path)) };
}

describe('a partial check reads only the files that can matter', () => {
  it('a staged agent in a fresh repository: its names are looked for, not every file read', async () => {
    const repo = bigRepo(120);
    repo.write({ 'agents/new.yaml': agent('new_agent', { tools: ['tool_5', 'tool_77', 'no_such_tool'], collaborators: ['user_9'] }) });
    const { result, read } = await checkStagedNewAgent(repo);
    expect(result.findings.map((f) => `${f.file}: ${f.message}`)).toEqual([
      expect.stringMatching(/^agents\/new\.yaml: agent "new_agent" refers to tool "no_such_tool"/),
    ]);
    // The judged file, values.yaml, and the files that name tool_5, tool_77 or user_9 (a few more share a fragment).
    expect(read).toEqual(
      expect.arrayContaining([
        'agents/new.yaml',
        'values.yaml',
        'tools/tool_5/tool_5.py',
        'tools/tool_77/tool_77.py',
        'agents/user_9.yaml',
      ]),
    );
    expect(read.length, read.join(' ')).toBeLessThan(20);
  });

  it('a name is looked for only in files that can declare it: the agents that merely use a tool are not read', async () => {
    const repo = bigRepo(40);
    // Thirty agents use tool_5; a flow under a path the policy leaves to `auto` declares another tool.
    const users: Record<string, string> = {};
    for (let i = 0; i < 30; i++) users[`agents/fan_${i}.yaml`] = agent(`fan_${i}`, { tools: ['tool_5', 'auto_flow_tool'] });
    repo.write({
      ...users,
      'misc/auto_flow.json': JSON.stringify({
        spec: { kind: 'flow', name: 'auto_flow_tool', display_name: 'x', description: 'x' },
        nodes: {},
      }),
    });
    repo.commitAll('users');
    repo.write({ 'agents/new.yaml': agent('new_agent', { tools: ['tool_5', 'auto_flow_tool', 'fan_tool'] }) });
    const { result, read } = await checkStagedNewAgent(repo);
    expect(result.findings.filter((f) => f.rule === 'references').map((f) => `${f.file}: ${f.message}`)).toEqual([
      expect.stringMatching(/^agents\/new\.yaml: .*tool "fan_tool"/),
    ]);
    expect(read).toEqual(expect.arrayContaining(['agents/new.yaml', 'tools/tool_5/tool_5.py', 'misc/auto_flow.json']));
    expect(read.filter((p) => p.startsWith('agents/fan_'))).toEqual([]);
  });

  it('names not written as plain text: an OpenAPI operationId, YAML and JSON escapes, a folded or quoted name', () => {
    const repo = createRepo({ branch: 'develop' });
    repo.write({
      ...minimalGitops(),
      'tools/openapi/weather.yaml':
        'openapi: 3.0.3\ninfo:\n  title: Weather\n  version: 1.0.0\npaths:\n  /w:\n    get:\n      operationId: get-weather.v2\n      responses:\n        "200":\n          description: ok\n',
      'agents/escaped.yaml':
        'spec_version: v1\nkind: native\nname: "sup\\u0070ort_agent"\ndescription: d\nllm: ${values.llm.default}\ntools: []\n',
      'agents/folded.yaml':
        'spec_version: v1\nkind: native\nname: "billing\\\n  _agent"\ndescription: d\nllm: ${values.llm.default}\ntools: []\n',
      'agents/quoted.yaml':
        "spec_version: v1\nkind: native\nname: 'o''brien_agent'\ndescription: d\nllm: ${values.llm.default}\ntools: []\n",
    });
    repo.commitAll('initial');
    repo.write({
      'agents/new.yaml': agent('new_agent', {
        tools: ['get_weather_v2', 'get_weather_v3'],
        collaborators: ['support_agent', 'billing_agent', '"o\'brien_agent"', 'nobody_agent'],
      }),
    });
    repo.run('add', '-A');
    const refs = refsOf(check(repo, '--staged'));
    expect(refs).toEqual([expect.stringContaining('tool "get_weather_v3"'), expect.stringContaining('agent "nobody_agent"')]);
  });

  it('a name the staged file repeats, and a collaborator cycle through unchanged agents', () => {
    const repo = bigRepo(30);
    // ring_c names neither ring_a nor ring_b: it is found only by following the collaborators.
    repo.write({
      'agents/ring_b.yaml': agent('ring_b', { collaborators: ['ring_c'] }),
      'agents/ring_c.yaml': agent('ring_c', { collaborators: ['ring_d'] }),
      'agents/ring_d.yaml': agent('ring_d', { collaborators: ['ring_a'] }),
    });
    repo.commitAll('ring');
    repo.write({ 'agents/ring_a.yaml': agent('ring_a', { collaborators: ['ring_b'] }), 'agents/copy.yaml': agent('user_12') });
    repo.run('add', '-A');
    const refs = refsOf(check(repo, '--staged'));
    expect(refs).toEqual([
      expect.stringMatching(/^agents\/copy\.yaml: agent "user_12" is also defined in agents\/user_12\.yaml:3/),
      expect.stringMatching(/^agents\/ring_(a|b|c|d)\.yaml: collaborator cycle: ring_a → ring_b → ring_c → ring_d → ring_a/),
    ]);
  });

  it('unchanged files are judged as staged, whatever their work-tree copy says', () => {
    const repo = bigRepo(10);
    // The index keeps tool_3; the work tree renames it (not staged). tool_4 is the other way round.
    repo.write({ 'tools/tool_3/tool_3.py': pythonTool('tool_3_renamed') });
    repo.run('rm', '-q', '--cached', 'tools/tool_4/tool_4.py');
    repo.write({ 'agents/new.yaml': agent('new_agent', { tools: ['tool_3', 'tool_4'] }) });
    repo.run('add', 'agents/new.yaml');
    const refs = refsOf(check(repo, '--staged'));
    expect(refs).toEqual([
      expect.stringContaining('refers to tool "tool_4"'),
      expect.stringMatching(/^agents\/user_4\.yaml: .*tool "tool_4"/),
    ]);
  });
});

/**
 * check PATH judges the file as it is on disk against the rest of the repository as staged. After
 * any git operation that changes other files, a reference in the unchanged file (same blob, so a
 * cache keyed by it would be stale if it kept verdicts) is judged against what is there now.
 * With few references the context is found by its names; with many, from the facts cache: both.
 */
describe.each([
  ['few references', 1],
  ['many references (facts cache)', 80],
])('check PATH after checkout, merge, rebase and reset: %s', (_label, extra) => {
  const setup = () => {
    const repo = bigRepo(extra);
    const tools = Array.from({ length: extra }, (_, i) => `tool_${i}`);
    repo.write({
      'agents/main.yaml': agent('main_agent', { tools: [...tools, 'shared_tool'] }),
      'tools/shared/shared_tool.py': pythonTool('shared_tool'),
    });
    repo.commitAll('main agent');
    return repo;
  };
  const dangling = (repo: TestRepo) => refsOf(check(repo, 'agents/main.yaml')).filter((m) => m.includes('"shared_tool"'));

  it('checkout and reset', () => {
    const repo = setup();
    expect(dangling(repo)).toEqual([]);
    repo.run('checkout', '-q', '-b', 'without');
    repo.run('rm', '-q', 'tools/shared/shared_tool.py');
    repo.run('commit', '-q', '--no-verify', '-m', 'drop shared tool');
    expect(dangling(repo)).toHaveLength(1);
    repo.run('checkout', '-q', 'develop');
    expect(dangling(repo)).toEqual([]);
    repo.run('reset', '-q', '--hard', 'without');
    expect(dangling(repo)).toHaveLength(1);
    repo.run('reset', '-q', '--hard', 'without~1');
    expect(dangling(repo)).toEqual([]);
  });

  it('merge and rebase', () => {
    const repo = setup();
    repo.run('checkout', '-q', '-b', 'adds-tool');
    repo.write({ 'tools/late/late_tool.py': pythonTool('late_tool') });
    repo.commitAll('late tool');
    repo.run('checkout', '-q', 'develop');
    repo.write({
      'agents/main.yaml': agent('main_agent', {
        tools: [...Array.from({ length: extra }, (_, i) => `tool_${i}`), 'shared_tool', 'late_tool'],
      }),
    });
    repo.commitAll('use the late tool');
    const late = () => refsOf(check(repo, 'agents/main.yaml')).filter((m) => m.includes('"late_tool"'));
    expect(late()).toHaveLength(1);
    repo.run('checkout', '-q', '-b', 'rebased');
    repo.run('rebase', '-q', 'adds-tool');
    expect(late()).toEqual([]);
    repo.run('checkout', '-q', 'develop');
    expect(late()).toHaveLength(1);
    repo.run('merge', '-q', '--no-edit', '--no-verify', 'adds-tool');
    expect(late()).toEqual([]);
    rmSync(join(repo.dir, 'tools/late'), { recursive: true });
    repo.run('add', '-A');
    expect(late()).toHaveLength(1);
  });
});

/**
 * The facts cache (src/checks/factsCache.ts), keyed by blob id and path and dropped with the policy
 * or the tool version: when it knows (nearly) every unjudged file, a partial check takes the whole
 * repository's context from it — no search, nothing read but the judged files, values.yaml and the
 * few files it does not know. It must never hide a finding: whatever changed, the entries of the
 * blobs that are there now are what counts.
 */
describe('a partial check with a warm facts cache', () => {
  const warm = async (repo: TestRepo) => {
    const { warmFacts } = await import('../src/checks/warmFacts.js');
    return warmFacts(repo.dir, join(repo.dir, '.git'), policy);
  };
  const staged = async (repo: TestRepo, paths: string[]) => {
    const reads = vi.mocked(snapshot.readSnapshot);
    const greps = searches();
    reads.mockClear();
    greps.mockClear();
    const head = repo.run('rev-parse', 'HEAD').trim();
    const changes = stagedChanges(repo.dir, head);
    const result = await runChecks({
      root: repo.dir,
      policy,
      source: { type: 'index' },
      paths,
      change: { base: { type: 'commit', rev: head }, paths: changes.map((c) => c.path), entries: baseEntriesOf(changes) },
      cacheDir: join(repo.dir, '.git'),
    });
    return {
      refs: result.findings.filter((f) => f.rule === 'references').map((f) => `${f.file}: ${f.message}`),
      read: reads.mock.calls.flatMap(([, , entries]) => entries.map((e) => e.path)),
      searched: greps.mock.calls.length > 0,
    };
  };

  it('answers for every unjudged file: only the judged files and values.yaml are read, findings as with the whole context', async () => {
    const repo = bigRepo(120);
    repo.write({
      'agents/ring_b.yaml': agent('ring_b', { collaborators: ['ring_c'] }),
      'agents/ring_c.yaml': agent('ring_c', { collaborators: ['ring_a'] }),
    });
    repo.commitAll('ring');
    // Every resource file: tools, agents, the ring, tenant.yaml, values.yaml, the policy (not VERSION).
    expect(await warm(repo)).toBe(repo.run('ls-files').trim().split('\n').length - 1);
    expect(await warm(repo)).toBe(0);
    repo.write({
      'agents/ring_a.yaml': agent('ring_a', { tools: ['tool_5', 'no_such_tool'], collaborators: ['ring_b'] }),
      'agents/copy.yaml': agent('user_77'),
    });
    repo.run('add', '-A');
    const { refs, read, searched } = await staged(repo, ['agents/ring_a.yaml', 'agents/copy.yaml']);
    expect(refs).toEqual([
      expect.stringMatching(/^agents\/copy\.yaml: agent "user_77" is also defined in agents\/user_77\.yaml:3/),
      expect.stringMatching(/^agents\/ring_a\.yaml: collaborator cycle: ring_a → ring_b → ring_c → ring_a/),
      expect.stringMatching(/^agents\/ring_a\.yaml: .*tool "no_such_tool"/),
    ]);
    expect(searched).toBe(false);
    expect(read.sort()).toEqual(['agents/copy.yaml', 'agents/ring_a.yaml', 'values.yaml']);
  });

  it('never hides a finding: deleted, renamed, moved and newly added files count as they are now', async () => {
    const repo = bigRepo(100);
    await warm(repo);
    // Deleted: the cache still holds tool_3's blob, the index no longer has it.
    repo.run('rm', '-q', 'tools/tool_3/tool_3.py');
    // Renamed in place: a new blob (tool_4 is gone, tool_4_new exists).
    repo.write({ 'tools/tool_4/tool_4.py': pythonTool('tool_4_new') });
    // Moved: the same blob under another path is another entry (the policy classifies by path).
    repo.run('rm', '-q', 'tools/tool_6/tool_6.py');
    repo.write({ 'tools/moved/tool_6.py': pythonTool('tool_6') });
    // Added: a handful of files the cache has never seen are read.
    repo.write({ 'tools/fresh/fresh_tool.py': pythonTool('fresh_tool') });
    repo.commitAll('changes the cache has not seen');
    repo.write({
      'agents/new.yaml': agent('new_agent', { tools: ['tool_3', 'tool_4', 'tool_4_new', 'tool_6', 'fresh_tool', 'tool_7'] }),
    });
    repo.run('add', '-A');
    const { refs, read, searched } = await staged(repo, ['agents/new.yaml']);
    expect(refs).toEqual([
      expect.stringMatching(/^agents\/new\.yaml: .*tool "tool_3"/),
      expect.stringMatching(/^agents\/new\.yaml: .*tool "tool_4"/),
    ]);
    expect(searched).toBe(false);
    expect(read.sort()).toEqual([
      'agents/new.yaml',
      'tools/fresh/fresh_tool.py',
      'tools/moved/tool_6.py',
      'tools/tool_4/tool_4.py',
      'values.yaml',
    ]);
  });

  it('an edit that drops a name: what the file declared before comes from the cache too, not read again', async () => {
    const repo = bigRepo(100);
    repo.write({ 'agents/lead.yaml': agent('lead', { collaborators: ['user_5'] }) });
    repo.commitAll('lead');
    await warm(repo);
    repo.write({ 'agents/user_5.yaml': agent('user_5_renamed', { tools: ['tool_5'] }) });
    repo.run('add', '-A');
    const { refs, read } = await staged(repo, ['agents/user_5.yaml']);
    expect(refs).toEqual([expect.stringMatching(/^agents\/lead\.yaml: .*agent "user_5"/)]);
    // The staged file once (its committed version's facts are the cache's), and values.yaml.
    expect(read.sort()).toEqual(['agents/user_5.yaml', 'values.yaml']);

    // A version the cache has never seen is read, and what it declared still counts.
    repo.write({
      'agents/user_6.yaml': agent('user_6_unseen', { tools: ['tool_6'] }),
      'agents/lead.yaml': agent('lead', { collaborators: ['user_6_unseen'] }),
    });
    repo.commitAll('unseen');
    repo.write({ 'agents/user_6.yaml': agent('user_6_again', { tools: ['tool_6'] }) });
    repo.run('add', '-A');
    const again = await staged(repo, ['agents/user_6.yaml']);
    expect(again.refs).toEqual([expect.stringMatching(/^agents\/lead\.yaml: .*agent "user_6_unseen"/)]);
    // Staged and committed versions of user_6 (the cache knows neither), lead.yaml (unknown too, context).
    expect(again.read.sort()).toEqual(['agents/lead.yaml', 'agents/user_6.yaml', 'agents/user_6.yaml', 'values.yaml']);
  });

  it('a change that removes a name: the cached files that may refer to it are read again and reported', async () => {
    const repo = bigRepo(100);
    await warm(repo);
    repo.run('rm', '-q', 'tools/tool_8/tool_8.py');
    const { refs, searched } = await staged(repo, []);
    expect(refs).toEqual([expect.stringMatching(/^agents\/user_8\.yaml: .*tool "tool_8"/)]);
    expect(searched).toBe(false);
  });

  it('is another cache under another policy (it decides file kinds): nothing of the old one is used', async () => {
    const repo = bigRepo(100);
    await warm(repo);
    const other = parsePolicy(DEFAULT_POLICY.replace('policy-change: warning', 'policy-change: off'), 'wxo-policy.yaml', DEFAULT_POLICY);
    expect(other.hash).not.toBe(policy.hash);
    repo.write({ 'agents/new.yaml': agent('new_agent', { tools: ['tool_1'] }) });
    repo.run('add', '-A');
    const greps = searches();
    greps.mockClear();
    const head = repo.run('rev-parse', 'HEAD').trim();
    await runChecks({
      root: repo.dir,
      policy: other,
      source: { type: 'index' },
      paths: ['agents/new.yaml'],
      change: { base: { type: 'commit', rev: head }, paths: ['agents/new.yaml'], entries: [] },
      cacheDir: join(repo.dir, '.git'),
    });
    expect(greps).toHaveBeenCalled();
  });
});

describe('a local check warms the facts cache in the background', () => {
  it('check PATH in a big repository without a cache searches, starts the warm-up; the next one takes the cache', async () => {
    const repo = bigRepo(260);
    const trace = join(repo.dir, '..', `trace-${process.pid}.txt`);
    const traced = (...args: string[]) =>
      runCli(['check', ...args, '--format', 'json'], { cwd: repo.dir, env: { ...repo.env, GIT_TRACE: trace } });
    repo.write({ 'agents/user_3.yaml': agent('user_3', { tools: ['tool_3', 'missing_tool'] }) });
    const first = traced('agents/user_3.yaml');
    expect(refsOf(first)).toEqual([expect.stringContaining('tool "missing_tool"')]);
    const { existsSync, readFileSync } = await import('node:fs');
    expect(readFileSync(trace, 'utf8')).toContain(' grep ');
    const lock = join(repo.dir, '.git', 'wxo-policy', 'warm.lock');
    for (let i = 0; i < 600 && existsSync(lock); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(lock)).toBe(false);
    rmSync(trace);
    const second = traced('agents/user_3.yaml');
    expect(refsOf(second)).toEqual(refsOf(first));
    expect(readFileSync(trace, 'utf8')).not.toContain(' grep ');
    expect(existsSync(lock)).toBe(false); // nothing left to warm: no second warm-up
  });
});
