import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildResourceSet } from '../src/deploy/resources.js';
import { detectKind, extractResources, isWxoKind, kindWord, OBJECT_KINDS, objectKind, WXO_KINDS, wxoKind } from '../src/kinds/catalogue.js';
import { parseWxoFile } from '../src/kinds/parse.js';
import { isTenantWide, missingStageConfigs, releaseArgv, type StageNode } from '../src/kinds/draftLive.js';
import { computePlan } from '../src/deploy/plan.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';
import { FILE_KINDS } from '../src/policy/model.js';
import { hasSchema } from '../src/schema/validate.js';

/*
 * The kind catalogue (src/kinds/): one record per wxO kind, and the one parse path. The readers of
 * the records (classifier, references, resource reader, planner) are tested through their own
 * suites; this file holds the catalogue to its own promises.
 */

describe('kind catalogue', () => {
  it('has exactly one record per wxO file kind of the policy, and one per object kind', () => {
    const own = new Set(['tenant', 'values', 'policy', 'auto', 'none']);
    const policyKinds = FILE_KINDS.filter((k) => !own.has(k)).sort();
    expect(WXO_KINDS.map((r) => r.kind).sort()).toEqual(policyKinds);
    expect(new Set(OBJECT_KINDS.map((r) => r.kind)).size).toBe(OBJECT_KINDS.length);
    for (const r of WXO_KINDS) {
      expect(objectKind(r.object).kind, r.kind).toBe(r.object);
      if (r.schema) expect(hasSchema(r.schema), r.kind).toBe(true);
      expect(r.structured || r.schema === undefined, r.kind).toBe(true);
    }
    expect(isWxoKind('tenant')).toBe(false);
    expect(isWxoKind('openapi')).toBe(true);
  });

  it('gives every kind its word', () => {
    expect(kindWord('python_tool')).toBe('Python tool');
    expect(kindWord('phone')).toBe('phone configuration');
    expect(kindWord('tool')).toBe('tool');
    expect(kindWord('something-else')).toBe('something-else');
  });

  it('recognises by structure before a `kind:` key, and by `kind:` before shape', () => {
    // A flow document carrying `kind: agent` somewhere at the top is still a flow.
    expect(detectKind({ spec: { kind: 'flow', name: 'f' }, kind: 'agent' }, 'x.json')).toBe('flow');
    // `kind: connection` wins over an agent-like shape.
    expect(detectKind({ kind: 'connection', name: 'x', tools: [] }, 'x.yaml')).toBe('connection');
    expect(detectKind({ name: 'x', tools: [] }, 'x.yaml')).toBe('agent');
    expect(detectKind({ name: 'x' }, 'x.yaml')).toBeUndefined();
    expect(detectKind({ anything: 1 }, 'deep/tenant.yaml')).toBe('tenant');
  });

  it('declares identities and dependencies from one record', () => {
    const agent = extractResources('agent', { name: 'a', kind: 'external', app_id: 'conn', tools: ['t'] }, '');
    expect(agent.resources.map((r) => [r.kind, r.name, r.variant])).toEqual([['agent', 'a', 'external']]);
    expect(agent.refs.map((r) => [r.kind, r.name, r.via])).toEqual([
      ['tool', 't', 'tools'],
      ['connection', 'conn', 'app_id'],
    ]);
    expect(extractResources('tenant', { name: 'a' }, '')).toEqual({ resources: [], refs: [] });
  });

  it("holds each kind's import and removal argv", () => {
    const unit = { path: 'tools/a.py', appIds: ['c1', 'c2'], requirements: 'tools/requirements.txt' };
    expect(wxoKind('python_tool').deploy.importArgv(unit, 'draft')).toEqual([
      'tools',
      'import',
      '-k',
      'python',
      '-f',
      'tools/a.py',
      '-r',
      'tools/requirements.txt',
      '-a',
      'c1',
      '-a',
      'c2',
    ]);
    expect(wxoKind('openapi').deploy.importArgv(unit, 'draft')).toEqual([
      'tools',
      'import',
      '-k',
      'openapi',
      '-f',
      'tools/a.py',
      '-a',
      'c1',
    ]);
    expect(wxoKind('channel').deploy.importArgv({ path: 'c.yaml', appIds: [], agent: 'ag' }, 'live')).toEqual([
      'channels',
      'import',
      '--agent-name',
      'ag',
      '--env',
      'live',
      '-f',
      'c.yaml',
    ]);
    expect(objectKind('agent').deploy.removeArgv({ name: 'a', variant: 'external' }, 'draft')).toEqual([
      'agents',
      'remove',
      '-n',
      'a',
      '-k',
      'external',
    ]);
    expect(objectKind('connection').deploy.removeArgv({ name: 'c' }, 'draft')).toEqual(['connections', 'remove', '-a', 'c']);
  });
});

