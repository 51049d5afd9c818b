import { chmodSync, cpSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createRequire as requireFrom } from 'node:module';

// ajv-draft-04 is CommonJS; require gives its class without ESM interop guesswork.
const AjvDraft04 = requireFrom(import.meta.url)('ajv-draft-04') as typeof import('ajv').default;
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { DEFAULT_POLICY, minimalGitops } from './helpers/gitops.js';
import { computePlan } from '../src/deploy/plan.js';
import { buildResourceSet } from '../src/deploy/resources.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { createRepo, type TestRepo } from './helpers/repo.js';
import { fake } from './helpers/secrets.js';

/** `check` over files: rules, edge cases of file content and names, every report format. */
const check = (repo: TestRepo, ...args: string[]) => runCli(['check', ...args], { cwd: repo.dir, env: repo.env });
const agent = (extra = '') =>
  `spec_version: v1\nkind: native\nname: helper\ndescription: Answers questions\nllm: \${values.llm.default}\ntools: []\n${extra}`;

function gitops(files: Record<string, string | Buffer> = {}): TestRepo {
  const repo = createRepo({ branch: 'feature/x' });
  repo.write({ ...minimalGitops(), ...files });
  repo.commitAll('initial');
  return repo;
}

describe('the example repository', () => {
  it('passes check --all cleanly on develop', () => {
    const repo = createRepo({ branch: 'develop' });
    cpSync(join(PROJECT_ROOT, 'examples', 'gitops-repo'), repo.dir, { recursive: true });
    repo.commitAll('example');
    const r = check(repo, '--all');
    expect(r.stdout).toMatch(/✔ no problems in \d+ files/);
    expect(r.status).toBe(0);
  });

  it('ships the Jenkinsfile that init writes', () => {
    expect(readFileSync(join(PROJECT_ROOT, 'examples', 'gitops-repo', 'Jenkinsfile'), 'utf8')).toBe(
      readFileSync(join(PROJECT_ROOT, 'policies', 'Jenkinsfile'), 'utf8'),
    );
  });
});

describe('YAML as the ADK reads it', () => {
  it('reads yes/no as booleans and dates as strings, warns about duplicate keys', () => {
    const repo = gitops({
      // `hidden: yes` is the boolean true for PyYAML (YAML 1.1): valid for a boolean field.
      'agents/helper.yaml': agent('hidden: yes\nname: helper\n'),
      // an unquoted date stays a string (the ADK's assistant sample relies on it)
      'agents/hr.yaml': 'spec_version: v1\nkind: assistant\nname: hr\ndescription: HR\nconfig:\n  api_version: 2021-11-27\n',
    });
    const r = check(repo, '--all');
    expect(r.stdout).toContain('agents/helper.yaml:8:1 warning yaml-syntax duplicate key "name": the ADK keeps the last value');
    expect(r.stdout).not.toContain('hidden');
    expect(r.stdout).not.toContain('api_version');
    expect(r.status).toBe(0);
  });

  it('reports syntax errors with line:column, a top level that is not a mapping, and several documents', () => {
    const repo = gitops({
      'agents/broken.yaml': 'spec_version: v1\nname: x\n  description: bad indent\n',
      'agents/list.yaml': '- a\n- b\n',
      'agents/two.yaml': 'spec_version: v1\nname: two\ndescription: d\n---\nname: three\n',
      'flows/bad.json': '{\n  "spec": {\n    "name": "x",\n  }\n}\n',
    });
    const r = check(repo, '--all');
    expect(r.stdout).toContain('agents/broken.yaml:2:7 error yaml-syntax Nested mappings are not allowed in compact mappings');
    expect(r.stdout).toContain('agents/list.yaml:1:1 error schema the top level must be a mapping (found a list)');
    expect(r.stdout).toContain('agents/two.yaml:1:1 error yaml-syntax 2 YAML documents in one file: the ADK reads exactly one');
    expect(r.stdout).toMatch(/flows\/bad\.json:4:3 error yaml-syntax invalid JSON/);
    expect(r.status).toBe(1);
  });

  it('invalid JSON: the position of the error, and never the text around it', () => {
    const secret = fake.password();
    const repo = gitops({ 'flows/leaky.json': `{\n  "spec": {\n    "name": "x",\n    "api_key": sk-${secret}\n  }\n}\n` });
    const r = check(repo, '--all');
    expect(r.stdout).toContain('flows/leaky.json:4:16 error yaml-syntax invalid JSON: unexpected character where a value should start');
    // Node's own message quotes the source around the error: not one piece of it may be printed.
    expect(r.output).not.toContain(secret.slice(0, 4));
    expect(r.status).toBe(1);
  });
});

