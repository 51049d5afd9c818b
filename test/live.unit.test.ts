import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildResourceSet, type ResourceSet } from '../src/deploy/resources.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';
import type { Policy } from '../src/policy/model.js';
import {
  extractJson,
  parseAgentExport,
  parseAgents,
  parseChannels,
  parseConnections,
  parseModelsRaw,
  parseNamedList,
  parsePhoneConfigs,
  parseVoiceConfigs,
  type LiveState,
} from '../src/live/answers.js';
import { compareLive, driftCount, expectedObjects, liveName, type CompareOptions } from '../src/live/compare.js';
import { alertFor, draftDiffers, stateRecord, type DriftReport } from '../src/live/drift.js';
import { formatDriftJson, formatDriftJunit, formatDriftSarif, formatDriftText } from '../src/live/format.js';
import { driftMetrics, statusMetrics } from '../src/live/metrics.js';
import { deliver, makeEvent, sendNotifications, slackPayload, targetsFor, teamsPayload } from '../src/live/notify.js';
import { parseDeployRecord } from '../src/live/record.js';
import { palette } from '../src/report/colors.js';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { PROJECT_ROOT } from './helpers/cli.js';
import { fake } from './helpers/secrets.js';

/** The event schema's compiled validator, as the build generates it (one module per schema). */
const validators = createRequire(import.meta.url)('../src/schema/generated/notification_event.cjs') as {
  notification_event: ValidateFunction;
};

/**
 * The live tenant's functional core: the CLI's answers (in the exact shapes of the ADK 2.9
 * controllers), Git against tenant, the report formats, the alert decision and the notification
 * payloads — and the notifier against a real HTTP server on 127.0.0.1.
 */
const policy = parsePolicy(readFileSync(join(PROJECT_ROOT, 'policies', 'default.yaml'), 'utf8'), 'default', defaultPolicyText());
const set = (files: Record<string, string>): ResourceSet =>
  buildResourceSet({ paths: Object.keys(files), content: new Map(Object.entries(files).map(([p, t]) => [p, Buffer.from(t)])) }, policy);
const ESC = '\x1b[';
const noMask: CompareOptions = {
  provided: { tool: ['i__get_flow_status_intrinsic_tool__'] },
  credentialKeys: policy.secrets.credential_keys,
  mask: (t) => t,
};

/** `rich.print_json` output as the CLI prints it: indented, coloured, warnings before. */
const printed = (value: unknown, before = '') =>
  `${before}${JSON.stringify(value, null, 4).replace(/"(\w+)":/g, `${ESC}1;34m"$1"${ESC}0m:`)}\n`;

const GIT = {
  'connections/crm.yaml':
    'spec_version: v1\nkind: connection\napp_id: crm\nenvironments:\n  draft:\n    kind: api_key\n    type: team\n    server_url: https://crm.example\n    credentials:\n      api_key: ${CRM_KEY_DRAFT}\n  live:\n    kind: api_key\n    type: team\n    server_url: https://crm.example\n    credentials:\n      api_key: ${CRM_KEY_LIVE}\n',
  'tools/lookup.py':
    'from ibm_watsonx_orchestrate.agent_builder.tools import tool\n\n@tool\ndef lookup(x: str) -> str:\n    """Looks up."""\n    return x\n',
  'knowledge_bases/kb.yaml':
    'spec_version: v1\nkind: knowledge_base\nname: faq_kb\ndescription: >\n  Answers to frequent questions.\ndocuments:\n  - path: faq.txt\n',
  'knowledge_bases/faq.txt': 'Q: A?\n',
  'agents/helper.yaml':
    'spec_version: v1\nkind: native\nname: helper\ndescription: >\n  Helps with\n  things.\nllm: watsonx/ibm/granite\nstyle: react\ninstructions: Be brief.\ntools:\n  - lookup\n  - i__get_flow_status_intrinsic_tool__\ncollaborators: []\n',
};

