import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computePlan, credentialArg, displayArgv, PlanError, type Plan } from '../src/deploy/plan.js';
import { tenantFileMismatches } from '../src/deploy/prepare.js';
import { buildResourceSet, withoutCredentials, type ResourceSet } from '../src/deploy/resources.js';
import { envListed, judgeOutput, stripAnsi } from '../src/deploy/runner.js';
import { Masker, parseSecretFile } from '../src/deploy/secrets.js';
import { parseValues, substituteSecrets, substituteValues } from '../src/resources/values.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { extractPythonTools } from '../src/kinds/python.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';
import { readYaml } from '../src/yaml/readYaml.js';
import { PROJECT_ROOT } from './helpers/cli.js';
import { fake } from './helpers/secrets.js';

/**
 * The functional core of the deploy runner, without git or processes: value substitution,
 * resource sets from file contents, plans from two resource sets, output judgement, masking.
 */
const policy = parsePolicy(readFileSync(join(PROJECT_ROOT, 'policies', 'default.yaml'), 'utf8'), 'default', defaultPolicyText());

function set(files: Record<string, string>): ResourceSet {
  const content = new Map(Object.entries(files).map(([p, t]) => [p, Buffer.from(t)]));
  return buildResourceSet({ paths: Object.keys(files), content }, policy);
}
const argvOf = (plan: Plan) => plan.operations.map((o) => displayArgv('orchestrate', o.argv).replace(/^orchestrate /, ''));
const agent = (name: string, extra = '') => `spec_version: v1\nkind: native\nname: ${name}\ndescription: d\nllm: x/y/z\n${extra}`;

describe('values substitution', () => {
  const values = parseValues(
    'tenant: t\nvalues:\n  url: https://a.example/x\n  frag: "https://a.example/#top"\n  colon: "a: b"\n  word: "yes"\n  size: 400\n  quote: say "hi"\n  nested: { a: 1 }\n',
  );

  it('reads values.yaml as the ADK reads YAML, on the fast path or the yaml package alike', () => {
    // Plain file (fast path), and the same content with an anchor (which only the package reads).
    const plain = parseValues('tenant: t\nvalues:\n  flag: yes\n  when: 2024-01-02\n  list: [a, b]\n');
    expect(plain).toEqual({ flag: true, when: '2024-01-02', list: ['a', 'b'] });
    expect(parseValues('tenant: t\nvalues:\n  flag: yes\n  when: 2024-01-02\n  list: &l [a, b]\n')).toEqual(plain);
    expect(parseValues('tenant: t\nvalues:\n  a: 1\n  a: 2\n')).toEqual({ a: 2 });
    expect(parseValues('tenant: t\n')).toEqual({});
    expect(() => parseValues('tenant: t\nvalues: [1, 2\n', 'envs/values.yaml')).toThrow(
      /values.yaml is not usable \(envs\/values\.yaml:\d+:\d+\): Flow sequence/,
    );
    expect(() => parseValues('values: [a]\n')).toThrow('`values:` must be a mapping');
  });

  it('keeps the YAML structure whatever the value contains', () => {
    const text = [
      'a: ${values.url}',
      'b: ${values.frag}',
      'c: ${values.colon}',
      'd: ${values.word}',
      'e: ${values.size}',
      'f: "${values.quote}"',
      "g: '${values.word} it''s'",
      'h: prefix-${values.size}-suffix',
      '# comment: ${values.url}',
      '',
    ].join('\n');
    const r = substituteValues(text, 'x.yaml', values);
    expect(r.problems).toEqual([]);
    expect(r.used).toEqual(['url', 'frag', 'colon', 'word', 'size', 'quote']);
    expect(r.text).toContain('a: https://a.example/x\n');
    expect(r.text).toContain('c: "a: b"\n');
    expect(r.text).toContain('d: "yes"\n'); // YAML 1.1 would read a bare yes as true
    expect(r.text).toContain('e: 400\n');
    expect(r.text).toContain('# comment: https://a.example/x');
    expect(readYaml(r.text).value).toEqual({
      a: 'https://a.example/x',
      b: 'https://a.example/#top',
      c: 'a: b',
      d: 'yes',
      e: 400,
      f: 'say "hi"',
      g: "yes it's",
      h: 'prefix-400-suffix',
    });
  });

  it('escapes inside JSON strings and leaves other files as text', () => {
    expect(JSON.parse(substituteValues('{"u": "${values.quote}"}', 'f.json', values).text)).toEqual({ u: 'say "hi"' });
    expect(substituteValues('URL = "${values.url}"\n', 'tool.py', values).text).toBe('URL = "https://a.example/x"\n');
  });

  it('reports unknown keys and mappings with file:line:column, all at once', () => {
    const r = substituteValues('a: 1\nb: ${values.nope}\nc: x ${values.nested}\n', 'agents/a.yaml', values);
    expect(r.problems).toEqual([
      { file: 'agents/a.yaml', line: 2, column: 4, message: '${values.nope} is not defined in values.yaml' },
      {
        file: 'agents/a.yaml',
        line: 3,
        column: 6,
        message: '${values.nested} is a mapping or list in values.yaml; only a single value can be substituted',
      },
    ]);
  });

  it('fills secrets the same structure-preserving way', () => {
    const out = substituteSecrets(
      'token: ${TOKEN}\nname: "${NAME_X}"\n',
      'c.yaml',
      new Map([
        ['TOKEN', 'a #b: c'],
        ['NAME_X', 'q"q'],
      ]),
    );
    expect(readYaml(out).value).toEqual({ token: 'a #b: c', name: 'q"q' });
  });
});