describe('references', () => {
  it('finds missing tools, collaborators, knowledge bases, connections, documents and values', () => {
    const repo = gitops({
      'agents/helper.yaml': agent('collaborators: [ghost]\nknowledge_base: [kb_missing]\n').replace(
        'tools: []',
        'tools: [nope, i__get_flow_status_intrinsic_tool__]',
      ),
      'knowledge_bases/kb/kb.yaml': 'spec_version: v1\nkind: knowledge_base\nname: kb\ndescription: d\ndocuments:\n  - guide.md\n',
      'toolkits/mcp.yaml':
        'spec_version: v1\nkind: mcp\nname: mcp\ndescription: d\nurl: https://mcp.example\ntransport: sse\nconnections: [crm]\n',
      'connections/other.yaml':
        'spec_version: v1\nkind: connection\napp_id: other\nenvironments:\n  draft:\n    kind: bearer\n    type: team\n    server_url: ${values.missing.url}\n    credentials:\n      token: ${OTHER_TOKEN}\n',
    });
    const r = check(repo, '--all');
    expect(r.stdout).toContain(
      'agents/helper.yaml:6:9 error references agent "helper" refers to tool "nope" (tools), which is not defined in the repository',
    );
    expect(r.stdout).not.toContain('i__get_flow_status_intrinsic_tool__'); // platform-provided
    expect(r.stdout).toContain('refers to agent "ghost" (collaborators)');
    expect(r.stdout).toContain('refers to knowledge base "kb_missing" (knowledge_base)');
    expect(r.stdout).toContain('toolkit "mcp" refers to connection "crm" (connections)');
    expect(r.stdout).toContain(
      'knowledge base "kb" lists document "guide.md", which is not in the repository (knowledge_bases/kb/guide.md)',
    );
    expect(r.stdout).toContain('connections/other.yaml:8:17 error references ${values.missing.url} is not defined in values.yaml');
    expect(r.status).toBe(1);
  });

  it('finds duplicate names and collaborator cycles', () => {
    const a = (name: string, collaborator: string) =>
      `spec_version: v1\nname: ${name}\ndescription: d\nllm: x/y/z\ncollaborators: [${collaborator}]\n`;
    const repo = gitops({
      'agents/a.yaml': a('alpha', 'beta'),
      'agents/b.yaml': a('beta', 'gamma'),
      'agents/c.yaml': a('gamma', 'alpha'),
      'agents/dup.yaml': a('alpha', 'beta'),
    });
    const r = check(repo, '--all');
    expect(r.stdout).toContain('agents/dup.yaml:2:7 error references agent "alpha" is also defined in agents/a.yaml:2');
    expect(r.stdout).toContain('collaborator cycle: alpha → beta → gamma → alpha');
  });
});