/** The tenant as it is after a deploy of GIT, in the ADK's shapes. */
function tenantOutputs() {
  return {
    connections: printed([
      {
        connection_id: 'c-1',
        app_id: 'crm',
        name: null,
        security_scheme: 'api_key_auth',
        auth_type: null,
        environment: 'draft',
        preference: 'team',
        credentials_entered: true,
      },
      {
        connection_id: 'c-2',
        app_id: 'crm',
        name: null,
        security_scheme: 'api_key_auth',
        auth_type: null,
        environment: 'live',
        preference: 'team',
        credentials_entered: true,
      },
    ]),
    tools: printed([
      {
        name: 'lookup',
        display_name: 'lookup',
        description: 'Looks up.',
        permission: 'read_only',
        input_schema: { type: 'object', properties: { x: { type: 'string' } } },
        output_schema: { type: 'string' },
        binding: { python: { function: 'lookup:lookup' } },
      },
      { name: 'i__get_flow_status_intrinsic_tool__', description: 'intrinsic', permission: 'read_only', binding: null },
    ]),
    toolkits: printed([]),
    kbs: printed([
      {
        name: 'faq_kb',
        description: 'Answers to frequent questions.',
        id: 'kb-1',
        vector_index: { embeddings_model_name: 'ibm/slate-125m-english-rtrvr-v2' },
      },
    ]),
    agents: printed(
      {
        native: [
          {
            spec_version: 'v1',
            kind: 'native',
            id: 'a-1',
            name: 'helper',
            description: 'Helps with things.',
            llm: 'watsonx/ibm/granite',
            style: 'react',
            tools: ['t-1', 't-2'],
            collaborators: [],
            knowledge_base: [],
          },
        ],
        assistant: [],
        external: [],
      },
      `${ESC}33m[WARNING]${ESC}0m - something harmless\n`,
    ),
    export:
      'spec_version: v1\nkind: native\nname: helper\ndescription: Helps with things.\ncontext_access_enabled: true\ncontext_variables: []\nllm: watsonx/ibm/granite\nstyle: react\ninstructions: Be brief.\ncollaborators: []\ntools:\n- i__get_flow_status_intrinsic_tool__\n- lookup\nknowledge_base: []\nrestrictions: editable\n',
  };
}

function liveOf(o = tenantOutputs()): LiveState {
  return {
    connections: parseConnections(o.connections),
    tools: parseNamedList(o.tools, 'tools'),
    toolkits: parseNamedList(o.toolkits, 'toolkits'),
    knowledgeBases: parseNamedList(o.kbs, 'kbs'),
    agents: parseAgents(o.agents),
    exports: { helper: parseAgentExport(o.export) },
  };
}

describe('the CLI answers', () => {
  it('finds the JSON among coloured log lines, whatever follows it', () => {
    expect(
      extractJson(
        `${ESC}33m[WARNING]${ESC}0m - a [note] {x}\n[\n  {"name": "a ] } [ {"}\n]\n[ERROR] - Tool 'b' could not be parsed\n{"name": "b"}\n`,
      ),
    ).toEqual([{ name: 'a ] } [ {' }]);
    expect(() => extractJson('[INFO] - no agents\n')).toThrow('no JSON');
    expect(() => extractJson('[\n  {"truncated": \n')).toThrow('no JSON');
  });

  it('reads agents list -v per kind (a kind left out by -k is null) and refuses other shapes', () => {
    expect(
      parseAgents(printed({ native: [{ name: 'a', kind: 'native' }], assistant: null, external: [{ name: 'e', kind: 'external' }] })).map(
        (a) => `${a.kind}:${a.name}`,
      ),
    ).toEqual(['native:a', 'external:e']);
    expect(() => parseAgents(printed([{ name: 'a' }]))).toThrow('expected a JSON object');
    expect(() => parseConnections(printed({ app_id: 'x' }))).toThrow('expected a JSON array');
  });
});