describe('Python tools', () => {
  it('attaches each app_id to the tool whose decorator or body holds it', () => {
    const text = [
      'from x import tool, ExpectedCredentials',
      'SHARED = ExpectedCredentials(app_id="shared_conn")',
      '',
      '@tool(',
      '    name="lookup_customer",',
      '    expected_credentials=[ExpectedCredentials(app_id="crm", type=ConnectionType.API_KEY_AUTH)],',
      ')',
      'def lookup(x: str) -> str:',
      '    """Looks up (a customer)."""',
      '    return x',
      '',
      '@tool',
      'async def second() -> str:',
      '    conn = connections.basic_auth(app_id="billing")',
      '    return ""',
      '',
    ].join('\n');
    const r = extractPythonTools(text);
    expect(r.resources.map((t) => t.name)).toEqual(['lookup_customer', 'second']);
    const refs = r.refs.map((ref) => `${ref.from.name}→${ref.name}`).sort();
    expect(refs).toEqual(['lookup_customer→crm', 'lookup_customer→shared_conn', 'second→billing', 'second→shared_conn']);
  });
});

describe('resource sets', () => {
  it('identifies resources by kind and name, with dependencies and files', () => {
    const s = set({
      'values.yaml': 'tenant: t\nvalues:\n  api: https://api.example\n',
      'connections/crm.yaml':
        'spec_version: v1\nkind: connection\napp_id: crm\nenvironments:\n  draft:\n    kind: bearer\n    type: team\n    server_url: ${values.api}\n    credentials:\n      token: ${CRM_TOKEN}\n',
      'tools/openapi/crm.yaml':
        'openapi: 3.0.3\nservers:\n  - url: ${values.api}/\npaths:\n  /a:\n    get:\n      operationId: getA\n  /b:\n    post:\n      operationId: postB\n',
      'tools/pkg/__init__.py': '',
      'tools/pkg/util.py': 'X = 1\n',
      'tools/pkg/tools/__init__.py': '',
      'tools/pkg/tools/t.py': '@tool\ndef t1():\n    pass\n',
      'tools/requirements.txt': 'requests\n',
      'knowledge_bases/kb/kb.yaml': 'spec_version: v1\nkind: knowledge_base\nname: kb\ndocuments:\n  - a.txt\n  - path: sub/b.pdf\n',
      'knowledge_bases/kb/a.txt': 'A',
      'knowledge_bases/kb/sub/b.pdf': '%PDF\0binary',
      'channels/helper/web.yaml': 'spec_version: v1\nkind: channel\nchannel: webchat\nname: web\n',
      'agents/helper.yaml': agent('helper', 'tools:\n  - getA\n  - t1\nknowledge_base:\n  - kb\n'),
    });
    expect(s.problems).toEqual([]);
    const byId = Object.fromEntries(s.units.map((u) => [u.id, u]));
    expect(byId['tool:getA']).toMatchObject({
      kind: 'openapi',
      appIds: ['crm'],
      objects: [
        { kind: 'tool', name: 'getA' },
        { kind: 'tool', name: 'postB' },
      ],
    });
    expect(byId['tool:t1']).toMatchObject({ kind: 'python_tool', packageRoot: 'tools', requirements: 'tools/requirements.txt' });
    expect(byId['tool:t1']!.files).toContain('tools/pkg/util.py');
    expect(byId['knowledge_base:kb']!.files).toEqual([
      'knowledge_bases/kb/kb.yaml',
      'knowledge_bases/kb/a.txt',
      'knowledge_bases/kb/sub/b.pdf',
    ]);
    expect(byId['channel:helper/web']).toMatchObject({ agent: 'helper', deps: [{ kind: 'agent', name: 'helper' }] });
    expect(byId['connection:crm']!.credentials).toEqual([{ env: 'draft', kind: 'bearer', fields: { token: '${CRM_TOKEN}' } }]);
    expect(byId['agent:helper']!.deps).toEqual([
      { kind: 'tool', name: 'getA' },
      { kind: 'tool', name: 't1' },
      { kind: 'knowledge_base', name: 'kb' },
    ]);
  });

  it('reports what makes a commit undeployable', () => {
    const s = set({
      'channels/web.yaml': 'kind: channel\nchannel: webchat\nname: web\n',
      'agents/a.yaml': agent('dup'),
      'agents/b.yaml': agent('dup'),
      'knowledge_bases/kb.yaml': 'spec_version: v1\nkind: knowledge_base\nname: kb\ndocuments:\n  - missing.txt\n',
    });
    expect([...s.problems].sort()).toEqual([
      'agent "dup" is defined by both agents/a.yaml and agents/b.yaml',
      'channels/web.yaml: a channel file must be at channels/<agent>/<file>.yaml (the directory names the agent it belongs to)',
      'knowledge_bases/kb.yaml: knowledge base "kb" lists document "missing.txt", which is not in the commit (knowledge_bases/missing.txt)',
    ]);
  });

  it('reports a broken JSON file at its line:column without quoting it', () => {
    const secret = fake.password();
    const s = set({ 'flows/f.json': `{\n  "spec": {"kind": "flow"},\n  "token": x${secret}\n}\n` });
    expect([...s.problems]).toEqual([expect.stringMatching(/^flows\/f\.json:3:12 invalid JSON: /)]);
    expect(s.problems.join('\n')).not.toContain(secret.slice(0, 6));
  });

  it('removes only the credentials blocks from an imported connection', () => {
    const text =
      '# header\nspec_version: v1\nkind: connection\napp_id: c\nenvironments:\n  draft:\n    kind: basic\n    type: team # shared\n    credentials:\n      username: ${U}\n      password: ${P}\n  live:\n    kind: basic\n    type: team\n';
    const out = withoutCredentials('c.yaml', text);
    expect(out).toContain('# header');
    expect(out).toContain('type: team # shared');
    expect(readYaml(out).value).toEqual({
      spec_version: 'v1',
      kind: 'connection',
      app_id: 'c',
      environments: { draft: { kind: 'basic', type: 'team' }, live: { kind: 'basic', type: 'team' } },
    });
  });
});