describe('references: the live configuration of the connections released agents use (check and plan agree)', () => {
  const crm = (envs: ('draft' | 'live')[]) =>
    `spec_version: v1\nkind: connection\napp_id: crm\nenvironments:\n${envs.map((e) => `  ${e}:\n    kind: api_key\n    type: team\n    credentials:\n      api_key: \${CRM_${e.toUpperCase()}}\n`).join('')}`;
  const lookup = '@tool(expected_credentials=[ExpectedCredentials(app_id="crm")])\ndef lookup_customer():\n    pass\n';
  const files = (envs: ('draft' | 'live')[], agentFile = agent().replace('tools: []', 'tools: [lookup_customer]')) => ({
    'connections/crm.yaml': crm(envs),
    'tools/lookup/lookup.py': lookup,
    'agents/helper.yaml': agentFile,
  });
  const GAP = 'connection "crm" has no live configuration (environments.live), but agent helper uses it and is released to a live stage';

  it('a connection without its live block, used (through a tool) by a native agent: a finding in check, the same refusal in plan', () => {
    const repo = gitops(files(['draft']));
    const r = check(repo, '--all');
    expect(r.stdout).toContain(`connections/crm.yaml:3:9 error references ${GAP}`);
    expect(r.status).toBe(1);
    // the plan of a live stage refuses with the same judgement and the same words
    const policy = parsePolicy(
      readFileSync(join(repo.dir, 'wxo-policy.yaml'), 'utf8'),
      'wxo-policy.yaml',
      readFileSync(join(repo.dir, 'wxo-policy.yaml'), 'utf8'),
    );
    const all = { ...minimalGitops(), ...files(['draft']) };
    const set = buildResourceSet(
      { paths: Object.keys(all), content: new Map(Object.entries(all).map(([p, t]) => [p, Buffer.from(t)])) },
      policy,
    );
    expect(() => computePlan(undefined, set, { stage: 'live' })).toThrow(`connections/crm.yaml: ${GAP}`);
  });

  it('no finding with a live block, for an agent that has no live version (external), or when no environment is live', () => {
    expect(check(gitops(files(['draft', 'live'])), '--all').stdout).not.toContain('live configuration');
    const external = 'spec_version: v1\nkind: external\nname: helper\ndescription: d\napi_url: https://x.example\napp_id: crm\n';
    expect(check(gitops(files(['draft'], external)), '--all').stdout).not.toContain('live configuration');
    const draftOnly = DEFAULT_POLICY.replace(/stage: live/g, 'stage: draft');
    expect(draftOnly).not.toBe(DEFAULT_POLICY);
    expect(check(gitops({ ...files(['draft']), 'wxo-policy.yaml': draftOnly }), '--all').stdout).not.toContain('live configuration');
  });

  it('a staged change of the connection alone is judged with the whole way from the agent (files outside the partial context read)', () => {
    const repo = gitops(files(['draft', 'live']));
    // a first staged check of the connection puts the facts of the other files into the facts cache
    // (.git): they keep only agent-to-agent references
    repo.write({ 'connections/crm.yaml': `# the CRM\n${crm(['draft', 'live'])}` });
    repo.run('add', 'connections/crm.yaml');
    expect(check(repo, '--staged').status).toBe(0);
    repo.write({ 'connections/crm.yaml': crm(['draft']) });
    repo.run('add', 'connections/crm.yaml');
    const staged = check(repo, '--staged');
    expect(staged.stdout).toContain(`connections/crm.yaml:3:9 error references ${GAP}`);
    expect(staged.status).toBe(1);
    // …and a staged change of the agent that starts using the connection's tool
    const repo2 = gitops(files(['draft'], agent()));
    expect(check(repo2, '--staged').stdout).not.toContain('live configuration');
    repo2.write({ 'agents/helper.yaml': agent().replace('tools: []', 'tools: [lookup_customer]') });
    repo2.run('add', 'agents/helper.yaml');
    expect(check(repo2, '--staged').stdout).toContain(`connections/crm.yaml:3:9 error references ${GAP}`);
  });

  it('with many connections outside the partial context, their stages come from the facts cache and still judge', () => {
    // more connection files than a partial check reads itself: their facts come from the cache (.git)
    const others = Object.fromEntries(
      Array.from({ length: 70 }, (_, i) => [
        `connections/other_${i}.yaml`,
        crm(['draft', 'live']).replace('app_id: crm', `app_id: other_${i}`),
      ]),
    );
    const repo = gitops({ ...others, ...files(['draft'], agent()) });
    repo.write({ 'docs/notes.md': '# notes\n', 'agents/helper.yaml': agent('display_name: Helper\n') });
    repo.run('add', '-A');
    expect(check(repo, '--staged').stdout).not.toContain('live configuration'); // fills the cache
    repo.write({ 'agents/helper.yaml': agent().replace('tools: []', 'tools: [lookup_customer]') });
    repo.run('add', 'agents/helper.yaml');
    const staged = check(repo, '--staged');
    expect(staged.stdout).toContain(`connections/crm.yaml:3:9 error references ${GAP}`);
    expect(staged.status).toBe(1);
  });
});

