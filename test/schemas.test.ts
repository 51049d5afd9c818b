import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../src/checks/analyzeFile.js';
import type { Finding } from '../src/checks/types.js';
import { detectKind } from '../src/kinds/catalogue.js';
import { compileClassifier } from '../src/policy/fileClassifier.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';
import { hasSchema, validateAs } from '../src/schema/validate.js';
import { readYaml } from '../src/yaml/readYaml.js';

/*
 * The wxO JSON Schemas in schemas/: every upstream ADK example validates, and broken variants of
 * them are rejected with a clear message at the right line:column (driven through the real
 * per-file pipeline, analyzeFile).
 */

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const ADK = join(ROOT, 'test', 'fixtures', 'adk-examples');
const policy = parsePolicy(readFileSync(join(ROOT, 'policies', 'default.yaml'), 'utf8'), 'default', defaultPolicyText());
const classifier = compileClassifier(policy);

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}

function parse(path: string, text: string): unknown {
  if (path.endsWith('.json')) return JSON.parse(text);
  const parsed = readYaml(text);
  expect(parsed.errors).toEqual([]);
  return parsed.value;
}

async function schemaFindings(path: string, text: string): Promise<Finding[]> {
  const result = await analyzeFile(path, Buffer.from(text), { policy, classifier });
  return result.findings.filter((f) => f.rule === 'schema');
}

// ---- the upstream ADK examples ---------------------------------------------------------------

/** What detectKind must make of each upstream example (paths relative to the fixture folder). */
const EXPECTED_KINDS: Record<string, string> = {
  'examples/agent_builder/agentic_memory/st_marys_hospitals_agent.yaml': 'agent',
  'examples/agent_builder/customer_care/agents/customer_care_agent.yaml': 'agent',
  'examples/agent_builder/customer_care/agents/service_now_agent.yaml': 'agent',
  'examples/agent_builder/customer_care_planner/agents/customer_care_agent.yaml': 'agent',
  'examples/agent_builder/healthcare_provider/tools/get-healthcare-providers.yml': 'openapi',
  'examples/agent_builder/ibm_knowledge/agents/ibm_agent.yaml': 'agent',
  'examples/agent_builder/ibm_knowledge/agents/ibm_agent_dynamic_mode.yaml': 'agent',
  'examples/agent_builder/ibm_knowledge/knowledge_base/ibm_knowledge_base.yaml': 'knowledge_base',
  'examples/agent_builder/ibm_knowledge/knowledge_base/ibm_knowledge_base_dynamic_mode.yaml': 'knowledge_base',
  'examples/agent_builder/voice_enabled_deepgram/voice/voice_deepgram.yaml': 'voice_config',
  'examples/agent_builder/voice_enabled_watson/agents/voice_enabled_agent.yaml': 'agent',
  'examples/agent_builder/voice_enabled_watson/voice/voice_watson.yaml': 'voice_config',
  'examples/channel-integrations/SIP_phone_channel/phone/sip_trunk_phone_config.yaml': 'phone',
  'examples/channel-integrations/slack_channel/channels/slack_example.yaml': 'channel',
  'examples/experimental/agent_builder/customer_care_style/agents/banking_agent.yaml': 'agent',
  'examples/experimental/agent_builder/customer_care_style/toolkits/banking_mcp_server.yaml': 'toolkit',
  'examples/flow_builder/hello_message_flow/agents/hello_message_agent.yaml': 'agent',
  'examples/flow_builder/hello_message_flow/generated/hello_message_flow.json': 'flow',
  'examples/flow_builder/live_agent_transfer_flow/tools/book_hotel_flow.json': 'flow',
  'examples/flow_builder/triage_workflow_agent_swarm/agents/triage_agent.yaml': 'agent',
  'examples/hotel_list_agent/agent.yaml': 'agent',
  'examples/plugins/agents/email_agent.yaml': 'agent',
  'tests/cli/resources/yaml_samples/sample-agent.yml': 'agent',
  'tests/cli/resources/yaml_samples/sample-assistant-agent.yml': 'agent',
  'tests/cli/resources/yaml_samples/sample-connection.yml': 'connection',
  'tests/cli/resources/yaml_samples/sample-external-agent.yml': 'agent',
  'tests/cli/resources/yaml_samples/sample_agent_guidelines.yml': 'agent',
};

/** The one upstream example that `orchestrate agents import` rejects: a code-bundle agent. */
const NOT_IMPORTABLE = 'examples/hotel_list_agent/agent.yaml';
const AGENTS_IMPORT_MESSAGE = 'cannot be imported with `orchestrate agents import`';

/** Unknown keys the upstream examples carry (the ADK ignores them): warnings, never errors. */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  'examples/agent_builder/voice_enabled_watson/agents/voice_enabled_agent.yaml': ['unknown key "title"', 'unknown key "tags"'],
};

const adkFiles = walk(ADK)
  .map((path) => relative(ADK, path).split('\\').join('/'))
  .filter((rel) => /\.(ya?ml|json)$/i.test(rel));

describe('upstream ADK examples', () => {
  it('are all listed in the expected-kind table (and nothing listed is missing)', () => {
    expect(adkFiles.length).toBeGreaterThanOrEqual(27);
    expect([...adkFiles].sort()).toEqual(Object.keys(EXPECTED_KINDS).sort());
  });

  for (const rel of adkFiles) {
    it(`${rel}: detected as ${EXPECTED_KINDS[rel] ?? '?'} and ${rel === NOT_IMPORTABLE ? 'rejected' : 'valid'}`, () => {
      const text = readFileSync(join(ADK, rel), 'utf8');
      const value = parse(rel, text);
      const kind = detectKind(value, rel);
      expect(kind).toBe(EXPECTED_KINDS[rel]);
      expect(kind && hasSchema(kind)).toBe(true);
      const issues = validateAs(kind as Parameters<typeof validateAs>[0], value);
      const errors = issues.filter((i) => i.severity === 'error');
      const warnings = issues.filter((i) => i.severity === 'warning').map((i) => i.message);
      if (rel === NOT_IMPORTABLE) {
        expect(errors).toHaveLength(1);
        expect(errors[0]!.path).toEqual(['kind']);
        expect(errors[0]!.message).toContain(AGENTS_IMPORT_MESSAGE);
      } else {
        expect(errors).toEqual([]);
      }
      const expectedWarnings = EXPECTED_WARNINGS[rel] ?? [];
      expect(warnings).toHaveLength(expectedWarnings.length);
      for (const w of expectedWarnings) expect(warnings.some((m) => m.includes(w))).toBe(true);
    });
  }

  it('give the same verdict through the per-file pipeline (auto-detected paths)', async () => {
    for (const rel of adkFiles) {
      const errors = (await schemaFindings(rel, readFileSync(join(ADK, rel), 'utf8'))).filter((f) => f.severity === 'error');
      if (rel === NOT_IMPORTABLE) {
        expect(errors.map((f) => [f.line, f.column])).toEqual([[2, 7]]);
        expect(errors[0]!.message).toContain(AGENTS_IMPORT_MESSAGE);
      } else {
        expect(errors, rel).toEqual([]);
      }
    }
  });
});