describe('plans', () => {
  const everything = {
    'connections/crm.yaml':
      'spec_version: v1\nkind: connection\napp_id: crm\nenvironments:\n  draft:\n    kind: key_value\n    type: team\n    credentials:\n      entries:\n        API_KEY: ${CRM_KEY}\n        REGION: eu-${CRM_REGION}\n  live:\n    kind: key_value\n    type: team\n    credentials:\n      entries:\n        API_KEY: ${CRM_KEY}\n        REGION: eu-${CRM_REGION}\n',
    'toolkits/mcp.yaml':
      'spec_version: v1\nkind: mcp\nname: mcp_kit\ndescription: d\nurl: https://mcp.example\ntransport: sse\nconnections:\n  - crm\n',
    'tools/a/a.py': '@tool(expected_credentials=[ExpectedCredentials(app_id="crm")])\ndef tool_a():\n    pass\n',
    'flows/f.json': JSON.stringify({
      spec: { kind: 'flow', name: 'flow_f' },
      nodes: { n: { spec: { kind: 'tool', tool: 'tool_a' } } },
      edges: [],
    }),
    'knowledge_bases/kb.yaml': 'spec_version: v1\nkind: knowledge_base\nname: kb\n',
    'voice/v.yaml': 'name: voice_v\nspeech_to_text:\n  provider: watson\ntext_to_speech:\n  provider: watson\n',
    'models/m.yaml': 'spec_version: v1\nname: virtual-model/x/m\nmodel_type: chat\n',
    'models/policies/p.yaml':
      'spec_version: v1\nname: policy_p\npolicy:\n  strategy:\n    mode: fallback\n  targets:\n    - model_name: virtual-model/x/m\n',
    'agents/sup.yaml': agent('sup', 'collaborators:\n  - worker\nvoice_configuration: voice_v\n'),
    'agents/worker.yaml': agent('worker', 'tools:\n  - flow_f\nknowledge_base:\n  - kb\n'),
    'agents/ext.yaml': 'spec_version: v1\nkind: external\nname: ext\ndescription: d\napi_url: https://x\napp_id: crm\n',
    'channels/sup/web.yaml': 'spec_version: v1\nkind: channel\nchannel: twilio_sms\nname: sms\naccount_sid: ${TWILIO_SID}\n',
    'phone/sup/line.yaml': 'spec_version: v1\nkind: phone\nservice_provider: genesys_audio_connector\nname: line\n',
  };

  it('orders a first deploy: connections → tools (flows after their tools) → KBs → voice/models → agents (collaborators first) → deploys → channels/phone', () => {
    const plan = computePlan(undefined, set(everything), { stage: 'live' });
    expect(argvOf(plan)).toEqual([
      'connections import -f connections/crm.yaml',
      'connections set-credentials -a crm --env live -e API_KEY=<secret:CRM_KEY> -e REGION=eu-<secret:CRM_REGION>',
      'tools import -k python -f tools/a/a.py -a crm',
      'toolkits remove -n mcp_kit', // an MCP toolkit import is no update (toolkit_controller.py:207-210)
      'toolkits import -f toolkits/mcp.yaml',
      'tools import -k flow -f flows/f.json',
      'knowledge-bases import -f knowledge_bases/kb.yaml',
      'voice-configs import -f voice/v.yaml',
      'models import -f models/m.yaml',
      'models policy import -f models/policies/p.yaml',
      'agents import -f agents/ext.yaml',
      'agents import -f agents/worker.yaml',
      'agents import -f agents/sup.yaml',
      'agents deploy -n worker',
      'agents deploy -n sup',
      'channels import --agent-name sup --env live -f channels/sup/web.yaml',
      'phone import -f phone/sup/line.yaml',
      'phone attach -n line --agent-name sup --env live',
    ]);
    expect(plan.operations.find((o) => o.kind === 'knowledge_base')!.tenantWide).toBe(true);
    expect(plan.secrets.sort()).toEqual(['CRM_KEY', 'CRM_REGION', 'TWILIO_SID']);
  });

  it('removes in reverse order when everything goes', () => {
    const plan = computePlan(set(everything), set({}), { stage: 'live' });
    expect(argvOf(plan)).toEqual([
      'channels delete --agent-name sup --env live --type twilio_sms --name sms --yes',
      'phone delete -n line --yes',
      'agents remove -n sup -k native',
      'agents remove -n worker -k native',
      'agents remove -n ext -k external',
      'models policy remove -n virtual-policy/policy_p',
      'models remove -n virtual-model/x/m',
      'voice-configs remove -n voice_v',
      'knowledge-bases remove -n kb',
      'tools remove -n flow_f',
      'tools remove -n tool_a',
      'toolkits remove -n mcp_kit',
      'connections remove -a crm',
    ]);
  });

  it('deploys on live the agents whose transitive dependencies changed, and nothing on draft', () => {
    const base = set(everything);
    const head = set({ ...everything, 'connections/crm.yaml': everything['connections/crm.yaml'].replace('REGION: eu-', 'REGION: us-') });
    const live = computePlan(base, head, { stage: 'live' });
    expect(argvOf(live)).toEqual([
      'connections import -f connections/crm.yaml',
      'connections set-credentials -a crm --env live -e API_KEY=<secret:CRM_KEY> -e REGION=eu-<secret:CRM_REGION>',
      'agents deploy -n worker',
      'agents deploy -n sup',
    ]);
    expect(live.operations[2]!.reason).toBe('flow flow_f → Python tool tool_a → connection crm changed');
    expect(argvOf(computePlan(base, head, { stage: 'draft' }))).toHaveLength(2);
    expect(computePlan(base, base, { stage: 'live' }).operations).toEqual([]);
  });

  it('a draft another environment of the tenant touched: live re-imports what the deployed agents rely on, draft re-imports all', () => {
    const base = set(everything);
    const head = set({
      ...everything,
      'agents/worker.yaml': everything['agents/worker.yaml'].replace('description: d', 'description: better'),
    });
    const touched = { stage: 'live' as const, draftTouchedBy: 'dev (v1.4.0-dev.2)' };
    const live = computePlan(base, head, touched);
    expect(argvOf(live)).toEqual([
      'connections import -f connections/crm.yaml',
      'connections set-credentials -a crm --env live -e API_KEY=<secret:CRM_KEY> -e REGION=eu-<secret:CRM_REGION>',
      'tools import -k python -f tools/a/a.py -a crm',
      'tools import -k flow -f flows/f.json',
      'knowledge-bases import -f knowledge_bases/kb.yaml',
      'voice-configs import -f voice/v.yaml',
      'agents import -f agents/worker.yaml',
      'agents import -f agents/sup.yaml',
      'agents deploy -n worker',
      'agents deploy -n sup',
    ]);
    expect(live.operations.find((o) => o.name === 'flow_f')!.reason).toBe("again: draft may hold dev (v1.4.0-dev.2)'s version");
    expect(live.changed).toEqual(['agent worker']); // what changed is still only what changed
    // Without a sibling deploy only the agent is imported and the two deployed.
    expect(argvOf(computePlan(base, head, { stage: 'live' }))).toEqual([
      'agents import -f agents/worker.yaml',
      'agents deploy -n worker',
      'agents deploy -n sup',
    ]);
    // A draft stage is the draft: all of it comes back.
    expect(
      argvOf(computePlan(base, head, { stage: 'draft', draftTouchedBy: 'qa (v1.4.0-qa)' })).filter((a) => a.includes('import')),
    ).toHaveLength(13);
  });

  it('an agent that changes kind is removed under its old kind before it is imported again', () => {
    const base = set({ 'agents/x.yaml': agent('x') });
    const head = set({ 'agents/x.yaml': 'spec_version: v1\nkind: external\nname: x\ndescription: d\napi_url: https://x\n' });
    expect(argvOf(computePlan(base, head, { stage: 'draft' }))).toEqual(['agents remove -n x -k native', 'agents import -f agents/x.yaml']);
  });

  it('refuses a collaborator cycle', () => {
    const head = set({
      'agents/a.yaml': agent('a', 'collaborators:\n  - b\n'),
      'agents/b.yaml': agent('b', 'collaborators:\n  - c\n'),
      'agents/c.yaml': agent('c', 'collaborators:\n  - a\n'),
    });
    expect(() => computePlan(undefined, head, { stage: 'draft' })).toThrow(PlanError);
    expect(() => computePlan(undefined, head, { stage: 'draft' })).toThrow('collaborator cycle: a → b → c → a');
  });

  it('builds credential arguments from literal text and secrets', () => {
    expect(credentialArg('', 'plain')).toBe('plain');
    expect(credentialArg('K=', '${A}-${B}')).toEqual({ parts: ['K=', { secret: 'A' }, '-', { secret: 'B' }] });
    expect(displayArgv('orchestrate', ['x', 'two words', { parts: [{ secret: 'S' }] }])).toBe("orchestrate x 'two words' <secret:S>");
  });
});