describe('code-bundle agents', () => {
  it('check says why a code-bundle agent (kind: agent) is not deployed by wxo-policy', () => {
    const hotel = readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'adk', 'examples', 'hotel_list_agent', 'agent.yaml'), 'utf8');
    const r = check(gitops({ 'agents/hotel/agent.yaml': hotel }), '--all');
    expect(r.stdout).toContain('agents/hotel/agent.yaml:2:7 error schema kind: cannot be imported with `orchestrate agents import`');
    expect(r.stdout).toContain(
      'the ADK imports its directory with the experimental `orchestrate agents import --experimental-package-root DIR`, which wxo-policy does not deploy',
    );
    expect(r.status).toBe(1);
  });
});

describe('files are validated as they will be deployed', () => {
  it('substitutes ${values.x} from values.yaml before the schema check', () => {
    const withStyle = (style: string) =>
      gitops({
        'values.yaml': `tenant: dev-qa-tenant\nvalues:\n  llm:\n    default: groq/openai/gpt-oss-120b\n  agents:\n    style: ${style}\n    hidden: yes\n`,
        'agents/helper.yaml': agent('style: ${values.agents.style}\nhidden: ${values.agents.hidden}\n'),
      });
    const bad = check(withStyle('fancy'), '--all');
    expect(bad.stdout).toContain('agents/helper.yaml:7:8 error schema style: "fancy" is not one of');
    expect(bad.status).toBe(1);
    const good = check(withStyle('react'), '--all');
    expect(good.stdout).toContain('no problems');
    expect(good.status).toBe(0);
  });
});