// ---- hand-written valid examples for kinds the upstream set does not cover -------------------

const EXTERNAL_KB = `spec_version: v1
kind: knowledge_base
name: product_docs
description: Product documentation indexed in Elasticsearch
conversational_search_tool:
  index_config:
    - app_id: es_conn
      elastic_search:
        url: https://es.example.com
        index: docs
        port: "443"
        field_mapping:
          title: title
          body: text
  query_source: Agent
  confidence_thresholds:
    retrieval_confidence_threshold: Low
    response_confidence_threshold: Low
`;

const LOCAL_TOOLKIT = `spec_version: v1
kind: mcp
name: tavily
description: Web search through the Tavily MCP server
package: tavily-mcp
language: node
tools:
  - "*"
connections:
  - tavily_conn
`;

const KV_CONNECTION = `spec_version: v1
kind: connection
app_id: weather_kv
environments:
  draft:
    kind: key_value
    type: team
    credentials:
      entries:
        API_KEY: \${WEATHER_API_KEY}
  live:
    kind: key_value
    type: team
    credentials:
      entries:
        API_KEY: \${WEATHER_API_KEY_LIVE}
`;

const MODEL = `spec_version: v1
name: watsonx/ibm/granite-3-8b-instruct
display_name: Granite 3 8B
description: Granite served from our watsonx.ai project
model_type: chat
provider_config:
  watsonx_space_id: \${values.models.space_id}
tags:
  - granite
`;

const MODEL_POLICY = `spec_version: v1
name: granite-fallback
display_name: Granite with fallback
description: Falls back to a second model
policy:
  strategy:
    mode: fallback
    on_status_codes: [429, 503]
  retry:
    attempts: 2
    on_status_codes: [503]
  targets:
    - model_name: virtual-model/watsonx/ibm/granite-3-8b-instruct
    - model_name: watsonx/ibm/granite-3-2b-instruct
`;

const TENANT = `tenant: dev-qa-tenant
orchestrate:
  env_name: wxo-dev-qa
  url: https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/00000000-0000-0000-0000-000000000001
  auth_type: ibm_iam
  api_key: \${WXO_DEV_QA_API_KEY}
`;

const VALUES = `tenant: dev-qa-tenant
values:
  llm: groq/openai/gpt-oss-120b
  workday:
    server_url: https://wd2-impl-services1.workday.com/ccx
`;

const VALID_EXAMPLES: Array<[string, string]> = [
  ['knowledge_bases/product_docs.yaml', EXTERNAL_KB],
  ['toolkits/tavily.yaml', LOCAL_TOOLKIT],
  ['connections/weather_kv.yaml', KV_CONNECTION],
  ['models/granite.yaml', MODEL],
  ['models/policies/granite-fallback.yaml', MODEL_POLICY],
  ['tenant.yaml', TENANT],
  ['values.yaml', VALUES],
];

describe('hand-written valid examples', () => {
  for (const [path, text] of VALID_EXAMPLES) {
    it(`${path} has no schema findings`, async () => {
      expect(await schemaFindings(path, text)).toEqual([]);
    });
  }
});

// ---- broken variants ---------------------------------------------------------------------------

/** Marks where the finding must point; removed from the text before it is analysed. */
const MARK = '▶';

const fx = (rel: string) => readFileSync(join(ADK, rel), 'utf8');
const F = {
  customerCare: fx('examples/agent_builder/customer_care/agents/customer_care_agent.yaml'),
  serviceNow: fx('examples/agent_builder/customer_care/agents/service_now_agent.yaml'),
  planner: fx('examples/agent_builder/customer_care_planner/agents/customer_care_agent.yaml'),
  stMarys: fx('examples/agent_builder/agentic_memory/st_marys_hospitals_agent.yaml'),
  ibmAgent: fx('examples/agent_builder/ibm_knowledge/agents/ibm_agent.yaml'),
  ibmAgentDynamic: fx('examples/agent_builder/ibm_knowledge/agents/ibm_agent_dynamic_mode.yaml'),
  helloAgent: fx('examples/flow_builder/hello_message_flow/agents/hello_message_agent.yaml'),
  banking: fx('examples/experimental/agent_builder/customer_care_style/agents/banking_agent.yaml'),
  hotel: fx('examples/hotel_list_agent/agent.yaml'),
  email: fx('examples/plugins/agents/email_agent.yaml'),
  guidelines: fx('tests/cli/resources/yaml_samples/sample_agent_guidelines.yml'),
  sampleAgent: fx('tests/cli/resources/yaml_samples/sample-agent.yml'),
  voiceAgent: fx('examples/agent_builder/voice_enabled_watson/agents/voice_enabled_agent.yaml'),
  external: fx('tests/cli/resources/yaml_samples/sample-external-agent.yml'),
  assistant: fx('tests/cli/resources/yaml_samples/sample-assistant-agent.yml'),
  kb: fx('examples/agent_builder/ibm_knowledge/knowledge_base/ibm_knowledge_base.yaml'),
  kbDynamic: fx('examples/agent_builder/ibm_knowledge/knowledge_base/ibm_knowledge_base_dynamic_mode.yaml'),
  connection: fx('tests/cli/resources/yaml_samples/sample-connection.yml'),
  toolkit: fx('examples/experimental/agent_builder/customer_care_style/toolkits/banking_mcp_server.yaml'),
  flow: fx('examples/flow_builder/hello_message_flow/generated/hello_message_flow.json'),
  uiFlow: fx('examples/flow_builder/live_agent_transfer_flow/tools/book_hotel_flow.json'),
  openapi: fx('examples/agent_builder/healthcare_provider/tools/get-healthcare-providers.yml'),
  voiceWatson: fx('examples/agent_builder/voice_enabled_watson/voice/voice_watson.yaml'),
  voiceDeepgram: fx('examples/agent_builder/voice_enabled_deepgram/voice/voice_deepgram.yaml'),
  slack: fx('examples/channel-integrations/slack_channel/channels/slack_example.yaml'),
  phone: fx('examples/channel-integrations/SIP_phone_channel/phone/sip_trunk_phone_config.yaml'),
};

/** Replaces `from` (which must occur exactly once) with `to`. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`edit: ${JSON.stringify(from)} not found`);
  if (text.indexOf(from, at + 1) >= 0) throw new Error(`edit: ${JSON.stringify(from)} occurs more than once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** A JSON file with one value changed, pretty-printed as the ADK writes it. */
function jsonEdit(text: string, change: (doc: any) => void): string {
  const doc = JSON.parse(text);
  change(doc);
  return JSON.stringify(doc, null, 2) + '\n';
}

function positionOfMark(text: string): { text: string; line: number; column: number } {
  const at = text.indexOf(MARK);
  if (at < 0 || text.indexOf(MARK, at + 1) >= 0) throw new Error('a case needs exactly one position mark (or an explicit position)');
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return { text: text.slice(0, at) + text.slice(at + MARK.length), line, column };
}

