import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isolatedEnv } from './helpers/env.js';
import { installFakeOrchestrate, type FakeOrchestrate } from './helpers/fakeOrchestrate.js';
import { tempDir } from './helpers/tmp.js';

/**
 * The strict, stateful `orchestrate` stand-in (examples/orchestrate-stand-in.cjs) against what the
 * ADK 2.9.0 does: typer's refusals (from the CLI oracle scripts/adk-cli/surface.json), prompts on a
 * closed stdin, and the controllers' per-tenant behaviour. Each case names the ADK source it follows.
 */

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** ANSI-free stdout + stderr. */
  text: string;
}

function world() {
  const fake = installFakeOrchestrate();
  const dir = tempDir('wxo-standin-');
  const env = fake.env(isolatedEnv());
  const orchestrate = (args: string[], input?: string): Run => {
    const r = spawnSync('orchestrate', args, {
      cwd: dir,
      env,
      encoding: 'utf8',
      ...(input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input }),
    });
    const text = `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, text };
  };
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return name;
  };
  const login = (env = 'tenant-a') => {
    expect(orchestrate(['env', 'add', '-n', env, '-u', `https://api.${env}.example`, '-t', 'ibm_iam']).status).toBe(0);
    expect(orchestrate(['env', 'activate', env, '--api-key', 'not-a-real-key']).status).toBe(0);
  };
  return { fake, dir, orchestrate, file, login };
}

const CONNECTION = (kind = 'api_key', live = true) => `spec_version: v1
kind: connection
app_id: crm
environments:
  draft:
    kind: ${kind}
    type: team
    server_url: https://crm.example/draft
${live ? `  live:\n    kind: ${kind}\n    type: team\n    server_url: https://crm.example/live\n` : ''}`;
const TOOL = `from ibm_watsonx_orchestrate.agent_builder.tools import tool

@tool(expected_credentials=[{"app_id": "crm", "type": "api_key"}])
def lookup_customer(customer_id: str) -> str:
    """Looks a customer up."""
    return customer_id
`;
const AGENT = (tools = ['lookup_customer'], extra = '') => `spec_version: v1
kind: native
name: care
description: Customer care
llm: watsonx/ibm/granite-3-8b-instruct
style: default
tools: [${tools.join(', ')}]
${extra}`;