describe('judging orchestrate output', () => {
  it.each([
    [['agents', 'import'], 0, "[INFO] - Agent 'a' imported successfully", true],
    [['agents', 'deploy'], 0, '[ERROR] - Error deploying agent a', false],
    [['tools', 'import'], 1, 'SomeError: boom', false],
    [['knowledge-bases', 'import'], 0, "✗ Knowledge base 'kb' import failed", false],
    [['knowledge-bases', 'import'], 0, "✗ Knowledge base 'kb' update failed", false],
    [['knowledge-bases', 'import'], 0, '[WARNING] - Status polling timed out after 20 minutes', false],
    [['tools', 'import'], 0, "[WARNING] - No valid 'python' tools found in file x.py", false],
    [['env', 'list'], 0, '[ERROR] - could not parse a record\nwxo-dev-qa  https://x  (active)', true],
    // A removal of something already gone is done (a rerun after a failure midway through the removals) …
    [['knowledge-bases', 'remove', '-n', 'kb'], 1, "[WARNING] - No knowledge base 'kb' found", true],
    [['connections', 'remove', '-a', 'crm'], 1, '[INFO] - Removing connection \'crm\'\n[ERROR] - {"detail":"Not Found"}', true],
    [['connections', 'remove', '-a', 'crm'], 1, "[ERROR] - Connection 'crm' does not exist", true],
    [['models', 'policy', 'remove', '-n', 'p'], 1, "[ERROR] - Model policy 'p' NOT FOUND", true],
    [
      ['channels', 'delete', '--agent-name', 'a', '--env', 'live', '--type', 'webchat', '--name', 'web', '--yes'],
      1,
      "[ERROR] - Channel 'web' not found",
      true,
    ],
    [['agents', 'remove', '-n', 'a', '-k', 'native'], 0, "[WARNING] - No agent named 'a' found", true],
    // … but not another failure that says "not found", nor a not-found of anything but a removal.
    [['knowledge-bases', 'remove', '-n', 'kb'], 1, '[ERROR] - No active environment found', false],
    [['knowledge-bases', 'remove', '-n', 'kb'], 2, "Usage error: No knowledge base 'kb' found", false],
    [['knowledge-bases', 'remove', '-n', 'kb'], 1, "[ERROR] - Failed to remove knowledge base 'kb': permission denied", false],
    [['agents', 'import', '-f', 'a.yaml'], 1, "[ERROR] - Tool 'a' not found", false],
  ] as const)('%j exit %i: %s → ok=%s', (argv, code, output, ok) => {
    expect(judgeOutput(argv, code, output).ok).toBe(ok);
  });

  it('strips ANSI colours and reads env list rows', () => {
    expect(stripAnsi('\x1b[32m[INFO]\x1b[0m - ok')).toBe('[INFO] - ok');
    expect(
      envListed('\x1b[33m[WARNING]\x1b[0m - x\nwxo-dev-qa   https://u   \x1b[32m(active)\x1b[0m\nother  https://v\n', 'wxo-dev-qa'),
    ).toBe(true);
    expect(envListed('wxo-dev-qa-2  https://u\n', 'wxo-dev-qa')).toBe(false);
  });
});