interface Case {
  name: string;
  /** Repository path: the policy's `files` mapping turns it into the kind. */
  path: string;
  /** File content; a ▶ marks the start of the node the finding must point at. */
  text: string;
  /** Distinctive part of the expected message. */
  message: string;
  /** Explicit position instead of a ▶ mark. */
  at?: [number, number];
  severity?: 'error' | 'warning';
  /** Schema errors expected in total (default: 1 for an error case, 0 for a warning case). */
  errors?: number;
}

const EXT_KB_ENTRY = `    - app_id: es_conn
      elastic_search:
        url: https://es.example.com
        index: docs
        port: "443"
        field_mapping:
          title: title
          body: text
`;
const withBackend = (backend: string) => edit(EXTERNAL_KB, EXT_KB_ENTRY, `    - app_id: search_conn\n${backend}`);

const CASES: Case[] = [
  // -- agents: native ------------------------------------------------------------------------
  {
    name: 'native agent: style outside the enum',
    path: 'agents/customer_care_agent.yaml',
    text: edit(F.customerCare, 'style: react', `style: ${MARK}reactive`),
    message: 'style: "reactive" is not one of: default, react, planner',
  },
  {
    name: 'native agent: style react_core (newer docs; rejected by ADK 2.9.0)',
    path: 'agents/service_now_agent.yaml',
    text: edit(F.serviceNow, 'style: react', `style: ${MARK}react_core`),
    message: 'style: "react_core" is not one of',
  },
  {
    name: 'native agent: spec_version missing',
    path: 'agents/service_now_agent.yaml',
    text: edit(F.serviceNow, 'spec_version: v1\n', ''),
    at: [1, 1],
    message: 'missing required key "spec_version"',
  },
  {
    name: 'native agent: spec_version v2',
    path: 'agents/ibm_agent.yaml',
    text: edit(F.ibmAgent, 'spec_version: v1', `spec_version: ${MARK}v2`),
    message: 'spec_version: must be "v1", not "v2"',
  },
  {
    name: 'native agent: description missing',
    path: 'agents/email_agent.yaml',
    text: edit(F.email, 'description: Send Email to given email_id and body.\n', ''),
    at: [1, 1],
    message: 'missing required key "description"',
  },
  {
    name: 'native agent: blank name',
    path: 'agents/ibm_agent.yaml',
    text: edit(F.ibmAgent, 'name: ibm_agent', `name: ${MARK}"  "`),
    message: 'name: must be a non-blank string',
  },
  {
    name: 'native agent: tools is a string, not a list',
    path: 'agents/ibm_agent_dynamic_mode.yaml',
    text: edit(F.ibmAgentDynamic, 'tools:\n  - get_stock_price', `tools: ${MARK}get_stock_price`),
    message: 'tools: must be a list or empty, not string "get_stock_price"',
  },
  {
    name: 'native agent: a tool entry that is not a name',
    path: 'agents/hello_message_agent.yaml',
    text: edit(F.helloAgent, '  - hello_message_flow', `  - ${MARK}42`),
    message: 'tools.0: must be a non-blank string',
  },
  {
    name: 'native agent: llm is a list',
    path: 'agents/customer_care_agent.yaml',
    text: edit(F.customerCare, 'llm: groq/openai/gpt-oss-120b', `llm: ${MARK}[groq/openai/gpt-oss-120b]`),
    message: 'llm: must be a string, not a list',
  },
  {
    name: 'native agent: hidden is not a boolean',
    path: 'agents/voice_enabled_agent.yaml',
    text: edit(F.voiceAgent, 'hidden: false', `hidden: ${MARK}maybe`),
    message: 'hidden: must be true or false, not string "maybe"',
  },
  {
    name: 'native agent: restrictions outside the enum',
    path: 'agents/service_now_agent.yaml',
    text: F.serviceNow + `\nrestrictions: ${MARK}read_only\n`,
    message: 'restrictions: "read_only" is not one of: editable, non_editable',
  },
  {
    name: 'native agent: a blank context variable',
    path: 'agents/st_marys_hospitals_agent.yaml',
    text: edit(F.stMarys, 'context_variables: []', `context_variables: [user_id, ${MARK}" "]`),
    message: 'context_variables.1: must be a non-blank string',
  },
  {
    name: 'native agent: guideline without action',
    path: 'agents/finance_agent.yaml',
    text: edit(
      F.guidelines,
      '  - display_name: "User Dissatisfaction"\n    condition: "The Customer expresses dissatisfaction with the agents response."\n    action: "Acknowledge their frustration and ask for details about their experience so we it can be addressed properly."\n',
      `  - ${MARK}display_name: "User Dissatisfaction"\n    condition: "The Customer expresses dissatisfaction with the agents response."\n`,
    ),
    message: 'guidelines.0: missing required key "action"',
  },
  {
    name: 'native agent: starter prompt state outside the enum',
    path: 'agents/st_marys_hospitals_agent.yaml',
    text: edit(
      F.stMarys,
      '      prompt: I need to report a concern about my care\n      state: active',
      `      prompt: I need to report a concern about my care\n      state: ${MARK}enabled`,
    ),
    message: 'starter_prompts.prompts.0.state: "enabled" is not one of: active, inactive',
  },
  {
    name: 'native agent: welcome_content without welcome_message',
    path: 'agents/st_marys_hospitals_agent.yaml',
    text: edit(F.stMarys, "  welcome_message: Welcome to St. Mary's Group of Hospitals Support\n  description:", `  ${MARK}description:`),
    message: 'welcome_content: missing required key "welcome_message"',
  },
  {
    name: 'native agent: plugin entry without plugin_name or plugin_id',
    path: 'agents/email_agent.yaml',
    text: edit(F.email, '      - plugin_name: guardrail_plugin', `      - ${MARK}plugin: guardrail_plugin`),
    message: 'plugins.agent_pre_invoke.0: needs exactly one of plugin_name or plugin_id',
  },
  {
    name: 'native agent: custom_join_tool on a react agent',
    path: 'agents/customer_care_agent.yaml',
    text: F.customerCare + `\ncustom_join_tool: ${MARK}format_task_results\n`,
    message: 'custom_join_tool: only applies to style planner',
  },
  {
    name: 'planner agent: custom_join_tool and structured_output together',
    path: 'agents/customer_care_agent.yaml',
    text: edit(F.planner, '# structured_output: {type', `structured_output: ${MARK}{type`),
    message: 'structured_output: cannot be combined with custom_join_tool',
  },
  {
    name: 'native agent: chat_with_docs uses the knowledge-base sub-shapes',
    path: 'agents/ibm_agent_dynamic_mode.yaml',
    text: edit(
      F.ibmAgentDynamic,
      'chat_with_docs:\n  enabled: true',
      `chat_with_docs:\n  enabled: true\n  confidence_thresholds:\n    response_confidence_threshold: ${MARK}Medium\n`,
    ),
    message: 'chat_with_docs.confidence_thresholds.response_confidence_threshold: "Medium" is not one of: Off, Lowest, Low, High, Highest',
  },
  {
    name: 'experimental_customer_care agent with tools',
    path: 'agents/banking_agent.yaml',
    text: F.banking + `tools:\n  ${MARK}- get_balance\n`,
    message: 'tools: not allowed with style experimental_customer_care',
  },
  {
    name: 'experimental_customer_care agent with collaborators',
    path: 'agents/banking_agent.yaml',
    text: F.banking + `collaborators: ${MARK}[fraud_agent]\n`,
    message: 'collaborators: not allowed with style experimental_customer_care',
  },
  {
    name: 'experimental_customer_care agent with a knowledge base',
    path: 'agents/banking_agent.yaml',
    text: F.banking + `knowledge_base:\n  ${MARK}- banking_faq\n`,
    message: 'knowledge_base: not allowed with style experimental_customer_care',
  },
  {
    name: 'experimental_customer_care agent with chat_with_docs enabled',
    path: 'agents/banking_agent.yaml',
    text: F.banking + `chat_with_docs:\n  enabled: ${MARK}true\n`,
    message: 'chat_with_docs.enabled: cannot be true with style experimental_customer_care',
  },
  // -- agents: kind selection ------------------------------------------------------------------
  {
    name: 'code-bundle agent (kind: agent)',
    path: 'agents/hotel_list_agent.yaml',
    text: edit(F.hotel, 'kind: agent', `kind: ${MARK}agent`),
    message: 'kind: cannot be imported with `orchestrate agents import`',
  },
  {
    name: 'agent with an unknown kind',
    path: 'agents/customer_care_agent.yaml',
    text: edit(F.customerCare, 'spec_version: v1\n', `spec_version: v1\nkind: ${MARK}supervisor\n`),
    message: 'kind: cannot be imported with `orchestrate agents import`',
  },
  // -- agents: external / assistant -------------------------------------------------------------
  {
    name: 'external agent without api_url',
    path: 'agents/news_agent.yaml',
    text: edit(F.external, 'api_url: "http://my-codeengine.cloud.ibm.com/chat/completions"\n', ''),
    at: [1, 1],
    message: 'missing required key "api_url"',
  },
  {
    name: 'external agent: auth_scheme outside the enum',
    path: 'agents/news_agent.yaml',
    text: F.external + `\nauth_scheme: ${MARK}OAUTH2\n`,
    message: 'auth_scheme: "OAUTH2" is not one of: NONE, BEARER_TOKEN, API_KEY',
  },
  {
    name: 'external agent: provider outside the enum',
    path: 'agents/news_agent.yaml',
    text: F.external + `\nprovider: ${MARK}openai\n`,
    message: 'provider: "openai" is not one of: external_chat, wx.ai',
  },
  {
    name: 'external agent: config.enable_cot is not a boolean',
    path: 'agents/news_agent.yaml',
    text: edit(F.external, '    enable_cot: false', `    enable_cot: ${MARK}"no"`),
    message: 'config.enable_cot: must be true or false, not string "no"',
  },
  {
    name: 'assistant agent: config.auth_type outside the enum',
    path: 'agents/hr_assistant.yaml',
    text: edit(F.assistant, 'config:\n', `config:\n  auth_type: ${MARK}IAM\n`),
    message: 'config.auth_type: "IAM" is not one of: MCSP, IBM_CLOUD_IAM, ICP_IAM, BEARER_TOKEN',
  },
  // -- knowledge bases ------------------------------------------------------------------------
  {
    name: 'knowledge base with both documents and index_config',
    path: 'knowledge_bases/ibm_knowledge_base_dynamic_mode.yaml',
    text: edit(
      F.kbDynamic,
      'conversational_search_tool:\n',
      `conversational_search_tool:\n  index_config:\n    ${MARK}- app_id: es_conn\n      elastic_search:\n        url: https://es.example.com\n        index: docs\n`,
    ),
    message:
      'conversational_search_tool.index_config: a knowledge base takes either `documents` (built-in index) or `conversational_search_tool.index_config` (external index), not both',
  },
  {
    name: 'knowledge base with neither documents nor index_config',
    path: 'knowledge_bases/ibm_knowledge_base.yaml',
    text: F.kb.slice(0, F.kb.indexOf('documents:')),
    at: [1, 1],
    message: 'a knowledge base needs either `documents` (built-in index) or `conversational_search_tool.index_config`',
  },
  {
    name: 'knowledge base: conversational_search_tool without index_config and no documents',
    path: 'knowledge_bases/product_docs.yaml',
    text: edit(EXTERNAL_KB, `  index_config:\n${EXT_KB_ENTRY}  query_source: Agent`, `  ${MARK}query_source: Agent`),
    message: 'a knowledge base needs either `documents`',
  },
  {
    name: 'knowledge base: index_config with two entries',
    path: 'knowledge_bases/product_docs.yaml',
    text: edit(
      EXTERNAL_KB,
      `  index_config:\n${EXT_KB_ENTRY}`,
      `  index_config:\n${EXT_KB_ENTRY.replace('    - app_id', `    ${MARK}- app_id`)}    - app_id: other_conn\n      custom_search:\n        url: https://search.example.com\n`,
    ),
    message: 'conversational_search_tool.index_config: must contain exactly one entry',
  },
  {
    name: 'knowledge base: index entry with two backends',
    path: 'knowledge_bases/product_docs.yaml',
    text: edit(
      EXTERNAL_KB,
      '    - app_id: es_conn\n',
      `    - ${MARK}app_id: es_conn\n      milvus:\n        grpc_host: milvus.example.com\n`,
    ),
    message:
      'conversational_search_tool.index_config.0: needs exactly one backend: milvus, elastic_search, open_search, astradb or custom_search',
  },
  {
    name: 'knowledge base: index entry without a backend',
    path: 'knowledge_bases/product_docs.yaml',
    text: withBackend('').replace('    - app_id: search_conn', `    - ${MARK}app_id: search_conn`),
    message: 'conversational_search_tool.index_config.0: needs exactly one backend',
  },
  {
    name: 'knowledge base: open_search without index',
    path: 'knowledge_bases/product_docs.yaml',
    text: withBackend(`      open_search:\n        ${MARK}url: https://os.example.com\n`),
    message: 'conversational_search_tool.index_config.0.open_search: missing required key "index"',
  },
  {
    name: 'knowledge base: open_search hybrid search without text_field',
    path: 'knowledge_bases/product_docs.yaml',
    text: withBackend(
      `      open_search:\n        ${MARK}url: https://os.example.com\n        index: docs\n        vector_field: embedding\n        search_mode: hybrid\n`,
    ),
    message: 'open_search with search_mode hybrid needs text_field and vector_field',
  },
  {
    name: 'knowledge base: open_search embedding_mode outside the enum',
    path: 'knowledge_bases/product_docs.yaml',
    text: withBackend(
      `      open_search:\n        url: https://os.example.com\n        index: docs\n        embedding_mode: ${MARK}remote\n`,
    ),
    message: 'open_search.embedding_mode: "remote" is not one of: server, client',
  },
  {
    name: 'knowledge base: astradb without data_type',
    path: 'knowledge_bases/product_docs.yaml',
    text: withBackend(`      astradb:\n        ${MARK}api_endpoint: https://db.apps.astra.datastax.com\n        collection: docs\n`),
    message: 'conversational_search_tool.index_config.0.astradb: missing required key "data_type"',
  },
  {
    name: 'knowledge base: custom_search without url',
    path: 'knowledge_bases/product_docs.yaml',
    text: withBackend(`      custom_search:\n        ${MARK}filter: lang:en\n`),
    message: 'custom_search: missing required key "url"',
  },
  {
    name: 'knowledge base: confidence threshold outside the enum',
    path: 'knowledge_bases/product_docs.yaml',
    text: edit(EXTERNAL_KB, 'retrieval_confidence_threshold: Low', `retrieval_confidence_threshold: ${MARK}Medium`),
    message:
      'conversational_search_tool.confidence_thresholds.retrieval_confidence_threshold: "Medium" is not one of: Off, Lowest, Low, High, Highest',
  },
  {
    name: 'knowledge base: query_source outside the enum',
    path: 'knowledge_bases/ibm_knowledge_base_dynamic_mode.yaml',
    text: edit(F.kbDynamic, 'query_source: Agent', `query_source: ${MARK}User`),
    message: 'conversational_search_tool.query_source: "User" is not one of: Agent, SessionHistory',
  },
  {
    name: 'knowledge base: generated_response_length outside the enum',
    path: 'knowledge_bases/ibm_knowledge_base_dynamic_mode.yaml',
    text: edit(F.kbDynamic, '    enabled: False', `    enabled: False\n    generated_response_length: ${MARK}Long`),
    message: 'conversational_search_tool.generation.generated_response_length: "Long" is not one of: Concise, Moderate, Verbose',
  },
  {
    name: 'knowledge base: vector_index extraction_strategy outside the enum',
    path: 'knowledge_bases/ibm_knowledge_base.yaml',
    text: edit(F.kb, 'documents:\n', `vector_index:\n  extraction_strategy: ${MARK}fast\ndocuments:\n`),
    message: 'vector_index.extraction_strategy: "fast" is not one of: express, standard, high_quality',
  },
  {
    name: 'knowledge base: wrong kind',
    path: 'knowledge_bases/ibm_knowledge_base.yaml',
    text: edit(F.kb, 'kind: knowledge_base', `kind: ${MARK}knowledgebase`),
    message: 'kind: must be "knowledge_base", not "knowledgebase"',
  },
  {
    name: 'knowledge base: document entry without path',
    path: 'knowledge_bases/ibm_knowledge_base.yaml',
    text: edit(F.kb, ' - path: IBM_wikipedia.pdf\n   url:', ` - ${MARK}url:`),
    message: 'documents.0: missing required key "path"',
  },
  {
    name: 'knowledge base: spec_version missing',
    path: 'knowledge_bases/ibm_knowledge_base.yaml',
    text: edit(F.kb, 'spec_version: v1\n', ''),
    at: [1, 1],
    message: 'missing required key "spec_version"',
  },
  // -- connections ----------------------------------------------------------------------------
  {
    name: 'connection: sso true with type team',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, '        type: member', `        type: ${MARK}team`),
    message: 'environments.live.type: must be member when sso is true',
  },
  {
    name: 'connection: key_value with type member',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, '        kind: basic\n        type: team', `        kind: key_value\n        type: ${MARK}member`),
    message: 'environments.draft.type: a key_value connection cannot be member',
  },
  {
    name: 'connection: unknown environment name prod',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, '    live:', `    ${MARK}prod:`),
    message: 'environments.prod: is not a connection environment: use draft or live',
  },
  {
    name: 'connection: unknown credentials key',
    path: 'connections/my_app.yaml',
    text: edit(
      F.connection,
      '        sso: false\n',
      `        sso: false\n        credentials:\n          username: \${WORKDAY_USER}\n          ${MARK}passwd: \${WORKDAY_PASSWORD}\n`,
    ),
    message: 'environments.draft.credentials.passwd: is not a credentials key: use username, password, token, api_key',
  },
  {
    name: 'connection: credentials entries value is not a string',
    path: 'connections/weather_kv.yaml',
    text: edit(KV_CONNECTION, 'API_KEY: ${WEATHER_API_KEY}\n', `API_KEY: ${MARK}12345\n`),
    message: 'environments.draft.credentials.entries.API_KEY: must be a string, not a number of 5 characters',
  },
  {
    name: 'connection: credentials is a list',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, '        sso: false\n', `        sso: false\n        credentials: ${MARK}[username, password]\n`),
    message: 'environments.draft.credentials: must be a mapping, not a list',
  },
  {
    name: 'connection: environment kind outside the enum',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, 'kind: basic', `kind: ${MARK}oauth2`),
    message: 'environments.draft.kind: "oauth2" is not one of: basic, bearer, api_key, key_value',
  },
  {
    name: 'connection: type outside the enum',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, '        type: team', `        type: ${MARK}shared`),
    message: 'environments.draft.type: "shared" is not one of: team, member',
  },
  {
    name: 'connection: sso true on a basic connection',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, 'sso: false', `sso: ${MARK}true`),
    message: 'environments.draft.sso: must be false: sso is only for oauth_auth_on_behalf_of_flow',
  },
  {
    name: 'connection: on-behalf-of flow without sso',
    path: 'connections/my_app.yaml',
    text: edit(
      F.connection,
      '        kind: oauth_auth_on_behalf_of_flow\n        type: member\n        sso: true\n',
      `        kind: ${MARK}oauth_auth_on_behalf_of_flow\n        type: member\n`,
    ),
    message: 'environments.live.kind: this flow needs `sso: true`',
  },
  {
    name: 'connection: on-behalf-of flow with sso false',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, 'sso: true', `sso: ${MARK}false`),
    message:
      'environments.live.sso: must be true for oauth_auth_on_behalf_of_flow, oauth_auth_token_exchange_flow and oauth_auth_direct_access_flow',
  },
  {
    name: 'connection: on-behalf-of flow without idp_config',
    path: 'connections/my_app.yaml',
    text: edit(
      edit(F.connection, 'kind: oauth_auth_on_behalf_of_flow', `kind: ${MARK}oauth_auth_on_behalf_of_flow`),
      '        idp_config:\n          header:\n            content-type: application/x-www-form-urlencoded\n          body:\n            requested_token_use: on_behalf_of,\n            requested_token_type: urn:ietf:params:oauth:token-type:saml2\n',
      '',
    ),
    message: 'environments.live.kind: oauth_auth_on_behalf_of_flow needs an idp_config block',
  },
  {
    name: 'connection: direct-access flow with type team',
    path: 'connections/my_app.yaml',
    text: edit(
      edit(F.connection, 'kind: oauth_auth_on_behalf_of_flow', 'kind: oauth_auth_direct_access_flow'),
      '        type: member',
      `        type: ${MARK}team`,
    ),
    message: 'environments.live.type: must be member for oauth_auth_direct_access_flow',
  },
  {
    name: 'connection: app_id missing',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, 'app_id: my_app\n', ''),
    at: [1, 1],
    message: 'missing required key "app_id"',
  },
  {
    name: 'connection: empty spec_version',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, 'spec_version: v1', `spec_version: ${MARK}""`),
    message: 'spec_version: must not be empty',
  },
  {
    name: 'connection: no environments',
    path: 'connections/my_app.yaml',
    text: F.connection.slice(0, F.connection.indexOf('environments:')) + `environments: ${MARK}{}\n`,
    message: 'environments: must not be empty',
  },
  {
    name: 'connection: resource without component',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, 'app_id: my_app\n', `app_id: my_app\nresource:\n  ${MARK}category: milvus\n`),
    message: 'resource: missing required key "component"',
  },
  // -- toolkits -------------------------------------------------------------------------------
  {
    name: 'toolkit: url without transport',
    path: 'toolkits/banking.yaml',
    text: edit(edit(F.toolkit, 'transport: streamable_http # streamable_http|sse\n', ''), 'url: http', `url: ${MARK}http`),
    message: 'url: needs transport (streamable_http or sse)',
  },
  {
    name: 'toolkit: transport without url',
    path: 'toolkits/banking.yaml',
    text: edit(
      edit(F.toolkit, 'url: http://host.docker.internal:3004/mcp\n', ''),
      'transport: streamable_http',
      `transport: ${MARK}streamable_http`,
    ),
    message: 'transport: needs url',
  },
  {
    name: 'toolkit: transport outside the enum',
    path: 'toolkits/banking.yaml',
    text: edit(F.toolkit, 'transport: streamable_http', `transport: ${MARK}http`),
    message: 'transport: "http" is not one of: streamable_http, sse',
  },
  {
    name: 'toolkit: remote server with a local package',
    path: 'toolkits/banking.yaml',
    text: F.toolkit + `\npackage: ${MARK}banking-mcp\n`,
    message: 'package: not allowed for a remote MCP toolkit',
  },
  {
    name: 'toolkit: kind outside the enum',
    path: 'toolkits/banking.yaml',
    text: edit(F.toolkit, 'kind: mcp', `kind: ${MARK}mcp_server`),
    message: 'kind: "mcp_server" is not one of: mcp, python',
  },
  {
    name: 'toolkit: description missing',
    path: 'toolkits/banking.yaml',
    text: edit(F.toolkit, 'description: An mcp server for a bank\n', ''),
    at: [1, 1],
    message: 'missing required key "description"',
  },
  {
    name: 'toolkit: local package without language or command',
    path: 'toolkits/tavily.yaml',
    text: edit(edit(LOCAL_TOOLKIT, 'language: node\n', ''), 'package: tavily-mcp', `package: ${MARK}tavily-mcp`),
    message: 'package: needs language (node or python)',
  },
  {
    name: 'toolkit: package_root without command',
    path: 'toolkits/tavily.yaml',
    text: edit(LOCAL_TOOLKIT, 'package: tavily-mcp\nlanguage: node\n', `package_root: ${MARK}./server\n`),
    message: 'package_root: needs command',
  },
  {
    name: 'toolkit: package and package_root together',
    path: 'toolkits/tavily.yaml',
    text: edit(LOCAL_TOOLKIT, 'language: node\n', `language: node\npackage_root: ${MARK}./server\ncommand: node server.js\n`),
    message: 'package_root: cannot be combined with package',
  },
  {
    name: 'toolkit: MCP toolkit with no way to start a server',
    path: 'toolkits/tavily.yaml',
    text: edit(LOCAL_TOOLKIT, 'package: tavily-mcp\nlanguage: node\n', ''),
    at: [1, 1],
    message: 'an MCP toolkit needs package, package_root or command (local server) or url and transport (remote server)',
  },
  // -- flows ----------------------------------------------------------------------------------
  {
    name: 'flow: spec.kind is not flow',
    path: 'flows/hello_message_flow.json',
    text: edit(F.flow, '"kind": "flow"', `"kind": ${MARK}"workflow"`),
    message: 'spec.kind: must be "flow", not "workflow"',
  },
  {
    name: 'flow: spec without name',
    path: 'flows/hello_message_flow.json',
    text: edit(
      jsonEdit(F.flow, (d) => delete d.spec.name),
      '\n  "spec": {',
      `\n  "spec": ${MARK}{`,
    ),
    message: 'spec: missing required key "name"',
  },
  {
    name: 'flow: edges is a mapping',
    path: 'flows/book_hotel_flow.json',
    text: edit(
      jsonEdit(F.uiFlow, (d) => (d.edges = {})),
      '"edges": {}',
      `"edges": ${MARK}{}`,
    ),
    message: 'edges: must be a list, not a mapping',
  },
  {
    name: 'flow: nodes is a list',
    path: 'flows/book_hotel_flow.json',
    text: edit(
      jsonEdit(F.uiFlow, (d) => (d.nodes = [])),
      '"nodes": []',
      `"nodes": ${MARK}[]`,
    ),
    message: 'nodes: must be a mapping, not a list',
  },
  {
    name: 'flow: node spec without kind',
    path: 'flows/hello_message_flow.json',
    text: edit(
      jsonEdit(F.flow, (d) => delete d.nodes.__start__.spec.kind),
      '"__start__": {\n      "spec": {',
      `"__start__": {\n      "spec": ${MARK}{`,
    ),
    message: 'nodes.__start__.spec: missing required key "kind"',
  },
  // -- openapi --------------------------------------------------------------------------------
  {
    name: 'openapi: no paths',
    path: 'tools/healthcare_providers.yml',
    text: edit(F.openapi, 'paths:', 'path:'),
    at: [1, 1],
    message: 'missing required key "paths"',
  },
  {
    name: 'openapi: paths is a list',
    path: 'tools/healthcare_providers.yml',
    text: `openapi: "3.0.3"\ninfo:\n  title: x\n  version: "1"\npaths:\n  ${MARK}- /providers\n`,
    message: 'paths: must be a mapping, not a list',
  },
  // -- voice configurations ---------------------------------------------------------------------
  {
    name: 'voice config: two speech-to-text providers',
    path: 'voice/watson.yaml',
    text: edit(
      F.voiceWatson,
      'speech_to_text:\n  provider: watson_stt\n',
      `speech_to_text:\n  ${MARK}provider: watson_stt\n  deepgram_stt_config:\n    api_url: wss://api.deepgram.com/v1/listen\n    model: nova-2\n`,
    ),
    message: 'speech_to_text: needs exactly one of watson_stt_config, emotech_stt_config or deepgram_stt_config',
  },
  {
    name: 'voice config: text_to_speech missing',
    path: 'voice/deepgram.yaml',
    text: edit(
      F.voiceDeepgram.slice(0, F.voiceDeepgram.indexOf('text_to_speech:')),
      'name: deepgram_voice_config',
      `${MARK}name: deepgram_voice_config`,
    ),
    message: 'missing required key "text_to_speech"',
  },
  {
    name: 'voice config: watson_stt_config without model',
    path: 'voice/watson.yaml',
    text: edit(
      edit(F.voiceWatson, '    model: "example model" # "en-US"\n', ''),
      '    api_url: "example-stt-url"',
      `    ${MARK}api_url: "example-stt-url"`,
    ),
    message: 'speech_to_text.watson_stt_config: missing required key "model"',
  },
  {
    name: 'voice config: text_to_speech without a provider block',
    path: 'voice/deepgram.yaml',
    text: edit(
      F.voiceDeepgram,
      'text_to_speech:\n  provider: deepgram_tts\n  deepgram_tts_config:\n    api_key: "your-deepgram-api-key"\n',
      `text_to_speech:\n  ${MARK}provider: deepgram_tts\n`,
    ),
    message: 'text_to_speech: needs exactly one of watson_tts_config',
  },
  // -- channels and phone -------------------------------------------------------------------------
  {
    name: 'channel: channel outside the enum',
    path: 'channels/slack.yaml',
    text: edit(F.slack, 'channel: byo_slack', `channel: ${MARK}slack`),
    message: 'channel: "slack" is not one of: webchat, twilio_whatsapp, twilio_sms, byo_slack',
  },
  {
    name: 'channel: spec_version v2',
    path: 'channels/slack.yaml',
    text: edit(F.slack, 'spec_version: v1', `spec_version: ${MARK}v2`),
    message: 'spec_version: must be "v1", not "v2"',
  },
  {
    name: 'channel: channel missing',
    path: 'channels/slack.yaml',
    text: edit(edit(F.slack, 'channel: byo_slack\n', ''), 'spec_version: v1', `${MARK}spec_version: v1`),
    message: 'missing required key "channel"',
  },
  {
    name: 'channel: name missing (the ADK requires it)',
    path: 'channels/slack.yaml',
    text: edit(F.slack, 'name: production_slack_channel\n', ''),
    at: [24, 1], // the mapping that lacks it: its first key, after the comments
    message: 'missing required key "name"',
  },
  {
    name: 'channel: a key the channel type does not know is an error (the ADK forbids extra keys)',
    path: 'channels/slack.yaml',
    text: edit(F.slack, 'name: production_slack_channel\n', `name: production_slack_channel\n${MARK}bot_name: helper\n`),
    message: 'bot_name: is not a key of a byo_slack channel',
  },
  {
    name: 'channel: a twilio account_sid that is not a SID',
    path: 'channels/sms.yaml',
    text: `spec_version: v1\nkind: channel\nname: sms\nchannel: twilio_sms\naccount_sid: ${MARK}AC123\n`,
    message: 'account_sid: must be a Twilio account SID',
  },
  {
    name: 'phone: name missing (the ADK requires it)',
    path: 'phone/sip.yaml',
    text: edit(F.phone, 'name: SIP Phone Channel\n', ''),
    at: [1, 1],
    message: 'missing required key "name"',
  },
  {
    name: 'phone: a key the provider does not know is an error',
    path: 'phone/sip.yaml',
    text: edit(F.phone, 'name: SIP Phone Channel\n', `name: SIP Phone Channel\n${MARK}ring_tone: classic\n`),
    message: 'ring_tone: is not a key of a sip_trunk phone configuration',
  },
  {
    name: 'native agent: starter_prompts without prompts',
    path: 'agents/banking_agent.yaml',
    text: edit(
      F.banking,
      'starter_prompts:\n  prompts:\n    - id: "verify_pin"\n      title: "Login to my banking"\n      subtitle: "Verify my pin"\n      prompt: "verify my pin"\n',
      `starter_prompts:\n  ${MARK}is_default_prompts: true\n`,
    ),
    message: 'starter_prompts: missing required key "prompts"',
  },
  {
    name: 'native agent: toolkits on a default-style agent',
    path: 'agents/finance_agent.yaml',
    text: edit(F.sampleAgent, 'style: default', `style: default\ntoolkits:\n  ${MARK}- banking`),
    message: 'toolkits: toolkits are only supported with style experimental_customer_care',
  },
  {
    name: 'openapi: an operation without operationId',
    path: 'tools/healthcare_providers.yml',
    text: `openapi: "3.0.3"\ninfo:\n  title: x\n  version: "1"\npaths:\n  /providers:\n    get:\n      ${MARK}description: list\n      responses: {}\n`,
    message: 'missing required key "operationId"',
  },
  {
    name: 'phone: service_provider missing',
    path: 'phone/sip.yaml',
    text: edit(F.phone, 'service_provider: sip_trunk\n', ''),
    at: [1, 1],
    message: 'missing required key "service_provider"',
  },
  {
    name: 'phone: wrong kind',
    path: 'phone/sip.yaml',
    text: edit(F.phone, 'kind: phone', `kind: ${MARK}telephone`),
    message: 'kind: must be "phone", not "telephone"',
  },
  // -- models -----------------------------------------------------------------------------------
  {
    name: 'model: model_type outside the enum',
    path: 'models/granite.yaml',
    text: edit(MODEL, 'model_type: chat', `model_type: ${MARK}conversation`),
    message: 'model_type: "conversation" is not one of: chat, chat_vision, completion, embedding',
  },
  {
    name: 'model: name without a provider',
    path: 'models/granite.yaml',
    text: edit(MODEL, 'name: watsonx/ibm/granite-3-8b-instruct', `name: ${MARK}granite-3-8b-instruct`),
    message: 'name: must be <provider>/<model>',
  },
  {
    name: 'model: spec_version missing',
    path: 'models/granite.yaml',
    text: edit(MODEL, 'spec_version: v1\n', ''),
    at: [1, 1],
    message: 'missing required key "spec_version"',
  },
  {
    name: 'model policy: strategy mode outside the enum',
    path: 'models/policies/granite-fallback.yaml',
    text: edit(MODEL_POLICY, 'mode: fallback', `mode: ${MARK}roundrobin`),
    message: 'policy.strategy.mode: "roundrobin" is not one of: loadbalance, fallback, single',
  },
  {
    name: 'model policy: weight is not a number',
    path: 'models/policies/granite-fallback.yaml',
    text: edit(
      MODEL_POLICY,
      '    - model_name: watsonx/ibm/granite-3-2b-instruct\n',
      `    - model_name: watsonx/ibm/granite-3-2b-instruct\n      weight: ${MARK}heavy\n`,
    ),
    message: 'policy.targets.1.weight: must be a number, not string "heavy"',
  },
  {
    // The ADK's ModelPolicy requires display_name and description, not targets (test/adk.spec.test.ts).
    name: 'model policy: display_name missing',
    path: 'models/policies/granite-fallback.yaml',
    text: edit(MODEL_POLICY, 'display_name: Granite with fallback\n', ''),
    at: [1, 1],
    message: 'missing required key "display_name"',
  },
  {
    name: 'knowledge base: port as a number (the ADK wants a string)',
    path: 'knowledge_bases/product_docs.yaml',
    text: edit(EXTERNAL_KB, 'port: "443"', `port: ${MARK}443`),
    message: 'port: must be a string',
  },
  // -- tenant.yaml / values.yaml ------------------------------------------------------------------
  {
    name: 'tenant.yaml: literal api_key',
    path: 'tenant.yaml',
    text: edit(TENANT, 'api_key: ${WXO_DEV_QA_API_KEY}', `api_key: ${MARK}not-a-real-key-0123456789`),
    message: 'orchestrate.api_key: must be a ${NAME} placeholder',
  },
  {
    name: 'tenant.yaml: lower-case placeholder',
    path: 'tenant.yaml',
    text: edit(TENANT, 'api_key: ${WXO_DEV_QA_API_KEY}', `api_key: ${MARK}\${wxo_key}`),
    message: 'orchestrate.api_key: must be a ${NAME} placeholder',
  },
  {
    name: 'tenant.yaml: auth_type outside the enum',
    path: 'tenant.yaml',
    text: edit(TENANT, 'auth_type: ibm_iam', `auth_type: ${MARK}iam`),
    message: 'orchestrate.auth_type: "iam" is not one of: ibm_iam, mcsp, mcsp_v1, mcsp_v2, cpd',
  },
  {
    name: 'tenant.yaml: url is not http(s)',
    path: 'tenant.yaml',
    text: edit(TENANT, 'url: https://', `url: ${MARK}ftp://`),
    message: 'orchestrate.url: must be an http:// or https:// URL',
  },
  {
    name: 'tenant.yaml: env_name missing',
    path: 'tenant.yaml',
    text: edit(edit(TENANT, '  env_name: wxo-dev-qa\n', ''), '  url:', `  ${MARK}url:`),
    message: 'orchestrate: missing required key "env_name"',
  },
  {
    name: 'tenant.yaml: tenant missing',
    path: 'tenant.yaml',
    text: edit(TENANT, 'tenant: dev-qa-tenant\n', ''),
    at: [1, 1],
    message: 'missing required key "tenant"',
  },
  {
    name: 'values.yaml: tenant missing',
    path: 'values.yaml',
    text: edit(VALUES, 'tenant: dev-qa-tenant\n', ''),
    at: [1, 1],
    message: 'missing required key "tenant"',
  },
  {
    name: 'values.yaml: values is a list',
    path: 'values.yaml',
    text: `tenant: dev-qa-tenant\nvalues:\n  ${MARK}- llm\n`,
    message: 'values: must be a mapping, not a list',
  },
  // -- unknown keys: warnings at the key ------------------------------------------------------------
  {
    name: 'native agent: typo "instruction" (warning)',
    path: 'agents/ibm_agent.yaml',
    text: edit(F.ibmAgent, 'style: react\n', `style: react\n${MARK}instruction: Answer with sources\n`),
    message: 'unknown key "instruction" (the ADK ignores it; a typo?)',
    severity: 'warning',
  },
  {
    name: 'native agent: title and tags of the upstream example (warning)',
    path: 'agents/voice_enabled_agent.yaml',
    text: edit(F.voiceAgent, 'title: Sample Agent', `${MARK}title: Sample Agent`),
    message: 'unknown key "title"',
    severity: 'warning',
  },
  {
    name: 'assistant agent: api_url belongs to external agents (warning)',
    path: 'agents/hr_assistant.yaml',
    text: F.assistant + `\n${MARK}api_url: https://example.com/chat\n`,
    message: 'unknown key "api_url"',
    severity: 'warning',
  },
  {
    name: 'connection: typo in an environment block (warning)',
    path: 'connections/my_app.yaml',
    text: edit(F.connection, '        sso: false\n', `        sso: false\n        ${MARK}serverurl: https://example.com\n`),
    message: 'unknown key "serverurl" in environments.draft',
    severity: 'warning',
  },
  {
    name: 'voice config: spec_version does not exist there (warning)',
    path: 'voice/watson.yaml',
    text: `${MARK}spec_version: v1\n` + F.voiceWatson,
    message: 'unknown key "spec_version"',
    severity: 'warning',
  },
  {
    name: 'tenant.yaml: unknown key in orchestrate (warning)',
    path: 'tenant.yaml',
    text: edit(TENANT, '  auth_type: ibm_iam\n', `  auth_type: ibm_iam\n  ${MARK}region: us-south\n`),
    message: 'unknown key "region" in orchestrate',
    severity: 'warning',
  },
  {
    name: 'values.yaml: typo at the top level (warning)',
    path: 'values.yaml',
    text: VALUES + `${MARK}value:\n  extra: 1\n`,
    message: 'unknown key "value"',
    severity: 'warning',
  },
];