describe('Git against the tenant', () => {
  const git = expectedObjects(set(GIT));

  it('is in sync right after a deploy: defaults the export adds, reordered references, folded text and provided tools are no drift', () => {
    expect(git.objects.map((o) => `${o.kind}:${o.name}`).sort()).toEqual([
      'agent:helper',
      'connection:crm',
      'knowledge_base:faq_kb',
      'tool:lookup',
    ]);
    expect(compareLive(git.objects, liveOf(), noMask)).toEqual([]);
  });

  it('reports a hand edit of an agent field by field, a missing tool, an unmanaged agent and a tenant-wide KB', () => {
    const o = tenantOutputs();
    o.export = o.export.replace('instructions: Be brief.', 'instructions: Be verbose, and tell jokes.').replace('- lookup\n', '');
    o.tools = printed([]);
    o.agents = printed({
      native: [
        { name: 'helper', kind: 'native' },
        { name: 'shadow_agent', kind: 'native' },
      ],
      assistant: [],
      external: [],
    });
    o.kbs = printed([{ name: 'faq_kb', description: 'Something else entirely.' }]);
    const items = compareLive(git.objects, liveOf(o), noMask);
    expect(items.map((i) => `${i.state} ${i.kind} ${i.name}`)).toEqual([
      'missing tool lookup',
      'changed knowledge_base faq_kb',
      'changed agent helper',
      'unmanaged agent shadow_agent',
    ]);
    const agent = items.find((i) => i.name === 'helper')!;
    expect(agent.path).toBe('agents/helper.yaml');
    expect(agent.diffs).toEqual([
      { field: 'instructions', expected: 'Be brief.', actual: 'Be verbose, and tell jokes.' },
      { field: 'tools', expected: '["lookup","i__get_flow_status_intrinsic_tool__"]', actual: '["i__get_flow_status_intrinsic_tool__"]' },
    ]);
    expect(items.find((i) => i.kind === 'knowledge_base')).toMatchObject({ tenantWide: true, diffs: [{ field: 'description' }] });
    expect(driftCount(items)).toBe(4);
  });

  it('compares connections per configuration: missing live config, member instead of team, scheme, credentials not entered', () => {
    const o = tenantOutputs();
    o.connections = printed([
      { app_id: 'crm', environment: 'draft', preference: 'member', security_scheme: 'basic_auth', credentials_entered: false },
    ]);
    const [item] = compareLive(git.objects, liveOf(o), noMask);
    expect(item).toMatchObject({ state: 'changed', kind: 'connection', name: 'crm' });
    expect(item!.diffs.map((d) => `${d.field}: ${d.expected} / ${d.actual}`)).toEqual([
      'environments.draft.type: team / member',
      'environments.draft.kind: api_key (api_key_auth) / basic_auth',
      'environments.draft.credentials: set / not set',
      'environments.live: configured / not configured',
    ]);
  });

  it('never shows a secret: credential-named fields are masked, known values masked, ${SECRET} fields not compared', () => {
    const secret = fake.password();
    const files = {
      ...GIT,
      'agents/helper.yaml': `${GIT['agents/helper.yaml']}chat_with_docs:\n  token: plain-in-git\nwelcome_content:\n  welcome_message: \${WELCOME_SECRET}\n`,
    };
    const o = tenantOutputs();
    o.export += `chat_with_docs:\n  token: ${secret}\nwelcome_content:\n  welcome_message: ${secret}\n`;
    const items = compareLive(expectedObjects(set(files)).objects, liveOf(o), {
      ...noMask,
      mask: (t) => t.split(secret).join('<secret:X>'),
    });
    expect(items[0]!.diffs).toEqual([{ field: 'chat_with_docs.token', expected: '<masked>', actual: '<masked>' }]);
    expect(JSON.stringify(items)).not.toContain(secret);
    const shown = compareLive(
      expectedObjects(set(GIT)).objects,
      liveOf({ ...tenantOutputs(), export: tenantOutputs().export.replace('Be brief.', `Be brief. ${secret}`) }),
      { ...noMask, mask: (t) => t.split(secret).join('<secret:X>') },
    );
    expect(shown[0]!.diffs[0]!.actual).toBe('Be brief. <secret:X>');
  });

  it('an agent of another kind in the tenant is a change of kind', () => {
    const o = tenantOutputs();
    o.agents = printed({ native: [], assistant: [], external: [{ name: 'helper', kind: 'external' }] });
    const [item] = compareLive(git.objects, liveOf(o), noMask);
    expect(item!.diffs[0]).toEqual({ field: 'kind', expected: 'native', actual: 'external' });
  });

  it('lists agents whose draft another environment replaced, as information', () => {
    const mine = set(GIT);
    const theirs = set({ ...GIT, 'agents/helper.yaml': GIT['agents/helper.yaml'].replace('Be brief.', 'Be briefer.') });
    const items = draftDiffers(mine, theirs, 'v1.3.0-dev');
    expect(items).toMatchObject([{ state: 'draft-differs', name: 'helper' }]);
    expect(driftCount(items)).toBe(0);
    expect(draftDiffers(mine, set(GIT), 'v1.3.0-dev')).toEqual([]);
  });
});