describe('draft and live are catalogue data (ObjectKindRecord.deploy.draftLive), read by the planner', () => {
  const policy = parsePolicy(
    readFileSync(join(fileURLToPath(new URL('..', import.meta.url)), 'policies', 'default.yaml'), 'utf8'),
    'default',
    defaultPolicyText(),
  );
  const set = (files: Record<string, string>) =>
    buildResourceSet({ paths: Object.keys(files), content: new Map(Object.entries(files).map(([p, t]) => [p, Buffer.from(t)])) }, policy);

  it('says for every object kind how its draft and live come about', () => {
    expect(Object.fromEntries(OBJECT_KINDS.map((r) => [r.kind, r.deploy.draftLive.how]))).toEqual({
      channel: 'stage-named',
      phone: 'stage-named',
      agent: 'released',
      model_policy: 'with-agents',
      model: 'with-agents',
      voice_config: 'with-agents',
      knowledge_base: 'tenant-wide',
      tool: 'with-agents',
      toolkit: 'with-agents',
      connection: 'per-stage',
    });
    expect(releaseArgv({ kind: 'agent', name: 'a', variant: 'native' })).toEqual(['agents', 'deploy', '-n', 'a']);
    expect(releaseArgv({ kind: 'agent', name: 'a' })).toEqual(['agents', 'deploy', '-n', 'a']);
    expect(releaseArgv({ kind: 'agent', name: 'a', variant: 'external' })).toBeUndefined();
    expect(releaseArgv({ kind: 'tool', name: 't' })).toBeUndefined();
    expect(OBJECT_KINDS.filter((r) => isTenantWide(r.kind)).map((r) => r.kind)).toEqual(['knowledge_base']);
    // one way: the records keep no second tenant-wide flag
    for (const r of OBJECT_KINDS) expect(r.deploy, r.kind).not.toHaveProperty('tenantWide');
    for (const r of WXO_KINDS) expect(r.deploy, r.kind).not.toHaveProperty('tenantWide');
  });

  it('a per-stage kind declares its stages; the planner releases, skips and marks tenant-wide from the records', () => {
    const connection = 'spec_version: v1\nkind: connection\napp_id: crm\nenvironments:\n  draft:\n    kind: api_key\n    type: team\n';
    expect(extractResources('connection', parseWxoFile('connections/crm.yaml', connection).value, connection).resources[0]).toMatchObject({
      name: 'crm',
      stages: ['draft'],
    });
    const head = set({
      'connections/crm.yaml': connection,
      'agents/a.yaml': 'spec_version: v1\nkind: native\nname: a\ndescription: d\nllm: x/y/z\n',
      'agents/e.yaml': 'spec_version: v1\nkind: external\nname: e\ndescription: d\napi_url: https://x.example\n',
      'knowledge_bases/kb.yaml': 'spec_version: v1\nkind: knowledge_base\nname: kb\n',
    });
    expect(head.units.find((u) => u.kind === 'connection')!.environments).toEqual(['draft']);
    const live = computePlan(undefined, head, { stage: 'live' });
    expect(live.operations.filter((o) => o.action === 'deploy').map((o) => o.argv)).toEqual([releaseArgv({ kind: 'agent', name: 'a' })]);
    expect(live.operations.filter((o) => o.tenantWide).map((o) => o.name)).toEqual(['kb']);
    expect(live.operations.some((o) => o.name === 'crm')).toBe(false); // no live block: nothing of it is live's
    expect(live.warnings).toContain(
      'connections/crm.yaml: connection "crm" has no live environment block: nothing to import on a live stage',
    );
    expect(computePlan(undefined, head, { stage: 'draft' }).operations.filter((o) => o.action === 'deploy')).toEqual([]);
  });

  it('the live-configuration judgement follows agents through tools and collaborators, only from released agents', () => {
    const nodes: StageNode[] = [
      { kind: 'agent', name: 'sup', path: 'agents/sup.yaml', deps: [{ kind: 'agent', name: 'worker' }] },
      { kind: 'agent', name: 'worker', path: 'agents/worker.yaml', deps: [{ kind: 'tool', name: 't' }] },
      { kind: 'tool', name: 't', path: 'tools/t.py', deps: [{ kind: 'connection', name: 'crm' }] },
      { kind: 'connection', name: 'crm', path: 'connections/crm.yaml', stages: ['draft'], deps: [] },
      { kind: 'connection', name: 'ok', path: 'connections/ok.yaml', stages: ['draft', 'live'], deps: [] },
    ];
    expect(missingStageConfigs(nodes, ['sup'], 'live')).toEqual([
      {
        kind: 'connection',
        name: 'crm',
        path: 'connections/crm.yaml',
        agent: 'worker',
        files: ['agents/sup.yaml', 'agents/worker.yaml', 'tools/t.py', 'connections/crm.yaml'],
      },
    ]);
    expect(missingStageConfigs(nodes, [], 'live')).toEqual([]);
    expect(missingStageConfigs(nodes, ['sup'], 'draft')).toEqual([]);
  });
});