describe('broken variants', () => {
  it('there are enough of them', () => {
    expect(CASES.filter((c) => (c.severity ?? 'error') === 'error').length).toBeGreaterThanOrEqual(35);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const severity = c.severity ?? 'error';
      let text = c.text;
      let expected: { line: number; column: number };
      if (c.at) {
        expect(text).not.toContain(MARK);
        expected = { line: c.at[0], column: c.at[1] };
      } else {
        const marked = positionOfMark(text);
        text = marked.text;
        expected = { line: marked.line, column: marked.column };
      }
      const findings = await schemaFindings(c.path, text);
      const hit = findings.find((f) => f.severity === severity && f.message.includes(c.message));
      expect(
        hit,
        `no ${severity} containing ${JSON.stringify(c.message)} in:\n${findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.message}`).join('\n')}`,
      ).toBeDefined();
      expect({ line: hit!.line, column: hit!.column }).toEqual(expected);
      const errors = findings.filter((f) => f.severity === 'error');
      expect(errors.map((f) => `${f.line}:${f.column} ${f.message}`)).toHaveLength(c.errors ?? (severity === 'error' ? 1 : 0));
    });
  }

  it('never echoes a literal tenant api_key in the message', async () => {
    const findings = await schemaFindings(
      'tenant.yaml',
      edit(TENANT, 'api_key: ${WXO_DEV_QA_API_KEY}', 'api_key: not-a-real-key-0123456789'),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).not.toContain('not-a-real-key');
  });

  it('reports both unknown keys of the upstream voice agent at their own lines', async () => {
    const findings = await schemaFindings('agents/voice_enabled_agent.yaml', F.voiceAgent);
    expect(findings.map((f) => [f.severity, f.line, f.column, f.message])).toEqual([
      ['warning', 4, 1, 'unknown key "title" (the ADK ignores it; a typo?)'],
      ['warning', 10, 1, 'unknown key "tags" (the ADK ignores it; a typo?)'],
    ]);
  });

  it('does not warn about unknown keys inside flow nodes (UI flows carry many)', async () => {
    const flow = jsonEdit(F.uiFlow, (d) => {
      d.nodes['CodeBlock 2'].spec.ui_only_setting = { x: 1 };
      d.nodes['CodeBlock 2'].layout = 'grid';
    });
    expect(await schemaFindings('flows/book_hotel_flow.json', flow)).toEqual([]);
  });

  it('accepts an openapi document with unknown top-level keys without warnings', async () => {
    expect(await schemaFindings('tools/healthcare_providers.yml', F.openapi + '\nx-vendor-extension: true\n')).toEqual([]);
  });
});