function report(extra: Partial<DriftReport> = {}): DriftReport {
  return {
    environment: 'qa',
    tenant: 'dev-qa-tenant',
    stage: 'live',
    branch: 'qa-1.2.3',
    tag: { name: 'v1.2.3-qa', commit: 'a'.repeat(40), date: '2026-12-03T07:00:00Z' },
    checkedAt: '2026-12-03T08:00:00.000Z',
    verdict: 'in-sync',
    items: [],
    unchecked: [],
    notes: [],
    ...extra,
  };
}
const drifted = () =>
  report({
    verdict: 'drift',
    items: [
      {
        kind: 'agent',
        name: 'helper',
        state: 'changed',
        path: 'agents/helper.yaml',
        diffs: [{ field: 'instructions', expected: 'a <b>', actual: 'c & "d"' }],
      },
      { kind: 'agent', name: 'shadow', state: 'unmanaged', diffs: [] },
    ],
  });

describe('the kinds only drift reads: voice configs, models, model policies, channels, phone configs', () => {
  it('names objects as the tenant lists them: stored model and policy names, channels per agent (the keys verification checks removals by)', () => {
    expect(liveName('model', 'watsonx/x/m')).toBe('virtual-model/watsonx/x/m');
    expect(liveName('model', 'virtual-model/watsonx/x/m')).toBe('virtual-model/watsonx/x/m');
    expect(liveName('model_policy', 'policy_p')).toBe('virtual-policy/policy_p');
    expect(liveName('channel', 'sms', 'billing_agent')).toBe('billing_agent/sms');
    expect(liveName('phone', 'line')).toBe('line');
    expect(liveName('voice_config', 'voice_v')).toBe('voice_v');
  });

  const FILES = {
    ...GIT,
    'voice/v.yaml': 'name: voice_v\nspeech_to_text:\n  provider: watson\ntext_to_speech:\n  provider: watson\nlanguage: en-us\n',
    'models/m.yaml': 'spec_version: v1\nname: watsonx/x/m\nmodel_type: chat\ndescription: Our tuned model\n',
    'models/policies/p.yaml':
      'spec_version: v1\nname: policy_p\npolicy:\n  strategy:\n    mode: fallback\n  targets:\n    - model_name: virtual-model/watsonx/x/m\n',
    'channels/helper/sms.yaml': 'spec_version: v1\nkind: channel\nchannel: twilio_sms\nname: sms\naccount_sid: ${TWILIO_SID}\n',
    'channels/helper/web.yaml': 'spec_version: v1\nkind: channel\nchannel: webchat\nname: web\n',
    'phone/helper/line.yaml': 'spec_version: v1\nkind: phone\nservice_provider: genesys_audio_connector\nname: line\n',
  };
  /** The answers as the ADK prints them: print_json (coloured), the raw model list with its markers, "No … found" lines. */
  const answers = () => ({
    voice: printed([
      {
        name: 'voice_v',
        llm_aggregation_timeout_seconds: 0.8,
        speech_to_text: { provider: 'watson' },
        text_to_speech: { provider: 'watson' },
        language: 'en-us',
        additional_languages: {},
        voice_configuration_id: 'v-1',
        attached_agents: [],
      },
    ]),
    models: `${ESC}33m[WARNING]${ESC}0m - watsonx.ai models that are not recommended will be hidden\nAvailable Models:\n- ${ESC}1;36m\u25c6${ESC}0m virtual-model/watsonx/x/m: Our tuned model\n- ${ESC}1;36m\u25c6${ESC}0m virtual-policy/policy_p: No description provided.\n- ${ESC}32m\u2714${ESC}0m${ESC}33m\u2605${ESC}0m  groq/openai/gpt-oss-120b: OpenAI gpt-oss-120b on Groq, a long description that the\nconsole wraps onto a line of its own\n\u2714 indicates the default model\n`,
    phone: printed([{ id: 'p-1', name: 'line', service_provider: 'genesys_audio_connector', attached_environments: [] }]),
    channels: printed([{ id: 'ch-1', name: 'sms', channel: 'twilio_sms', account_sid: 'AC1' }]),
  });
  const liveWith = (a = answers()): LiveState => ({
    ...liveOf(),
    voiceConfigs: parseVoiceConfigs(a.voice),
    models: parseModelsRaw(a.models),
    phoneConfigs: parsePhoneConfigs(a.phone),
    channels: parseChannels(a.channels, 'helper', 'draft'),
  });
  const git = expectedObjects(set(FILES), { listable: true });

  it('parses each answer the way the controllers print it, nothing-found lines included', () => {
    expect(parseModelsRaw(answers().models)).toEqual([
      { name: 'virtual-model/watsonx/x/m', description: 'Our tuned model' },
      { name: 'virtual-policy/policy_p', description: 'No description provided.' },
    ]);
    expect(() => parseModelsRaw('[INFO] - something else\n')).toThrow('Available Models');
    expect(parsePhoneConfigs(`${ESC}32m[INFO]${ESC}0m - No phone configs found\n`)).toEqual([]);
    expect(parseChannels(`${ESC}32m[INFO]${ESC}0m - No channels found\n`, 'a', 'live')).toEqual([]);
    expect(() => parsePhoneConfigs('[ERROR] - Failed to list phone configs: 500\n')).toThrow('no JSON');
    expect(parseChannels(answers().channels, 'helper', 'draft')).toEqual([
      { agent: 'helper', env: 'draft', name: 'sms', type: 'twilio_sms' },
    ]);
  });

  it('in sync after a deploy; hand edits, removals and extras of every kind are drift; webchat is never expected; without listable they stay unchecked', () => {
    expect(git.unchecked).toEqual([]);
    expect(
      git.objects
        .filter((o) => !['agent', 'connection', 'knowledge_base', 'tool'].includes(o.kind))
        .map((o) => `${o.kind}:${o.name}`)
        .sort(),
    ).toEqual([
      'channel:sms',
      'model:virtual-model/watsonx/x/m',
      'model_policy:virtual-policy/policy_p',
      'phone:line',
      'voice_config:voice_v',
    ]);
    expect(compareLive(git.objects, liveWith(), noMask)).toEqual([]);
    const a = answers();
    a.voice = printed([
      { name: 'voice_v', speech_to_text: { provider: 'watson' }, text_to_speech: { provider: 'watson' }, language: 'de-de' },
      { name: 'made_in_ui', speech_to_text: { provider: 'watson' } },
    ]);
    a.models = a.models
      .replace(
        '- \x1b[1;36m\u25c6\x1b[0m virtual-policy/policy_p: No description provided.\n',
        '- \u25c6 virtual-model/watsonx/x/extra: Added by hand\n',
      )
      .replace('Our tuned model', "Someone else's model");
    a.phone = `${ESC}32m[INFO]${ESC}0m - No phone configs found\n`;
    a.channels = printed([
      { id: 'ch-1', name: 'sms', channel: 'twilio_whatsapp' },
      { id: 'ch-2', name: 'slack', channel: 'byo_slack' },
    ]);
    const items = compareLive(git.objects, liveWith(a), noMask);
    expect(
      items.map((i) => `${i.state} ${i.kind} ${i.name}${i.diffs.map((d) => ` [${d.field}: ${d.expected} → ${d.actual}]`).join('')}`),
    ).toEqual([
      'unmanaged voice_config made_in_ui',
      'changed voice_config voice_v [language: en-us → de-de]',
      'unmanaged model virtual-model/watsonx/x/extra',
      "changed model virtual-model/watsonx/x/m [description: Our tuned model → Someone else's model]",
      'missing model_policy virtual-policy/policy_p',
      'unmanaged channel helper/slack',
      'changed channel helper/sms [channel: twilio_sms → twilio_whatsapp]',
      'missing phone line',
    ]);
    // Without `listable` (drift always reads them; the post-deploy verification when it imported one) they are unchecked.
    const plain = expectedObjects(set(FILES));
    expect(plain.unchecked.sort()).toEqual([
      'channel helper/sms',
      'channel helper/web',
      'model watsonx/x/m',
      'model_policy policy_p',
      'phone line',
      'voice_config voice_v',
    ]);
    expect(compareLive(plain.objects, liveOf(), noMask)).toEqual([]);
  });

  it('a ${SECRET} inside a block leaves the other fields of the block compared (a voice config: its api_key beside its api_url)', () => {
    const secret = fake.password();
    const stt = (url: string, key: string) =>
      `name: voice_v\nspeech_to_text:\n  provider: watson_stt\n  watson_stt_config:\n    api_url: ${url}\n    api_key: ${key}\n    model: m\ntext_to_speech:\n  provider: watson\nlanguage: en-us\n`;
    const expected = expectedObjects(set({ ...FILES, 'voice/v.yaml': stt('https://stt.example/a', '${STT_KEY}') }), { listable: true });
    const a = answers();
    a.voice = printed([
      {
        name: 'voice_v',
        speech_to_text: {
          provider: 'watson_stt',
          watson_stt_config: { api_url: `https://stt.example/b?k=${secret}`, api_key: secret, model: 'm' },
        },
        text_to_speech: { provider: 'watson' },
        language: 'en-us',
      },
    ]);
    const items = compareLive(expected.objects, liveWith(a), { ...noMask, mask: (t) => t.split(secret).join('<secret:STT_KEY>') });
    expect(items.map((i) => `${i.state} ${i.kind} ${i.name}`)).toEqual(['changed voice_config voice_v']);
    expect(items[0]!.diffs).toEqual([
      {
        field: 'speech_to_text.watson_stt_config.api_url',
        expected: 'https://stt.example/a',
        actual: 'https://stt.example/b?k=<secret:STT_KEY>',
      },
    ]);
    expect(JSON.stringify(items)).not.toContain(secret);
  });
});