describe('secrets', () => {
  it('masks values, their JSON-escaped and URL-encoded spellings, longest first', () => {
    const m = new Masker();
    m.add('A', 'p@ss"word/1');
    m.add('B', 'p@ss');
    expect(m.mask('raw p@ss"word/1, json p@ss\\"word/1, url p%40ss%22word%2F1, short p@ss')).toBe(
      'raw <secret:A>, json <secret:A>, url <secret:A>, short <secret:B>',
    );
  });

  it('reads dotenv, JSON and YAML secret files', () => {
    expect(Object.fromEntries(parseSecretFile('s.env', '# c\nexport A=1\nB="two words"\nC=\'x#y\'\nD=plain # note\n'))).toEqual({
      A: '1',
      B: 'two words',
      C: 'x#y',
      D: 'plain',
    });
    expect(Object.fromEntries(parseSecretFile('s.json', '{"A": "1", "N": 2}'))).toEqual({ A: '1', N: '2' });
    expect(Object.fromEntries(parseSecretFile('s.yaml', 'A: one\nB: "2"\n'))).toEqual({ A: 'one', B: '2' });
    // An invalid file is reported without quoting its content.
    expect(() => parseSecretFile('s.json', '{"A": "hunter2",')).toThrow(/not valid JSON$/);
  });
});

describe('tenant.yaml against the policy tenant', () => {
  const tenant = { name: 't', orchestrate: { env_name: 'e', url: 'https://u/', auth_type: 'ibm_iam', api_key_secret: 'K' } };
  it("agrees, or names every difference of the orchestrate settings (the tenant name is the tenant-binding rule's)", () => {
    expect(tenantFileMismatches({ envName: 'e', url: 'https://u', authType: 'ibm_iam', apiKeySecret: 'K' }, tenant, 'dev')).toEqual([]);
    expect(tenantFileMismatches({ envName: 'e2', url: 'https://v' }, tenant, 'dev')).toEqual([
      'tenant.yaml orchestrate.env_name is "e2", but the policy\'s tenant of environment dev has "e"',
      'tenant.yaml orchestrate.url is "https://v", but the policy\'s tenant of environment dev has "https://u/"',
    ]);
    expect(tenantFileMismatches(undefined, tenant, 'dev')).toEqual([
      'tenant.yaml is missing: the branch does not say which tenant it deploys to',
    ]);
  });
});