describe('one parse path', () => {
  it('reads YAML as the ADK does (1.1 booleans) and the policy as YAML 1.2', () => {
    expect(parseWxoFile('a.yaml', 'flag: off\n').value).toEqual({ flag: false });
    expect(parseWxoFile('wxo-policy.yaml', 'flag: off\n', { own: true }).value).toEqual({ flag: 'off' });
  });

  it('reports a JSON error at its line:column without quoting the source', () => {
    const parsed = parseWxoFile('a.json', '{\n  "token": "sekrit-value",\n  oops\n}');
    expect(parsed.ok).toBe(false);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toMatchObject({ line: 3, column: 3 });
    expect(parsed.errors[0]!.message).not.toContain('sekrit');
  });

  it('reports a YAML error with its position', () => {
    const parsed = parseWxoFile('a.yaml', 'a: [1, 2\nb: c\n');
    expect(parsed.ok).toBe(false);
    expect(parsed.errors[0]!.line).toBeGreaterThan(0);
  });
});

describe('the kinds as the deploy reader sees them', () => {
  const policy = parsePolicy(
    readFileSync(join(fileURLToPath(new URL('.', import.meta.url)), '..', 'policies', 'default.yaml'), 'utf8'),
    'default',
    defaultPolicyText(),
  );
  const set = (files: Record<string, string>) =>
    buildResourceSet({ paths: Object.keys(files), content: new Map(Object.entries(files).map(([p, t]) => [p, Buffer.from(t)])) }, policy);
  const flowJson = JSON.stringify({ spec: { kind: 'flow', name: 'book_hotel', description: 'Books a hotel' }, nodes: {}, edges: [] });
  const langflowJson = JSON.stringify({
    name: 'CityNews',
    description: 'News',
    last_tested_version: '1.6.0',
    data: { nodes: [], edges: [] },
  });

  it('a flow JSON under tools/ is a flow import, not an OpenAPI spec', () => {
    const s = set({ 'tools/book_hotel.json': flowJson });
    expect(s.units.map((u) => [u.kind, u.name])).toEqual([['flow', 'book_hotel']]);
    expect(wxoKind('flow').deploy.importArgv(s.units[0]!, 'draft')).toEqual([
      'tools',
      'import',
      '-k',
      'flow',
      '-f',
      'tools/book_hotel.json',
    ]);
    expect(s.warnings).toEqual([]);
  });

  it('a Langflow export is recognised and reported as not deployed, never silently skipped', () => {
    const s = set({ 'tools/CityNews.json': langflowJson });
    expect(s.units).toEqual([]);
    expect(s.warnings).toEqual([expect.stringContaining('tools/CityNews.json: Langflow tool not deployed by wxo-policy')]);
  });

  it('a Python file of @flow functions is imported with -k flow; a file of @tool functions with -k python', () => {
    const s = set({
      'tools/hello_flow.py': '@flow(\n    name="hello_message_flow",\n)\ndef build_hello_message_flow(aflow):\n    return aflow\n',
      'tools/greet.py': '@tool\ndef greet(name: str) -> str:\n    return name\n',
    });
    const argv = Object.fromEntries(s.units.map((u) => [u.name, wxoKind(u.kind).deploy.importArgv(u, 'draft')]));
    expect(argv).toEqual({
      hello_message_flow: ['tools', 'import', '-k', 'flow', '-f', 'tools/hello_flow.py'],
      greet: ['tools', 'import', '-k', 'python', '-f', 'tools/greet.py'],
    });
  });
});