describe('drift reports', () => {
  it('text says what drifted and what to do', () => {
    const text = formatDriftText(drifted(), palette(false));
    expect(text).toContain('~ CHANGED       agent helper — agents/helper.yaml');
    expect(text).toContain('instructions: git a <b> ≠ tenant c & "d"');
    expect(text).toContain('redeploy v1.2.3-qa (`wxo-policy deploy --env qa --full` on its branch)');
    expect(text).toContain('remove agent shadow from the tenant, or define it in Git and deploy it');
    expect(text).toContain('qa: 2 resources drifted');
    expect(formatDriftText(report({ verdict: 'unknown', error: 'orchestrate tools list -v: exit 1' }), palette(false))).toContain(
      'could not tell whether the tenant drifted: orchestrate tools list -v: exit 1',
    );
  });

  it('JSON carries the advice; JUnit and SARIF parse and count right', async () => {
    const json = JSON.parse(formatDriftJson(drifted()));
    expect(json.items[1].advice).toContain('remove agent shadow');
    const { XMLParser } = await import('fast-xml-parser');
    const junit = new XMLParser({ ignoreAttributes: false }).parse(formatDriftJunit(drifted()));
    expect(junit.testsuites['@_failures']).toBe('2');
    expect(
      new XMLParser({ ignoreAttributes: false }).parse(formatDriftJunit(report({ verdict: 'unknown', error: 'x' }))).testsuites['@_errors'],
    ).toBe('1');
    expect(new XMLParser({ ignoreAttributes: false }).parse(formatDriftJunit(report())).testsuites['@_tests']).toBe('1');
    const sarif = JSON.parse(formatDriftSarif(drifted()));
    expect(sarif.runs[0].results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`)).toEqual([
      'drift-changed:error',
      'drift-unmanaged:warning',
    ]);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('agents/helper.yaml');
  });

  it('metrics: one HELP per metric name across the expositions (the Pushgateway keeps one per name)', () => {
    const helpOf = (text: string) => new Map([...text.matchAll(/^# HELP (\S+) (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    const environment = {
      environment: 'qa',
      tenant: 'dev-qa-tenant',
      stage: 'live',
      branchPattern: 'qa-*',
      tagPattern: 'v*-qa',
      branches: [],
    };
    const status = helpOf(
      statusMetrics([environment], new Map(), new Map([['qa', { verdict: 'in-sync', checkedAt: '2026-12-03T08:00:00.000Z', drifted: 0 }]])),
    );
    const drift = helpOf(driftMetrics(report()));
    const shared = [...drift.keys()].filter((name) => status.has(name));
    expect(shared).toEqual(expect.arrayContaining(['wxo_policy_info', 'wxo_policy_drift_last_check_timestamp_seconds']));
    for (const name of shared) expect(drift.get(name), name).toBe(status.get(name));
  });

  it('alerts on new or different drift and on its end, not on a repeat', () => {
    const first = stateRecord(drifted());
    expect(alertFor(undefined, first)).toBe('drift_found');
    expect(alertFor(first, stateRecord(drifted()))).toBeUndefined();
    const other = drifted();
    other.items.pop();
    expect(alertFor(first, stateRecord(other))).toBe('drift_found');
    expect(alertFor(first, stateRecord(report()))).toBe('drift_cleared');
    expect(alertFor(stateRecord(report()), stateRecord(report()))).toBeUndefined();
    expect(alertFor(undefined, stateRecord(report()))).toBeUndefined();
  });

  it('deploy records give who, when, how long and the build', () => {
    const r = parseDeployRecord(
      'v1.2.3-qa',
      'wxo-policy deploy of qa\n\nstarted: 2026-12-03T07:00:00.000Z\nfinished: 2026-12-03T07:01:30.500Z\nhost: agent-7\nbuild: https://ci.example/job/x/7/\n',
      'Jenkins',
    );
    expect(r).toMatchObject({ by: 'Jenkins', durationSeconds: 90.5, build: 'https://ci.example/job/x/7/', host: 'agent-7' });
    expect(parseDeployRecord('v1', 'hand-made tag\n')).toEqual({ tag: 'v1' });
  });
});

// ---- notifications ----------------------------------------------------------------------------------------

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((r) => s.close(r));
    }),
  );
});

/** A webhook receiver on 127.0.0.1: answers with the given statuses in turn (then 200), or hangs. */
async function receiver(statuses: (number | 'hang')[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const status = statuses.shift() ?? 200;
      if (status === 'hang') return;
      res.writeHead(status).end(status === 200 ? 'ok' : 'no');
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000`, received };
}

function withTargets(
  targets: NonNullable<NonNullable<Policy['notifications']>['targets']>,
  extra: Partial<NonNullable<Policy['notifications']>> = {},
): Policy {
  return { ...policy, notifications: { timeout_seconds: 2, retries: 2, backoff_seconds: 0.01, ...extra, targets } };
}

const event = (name: Parameters<typeof makeEvent>[0]['event'] = 'deploy_failed', env = 'qa') =>
  makeEvent({
    event: name,
    title: `Deploy of ${env} failed`,
    text: 'step 3/9 failed',
    tenant: 'dev-qa-tenant',
    environment: env,
    stage: 'live',
    branch: 'qa-1.2.3',
    commit: 'b'.repeat(40),
    build_url: 'https://ci.example/job/x/7/',
    details: { operations: 9 },
  });

describe('notifications', () => {
  it('the generic event validates against schemas/notification-event.schema.json; Slack and Teams payloads carry the facts', () => {
    // The schema as the build precompiled it from schemas/notification-event.schema.json.
    const validate = validators.notification_event;
    expect(validate(event()), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...event(), event: 'coffee_ready' })).toBe(false);
    const slack = slackPayload(event());
    expect(slack.text).toBe('❌ Deploy of qa failed');
    expect(JSON.stringify(slack.blocks)).toContain('*Environment*\\nqa (live)');
    const teams = teamsPayload(event()) as {
      attachments: { contentType: string; content: { body: { type: string; color?: string }[]; actions: unknown[] } }[];
    };
    expect(teams.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(teams.attachments[0]!.content.body[0]!.color).toBe('Attention');
    expect(teams.attachments[0]!.content.actions).toHaveLength(1);
  });

  it('routes by event, tenant and environment', () => {
    const p = withTargets([
      { name: 'all', type: 'json', url_secret: 'A' },
      { name: 'prod-only', type: 'slack', url_secret: 'B', environments: ['prod'] },
      { name: 'tenant', type: 'teams', url_secret: 'C', tenants: ['dev-qa-tenant'], events: ['drift_found'] },
    ]);
    expect(targetsFor(p, event()).map((t) => t.name)).toEqual(['all']);
    expect(targetsFor(p, event('drift_found')).map((t) => t.name)).toEqual(['all', 'tenant']);
    expect(targetsFor(p, event('deploy_failed', 'prod')).map((t) => t.name)).toEqual(['all', 'prod-only']);
    expect(targetsFor(policy, event())).toEqual([]);
  });

  it('posts each payload to its URL from the secret provider, masking known secrets', async () => {
    const slack = await receiver();
    const json = await receiver();
    const secret = fake.password();
    const warnings: string[] = [];
    const e = event();
    e.text = `step 3/9 failed: ${secret}`;
    const results = await sendNotifications(
      {
        policy: withTargets([
          { name: 'team-slack', type: 'slack', url_secret: 'SLACK_URL' },
          { name: 'audit', type: 'json', url_secret: 'AUDIT_URL' },
        ]),
        root: PROJECT_ROOT,
        vars: { SLACK_URL: slack.url, AUDIT_URL: json.url },
        warn: (t) => warnings.push(t),
        mask: (t) => t.split(secret).join('<secret:K>'),
      },
      e,
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(warnings).toEqual([]);
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]!.path).toBe('/hooks/T000/B000');
    expect(slack.received[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(slack.received[0]!.body).text).toBe('❌ Deploy of qa failed');
    const body = JSON.parse(json.received[0]!.body);
    expect(body).toMatchObject({
      schema: 'wxo-policy/notification-event/v1',
      event: 'deploy_failed',
      environment: 'qa',
      text: 'step 3/9 failed: <secret:K>',
    });
    for (const r of [...slack.received, ...json.received]) {
      expect(r.body).not.toContain(secret);
      expect(r.body).not.toContain('127.0.0.1');
    }
  });

  it('retries 5xx and 429 with back-off, not 4xx; a timeout, a refused connection and a missing URL only warn', async () => {
    const flaky = await receiver([503, 429]);
    expect(await deliver(flaky.url, { a: 1 }, { timeoutMs: 2000, retries: 2, backoffMs: 1 })).toEqual({ ok: true, attempts: 3 });
    expect(flaky.received).toHaveLength(3);

    const gone = await receiver([404]);
    expect(await deliver(gone.url, { a: 1 }, { timeoutMs: 2000, retries: 3, backoffMs: 1 })).toEqual({
      ok: false,
      attempts: 1,
      detail: 'HTTP 404',
    });

    const waits: number[] = [];
    const down = await receiver([500, 500, 500]);
    expect(await deliver(down.url, {}, { timeoutMs: 2000, retries: 2, backoffMs: 100 }, async (ms) => void waits.push(ms))).toEqual({
      ok: false,
      attempts: 3,
      detail: 'HTTP 500',
    });
    expect(waits).toEqual([100, 200]);

    const hang = await receiver(['hang']);
    const started = Date.now();
    expect(await deliver(hang.url, {}, { timeoutMs: 300, retries: 0, backoffMs: 0 })).toEqual({
      ok: false,
      attempts: 1,
      detail: 'timed out after 0.3 s',
    });
    expect(Date.now() - started).toBeLessThan(3000);

    const closed = await receiver();
    const closedUrl = closed.url;
    await new Promise((r) => servers.pop()!.close(r));
    const refused = await deliver(closedUrl, {}, { timeoutMs: 1000, retries: 1, backoffMs: 1 });
    expect(refused).toMatchObject({ ok: false, attempts: 2, detail: 'ECONNREFUSED' });

    const warnings: string[] = [];
    const results = await sendNotifications(
      {
        policy: withTargets(
          [
            { name: 'team-slack', type: 'slack', url_secret: 'SLACK_URL' },
            { name: 'odd', type: 'json', url_secret: 'ODD_URL' },
            { name: 'dead', type: 'json', url_secret: 'DEAD_URL' },
          ],
          { retries: 0 },
        ),
        root: PROJECT_ROOT,
        vars: { ODD_URL: 'file:///etc/passwd', DEAD_URL: closedUrl },
        warn: (t) => warnings.push(t),
      },
      event(),
    );
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    expect(warnings.sort()).toEqual([
      'notification dead (deploy_failed) failed after 1 attempt: ECONNREFUSED — carrying on',
      'notification odd not sent: the secret ODD_URL is not an http(s) URL',
      'notification team-slack not sent: its URL secret SLACK_URL is not set',
    ]);
    expect(warnings.join('\n')).not.toContain('127.0.0.1');
  });
});