describe('orchestrate stand-in: strict like typer (CLI oracle)', () => {
  it('an unknown command, option or enum value, a missing required option or argument: exit 2 with the usage block', () => {
    const w = world();
    const noCommand = w.orchestrate(['agentz', 'list']);
    expect(noCommand.status).toBe(2);
    expect(noCommand.stderr).toContain("No such command 'agentz'.");
    expect(noCommand.stderr).toContain("Try 'orchestrate --help' for help.");
    const noOption = w.orchestrate(['agents', 'import', '--fle', 'x.yaml']);
    expect(noOption.status).toBe(2);
    expect(noOption.stderr).toContain('No such option: --fle');
    expect(noOption.stderr).toContain('Usage: orchestrate agents import [OPTIONS]');
    // `phone remove` does not exist in 2.9.0: it is `phone delete`
    expect(w.orchestrate(['phone', 'remove', '-n', 'x']).stderr).toContain("No such command 'remove'.");
    const missing = w.orchestrate(['agents', 'remove', '-n', 'care']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("Missing option '--kind' / '-k'.");
    const badEnum = w.orchestrate(['env', 'add', '-n', 'x', '-u', 'https://x', '-t', 'iam']);
    expect(badEnum.status).toBe(2);
    expect(badEnum.stderr).toContain(
      "Invalid value for '--type' / '-t': 'iam' is not one of 'ibm_iam', 'mcsp', 'mcsp_v1', 'mcsp_v2', 'cpd'.",
    );
    expect(w.orchestrate(['env', 'activate']).stderr).toContain("Missing argument 'NAME'.");
    expect(w.orchestrate(['env', 'activate', 'a', 'b']).stderr).toContain('Got unexpected extra argument (b)');
    expect(w.orchestrate(['env', 'add', '-n']).stderr).toContain("Option '-n' requires an argument.");
    // typer checks `exists=True` paths before the command runs (toolkits import -f)
    expect(w.orchestrate(['toolkits', 'import', '-f', 'nowhere.yaml']).stderr).toContain(
      "Invalid value for '--file' / '-f': File 'nowhere.yaml' does not exist.",
    );
    // the refused calls are still recorded
    expect(w.fake.commands()).toContain('agentz list');
  });

  it('accepts what typer accepts: --opt=value, the off form of a flag pair, combined short flags, --debug first', () => {
    const w = world();
    expect(w.orchestrate(['--debug', 'env', 'add', '--name=t', '--url=https://t.example']).status).toBe(0);
    expect(w.orchestrate(['env', 'activate', 't', '--api-key', 'k', '--enable-version-check']).status).toBe(0);
    w.file('kb.yaml', 'spec_version: v1\nkind: knowledge_base\nname: faq\ndescription: d\ndocuments: []\n');
    expect(w.orchestrate(['knowledge-bases', 'import', '-f', 'kb.yaml']).status).toBe(0);
    expect(
      w.orchestrate(['phone', 'import', '-f', w.file('p.yaml', 'name: line\nservice_provider: genesys_audio_connector\n')]).status,
    ).toBe(0);
    expect(w.orchestrate(['phone', 'delete', '-n', 'line', '-y']).status).toBe(0);
  });

  it('a command that would prompt reads stdin and fails when it is closed; an answer on stdin is used', () => {
    const w = world();
    expect(w.orchestrate(['env', 'add', '-n', 't', '-u', 'https://t.example']).status).toBe(0);
    // environment_controller.py:116 getpass for the API key
    const noKey = w.orchestrate(['env', 'activate', 't']);
    expect(noKey.status).toBe(1);
    expect(noKey.text).toContain('Please enter WXO API key:');
    expect(noKey.text).toContain('EOFError');
    // environment_controller.py:207 an existing env asks before it is updated
    const again = w.orchestrate(['env', 'add', '-n', 't', '-u', 'https://other.example']);
    expect(again.status).toBe(1);
    expect(again.text).toContain("Would you like to update the environment 't'? (Y/n)");
    expect(w.fake.state().envs.t!.url).toBe('https://t.example');
    expect(w.orchestrate(['env', 'add', '-n', 't', '-u', 'https://other.example'], 'y\n').status).toBe(0);
    expect(w.fake.state().envs.t!.url).toBe('https://other.example');
    // a CPD tenant asks for a username even with an API key (environment_controller.py:97-99)
    expect(w.orchestrate(['env', 'add', '-n', 'onprem', '-u', 'https://cpd-zen.example', '-t', 'cpd']).status).toBe(0);
    const cpd = w.orchestrate(['env', 'activate', 'onprem', '--api-key', 'k']);
    expect(cpd.status).toBe(1);
    expect(cpd.text).toContain('Please enter CPD Username:');
    expect(w.orchestrate(['env', 'activate', 'onprem', '-u', 'svc-deployer', '--api-key', 'k']).status).toBe(0);
    expect(w.fake.state().login.onprem).toMatchObject({ apiKey: true, username: 'svc-deployer' });
    // phone_command.py:86-87 typer.confirm without --yes: Aborted!
    w.file('p.yaml', 'name: line\nservice_provider: genesys_audio_connector\n');
    expect(w.orchestrate(['phone', 'import', '-f', 'p.yaml']).status).toBe(0);
    const confirm = w.orchestrate(['phone', 'delete', '-n', 'line']);
    expect(confirm.status).toBe(1);
    expect(confirm.text).toContain("Are you sure you want to delete phone config 'line'?");
    expect(confirm.text).toContain('Aborted!');
    expect(w.fake.state().tenants.onprem!.phone_configs!.line).toBeDefined();
  });
});

describe('orchestrate stand-in: per-tenant state as the controllers keep it', () => {
  it('commands need an active environment; tenants (orchestrate envs) hold their own objects', () => {
    const w = world();
    const none = w.orchestrate(['tools', 'list', '-v']);
    expect(none.status).toBe(1);
    expect(none.text).toContain('[ERROR]');
    w.login('tenant-a');
    w.file('crm.yaml', CONNECTION());
    expect(w.orchestrate(['connections', 'import', '-f', 'crm.yaml']).status).toBe(0);
    w.login('tenant-b');
    expect(JSON.parse(w.orchestrate(['connections', 'list', '-v']).stdout)).toEqual([]);
    expect(Object.keys(w.fake.state().tenants['tenant-a']!.connections!)).toEqual(['crm']);
    // environment_controller.py:141-150 activating an unknown env: [ERROR] at exit 0
    const unknown = w.orchestrate(['env', 'activate', 'nope', '--api-key', 'k']);
    expect(unknown.status).toBe(0);
    expect(unknown.text).toContain("[ERROR] - Environment 'nope' does not exist");
  });

  it('connections: import is an upsert per environment; a changed kind drops that environment credentials; set-credentials needs the config', () => {
    const w = world();
    w.login();
    w.file('crm.yaml', CONNECTION('api_key', false));
    const first = w.orchestrate(['connections', 'import', '-f', 'crm.yaml']);
    expect(first.text).toContain("Configuration successfully created for 'draft' environment of connection 'crm'.");
    // connections_controller.py:738-740 no live config yet
    const noLive = w.orchestrate(['connections', 'set-credentials', '-a', 'crm', '--env', 'live', '--api-key', 'k']);
    expect(noLive.status).toBe(1);
    expect(noLive.text).toContain("[ERROR] - No configuration 'live' found for connection 'crm'");
    // _validate_connection_params: api_key needs --api-key
    expect(w.orchestrate(['connections', 'set-credentials', '-a', 'crm', '--env', 'draft', '-u', 'x']).status).toBe(2);
    expect(w.orchestrate(['connections', 'set-credentials', '-a', 'crm', '--env', 'draft', '--api-key', 'k']).status).toBe(0);
    w.file('crm.yaml', CONNECTION('api_key', true));
    const again = w.orchestrate(['connections', 'import', '-f', 'crm.yaml']);
    expect(again.text).toContain("Configuration successfully updated for 'draft' environment of connection 'crm'.");
    expect(again.text).toContain("Configuration successfully created for 'live' environment of connection 'crm'.");
    expect(w.fake.state().tenants['tenant-a']!.connections!.crm.environments.draft.credentials).toEqual({
      fields: ['api_key'],
      idp: false,
    });
    // :452-454 a changed auth scheme removes the credentials of that environment only
    w.file('crm.yaml', CONNECTION('basic', true).replace('  live:\n    kind: basic', '  live:\n    kind: api_key'));
    const changed = w.orchestrate(['connections', 'import', '-f', 'crm.yaml']);
    expect(changed.text).toContain(
      "Detected a change in auth type from 'api_key_auth' to 'basic_auth'. The associated credentials will be removed.",
    );
    const rows = JSON.parse(w.orchestrate(['connections', 'list', '-v']).stdout) as Record<string, unknown>[];
    expect(rows).toEqual([
      expect.objectContaining({
        app_id: 'crm',
        environment: 'draft',
        security_scheme: 'basic_auth',
        auth_type: null,
        preference: 'team',
        credentials_entered: false,
      }),
      expect.objectContaining({ app_id: 'crm', environment: 'live', security_scheme: 'api_key_auth', credentials_entered: false }),
    ]);
    // connections export: both configurations as imported
    expect(w.orchestrate(['connections', 'export', '-a', 'crm', '-o', 'out.yaml']).status).toBe(0);
    expect(parse(readFileSync(join(w.dir, 'out.yaml'), 'utf8'))).toMatchObject({
      app_id: 'crm',
      environments: {
        draft: { kind: 'basic', server_url: 'https://crm.example/draft' },
        live: { kind: 'api_key', server_url: 'https://crm.example/live' },
      },
    });
    // :579-589 removing what is not there: the 404 body, exit 1
    expect(w.orchestrate(['connections', 'remove', '-a', 'crm']).status).toBe(0);
    const gone = w.orchestrate(['connections', 'remove', '-a', 'crm']);
    expect(gone.status).toBe(1);
    expect(gone.text).toContain('[ERROR] - {"detail":"Not Found"}');
  });

  it('an MCP toolkit re-import fails (it is never updated); removal of an unknown toolkit or tool only warns', () => {
    const w = world();
    w.login();
    w.file(
      'tk.yaml',
      'spec_version: v1\nkind: mcp\nname: docs\ndescription: d\npackage_root: .\ncommand: node index.js\ntools: ["search"]\n',
    );
    expect(w.orchestrate(['toolkits', 'import', '-f', 'tk.yaml']).status).toBe(0);
    const again = w.orchestrate(['toolkits', 'import', '-f', 'tk.yaml']);
    expect(again.status).toBe(1);
    expect(again.text).toContain("[ERROR] - Existing MCP toolkit found with name 'docs'. Failed to create toolkit.");
    const listed = JSON.parse(w.orchestrate(['toolkits', 'list', '-v']).stdout) as { name: string; tools: string[] }[];
    expect(listed).toEqual([expect.objectContaining({ name: 'docs', tools: [expect.any(String)] })]);
    expect(w.orchestrate(['toolkits', 'remove', '-n', 'docs']).status).toBe(0);
    expect(w.orchestrate(['toolkits', 'import', '-f', 'tk.yaml']).status).toBe(0);
    const unknown = w.orchestrate(['toolkits', 'remove', '-n', 'nope']);
    expect(unknown.status).toBe(0);
    expect(unknown.text).toContain("[WARNING] - No toolkit named 'nope' found");
    expect(w.orchestrate(['tools', 'remove', '-n', 'nope']).text).toContain("No tool named 'nope' found");
    // a knowledge base that is not there: a warning and exit 1 (knowledge_bases_controller.py:400)
    const kb = w.orchestrate(['knowledge-bases', 'remove', '-n', 'nope']);
    expect(kb.status).toBe(1);
    expect(kb.text).toContain("No knowledge base 'nope' found");
  });

  it('models and policies are stored as virtual-model/… and virtual-policy/…; removal needs the stored name', () => {
    const w = world();
    w.login();
    w.file('m.yaml', 'spec_version: v1\nname: watsonx/ibm/granite-custom\ndisplay_name: Granite\nmodel_type: chat\n');
    // model_provider_mapper.py:181-216: the provider's api_key comes from a key_value connection (-a), never from the file
    const noSecrets = w.orchestrate(['models', 'import', '-f', 'm.yaml']);
    expect(noSecrets.status).toBe(1);
    expect(noSecrets.text).toContain('Missing configuration variable(s) required for the provider watsonx:');
    expect(noSecrets.text).toContain(
      'create a key_value connection `orchestrate connections add` then bind it to the model with `--app-id`',
    );
    expect(w.orchestrate(['models', 'import', '-f', 'm.yaml', '-a', 'llm_keys']).text).toContain(
      "No connection exists with the app-id 'llm_keys'",
    );
    w.file('crm.yaml', CONNECTION());
    w.orchestrate(['connections', 'import', '-f', 'crm.yaml']);
    const notKeyValue = w.orchestrate(['models', 'import', '-f', 'm.yaml', '-a', 'crm']);
    expect(notKeyValue.status).toBe(1);
    expect(notKeyValue.text).toContain(
      "Only key_value_creds credentials are currently supported. Provided connection 'crm' is of type 'api_key_auth' in environment 'draft'",
    );
    w.file(
      'keys.yaml',
      'spec_version: v1\nkind: connection\napp_id: llm_keys\nenvironments:\n  draft:\n    kind: key_value\n    type: team\n',
    );
    expect(w.orchestrate(['connections', 'import', '-f', 'keys.yaml']).status).toBe(0);
    expect(w.orchestrate(['models', 'import', '-f', 'm.yaml', '-a', 'llm_keys']).text).toContain(
      "Successfully added the model 'virtual-model/watsonx/ibm/granite-custom'",
    );
    expect(w.orchestrate(['models', 'import', '-f', 'm.yaml', '-a', 'llm_keys']).text).toContain(
      "Model 'virtual-model/watsonx/ibm/granite-custom' updated successfully",
    );
    const stored = w.fake.state().tenants['tenant-a']!.models!['virtual-model/watsonx/ibm/granite-custom'] as {
      spec: { connection_id?: string };
    };
    expect(stored.spec.connection_id).toBe(
      (w.fake.state().tenants['tenant-a']!.connections!.llm_keys as { connection_id: string }).connection_id,
    );
    // a policy's targets name stored models
    w.file(
      'bad.yaml',
      'spec_version: v1\nname: router\npolicy:\n  strategy: {mode: fallback}\n  targets: [{model_name: watsonx/ibm/granite-custom}]\n',
    );
    const bad = w.orchestrate(['models', 'policy', 'import', '-f', 'bad.yaml']);
    expect(bad.status).toBe(1);
    expect(bad.text).toContain("No model found with the name 'watsonx/ibm/granite-custom'");
    w.file(
      'p.yaml',
      'spec_version: v1\nname: router\npolicy:\n  strategy: {mode: fallback}\n  targets: [{model_name: virtual-model/watsonx/ibm/granite-custom}]\n',
    );
    expect(w.orchestrate(['models', 'policy', 'import', '-f', 'p.yaml']).text).toContain(
      "Successfully added the model policy 'virtual-policy/router'",
    );
    // models_controller.py:621-633 / :363-373 unknown names are errors, exit 1
    const byFileName = w.orchestrate(['models', 'policy', 'remove', '-n', 'router']);
    expect(byFileName.status).toBe(1);
    expect(byFileName.text).toContain("[ERROR] - No model policy found with the name 'router'");
    expect(w.orchestrate(['models', 'policy', 'remove', '-n', 'virtual-policy/router']).status).toBe(0);
    expect(w.orchestrate(['models', 'remove', '-n', 'watsonx/ibm/granite-custom']).status).toBe(1);
    expect(w.orchestrate(['models', 'remove', '-n', 'virtual-model/watsonx/ibm/granite-custom']).status).toBe(0);
  });

  it('phone attach of an existing attachment fails; only Genesys configs attach; detach without --yes prompts', () => {
    const w = world();
    w.login();
    w.file('care.yaml', AGENT([]));
    expect(w.orchestrate(['agents', 'import', '-f', 'care.yaml']).status).toBe(0);
    w.file('g.yaml', 'spec_version: v1\nkind: phone\nname: line\nservice_provider: genesys_audio_connector\n');
    w.file('sip.yaml', 'spec_version: v1\nkind: phone\nname: trunk\nservice_provider: sip_trunk\n');
    expect(w.orchestrate(['phone', 'import', '-f', 'g.yaml']).status).toBe(0);
    expect(w.orchestrate(['phone', 'import', '-f', 'sip.yaml']).status).toBe(0);
    expect(w.orchestrate(['phone', 'import', '-f', 'g.yaml']).text).toContain("Successfully updated phone config 'line'");
    expect(w.orchestrate(['phone', 'attach', '-n', 'line', '--agent-name', 'care', '--env', 'draft']).status).toBe(0);
    const twice = w.orchestrate(['phone', 'attach', '-n', 'line', '--agent-name', 'care', '--env', 'draft']);
    expect(twice.status).toBe(1);
    expect(twice.text).toContain("[ERROR] - Agent 'care' / Environment 'draft' is already attached to phone config 'line'.");
    const sip = w.orchestrate(['phone', 'attach', '-n', 'trunk', '--agent-name', 'care', '--env', 'draft']);
    expect(sip.status).toBe(1);
    expect(sip.text).toContain('only supported for Genesys Audio Connector channels');
    expect(w.orchestrate(['phone', 'detach', '-n', 'line', '--agent-name', 'care', '--env', 'draft']).status).toBe(1);
    expect(w.orchestrate(['phone', 'detach', '-n', 'line', '--agent-name', 'care', '--env', 'draft', '--yes']).status).toBe(0);
    expect(w.fake.state().tenants['tenant-a']!.phone_configs!.line.attached).toEqual([]);
    const gone = w.orchestrate(['phone', 'delete', '-n', 'nope', '--yes']);
    expect(gone.status).toBe(1);
    expect(gone.text).toContain("Phone config with name 'nope' not found");
  });

  it('agents: references must exist; import is an upsert; deploy copies draft to live and needs live connections', () => {
    const w = world();
    w.login();
    w.file('care.yaml', AGENT());
    const early = w.orchestrate(['agents', 'import', '-f', 'care.yaml']);
    expect(early.status).toBe(1);
    expect(early.text).toContain("[ERROR] - Failed to find tool. No tools found with the name 'lookup_customer'");
    w.file('crm.yaml', CONNECTION('api_key', false));
    expect(w.orchestrate(['connections', 'import', '-f', 'crm.yaml']).status).toBe(0);
    w.file('tools/lookup.py', TOOL);
    const tool = w.orchestrate(['tools', 'import', '-k', 'python', '-f', 'tools/lookup.py', '-a', 'crm']);
    expect(tool.status).toBe(0);
    // a python tool needs the connection to exist (client/connections/utils.py:42-45), nothing more
    expect(w.orchestrate(['tools', 'import', '-k', 'python', '-f', 'tools/lookup.py', '-a', 'nope']).text).toContain(
      "No connection exists with the app-id 'nope'",
    );
    expect(w.orchestrate(['agents', 'import', '-f', 'care.yaml']).text).toContain("Agent 'care' imported successfully");
    expect(w.orchestrate(['agents', 'import', '-f', 'care.yaml']).text).toContain("Agent 'care' updated successfully");
    // the release fails without a live configuration of the tool's connection: [ERROR] at exit 0
    const deploy = w.orchestrate(['agents', 'deploy', '-n', 'care']);
    expect(deploy.status).toBe(0);
    expect(deploy.text).toContain('[ERROR] - Error deploying agent care');
    w.file('crm.yaml', CONNECTION('api_key', true));
    expect(w.orchestrate(['connections', 'import', '-f', 'crm.yaml']).status).toBe(0);
    expect(w.orchestrate(['connections', 'set-credentials', '-a', 'crm', '--env', 'live', '--api-key', 'k']).status).toBe(0);
    expect(w.orchestrate(['agents', 'deploy', '-n', 'care']).text).toContain('Successfully deployed agent care');
    const stored = w.fake.state().tenants['tenant-a']!.agents!.care;
    expect(stored.live).toEqual(stored.draft);
    // a later draft import leaves live alone
    w.file('care.yaml', AGENT(['lookup_customer'], 'instructions: be brief\n'));
    expect(w.orchestrate(['agents', 'import', '-f', 'care.yaml']).status).toBe(0);
    const after = w.fake.state().tenants['tenant-a']!.agents!.care;
    expect(after.draft.instructions).toBe('be brief');
    expect(after.live.instructions).toBeUndefined();
    // one name, one kind
    w.file('ext.yaml', 'spec_version: v1\nkind: external\nname: care\ndescription: d\napi_url: https://x\n');
    expect(w.orchestrate(['agents', 'import', '-f', 'ext.yaml']).text).toContain(
      "An agent with the name 'care' already exists with a different kind",
    );
    const removeWrongKind = w.orchestrate(['agents', 'remove', '-n', 'care', '-k', 'external']);
    expect(removeWrongKind.status).toBe(0);
    expect(removeWrongKind.text).toContain("No agent named 'care' found");
  });

  it('list -v prints JSON as the ADK does; agents export --agent-only writes the spec with names', () => {
    const w = world();
    w.login();
    w.file('crm.yaml', CONNECTION());
    w.orchestrate(['connections', 'import', '-f', 'crm.yaml']);
    w.file('tools/lookup.py', TOOL);
    w.orchestrate(['tools', 'import', '-k', 'python', '-f', 'tools/lookup.py', '-a', 'crm']);
    w.file('kb/kb.yaml', 'spec_version: v1\nkind: knowledge_base\nname: faq\ndescription: Answers\ndocuments: [faq.txt]\n');
    w.file('kb/faq.txt', 'Q: A\n');
    expect(w.orchestrate(['knowledge-bases', 'import', '-f', 'kb/kb.yaml']).status).toBe(0);
    w.file('care.yaml', AGENT(['lookup_customer'], 'knowledge_base: [faq]\n'));
    expect(w.orchestrate(['agents', 'import', '-f', 'care.yaml']).status).toBe(0);

    const tools = JSON.parse(w.orchestrate(['tools', 'list', '-v']).stdout) as {
      name: string;
      id: string;
      binding: { python: { connections: Record<string, string> } };
    }[];
    const connections = JSON.parse(w.orchestrate(['connections', 'list', '-v']).stdout) as { app_id: string; connection_id: string }[];
    expect(tools).toEqual([expect.objectContaining({ name: 'lookup_customer', permission: 'read_only', toolkit_id: null })]);
    expect(tools[0]!.binding.python.connections).toEqual({ crm: connections[0]!.connection_id });
    const kbs = JSON.parse(w.orchestrate(['knowledge-bases', 'list', '-v']).stdout) as { id: string; name: string }[];
    expect(kbs).toEqual([expect.objectContaining({ name: 'faq', description: 'Answers' })]);
    // agents_controller.py:2112-2357 — keyed by kind, references as ids
    const agents = JSON.parse(w.orchestrate(['agents', 'list', '-v']).stdout) as {
      native: { name: string; tools: string[]; knowledge_base: string[] }[];
      external: unknown;
      assistant: unknown;
    };
    expect(agents.external).toEqual([]);
    expect(agents.native).toEqual([expect.objectContaining({ name: 'care', tools: [tools[0]!.id], knowledge_base: [kbs[0]!.id] })]);
    expect(JSON.parse(w.orchestrate(['agents', 'list', '-k', 'external', '-v']).stdout)).toEqual({
      native: null,
      assistant: null,
      external: [],
    });

    const exported = w.orchestrate(['agents', 'export', '-n', 'care', '-k', 'native', '--agent-only', '-o', 'care.out.yaml']);
    expect(exported.text).toContain("Exported agent definition for 'care' to 'care.out.yaml'");
    const spec = parse(readFileSync(join(w.dir, 'care.out.yaml'), 'utf8')) as Record<string, unknown>;
    expect(spec).toMatchObject({ spec_version: 'v1', kind: 'native', name: 'care', tools: ['lookup_customer'], knowledge_base: ['faq'] });
    expect(spec).not.toHaveProperty('id');
    expect(w.orchestrate(['agents', 'export', '-n', 'care', '-k', 'native', '--agent-only', '-o', 'care.json']).text).toContain(
      "Output file must end with the extension '.yaml' or '.yml'",
    );
    const missing = w.orchestrate(['agents', 'export', '-n', 'nope', '-k', 'native', '--agent-only', '-o', 'x.yaml']);
    expect(missing.status).toBe(1);
    expect(missing.text).toContain("No agents with the name 'nope' found. Failed to get agent");
    expect(existsSync(join(w.dir, 'x.yaml'))).toBe(false);
  });

  it('tool names are stored as the ADK derives them: OpenAPI operationIds collapsed (Unicode-aware, no HEAD tool), flow names as written', () => {
    const w = world();
    w.login();
    const table = (
      JSON.parse(readFileSync(new URL('./fixtures/adk/openapi-tool-names.json', import.meta.url), 'utf8')) as { names: [string, string][] }
    ).names;
    const paths = Object.fromEntries(
      table.map(([id], i) => [
        `/p${i}`,
        {
          get: { operationId: id, description: 'd', responses: { '200': { description: 'ok' } } },
          head: { operationId: `head${i}`, description: 'd', responses: {} },
        },
      ]),
    );
    w.file('api.json', JSON.stringify({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths }));
    expect(w.orchestrate(['tools', 'import', '-k', 'openapi', '-f', 'api.json']).status).toBe(0);
    w.file('flow.json', JSON.stringify({ spec: { kind: 'flow', name: 'book-hotel', description: 'd' }, nodes: {}, edges: [] }));
    expect(w.orchestrate(['tools', 'import', '-k', 'flow', '-f', 'flow.json']).status).toBe(0);
    const names = (JSON.parse(w.orchestrate(['tools', 'list', '-v']).stdout) as { name: string }[]).map((t) => t.name);
    expect(new Set(names)).toEqual(new Set([...table.map(([, name]) => name), 'book-hotel']));
  });

  it('a seeded tenant holds objects imported before (the helper for "a tenant that already holds the objects")', () => {
    const w: { fake: FakeOrchestrate } & ReturnType<typeof world> = world();
    w.fake.seed('tenant-a', { connections: ['crm'], tools: ['lookup_customer'], agents: ['care'] });
    w.login('tenant-a');
    expect((JSON.parse(w.orchestrate(['tools', 'list', '-v']).stdout) as { name: string }[]).map((t) => t.name)).toEqual([
      'lookup_customer',
    ]);
    w.file('care.yaml', AGENT());
    expect(w.orchestrate(['agents', 'import', '-f', 'care.yaml']).text).toContain("Agent 'care' updated successfully");
  });
});