describe('secrets and connection templates', () => {
  it('masks secrets in every format and reports them with a suppression hash', () => {
    const password = fake.password();
    const key = fake.ibmApiKey();
    const aws = fake.awsAccessKeyId();
    const repo = gitops({
      'agents/helper.yaml': agent(`password: ${password}\n`),
      'tools/client/client.py': `IBMCLOUD_API_KEY = "${key}"\n`,
      'docs/aws.md': `key id ${aws}\n`,
    });
    for (const format of ['text', 'json', 'junit', 'sarif']) {
      const r = check(repo, '--all', '--format', format);
      expect(r.status).toBe(1);
      for (const secret of [password, key, aws]) expect(r.output).not.toContain(secret);
    }
    const text = check(repo, '--all').stdout;
    expect(text).toMatch(
      /agents\/helper\.yaml:7:11 error secrets credential-named key "password" holds a literal value \*+ \(\d+ chars\); use a \$\{NAME\} placeholder .*\(hash [0-9a-f]{16}\)/,
    );
    expect(text).toContain('tools/client/client.py:1:21 error secrets IBM Cloud / wxO API key');
    expect(text).toMatch(/docs\/aws\.md:1:8 error secrets AWS access key id AKIA\*+ \(20 chars\)/);
  });

  it('does not flag placeholders, documentation examples and dummies', () => {
    const repo = gitops({
      'docs/examples.md': [
        'AKIAIOSFODNN7EXAMPLE',
        'https://user:password@example.com/path',
        'postgres://app:${DB_PASSWORD}@db/app',
        'password: changeme',
        'api_key: your-api-key-here',
        'token: dummy-token-for-tests',
        'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.',
      ].join('\n'),
      'agents/helper.yaml': agent('password: ${HELPER_PASSWORD}\n'),
    });
    const r = check(repo, '--all');
    expect(r.stdout).not.toContain('error secrets');
  });

  it('suppresses with inline comments and the policy allowlist, and reports stale suppressions', () => {
    const token = fake.githubToken();
    const other = fake.githubToken();
    const repo = gitops({
      'docs/a.md': `one ${token} # wxo-policy-ignore secrets -- vendor sandbox token\n`,
      'docs/b.md': `two ${other}\n`,
      'docs/c.md': 'clean # wxo-policy-ignore secrets\n',
    });
    const first = check(repo, '--all', '--format', 'json');
    const findings = JSON.parse(first.stdout).findings as { rule: string; file: string; hash?: string; suppressed?: string }[];
    expect(findings.find((f) => f.file === 'docs/a.md')?.suppressed).toBe('inline comment at line 1');
    expect(findings.find((f) => f.file === 'docs/c.md')).toMatchObject({ rule: 'suppression' });
    const hash = findings.find((f) => f.file === 'docs/b.md' && f.rule === 'secrets')!.hash!;
    const policy = readFileSync(join(repo.dir, 'wxo-policy.yaml'), 'utf8').replace(
      'suppressions: []',
      `suppressions:\n  - { rule: secrets, hash: ${hash.slice(0, 16)}, reason: rotated and revoked }\n  - { rule: secrets, hash: 0123456789abcdef, reason: old entry }\n  - { rule: secrets, hash: ${hash.slice(0, 12)}, reason: expired one, expires: 2020-01-01 }`,
    );
    repo.write({ 'wxo-policy.yaml': policy, 'docs/c.md': 'clean\n' });
    repo.commitAll('allowlist');
    const r = check(repo, '--all');
    expect(r.stdout).not.toContain('error secrets');
    // Each at its own entry of the allowlist (the second and the third).
    const entries = policy.split('\n').indexOf('suppressions:') + 1;
    expect(r.stdout).toContain(
      `wxo-policy.yaml:${entries + 2}:5 warning suppression suppression 0123456789ab (secrets) matches no finding`,
    );
    expect(r.stdout).toMatch(
      new RegExp(`wxo-policy\\.yaml:${entries + 3}:5 warning suppression suppression [0-9a-f]{12} \\(secrets\\) expired on 2020-01-01`),
    );
    expect(r.stdout).toContain('2 suppressed');
    expect(r.status).toBe(0);
  });

  it('connection-template: credentials are placeholders and complete for their kind', () => {
    const secret = fake.password();
    const repo = gitops({
      'connections/crm.yaml': `spec_version: v1\nkind: connection\napp_id: crm\nenvironments:\n  draft:\n    kind: basic\n    type: team\n    credentials:\n      username: \${CRM_USER}\n      password: ${secret}\n  live:\n    kind: oauth_auth_client_credentials_flow\n    type: team\n    credentials:\n      client_id: \${CRM_ID}\n      token_url: https://login.example/token\n`,
    });
    const r = check(repo, '--all');
    expect(r.stdout).toContain(
      'connections/crm.yaml:10:17 error connection-template draft: credentials.password must be a ${NAME} placeholder, not a literal value',
    );
    expect(r.stdout).toContain(
      'connections/crm.yaml:15:7 error connection-template live: a oauth_auth_client_credentials_flow connection needs credentials "client_secret"',
    );
    expect(r.output).not.toContain(secret);
  });

  it('forbidden files are refused wherever they are', () => {
    const repo = gitops({
      '.env': 'A=1\n',
      'config/.env.local': 'B=2\n',
      '.env.example': 'A=\n',
      'certs/server.key': 'not really\n',
      'connections/crm.rendered.yaml': 'x: 1\n',
    });
    const r = check(repo, '--all');
    for (const f of ['.env', 'config/.env.local', 'certs/server.key', 'connections/crm.rendered.yaml'])
      expect(r.stdout).toContain(`${f}:1:1 error forbidden-files`);
    expect(r.stdout).not.toContain('.env.example:1:1');
  });
});

describe('awkward files', () => {
  it('skips binary files for YAML rules, handles odd names, and reports huge and unreadable files', () => {
    const token = fake.githubToken();
    const repo = gitops({
      'docs/image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]),
      'agents/binary.yaml': Buffer.from([0, 1, 2, 3]),
      'docs/with space é.md': `${token}\n`,
      'docs/new\nline.md': `${token}\n`,
    });
    const r = check(repo, '--all');
    expect(r.stdout).toContain('agents/binary.yaml:1:1 error yaml-syntax binary content where YAML/JSON is expected');
    expect(r.stdout).not.toContain('image.png');
    expect(r.stdout).toContain('docs/with space é.md:1:1 error secrets GitHub token');
    expect(r.stdout).toContain('"docs/new\\nline.md":1:1 error secrets GitHub token');
    const sarif = JSON.parse(check(repo, '--all', '--format', 'sarif').stdout);
    const uris = sarif.runs[0].results.map((x: any) => x.locations?.[0]?.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('docs/with%20space%20%C3%A9.md');

    const big = createRepo({ branch: 'feature/x' });
    big.write({
      ...minimalGitops(),
      'wxo-policy.yaml': minimalGitops()['wxo-policy.yaml']!.replace('max_file_bytes: 10485760', 'max_file_bytes: 1000'),
      'docs/big.md': 'x'.repeat(5000),
    });
    big.commitAll('big');
    expect(check(big, '--all').stdout).toContain(
      'docs/big.md:1:1 warning secrets file is 5000 bytes, over the 1000-byte scan limit (secrets.max_file_bytes): not parsed; scanned for secrets as text, in chunks',
    );

    const unreadable = gitops();
    unreadable.write({ 'docs/secret.md': 'hello\n' });
    chmodSync(join(unreadable.dir, 'docs/secret.md'), 0);
    const u = check(unreadable, 'docs/secret.md');
    if (process.getuid?.() !== 0) expect(u.stdout).toContain('docs/secret.md:1:1 warning secrets cannot read the file');
    expect([0, 1]).toContain(u.status);
  });

  it('checks explicit paths (tracked or not) and exits 2 for a missing one', () => {
    const repo = gitops();
    repo.write({ 'agents/new.yaml': agent('style: fancy\n').replace('name: helper', 'name: newer') });
    const r = check(repo, 'agents/new.yaml');
    expect(r.stdout).toContain('agents/new.yaml:7:8 error schema style: "fancy" is not one of');
    expect(check(repo, 'agents/none.yaml').status).toBe(2);
  });
});

describe('report formats', () => {
  function dirty(): TestRepo {
    return gitops({ 'agents/helper.yaml': agent('style: fancy\nunknown_key: 1\n'), 'docs/t.md': `token ${fake.githubToken()}\n` });
  }

  it('text: colour only on a terminal or with FORCE_COLOR, never with NO_COLOR', () => {
    const repo = dirty();
    expect(check(repo, '--all').stdout).not.toContain('\x1b[');
    expect(runCli(['check', '--all'], { cwd: repo.dir, env: { ...repo.env, NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).toContain(
      '\x1b[31merror',
    );
    expect(runCli(['check', '--all'], { cwd: repo.dir, env: { ...repo.env, NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout).not.toContain(
      '\x1b[',
    );
  });

  it('json: summary and findings', () => {
    const r = JSON.parse(check(dirty(), '--all', '--format', 'json').stdout);
    expect(r.tool.name).toBe('wxo-policy');
    expect(r.summary).toMatchObject({ errors: 2, warnings: 1 });
    expect(r.findings.map((f: any) => f.rule).sort()).toEqual(['schema', 'schema', 'secrets']);
  });

  it('junit: well-formed XML Jenkins can read', () => {
    const xml = check(dirty(), '--all', '--format', 'junit').stdout;
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    const suites = doc.testsuites.testsuite as any[];
    expect(doc.testsuites['@_failures']).toBe('2');
    const schema = suites.find((s) => s['@_name'] === 'wxo-policy schema');
    expect(schema.testcase['@_name']).toBe('agents/helper.yaml');
    expect(schema.testcase.failure['#text']).toContain('agents/helper.yaml:7:8 style: "fancy" is not one of');
    expect(schema.testcase['system-out']).toContain('unknown key "unknown_key"');
    expect(suites.find((s) => s['@_name'] === 'wxo-policy references').testcase['@_name']).toBe('no findings');
  });

  it('sarif: valid SARIF 2.1.0', () => {
    const sarif = JSON.parse(check(dirty(), '--all', '--format', 'sarif').stdout);
    const schema = JSON.parse(
      readFileSync(createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    );
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, logger: false });
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors, null, 1)).toBe(true);
    const results = sarif.runs[0].results;
    expect(results.find((r: any) => r.ruleId === 'schema' && r.level === 'error').locations[0].physicalLocation.region).toEqual({
      startLine: 7,
      startColumn: 8,
    });
    expect(results.find((r: any) => r.ruleId === 'secrets').partialFingerprints['matchedValueHash/v1']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('--output writes the report and keeps the text report on the terminal', () => {
    const repo = dirty();
    const r = check(repo, '--all', '--output', 'out/report.sarif', '--output', 'out/report.xml');
    expect(r.stdout).toContain('error schema');
    expect(JSON.parse(readFileSync(join(repo.dir, 'out/report.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(join(repo.dir, 'out/report.xml'), 'utf8')).toMatch(/^<\?xml/);
  });
});
